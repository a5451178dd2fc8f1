package tui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tillpos/till/pos"
	"golang.org/x/text/unicode/norm"
)

// index is the in-memory catalog: exact maps for scanners and byte-bigram
// posting lists for search as you type. It is built once, off the UI
// goroutine, and then only read (stock updates replace single entries).
type index struct {
	goods     []pos.Product
	keys      []string // folded "name\x1falt\x1fsku"
	byBarcode map[string]int32
	bySKU     map[string]int32
	// Postings in compressed-row form: ids of goods whose key holds the
	// byte pair (bigram) or the byte (unigram), in catalog order.
	biOff  []uint32 // 65537 offsets into biIDs
	biIDs  []uint32
	uniOff []uint32 // 257 offsets into uniIDs
	uniIDs []uint32
}

const keySep = "\x1f"

// fold lower-cases s and strips accents, so "Café" matches "cafe".
func fold(s string) string {
	simple := true
	for _, r := range s {
		// ASCII and CJK ideographs need no decomposition.
		if r >= utf8.RuneSelf && (r < 0x3000 || r > 0x9FFF) {
			simple = false
			break
		}
	}
	if simple {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

func newIndex(goods []pos.Product) *index {
	ix := &index{goods: goods, keys: make([]string, len(goods)),
		byBarcode: make(map[string]int32, len(goods)), bySKU: make(map[string]int32, len(goods))}
	for i, p := range goods {
		ix.keys[i] = fold(p.Name) + keySep + fold(p.AltName) + keySep + fold(p.SKU)
		ix.bySKU[p.SKU] = int32(i)
		for _, b := range p.Barcodes {
			ix.byBarcode[b] = int32(i)
		}
	}
	ix.build()
	return ix
}

// build fills the posting lists in two passes (count, then place) so the
// lists live in two flat slices rather than 65,536 small ones.
func (ix *index) build() {
	biCount := make([]uint32, 65537)
	uniCount := make([]uint32, 257)
	var seenBi [65536 / 64]uint64
	var seenUni [4]uint64
	each := func(i int, bi func(uint16), uni func(byte)) {
		clear(seenBi[:])
		clear(seenUni[:])
		k := ix.keys[i]
		for j := 0; j < len(k); j++ {
			c := k[j]
			if seenUni[c/64]&(1<<(c%64)) == 0 {
				seenUni[c/64] |= 1 << (c % 64)
				uni(c)
			}
			if j+1 < len(k) {
				g := uint16(c)<<8 | uint16(k[j+1])
				if seenBi[g/64]&(1<<(g%64)) == 0 {
					seenBi[g/64] |= 1 << (g % 64)
					bi(g)
				}
			}
		}
	}
	for i := range ix.keys {
		each(i, func(g uint16) { biCount[int(g)+1]++ }, func(c byte) { uniCount[int(c)+1]++ })
	}
	for i := 1; i < len(biCount); i++ {
		biCount[i] += biCount[i-1]
	}
	for i := 1; i < len(uniCount); i++ {
		uniCount[i] += uniCount[i-1]
	}
	ix.biOff, ix.uniOff = biCount, uniCount
	ix.biIDs = make([]uint32, biCount[65536])
	ix.uniIDs = make([]uint32, uniCount[256])
	biPos := append([]uint32(nil), biCount[:65536]...)
	uniPos := append([]uint32(nil), uniCount[:256]...)
	for i := range ix.keys {
		id := uint32(i)
		each(i, func(g uint16) { ix.biIDs[biPos[g]] = id; biPos[g]++ },
			func(c byte) { ix.uniIDs[uniPos[c]] = id; uniPos[c]++ })
	}
}

// code finds goods by exact barcode, then exact SKU: map gets, no scan.
func (ix *index) code(s string) (int, bool) {
	if ix == nil {
		return 0, false
	}
	if i, ok := ix.byBarcode[s]; ok {
		return int(i), true
	}
	if i, ok := ix.bySKU[s]; ok {
		return int(i), true
	}
	return 0, false
}

// update replaces the stored copy of goods already in the index (after a
// sale changed their stock); it does not change their search key.
func (ix *index) update(p pos.Product) {
	if ix == nil {
		return
	}
	if i, ok := ix.bySKU[p.SKU]; ok {
		ix.goods[i] = p
	}
}

// alt returns the second-language name of goods by SKU.
func (ix *index) alt(sku string) string {
	if ix == nil {
		return ""
	}
	if i, ok := ix.bySKU[sku]; ok {
		return ix.goods[i].AltName
	}
	return ""
}

// search returns up to limit goods whose name, alt name or SKU contain
// every word of q, ignoring case and accents. Goods whose name starts with
// the first word come first, then those with a word starting with it,
// then other matches; within a rank, catalog order.
func (ix *index) search(q string, limit int) []int {
	if ix == nil || limit <= 0 {
		return nil
	}
	words := strings.Fields(fold(q))
	if len(words) == 0 {
		return nil
	}
	// Drive the scan from the shortest posting list of any bigram (or,
	// for one-letter words, byte) of the query.
	var list []uint32
	best := -1
	for _, w := range words {
		if len(w) == 1 {
			l := ix.uniIDs[ix.uniOff[w[0]]:ix.uniOff[int(w[0])+1]]
			if best < 0 || len(l) < best {
				list, best = l, len(l)
			}
			continue
		}
		for j := 0; j+1 < len(w); j++ {
			g := int(w[j])<<8 | int(w[j+1])
			l := ix.biIDs[ix.biOff[g]:ix.biOff[g+1]]
			if best < 0 || len(l) < best {
				list, best = l, len(l)
			}
		}
	}
	var ranks [3][]int
	first := words[0]
	spaced, sepd := " "+first, keySep+first
	for _, id := range list {
		k := ix.keys[id]
		ok := true
		for _, w := range words {
			if !strings.Contains(k, w) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		r := 2
		switch {
		case strings.HasPrefix(k, first):
			r = 0
		case strings.Contains(k, spaced) || strings.Contains(k, sepd):
			r = 1
		}
		if len(ranks[r]) < limit {
			ranks[r] = append(ranks[r], int(id))
		}
		if len(ranks[0])+len(ranks[1]) >= limit {
			break
		}
	}
	out := make([]int, 0, limit)
	for _, r := range ranks {
		out = append(out, r[:min(len(r), limit-len(out))]...)
	}
	return out
}

// product returns the goods of a SKU as the index holds them.
func (ix *index) product(sku string) (pos.Product, bool) {
	if ix == nil {
		return pos.Product{}, false
	}
	if i, ok := ix.bySKU[sku]; ok {
		return ix.goods[i], true
	}
	return pos.Product{}, false
}
