// Package search is the counter's in-memory catalog index: exact maps for
// scanners, and search as you type over names, second-language names,
// SKUs and the shop's own codes (助记码), ignoring case and accents, plus
// pinyin for Chinese names, so a cashier without a Chinese input method
// finds 可口可乐 by typing kkkl or kekou.
//
// The index is built once from the catalog (off the UI goroutine) and then
// only read; stock updates replace single entries. It does no IO.
//
// # Pinyin
//
// Every Han character of a name is looked up once per build in
// github.com/mozillazg/go-pinyin with every reading of a polyphonic
// character (多音字: 乐 is le and yue, 重 is zhong, chong and tong), tones
// dropped, ü also as u (绿 is lv and lu). A query word of Latin letters
// matches a run of consecutive characters when it can be cut into one
// piece per character, each piece one of that character's readings in
// full, its first letter, or its zh/ch/sh, and the last piece any start of
// a reading: kkkl, kekou, kekoukele, kekkl and kek all find 可口可乐.
//
// Posting lists (sparse lists or bitmaps) keep the scan short: byte pairs of
// the folded text, and letter pairs that can occur in a pinyin query of
// each name; a search reads the shortest list any query word needs, then
// checks each candidate exactly.
package search

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
	"github.com/tillpos/till/pos"
	"golang.org/x/text/unicode/norm"
)

// Index is the catalog, indexed. A nil *Index is an empty one.
type Index struct {
	goods     []pos.Product
	keys      []string // folded "name\x1falt\x1fsku\x1fmnemonic"
	byBarcode map[string]int32
	bySKU     map[string]int32 // nil when goods are sorted by SKU
	sorted    bool
	byPLU     map[string]int32 // without leading zeros
	textBi    postings         // byte pairs of keys: c<<8|next
	textUni   postings         // bytes of keys
	py        pinyinIndex
}

const keySep = "\x1f"

// postings is a set of posting lists: for each key, the goods holding it
// in catalog order. A sparse list is a slice of ids in compressed-row
// form (all lists in one flat slice); a dense one, held by more than one
// goods in 32, is a bitmap over the goods, which is then smaller (the SKU
// digits and common letters are in most names) and answers membership at
// once.
type postings struct {
	off   []uint32 // sparse list k is ids[off[k]:off[k+1]]
	ids   []uint32
	count []uint32 // goods per key
	dense []int32  // key -> bitmap number, or -1
	bits  []uint64 // bitmaps of words each, one after another
	words int
}

// posting is one key's list, sparse or dense.
type posting struct {
	list []uint32
	bits []uint64
	n    int
}

func (ps *postings) get(k int) posting {
	if d := ps.dense[k]; d >= 0 {
		return posting{bits: ps.bits[int(d)*ps.words : int(d+1)*ps.words], n: int(ps.count[k])}
	}
	return posting{list: ps.ids[ps.off[k]:ps.off[k+1]], n: int(ps.count[k])}
}

// size in bytes, for the memory benchmark.
func (ps *postings) size() int {
	return 4*(len(ps.off)+len(ps.ids)+len(ps.count)+len(ps.dense)) + 8*len(ps.bits)
}

