package bolt_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// BenchmarkProducts100k reads a catalog of 100,000 goods the way the
// counter does at start-up (Store.Products), with allocations: the
// store's share of "catalog loaded and searchable".
func BenchmarkProducts100k(b *testing.B) {
	s, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), bolt.Options{Identity: testID, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	goods := make([]pos.Product, 100_000)
	for i := range goods {
		body := fmt.Sprintf("69%010d", i)
		goods[i] = pos.Product{SKU: fmt.Sprintf("G%06d", i), Barcodes: []string{body + string(pos.GTINCheckDigit(body))},
			Name: fmt.Sprintf("Goods number %d, %dg pack", i, 50*(1+i%20)), AltName: "商品名称",
			Category: []string{"Drinks", "Snacks", "Dairy", "Household"}[i%4],
			Price:    pos.Money(100 + i%10000), TaxRate: 1300, TrackStock: i%10 != 0, Stock: int64(i % 100)}
	}
	for i := 0; i < len(goods); i += 10_000 {
		if _, err := s.PutProducts(goods[i : i+10_000]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		ps, err := s.Products()
		if err != nil || len(ps) != len(goods) || ps[12345].Name != goods[12345].Name {
			b.Fatalf("%d goods, %v", len(ps), err)
		}
	}
}
