package bolt_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

func TestPutProducts(t *testing.T) {
	s := openNew(t)
	if empty, err := s.CatalogEmpty(); err != nil || !empty {
		t.Fatalf("new store: CatalogEmpty = %v, %v", empty, err)
	}
	res, err := s.PutProducts(catalog())
	if err != nil {
		t.Fatal(err)
	}
	if res != (bolt.ImportResult{Added: 4}) {
		t.Errorf("first import %+v, want 4 added", res)
	}
	if empty, _ := s.CatalogEmpty(); empty {
		t.Error("CatalogEmpty after an import")
	}

	// Re-import: changed price, one new product.
	ps := catalog()
	ps[0].Price = 380
	ps = append(ps, pos.Product{SKU: "BUN", Name: "菠萝包", Price: 600, TaxRate: 900, Barcodes: []string{"20000011"}})
	res, err = s.PutProducts(ps)
	if err != nil {
		t.Fatal(err)
	}
	if res != (bolt.ImportResult{Added: 1, Updated: 4}) {
		t.Errorf("re-import %+v, want 1 added 4 updated", res)
	}
	if p, _ := s.Lookup("6901234567892"); p.Price != 380 {
		t.Errorf("price after re-import %d, want 380", p.Price)
	}

	for code, sku := range map[string]string{
		"6901234567892":   "TEA",
		"RICE-5KG":        "RICE",
		"20000011":        "BUN",
		"APPLE":           "APPLE",
		" 6901234567892 ": "TEA", // as a scanner or a careless paste sends it
	} {
		p, err := s.Lookup(code)
		if err != nil || p.SKU != sku {
			t.Errorf("Lookup(%q) = %s, %v; want %s", code, p.SKU, err, sku)
		}
	}
	if p, _ := s.Product("BUN"); p.Name != "菠萝包" {
		t.Errorf("name %q did not survive", p.Name)
	}
	if _, err := s.Lookup("0000000000000"); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("unknown code: %v, want ErrNotFound", err)
	}

	all, err := s.Products()
	if err != nil {
		t.Fatal(err)
	}
	var skus []string
	for _, p := range all {
		skus = append(skus, p.SKU)
	}
	if want := []string{"APPLE", "BUN", "RICE", "STAMP", "TEA"}; !reflect.DeepEqual(skus, want) {
		t.Errorf("Products() = %v, want %v", skus, want)
	}

	if err := s.DeleteProduct("BUN"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lookup("20000011"); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("barcode of deleted goods: %v, want ErrNotFound", err)
	}
	if err := s.DeleteProduct("BUN"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	// The barcode is free for other goods now.
	if _, err := s.PutProducts([]pos.Product{{SKU: "BUN2", Name: "Bun", Price: 650, Barcodes: []string{"20000011"}}}); err != nil {
		t.Errorf("reusing a deleted product's barcode: %v", err)
	}
}