// buildPostings fills posting lists over keys [0, nkeys) for n goods in
// two passes (count, then place); each appends to buf every key of goods
// i, repeats allowed, and returns it (one call per goods, not per key).
// Each goods' distinct keys are kept from the counting pass for the
// placing one, two bytes a key in blocks that are never copied (dropped
// at the end): making them again cost as much CPU as the rest of the
// build. nkeys is at most 1<<16.
func buildPostings(n, nkeys int, each func(i int, buf []int) []int) postings {
	count := make([]uint32, nkeys)
	seen := make([]uint64, (nkeys+63)/64)
	buf := make([]int, 0, 256)
	var kept keyBlocks
	for i := 0; i < n; i++ {
		buf = each(i, buf[:0])
		blk := kept.room(len(buf) + 1) // appended to in place: no check a key
		for _, k := range buf {
			w, bit := uint(k)/64, uint64(1)<<(uint(k)%64)
			if seen[w]&bit == 0 && k != endOfGoods {
				seen[w] |= bit
				*blk = append(*blk, uint16(k))
				count[k]++
			}
		}
		for _, k := range buf {
			seen[uint(k)/64] = 0
		}
		*blk = append(*blk, endOfGoods)
	}
	ps := postings{off: make([]uint32, nkeys+1), count: count, dense: make([]int32, nkeys), words: (n + 63) / 64}
	ndense := 0
	for k, c := range count {
		ps.dense[k] = -1
		if int(c) > n/32 && c > 64 {
			ps.dense[k] = int32(ndense)
			ndense++
			c = 0
		}
		ps.off[k+1] = ps.off[k] + c
	}
	ps.ids = make([]uint32, ps.off[nkeys])
	ps.bits = make([]uint64, ndense*ps.words)
	next := append([]uint32(nil), ps.off[:nkeys]...)
	// The bitmaps' bits for 64 goods at a time gather in col, a word per
	// bitmap side by side, stored once the 64 are done: set one at a time
	// in the bitmaps, each a bitmap's length from the last, they missed
	// the cache at almost every bit.
	col := make([]uint64, ndense)
	store := func(w int) {
		for d, x := range col {
			if x != 0 {
				ps.bits[d*ps.words+w] = x
				col[d] = 0
			}
		}
	}
	i := 0
	for _, block := range kept.blocks {
		for _, k := range block {
			if k == endOfGoods {
				if i++; i%64 == 0 {
					store(i/64 - 1)
				}
				continue
			}
			if d := ps.dense[k]; d >= 0 {
				col[d] |= 1 << (i % 64)
				continue
			}
			ps.ids[next[k]] = uint32(i)
			next[k]++
		}
	}
	if n%64 != 0 {
		store(n / 64)
	}
	return ps
}

// keyBlocks is a stream of keys in blocks of keyBlock.
type keyBlocks struct{ blocks [][]uint16 }

const keyBlock = 1 << 15

// endOfGoods ends each goods' keys in keyBlocks. In a key space of 1<<16
// keys (byte pairs) it is the pair 0xFF 0xFF, which folded text (valid
// UTF-8) never holds; were it given, it would not be indexed.
const endOfGoods = 0xFFFF

// room returns the last block, a new one if it has no room for n more
// keys (a block is never shorter than n: one goods' keys stay in one).
func (kb *keyBlocks) room(n int) *[]uint16 {
	if l := len(kb.blocks); l == 0 || cap(kb.blocks[l-1])-len(kb.blocks[l-1]) < n {
		kb.blocks = append(kb.blocks, make([]uint16, 0, max(keyBlock, n)))
	}
	return &kb.blocks[len(kb.blocks)-1]
}

// cursor walks a posting alongside a scan in ascending id order,
// answering whether it holds an id.
type cursor struct {
	posting
	at int
}

