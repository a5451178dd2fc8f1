package search

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"github.com/tillpos/till/internal/goodsgen"
	"github.com/tillpos/till/pos"
)

var refCache = map[rune][]string{}

// refReadings is every toneless reading of a Han character, ü also as u.
func refReadings(r rune) []string {
	if !unicode.Is(unicode.Han, r) {
		return nil
	}
	if rs, ok := refCache[r]; ok {
		return rs
	}
	var out []string
	for _, s := range pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Normal, Heteronym: true}) {
		out = append(out, s)
		if strings.Contains(s, "v") {
			out = append(out, strings.ReplaceAll(s, "v", "u"))
		}
	}
	refCache[r] = out
	return out
}

// refPinyin is the rule of the package doc, written plainly: q is cut into
// one piece per character from position j of run on, each piece a whole
// reading, its first letter or its zh/ch/sh, the last any start of one.
func refPinyin(q string, run [][]string, j int) bool {
	if q == "" {
		return true
	}
	if j >= len(run) {
		return false
	}
	for _, s := range run[j] {
		if strings.HasPrefix(s, q) {
			return true
		}
		pieces := []string{s, s[:1]}
		if len(s) > 2 && s[1] == 'h' {
			pieces = append(pieces, s[:2])
		}
		for _, piece := range pieces {
			if strings.HasPrefix(q, piece) && refPinyin(q[len(piece):], run, j+1) {
				return true
			}
		}
	}
	return false
}

// refPinyinRank: 1 at the start of a run of Chinese, 2 further in.
func refPinyinRank(p pos.Product, w string) int {
	if !letters(w) {
		return noMatch
	}
	best := noMatch
	for _, name := range []string{p.Name, p.AltName} {
		var runs [][][]string
		var cur [][]string
		for _, r := range name {
			if rs := refReadings(r); len(rs) > 0 {
				cur = append(cur, rs)
			} else if len(cur) > 0 {
				runs, cur = append(runs, cur), nil
			}
		}
		if len(cur) > 0 {
			runs = append(runs, cur)
		}
		for _, run := range runs {
			for j := range run {
				if refPinyin(w, run, j) {
					best = min(best, map[bool]int{true: 1, false: 2}[j == 0])
				}
			}
		}
	}
	return best
}

// refSearch is Search by brute force over every goods.
func refSearch(goods []pos.Product, q string) []int {
	words := strings.Fields(Fold(q))
	if len(words) == 0 {
		return nil
	}
	var ranks [3][]int
	for i, p := range goods {
		k := Fold(p.Name) + keySep + Fold(p.AltName) + keySep + Fold(p.SKU) + keySep + Fold(p.Mnemonic)
		ok := true
		for _, w := range words[1:] {
			if !strings.Contains(k, w) && refPinyinRank(p, w) == noMatch {
				ok = false
			}
		}
		if !ok {
			continue
		}
		first := words[0]
		r := noMatch
		switch {
		case !strings.Contains(k, first):
		case strings.HasPrefix(k, first) || strings.HasSuffix(k, keySep+first):
			r = 0
		case strings.Contains(k, " "+first) || strings.Contains(k, keySep+first):
			r = 1
		default:
			r = 2
		}
		if r > 1 {
			r = min(r, refPinyinRank(p, first))
		}
		if r < noMatch {
			ranks[r] = append(ranks[r], i)
		}
	}
	return slices.Concat(ranks[0], ranks[1], ranks[2])
}

// The index (sparse lists, bitmaps, cursors, the pinyin letter pairs and
// the remembered failures) answers exactly what a scan of every goods
// answers, for generated and random queries.
func TestSearchAgreesWithBruteForce(t *testing.T) {
	goods := goodsgen.Goods(3000)
	goods[7].Mnemonic = "KKKL"
	goods[8].Name = "重庆 noodle 行"
	ix := New(goods)
	qs := append(genQueries(goods, 300), genPinyinQueries(goods, 300)...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		b := make([]byte, 1+rng.IntN(5))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz  "[rng.IntN(28)]
		}
		qs = append(qs, string(b))
	}
	qs = append(qs, "kkkl", "zhongqing", "cqh", "kkkl noodle", "noodle xing", "hang")
	if testing.Short() {
		qs = qs[:200]
	}
	for _, q := range qs {
		got := ix.Search(q, len(goods)+1)
		want := refSearch(goods, q)
		if !slices.Equal(got, want) {
			t.Fatalf("Search(%q): %d results %v..., brute force %d %v...", q, len(got), got[:min(5, len(got))], len(want), want[:min(5, len(want))])
		}
	}
}