func TestPutProductsBarcodes(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	a := pos.Product{SKU: "A", Name: "A", Price: 100, Barcodes: []string{"CODE-1"}}
	b := pos.Product{SKU: "B", Name: "B", Price: 200, Barcodes: []string{"CODE-2"}}
	if _, err := s.PutProducts([]pos.Product{a, b}); err != nil {
		t.Fatal(err)
	}

	// Swapped within one import.
	a.Barcodes, b.Barcodes = []string{"CODE-2"}, []string{"CODE-1", "CODE-3"}
	if _, err := s.PutProducts([]pos.Product{a, b}); err != nil {
		t.Fatalf("swapping barcodes in one import: %v", err)
	}
	wantLookup(t, s, map[string]string{"CODE-1": "B", "CODE-2": "A", "CODE-3": "B"})

	// Moved: A lets go of CODE-2 and B takes it, B listed first.
	a.Barcodes, b.Barcodes = nil, []string{"CODE-1", "CODE-2", "CODE-3"}
	if _, err := s.PutProducts([]pos.Product{b, a}); err != nil {
		t.Fatalf("moving a barcode in one import: %v", err)
	}
	wantLookup(t, s, map[string]string{"CODE-1": "B", "CODE-2": "B", "CODE-3": "B"})
	if p, _ := s.Product("A"); len(p.Barcodes) != 0 {
		t.Errorf("A kept barcodes %v", p.Barcodes)
	}

	before := catalogState(t, s)
	for name, batch := range map[string][]pos.Product{
		// C is new and wants B's code while B is not in the import.
		"taken by goods not in the import": {
			{SKU: "C", Name: "C", Price: 1, Barcodes: []string{"CODE-9"}},
			{SKU: "D", Name: "D", Price: 1, Barcodes: []string{"CODE-3"}},
		},
		"taken by the tea": {
			{SKU: "A", Name: "A renamed", Price: 5, Barcodes: []string{"6901234567892"}},
		},
		"two new goods, one code": {
			{SKU: "E", Name: "E", Price: 1, Barcodes: []string{"CODE-7"}},
			{SKU: "F", Name: "F", Price: 1, Barcodes: []string{"CODE-7"}},
		},
		"bad check digit": {
			{SKU: "G", Name: "G", Price: 1},
			{SKU: "H", Name: "H", Price: 1, Barcodes: []string{"6901234567893"}},
		},
		"invalid product last": {
			{SKU: "A", Name: "A renamed", Price: 5},
			{SKU: "", Name: "no sku", Price: 1},
		},
	} {
		res, err := s.PutProducts(batch)
		if err == nil {
			t.Errorf("%s: import accepted (%+v)", name, res)
		}
		if after := catalogState(t, s); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: a refused import changed the catalog:\nbefore %v\nafter  %v", name, before, after)
		}
	}
}

func wantLookup(t *testing.T, s *bolt.Store, want map[string]string) {
	t.Helper()
	for code, sku := range want {
		if p, err := s.Lookup(code); err != nil || p.SKU != sku {
			t.Errorf("Lookup(%s) = %q, %v; want %s", code, p.SKU, err, sku)
		}
	}
}

// catalogState is every product and which SKU each barcode finds.
func catalogState(t *testing.T, s *bolt.Store) map[string]string {
	t.Helper()
	ps, err := s.Products()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, p := range ps {
		m["sku "+p.SKU] = p.Name
		for _, b := range p.Barcodes {
			found, err := s.Lookup(b)
			if err != nil {
				t.Fatal(err)
			}
			m["code "+b] = found.SKU
		}
	}
	for _, code := range []string{"CODE-7", "CODE-9"} {
		if p, err := s.Lookup(code); err == nil {
			m["code "+code] = p.SKU
		}
	}
	return m
}

// TestPutProductsSameSKUTwice: in one import listing goods twice, the last
// listing wins, and the barcode index does not keep the first one's.
func TestPutProductsSameSKUTwice(t *testing.T) {
	s := openNew(t)
	first := pos.Product{SKU: "X", Name: "Old label", Price: 100, Barcodes: []string{"CODE-OLD"}}
	second := pos.Product{SKU: "X", Name: "New label", Price: 120, Barcodes: []string{"CODE-NEW"}}
	res, err := s.PutProducts([]pos.Product{first, second})
	if err != nil {
		t.Fatalf("import listing X twice: %v", err)
	}
	if res != (bolt.ImportResult{Added: 1}) {
		t.Errorf("import listing X twice: %+v, want 1 added", res)
	}
	if p, err := s.Lookup("CODE-OLD"); err == nil {
		t.Errorf("CODE-OLD finds %s (barcodes %v), which no longer has it", p.SKU, p.Barcodes)
	}
	if p, err := s.Lookup("CODE-NEW"); err != nil || p.Name != "New label" {
		t.Errorf("CODE-NEW finds %+v, %v; want the last listing", p, err)
	}
	if _, err := s.PutProducts([]pos.Product{{SKU: "Y", Name: "Other", Price: 1, Barcodes: []string{"CODE-OLD"}}}); err != nil {
		t.Errorf("CODE-OLD cannot be given to other goods: %v", err)
	}
}