// has reports whether the posting holds id; ids asked must not
// decrease. On a list it gallops, so a long list costs a logarithm per
// step, not its length.
func (c *cursor) has(id uint32) bool {
	if c.bits != nil {
		return c.bits[id/64]&(1<<(id%64)) != 0
	}
	l := c.list
	if c.at >= len(l) || l[c.at] > id {
		return false
	}
	step, lo := 1, c.at
	for lo+step < len(l) && l[lo+step] < id {
		lo += step
		step *= 2
	}
	hi := min(lo+step, len(l)-1)
	for lo < hi { // first position with l[pos] >= id
		mid := (lo + hi) / 2
		if l[mid] < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if l[lo] < id {
		lo++
	}
	c.at = lo
	return lo < len(l) && l[lo] == id
}

// next returns the posting's ids in order, one per call.
func (c *cursor) next() (uint32, bool) {
	if c.bits == nil {
		if c.at >= len(c.list) {
			return 0, false
		}
		c.at++
		return c.list[c.at-1], true
	}
	for w := c.at / 64; w < len(c.bits); w++ {
		if rest := c.bits[w] >> (c.at % 64) << (c.at % 64); rest != 0 {
			id := w*64 + bits.TrailingZeros64(rest)
			c.at = id + 1
			return uint32(id), true
		}
		c.at = (w + 1) * 64
	}
	return 0, false
}

// foldInto writes Fold(s) to b, ASCII without an allocation.
func foldInto(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			b.WriteString(Fold(s))
			return
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// sku finds the position of goods by SKU.
func (ix *Index) sku(s string) (int32, bool) {
	if !ix.sorted {
		i, ok := ix.bySKU[s]
		return i, ok
	}
	i, ok := slices.BinarySearchFunc(ix.goods, s, func(p pos.Product, s string) int { return strings.Compare(p.SKU, s) })
	return int32(i), ok
}

// asciiLower lower-cases the ASCII letters of s, leaving the rest.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if 'A' <= b[j] && b[j] <= 'Z' {
			b[j] += 'a' - 'A'
		}
	}
	return string(b)
}

