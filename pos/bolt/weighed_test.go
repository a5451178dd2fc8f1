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

// Head office's catalog carries unit, mnemonic and reorder level; the
// terminal keeps its own stock count, converted when the goods change
// from kg to 斤, and takes head office's figure when they change from
// pieces to kg.
func TestApplyCatalogUnitsMnemonicReorder(t *testing.T) {
	s := openNew(t)
	pork := pos.Product{SKU: "PORK", Name: "Pork", Price: 3600, Unit: pos.Kilogram, TrackStock: true, Stock: 12_500}
	eggs := pos.Product{SKU: "EGGS", Name: "Eggs", Price: 120, TrackStock: true, Stock: 40}
	if _, err := s.PutProducts([]pos.Product{pork, eggs}); err != nil {
		t.Fatal(err)
	}
	lvl := int64(4000)
	pork2 := pork
	pork2.Unit, pork2.Price, pork2.Stock, pork2.Mnemonic, pork2.ReorderLevel = pos.Jin, 1800, 999, "ZR", &lvl
	eggs2 := eggs
	eggs2.Unit, eggs2.Stock = pos.Kilogram, 6_000
	if _, err := s.ApplyCatalog([]pos.CatalogChange{{Seq: 1, SKU: "PORK", Product: &pork2}, {Seq: 2, SKU: "EGGS", Product: &eggs2}}, 2); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Product("PORK")
	if got.Unit != pos.Jin || got.Stock != 25_000 || got.Mnemonic != "ZR" || got.ReorderLevel == nil || *got.ReorderLevel != 4000 {
		t.Errorf("pork %+v", got)
	}
	if got, _ := s.Product("EGGS"); got.Unit != pos.Kilogram || got.Stock != 6_000 {
		t.Errorf("eggs %+v", got)
	}
}

func TestBarcodeOwner(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	if sku, name, ok := s.BarcodeOwner("6901234567892"); !ok || sku != "TEA" || name != "Green tea" {
		t.Errorf("owner %q %q %v", sku, name, ok)
	}
	// A SKU is not a barcode: Lookup finds goods by either, the owner
	// check only by barcode.
	if _, _, ok := s.BarcodeOwner("TEA"); ok {
		t.Error("a SKU reported as a barcode")
	}
}
