package receipt

import (
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

// Goods sold by weight print their weight and price per unit; a refund and
// the report's top goods name the weight too (issue 13).
func TestWeighedGoodsOnReceipts(t *testing.T) {
	cur := pos.Currency{Code: "CNY", Exponent: 2}
	cart := pos.Cart{Lines: []pos.Line{
		{SKU: "A", Name: "Apple per kg", Qty: 1250, UnitPrice: 1280, TaxRate: 900, Unit: pos.Kilogram},
		{SKU: "B", Name: "Cola", Qty: 3, UnitPrice: 300, TaxRate: 1300},
		{SKU: "C", Name: "Banana per kg", Qty: 875, UnitPrice: 698, TaxRate: 900, Unit: pos.Kilogram, Label: "2601028006110087", LabelAmount: 611},
	}}
	at := time.Date(2026, 11, 29, 14, 3, 0, 0, time.UTC)
	s, err := pos.NewSale("01M8KGC6P28CDNK8957KW2V5CM-T1", "T1", "ann", cur, at, at, cart, true,
		[]pos.Tender{{Kind: pos.Cash, Given: 5000}})
	if err != nil {
		t.Fatal(err)
	}
	shop := Shop{Name: "Corner Shop", Currency: cur, Loc: time.UTC}
	text := Sale(s, shop)
	for _, want := range []string{
		"  1.250 kg x 12.80/kg              16.00\n",
		"  3 x 3.00                          9.00\n",
		"  0.875 kg x 6.98/kg                6.11\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	r := pos.Refund{ID: "R1", SaleID: s.ID, Receipt: 8, At: at, Total: 640, Lines: []pos.RefundLine{
		{Line: 0, SKU: "A", Name: "Apple per kg", Qty: 500, Unit: pos.Kilogram, Amount: 640},
		{Line: 1, SKU: "B", Name: "Cola", Qty: 2, Amount: 600},
	}}
	text = Refund(r, shop)
	for _, want := range []string{"Apple per kg 0.500 kg", "Cola x2"} {
		if !strings.Contains(text, want) {
			t.Errorf("refund lacks %q:\n%s", want, text)
		}
	}
	rep := pos.Report{TopGoods: []pos.GoodsTotal{{SKU: "A", Name: "Apple per kg", Qty: 1250, Unit: pos.Kilogram, Amount: 1600}, {SKU: "B", Name: "Cola", Qty: 3, Amount: 900}}}
	text = Report(rep, shop)
	for _, want := range []string{"  Apple per kg 1.250 kg", "  Cola x3"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}
