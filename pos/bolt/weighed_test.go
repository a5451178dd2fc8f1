package bolt_test

import (
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

// Weighed goods keep their stock in grams (thousandths of a kg): a sale
// by weight takes the grams off, a partial refund by weight puts exactly
// those grams back, and goods re-described in 斤 since the sale get the
// weight converted, never a count of pieces mixed with grams.
func TestStockOfWeighedGoodsMovesInGrams(t *testing.T) {
	s := openNew(t)
	pork := pos.Product{SKU: "PORK", Name: "Pork belly", Price: 3600, TaxRate: 900, Unit: pos.Kilogram, TrackStock: true, Stock: 20_000}
	if _, err := s.PutProducts([]pos.Product{pork}); err != nil {
		t.Fatal(err)
	}
	r, clk := newRegister(t, s)
	var c pos.Cart
	if _, err := c.Add(pork, 1255); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddLabel(pork, 800, 2890, "2600001028900800X"); err != nil {
		t.Fatal(err)
	}
	sale := sell(t, r, c)
	// 1.255 kg x 36.00 = 45.18; the label says 28.90 for 0.800 kg.
	if sale.Lines[0].Gross != 4518 || sale.Lines[1].Gross != 2890 || sale.Total != 4518+2890 {
		t.Fatalf("lines %+v total %d", sale.Lines, sale.Total)
	}
	if got := stock(t, s, "PORK"); got != 20_000-1255-800 {
		t.Fatalf("stock %d g, want %d", got, 20_000-1255-800)
	}
	stored, err := s.Sale(sale.ID)
	if err != nil || stored.Lines[1].Label != "2600001028900800X" || stored.Lines[1].LabelAmount != 2890 || stored.Lines[0].Unit != pos.Kilogram {
		t.Fatalf("stored %+v %v", stored.Lines, err)
	}

	clk.Add(time.Minute)
	r1, err := r.Refund(sale.ID, map[int]int64{0: 255}, pos.KindRefund, "too much")
	if err != nil {
		t.Fatal(err)
	}
	if got := stock(t, s, "PORK"); got != 20_000-1000-800 {
		t.Errorf("stock after refunding 0.255 kg: %d", got)
	}
	if r1.Lines[0].Unit != pos.Kilogram || r1.Lines[0].Amount != 918 { // 45.18 x 255/1255 = 9.18
		t.Errorf("refund line %+v", r1.Lines[0])
	}

	// Re-described in 斤 (stock now in half grams): refunding 0.400 kg of
	// the label puts back 0.800 斤.
	pork.Unit, pork.Price, pork.Stock = pos.Jin, 1800, 35_900
	if _, err := s.PutProducts([]pos.Product{pork}); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	if _, err := r.Refund(sale.ID, map[int]int64{1: 400}, pos.KindRefund, ""); err != nil {
		t.Fatal(err)
	}
	if got := stock(t, s, "PORK"); got != 35_900+800 {
		t.Errorf("stock in 斤 after refunding 0.400 kg: %d, want %d", got, 35_900+800)
	}
	clk.Add(time.Minute)
	if _, err := r.Refund(sale.ID, map[int]int64{0: 1001}, pos.KindRefund, ""); err == nil {
		t.Error("refunded more grams than were sold")
	}
}
