package tui

import (
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/search"
)

// index is the in-memory catalog: exact codes for scanners and search as
// you type, by name, alt name, SKU, mnemonic (助记码) and pinyin (kl or
// kekou finds 可口可乐 without a Chinese input method), in pos/search. It
// is built once, off the UI goroutine, and then only read (stock updates
// replace single entries).
type index struct {
	goods []pos.Product // shared with sx, which updates them in place
	sx    *search.Index
}

func newIndex(goods []pos.Product) *index {
	return &index{goods: goods, sx: search.New(goods)}
}

// code finds goods by exact barcode, then exact SKU: map gets, no scan.
func (ix *index) code(s string) (int, bool) {
	if ix == nil {
		return 0, false
	}
	return ix.sx.Code(s)
}

// update replaces the stored copy of goods already in the index (after a
// sale changed their stock); it does not change their search key.
func (ix *index) update(p pos.Product) {
	if ix != nil {
		ix.sx.Update(p)
	}
}

// alt returns the second-language name of goods by SKU.
func (ix *index) alt(sku string) string {
	if ix == nil {
		return ""
	}
	return ix.sx.Alt(sku)
}

// search returns up to limit goods matching every word of q (see
// search.Index.Search for the ranking).
func (ix *index) search(q string, limit int) []int {
	if ix == nil {
		return nil
	}
	return ix.sx.Search(q, limit)
}

// product returns the goods of a SKU as the index holds them.
func (ix *index) product(sku string) (pos.Product, bool) {
	if ix == nil {
		return pos.Product{}, false
	}
	if i, ok := ix.sx.Code(sku); ok && ix.goods[i].SKU == sku {
		return ix.goods[i], true
	}
	for i := range ix.goods { // a SKU that is also another goods' barcode
		if ix.goods[i].SKU == sku {
			return ix.goods[i], true
		}
	}
	return pos.Product{}, false
}