// Fold lower-cases s and strips accents, so "Café" matches "cafe".
func Fold(s string) string {
	simple := true
	for _, r := range s {
		// ASCII and CJK ideographs need no decomposition.
		if r >= utf8.RuneSelf && (r < 0x3000 || r > 0x9FFF) {
			simple = false
			break
		}
	}
	if simple {
		// Of these only ASCII letters have a case (TestFoldCJKHasNoCase):
		// strings.ToLower would look every ideograph up in the tables.
		return asciiLower(s)
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

// New indexes goods. The index keeps the slice: the caller must not
// change it afterwards except through Update.
func New(goods []pos.Product) *Index {
	ix := &Index{goods: goods, keys: make([]string, len(goods)), byBarcode: make(map[string]int32, len(goods))}
	// The pinyin, the text's byte pairs and the rest are independent:
	// built side by side, a counter's two cores halve the wait.
	var wg sync.WaitGroup
	wg.Go(func() { ix.py.build(goods) })
	// Goods as the store reads them are in SKU order: then a binary
	// search finds a SKU, and no map is needed.
	ix.sorted = slices.IsSortedFunc(goods, func(a, b pos.Product) int { return strings.Compare(a.SKU, b.SKU) })
	if !ix.sorted {
		ix.bySKU = make(map[string]int32, len(goods))
	}
	// Every folded key in one string, sliced: one allocation, not four
	// per goods.
	size := 0
	for _, p := range goods {
		size += len(p.Name) + len(p.AltName) + len(p.SKU) + len(p.Mnemonic) + 3
	}
	var kb strings.Builder
	kb.Grow(size)
	ends := make([]int, len(goods))
	for i, p := range goods {
		foldInto(&kb, p.Name)
		kb.WriteString(keySep)
		foldInto(&kb, p.AltName)
		kb.WriteString(keySep)
		foldInto(&kb, p.SKU)
		kb.WriteString(keySep)
		foldInto(&kb, p.Mnemonic)
		ends[i] = kb.Len()
	}
	all, start := kb.String(), 0
	for i, end := range ends {
		ix.keys[i], start = all[start:end], end
	}
	for i, p := range goods {
		if !ix.sorted {
			ix.bySKU[p.SKU] = int32(i)
		}
		for _, b := range p.Barcodes {
			ix.byBarcode[b] = int32(i)
		}
		if p.PLU != "" {
			if ix.byPLU == nil {
				ix.byPLU = map[string]int32{}
			}
			ix.byPLU[normalPLU(p.PLU)] = int32(i)
		}
	}
	wg.Go(func() {
		ix.textBi = buildPostings(len(goods), 1<<16, func(i int, buf []int) []int {
			k := ix.keys[i]
			for j := 0; j+1 < len(k); j++ {
				buf = append(buf, int(k[j])<<8|int(k[j+1]))
			}
			return buf
		})
	})
	ix.textUni = buildPostings(len(goods), 256, func(i int, buf []int) []int {
		k := ix.keys[i]
		for j := 0; j < len(k); j++ {
			buf = append(buf, int(k[j]))
		}
		return buf
	})
	wg.Wait()
	return ix
}

// Len is the number of goods indexed.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	return len(ix.goods)
}

// Product returns the goods at position i (as Code and Search return).
func (ix *Index) Product(i int) pos.Product { return ix.goods[i] }

// Code finds goods by exact barcode, then exact SKU: map gets, no scan.
func (ix *Index) Code(s string) (int, bool) {
	if ix == nil {
		return 0, false
	}
	if i, ok := ix.byBarcode[s]; ok {
		return int(i), true
	}
	if i, ok := ix.sku(s); ok {
		return int(i), true
	}
	return 0, false
}

// Lookup is Code returning the goods themselves.
func (ix *Index) Lookup(s string) (pos.Product, bool) {
	i, ok := ix.Code(s)
	if !ok {
		return pos.Product{}, false
	}
	return ix.goods[i], true
}

// BySKU finds goods by their SKU alone (never a barcode).
func (ix *Index) BySKU(sku string) (pos.Product, bool) {
	if ix == nil {
		return pos.Product{}, false
	}
	if i, ok := ix.sku(sku); ok {
		return ix.goods[i], true
	}
	return pos.Product{}, false
}

// PLU finds goods by the number a label scale knows them by, leading
// zeros ignored ("01027" is 1027): the lookup a scale label needs
// (scale.Lookup is func(plu) (pos.Product, bool): pass ix.PLU).
func (ix *Index) PLU(plu string) (pos.Product, bool) {
	if ix == nil {
		return pos.Product{}, false
	}
	i, ok := ix.byPLU[normalPLU(plu)]
	if !ok {
		return pos.Product{}, false
	}
	return ix.goods[i], true
}

func normalPLU(plu string) string {
	t := strings.TrimLeft(plu, "0")
	if t == "" && plu != "" {
		return "0"
	}
	return t
}

// Update replaces the stored copy of goods already in the index (after a
// sale changed their stock); it does not change their search key.
func (ix *Index) Update(p pos.Product) {
	if ix == nil {
		return
	}
	if i, ok := ix.sku(p.SKU); ok {
		ix.goods[i] = p
	}
}

// Alt returns the second-language name of goods by SKU.
func (ix *Index) Alt(sku string) string {
	if ix == nil {
		return ""
	}
	if i, ok := ix.sku(sku); ok {
		return ix.goods[i].AltName
	}
	return ""
}

// Search returns the positions of up to limit goods matching every word
// of q: a word matches when the name, alt name, SKU or mnemonic contains
// it (ignoring case and accents) or, for a word of Latin letters, when it
// is the pinyin of a run of a Chinese name's characters. Ranked by the
// first word: goods whose name starts with it or whose mnemonic is it
// come first, then those with a word (or a run of Chinese characters)
// starting with it, then other matches; within a rank, catalog order.
func (ix *Index) Search(q string, limit int) []int {
	if ix == nil || limit <= 0 {
		return nil
	}
	words := strings.Fields(Fold(q))
	if len(words) == 0 {
		return nil
	}
	// Each word's candidates: the shortest text list of its byte pairs,
	// and (for letters) the shortest pinyin list any match of it must be
	// in. The scan is driven by the word whose candidates are fewest; the
	// other words' lists say at once, through cursors moving forward with
	// the scan, whether a text or pinyin check can succeed at all.
	text := make([]cursor, len(words))
	py := make([]cursors, len(words))
	drive, best := 0, -1
	for n, w := range words {
		text[n].posting, py[n] = ix.textList(w), ix.py.lists(w)
		if c := text[n].n + py[n].size(); best < 0 || c < best {
			drive, best = n, c
		}
	}
	m := matchers.Get().(*matcher)
	m.py = &ix.py
	defer matchers.Put(m)
	var ranks [3][]int
	first := words[0]
	spaced, sepd := " "+first, keySep+first
	// Merge the driving word's two ascending postings, once per id.
	dt, dp := cursor{posting: text[drive].posting}, cursor{posting: py[drive].first()}
	a, okA := dt.next()
	b, okB := dp.next()
	for okA || okB {
		var id uint32
		switch {
		case !okB || okA && a < b:
			id = a
			a, okA = dt.next()
		case !okA || b < a:
			id = b
			b, okB = dp.next()
		default:
			id = a
			a, okA = dt.next()
			b, okB = dp.next()
		}
		k := ix.keys[id]
		ok := true
		for n, w := range words[1:] {
			n++
			if !(text[n].has(id) && strings.Contains(k, w)) && !(py[n].has(id) && m.rank(int(id), w) != noMatch) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		r := noMatch
		switch {
		case !text[0].has(id) || !strings.Contains(k, first):
		case strings.HasPrefix(k, first) || strings.HasSuffix(k, sepd):
			r = 0
		case strings.Contains(k, spaced) || strings.Contains(k, sepd):
			r = 1
		default:
			r = 2
		}
		pyOK := py[0].has(id)
		if r > 1 && pyOK {
			r = min(r, m.rank(int(id), first))
		}
		if r == noMatch {
			continue
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

// textList is the shortest posting of the word's byte pairs (or its
// byte, for a one-byte word).
func (ix *Index) textList(w string) posting {
	if len(w) == 1 {
		return ix.textUni.get(int(w[0]))
	}
	var best posting
	for j := 0; j+1 < len(w); j++ {
		p := ix.textBi.get(int(w[j])<<8 | int(w[j+1]))
		if j == 0 || p.n < best.n {
			best = p
		}
	}
	return best
}

// pinyinIndex holds the pinyin of every Chinese name: a table of
// syllables, the reading sets of the distinct characters, each goods'
// characters as reading-set numbers (runs of Han characters, split by
// sepTok), and posting lists of the letters and letter pairs a query can
// hold.
type pinyinIndex struct {
	syl    []string   // distinct toneless syllables
	sets   [][]uint16 // per distinct character: its syllables
	tok    []uint16   // characters of all goods, as set numbers
	tokOff []uint32   // goods i's characters are tok[tokOff[i]:tokOff[i+1]]
	bi     postings   // letter pairs, a*26+b
	uni    postings   // first letters of readings
	// Per goods, the letters of all readings: a query word with a letter
	// outside it is refused before the exact check.
	letters []uint32
}

const (
	sepTok  = 0xFFFF
	maxTok  = 256 // characters indexed per goods
	maxWord = 32  // longest query word tried as pinyin
	noMatch = 3
)

func (py *pinyinIndex) build(goods []pos.Product) {
	py.tokOff = make([]uint32, len(goods)+1)
	// The class of a character seen before: the plane most names are in
	// by table (a map lookup a character cost a tenth of the build), the
	// rest by map. bmp holds class+1, 0 for a character not seen yet.
	bmp := make([]uint32, 1<<16)
	class := map[rune]uint16{}
	sylID := map[string]uint16{}
	args := pinyin.Args{Style: pinyin.Normal, Heteronym: true}
	readings := func(r rune) (uint16, bool) {
		if r < 1<<16 {
			if c := bmp[r]; c != 0 {
				return uint16(c - 1), c-1 != sepTok
			}
		} else if c, ok := class[r]; ok {
			return c, c != sepTok
		}
		c := uint16(sepTok)
		var set []uint16
		if unicode.Is(unicode.Han, r) {
			for _, s := range pinyin.SinglePinyin(r, args) {
				alts := []string{s}
				if strings.Contains(s, "v") {
					alts = append(alts, strings.ReplaceAll(s, "v", "u"))
				}
				for _, a := range alts {
					if a == "" || strings.Trim(a, "abcdefghijklmnopqrstuvwxyz") != "" {
						continue
					}
					id, ok := sylID[a]
					if !ok {
						id = uint16(len(py.syl))
						sylID[a] = id
						py.syl = append(py.syl, a)
					}
					if !containsU16(set, id) {
						set = append(set, id)
					}
				}
			}
		}
		if len(set) > 0 && len(py.sets) < sepTok {
			c = uint16(len(py.sets))
			py.sets = append(py.sets, set)
		}
		if r < 1<<16 {
			bmp[r] = uint32(c) + 1
		} else {
			class[r] = c
		}
		return c, c != sepTok
	}
	for i, p := range goods {
		start := len(py.tok)
		for _, name := range []string{p.Name, p.AltName} {
			for _, r := range name {
				if c, ok := readings(r); ok {
					py.tok = append(py.tok, c)
				} else if n := len(py.tok); n > start && py.tok[n-1] != sepTok {
					py.tok = append(py.tok, sepTok)
				}
			}
			if n := len(py.tok); n > start && py.tok[n-1] != sepTok {
				py.tok = append(py.tok, sepTok)
			}
		}
		if len(py.tok)-start > maxTok {
			py.tok = py.tok[:start+maxTok]
		}
		if n := len(py.tok); n > start && py.tok[n-1] == sepTok {
			py.tok = py.tok[:n-1]
		}
		py.tokOff[i+1] = uint32(len(py.tok))
	}
	py.tok = append([]uint16(nil), py.tok...) // drop the spare capacity
	py.letters = make([]uint32, len(goods))
	for i := range goods {
		var mask uint32
		for _, t := range py.tokens(i) {
			if t == sepTok {
				continue
			}
			for _, s := range py.sets[t] {
				for _, c := range []byte(py.syl[s]) {
					mask |= 1 << (c - 'a')
				}
			}
		}
		py.letters[i] = mask
	}
	letter := func(b byte) int { return int(b - 'a') }
	py.bi = buildPostings(len(goods), 26*26, func(i int, buf []int) []int {
		toks := py.tokens(i)
		for j, t := range toks {
			if t == sepTok {
				continue
			}
			for _, s := range py.sets[t] {
				str := py.syl[s]
				for k := 0; k+1 < len(str); k++ {
					buf = append(buf, letter(str[k])*26+letter(str[k+1]))
				}
			}
			if j+1 >= len(toks) || toks[j+1] == sepTok {
				continue
			}
			// Across characters: the last letter the piece for this one
			// can end with (its initial, zh/ch/sh, or the whole reading)
			// then the next one's first letter.
			for _, s := range py.sets[t] {
				str := py.syl[s]
				for _, n := range py.sets[toks[j+1]] {
					next := letter(py.syl[n][0])
					buf = append(buf, letter(str[0])*26+next)
					buf = append(buf, letter(str[len(str)-1])*26+next)
					if len(str) > 2 && str[1] == 'h' {
						buf = append(buf, letter('h')*26+next)
					}
				}
			}
		}
		return buf
	})
	py.uni = buildPostings(len(goods), 26, func(i int, buf []int) []int {
		for _, t := range py.tokens(i) {
			if t != sepTok {
				for _, s := range py.sets[t] {
					buf = append(buf, letter(py.syl[s][0]))
				}
			}
		}
		return buf
	})
}

func containsU16(xs []uint16, x uint16) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (py *pinyinIndex) tokens(i int) []uint16 { return py.tok[py.tokOff[i]:py.tokOff[i+1]] }

// letters reports whether w is a word pinyin can match: a to z only.
func letters(w string) bool {
	if len(w) == 0 || len(w) > maxWord {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// lists are the pinyin postings any goods whose pinyin matches the word
// must be in, shortest first: its first letter starts a reading, and
// every pair of its letters is one the goods' pinyin can hold. None when
// the word cannot be pinyin.
func (py *pinyinIndex) lists(w string) cursors {
	if !letters(w) || py.bi.off == nil {
		return nil
	}
	cs := cursors{{posting: py.uni.get(int(w[0] - 'a'))}}
	for j := 0; j+1 < len(w); j++ {
		cs = append(cs, cursor{posting: py.bi.get(int(w[j]-'a')*26 + int(w[j+1]-'a'))})
	}
	slices.SortStableFunc(cs, func(a, b cursor) int { return a.n - b.n })
	return cs
}

// cursors are postings an id must be in all of, shortest first.
type cursors []cursor

func (cs cursors) size() int {
	if len(cs) == 0 {
		return 0
	}
	return cs[0].n
}

func (cs cursors) first() posting {
	if len(cs) == 0 {
		return posting{}
	}
	return cs[0].posting
}

// has reports whether every posting holds id (ids asked must not
// decrease): a cheap filter before the exact pinyin check.
func (cs cursors) has(id uint32) bool {
	if len(cs) == 0 {
		return false
	}
	for i := range cs {
		if !cs[i].has(id) {
			return false
		}
	}
	return true
}

// matcher checks a query word against one goods' characters, remembering
// (query position, character) pairs known to fail so no word costs more
// than their product.
type matcher struct {
	py   *pinyinIndex
	q    string
	toks []uint16
	fail [(maxWord + 1) * (maxTok / 64)]uint64
}

// matchers keeps matchers (a kilobyte of memory each) for reuse, so a
// keystroke allocates next to nothing.
var matchers = sync.Pool{New: func() any { return new(matcher) }}

// rank is 1 when w is the pinyin of a run of goods i's characters that
// starts a run of Chinese, 2 when of a run further in, noMatch otherwise.
func (m *matcher) rank(i int, w string) int {
	if !letters(w) || m.py.tokOff == nil {
		return noMatch
	}
	var need uint32
	for k := 0; k < len(w); k++ {
		need |= 1 << (w[k] - 'a')
	}
	if m.py.letters[i]&need != need {
		return noMatch
	}
	m.q, m.toks = w, m.py.tokens(i)
	if len(m.toks) == 0 {
		return noMatch
	}
	clear(m.fail[:(len(w)+1)*(maxTok/64)])
	later := false
	for j, t := range m.toks {
		if t == sepTok {
			continue
		}
		if j == 0 || m.toks[j-1] == sepTok {
			if m.at(0, j) {
				return 1
			}
		} else {
			later = true
		}
	}
	if later {
		for j, t := range m.toks {
			if t != sepTok && j > 0 && m.toks[j-1] != sepTok && m.at(0, j) {
				return 2
			}
		}
	}
	return noMatch
}

// at reports whether q[qpos:] is the pinyin of characters from j on.
func (m *matcher) at(qpos, j int) bool {
	if qpos == len(m.q) {
		return true
	}
	if j >= len(m.toks) || m.toks[j] == sepTok {
		return false
	}
	word, bit := qpos*(maxTok/64)+j/64, uint64(1)<<(j%64)
	if m.fail[word]&bit != 0 {
		return false
	}
	rest := m.q[qpos:]
	for _, sid := range m.py.sets[m.toks[j]] {
		s := m.py.syl[sid]
		if rest[0] != s[0] {
			continue
		}
		// The last piece: any start of a reading.
		if len(rest) <= len(s) && s[:len(rest)] == rest {
			return true
		}
		// The whole reading, then the next character.
		if rest[:min(len(s), len(rest))] == s && m.at(qpos+len(s), j+1) {
			return true
		}
		// Its first letter, or its zh/ch/sh.
		if m.at(qpos+1, j+1) {
			return true
		}
		if len(s) > 2 && s[1] == 'h' && rest[1] == 'h' && m.at(qpos+2, j+1) {
			return true
		}
	}
	m.fail[word] |= bit
	return false
}
