package search

import (
	"testing"

	"github.com/tillpos/till/pos"
)

// Goods in SKU order (as the store reads them) are found by binary
// search, others through a map: both find every SKU, and only a SKU.
func TestSKULookupSortedOrNot(t *testing.T) {
	sorted := []pos.Product{
		{SKU: "A1", Name: "Apple", Barcodes: []string{"B2"}},
		{SKU: "B2", Name: "Banana"},
		{SKU: "C3", Name: "可口可乐"},
	}
	unsorted := []pos.Product{sorted[2], sorted[0], sorted[1]}
	for name, goods := range map[string][]pos.Product{"sorted": sorted, "unsorted": unsorted} {
		ix := New(append([]pos.Product(nil), goods...))
		if ix.sorted != (name == "sorted") {
			t.Errorf("%s: sorted = %v", name, ix.sorted)
		}
		for _, p := range goods {
			if q, ok := ix.BySKU(p.SKU); !ok || q.Name != p.Name {
				t.Errorf("%s: BySKU(%s) = %+v %v", name, p.SKU, q, ok)
			}
		}
		if _, ok := ix.BySKU("Z9"); ok {
			t.Errorf("%s: Z9 found", name)
		}
		// A barcode wins over a SKU in Lookup, never in BySKU.
		if p, _ := ix.Lookup("B2"); p.SKU != "A1" {
			t.Errorf("%s: Lookup(B2) = %s", name, p.SKU)
		}
		if p, _ := ix.BySKU("B2"); p.SKU != "B2" {
			t.Errorf("%s: BySKU(B2) = %s", name, p.SKU)
		}
		ix.Update(pos.Product{SKU: "C3", Name: "可口可乐", Stock: 7})
		if p, _ := ix.BySKU("C3"); p.Stock != 7 {
			t.Errorf("%s: update lost", name)
		}
		if hits := ix.Search("kkkl", 5); len(hits) != 1 || ix.Product(hits[0]).SKU != "C3" {
			t.Errorf("%s: kkkl = %v", name, hits)
		}
	}
}
