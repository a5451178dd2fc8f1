package tui

import (
	"fmt"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/emvqr"
	"github.com/tillpos/till/tui/qrtext"
)

// BenchmarkPayScreenQR builds what the pay screen shows for a 5-line
// sale: the priced cart, the dynamic EMV payload, the QR code and its
// text fitted to 80x24. Each iteration has a new bill number, so the QR
// encoder's one-entry cache never helps.
func BenchmarkPayScreenQR(b *testing.B) {
	cart := pos.Cart{Discount: pos.Discount{Kind: pos.PercentDiscount, Percent: 500}}
	for i, price := range []pos.Money{200, 350, 6990, 1290, 850} {
		cart.Lines = append(cart.Lines, pos.Line{SKU: fmt.Sprint("SKU", i), Name: "Goods", Qty: int64(i + 1), UnitPrice: price, TaxRate: 1300})
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t, err := pos.Price(cart, true)
		if err != nil {
			b.Fatal(err)
		}
		payload, err := emvqr.BuildDynamic(payMerchant, emvqr.Sale{Amount: int64(t.Total), Exponent: 2,
			BillNumber: fmt.Sprintf("1M8KHZCP1GX3B237PAT%06d", i), TerminalLabel: "T1"})
		if err != nil {
			b.Fatal(err)
		}
		code, err := qrtext.Fit(payload, 80-payPanel-1, 24)
		if err != nil {
			b.Fatal(err)
		}
		if len(code.Lines) == 0 {
			b.Fatal("no code")
		}
	}
}
