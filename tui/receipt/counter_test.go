package receipt

import (
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

var (
	cny  = pos.Currency{Code: "CNY", Exponent: 2}
	at   = time.Date(2026, 11, 29, 14, 3, 0, 0, time.UTC)
	shop = Shop{Name: "Corner Shop", Currency: cny, Loc: time.UTC}
)

// amountOf reads the amount at the end of the receipt line starting with
// label, failing the test if there is not exactly one.
func amountOf(t *testing.T, text, label string) pos.Money {
	t.Helper()
	var found []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, label) {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one line %q, found %q in:\n%s", label, found, text)
	}
	return lineAmount(t, found[0])
}

func lineAmount(t *testing.T, l string) pos.Money {
	t.Helper()
	f := strings.Fields(l)
	s := strings.TrimPrefix(f[len(f)-1], "¥")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "¥")
	m, err := pos.ParseMoney(s, 2)
	if err != nil {
		t.Fatalf("line %q: %v", l, err)
	}
	if neg {
		m = -m
	}
	return m
}

func discountedSale(t *testing.T, taxIncluded bool) pos.Sale {
	t.Helper()
	cart := pos.Cart{Lines: []pos.Line{
		{SKU: "A", Name: "Jasmine tea 茉莉花茶", Qty: 2, UnitPrice: 900, TaxRate: 1300, Discount: pos.Discount{Kind: pos.PercentDiscount, Percent: 1000}},
		{SKU: "B", Name: "Eggs 10 pack", Qty: 1, UnitPrice: 1290, TaxRate: 900, Discount: pos.Discount{Kind: pos.AmountDiscount, Amount: 100}},
		{SKU: "C", Name: "Rice 5kg", Qty: 1, UnitPrice: 1500, TaxRate: 900},
	}, Discount: pos.Discount{Kind: pos.PercentDiscount, Percent: 500}}
	s, err := pos.NewSale("01M8KGC6P28CDNK8957KW2V5CM-T1", "T1", "ann", cny, at, at, cart, taxIncluded,
		[]pos.Tender{{Kind: pos.Cash, Given: 10000}})
	if err != nil {
		t.Fatal(err)
	}
	s.Receipt = 7
	return s
}

// TestCartDiscountItemised is issue 10 item 12: the cart discount has its
// own line, and the receipt's lines add up to its total in plain sight.
func TestCartDiscountItemised(t *testing.T) {
	for _, included := range []bool{true, false} {
		s := discountedSale(t, included)
		text := Sale(s, shop)
		// Everything between the first two rules is the goods: their
		// amounts add up to the subtotal.
		parts := strings.Split(text, rule()+"\n")
		var goods pos.Money
		for _, l := range strings.Split(strings.TrimSpace(parts[1]), "\n") {
			if strings.HasPrefix(l, "  ") {
				goods += lineAmount(t, l)
			}
		}
		sub := amountOf(t, text, "Subtotal")
		if goods != sub {
			t.Errorf("tax included %v: goods lines add up to %d, subtotal says %d:\n%s", included, goods, sub, text)
		}
		off := amountOf(t, text, "Cart discount 5%")
		var cartOff pos.Money
		for _, l := range s.Lines {
			cartOff += l.CartDiscount
		}
		if off != -cartOff || off == 0 {
			t.Errorf("cart discount line %d, want %d", off, -cartOff)
		}
		total := sub + off
		if !included {
			total += amountOf(t, text, "Tax   ")
		}
		if got := amountOf(t, text, "TOTAL"); got != total || got != s.Total {
			t.Errorf("tax included %v: subtotal %d + cart discount %d (+ tax) = %d, but TOTAL %d (sale %d):\n%s", included, sub, off, total, got, s.Total, text)
		}
		if strings.Contains(text, "Discounts") {
			t.Errorf("an unexplained Discounts total is back:\n%s", text)
		}
	}
}

// TestRefundHasTaxLines is issue 10 item 12: a refund slip says the tax
// given back per rate, and the bands add up to the refund.
func TestRefundHasTaxLines(t *testing.T) {
	for _, included := range []bool{true, false} {
		s := discountedSale(t, included)
		r, err := pos.NewRefund("01M8KGD000000000000000000R-T1", "bob", pos.KindRefund, at.Add(time.Hour), s, nil,
			map[int]int64{0: 1, 1: 1, 2: 1}, 0, "wrong goods")
		if err != nil {
			t.Fatal(err)
		}
		r.Receipt = 8
		text := Refund(r, shop)
		var base, tax pos.Money
		for _, b := range RefundBands(r) {
			base += b.Base
			tax += b.Tax
		}
		if base+tax != r.Total || tax != r.Tax || tax == 0 {
			t.Errorf("bands base %d + tax %d, refund total %d tax %d", base, tax, r.Total, r.Tax)
		}
		for _, want := range []string{"Tax 9% incl. on", "Tax 13% incl. on", "Reason: wrong goods", "Paid back in cash"} {
			if !strings.Contains(text, want) {
				t.Errorf("tax included %v: refund slip lacks %q:\n%s", included, want, text)
			}
		}
		if strings.Contains(text, "Paid back: ") {
			t.Errorf("the old wording is back:\n%s", text)
		}
		var sum pos.Money
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "Tax ") {
				sum += lineAmount(t, l)
			}
		}
		if sum != r.Tax {
			t.Errorf("tax lines add up to %d, refund tax %d", sum, r.Tax)
		}
	}
}

// TestNoDoubleRules is issue 10 item 11: an X report with no tax line and
// no tenders (nothing sold yet) does not print two rules in a row; nor
// does any other receipt.
func TestNoDoubleRules(t *testing.T) {
	texts := map[string]string{
		"empty X":       Report(pos.Report{Kind: pos.XReport, Terminal: "T1", TakenAt: at}, shop),
		"X no tax":      Report(pos.Report{Kind: pos.XReport, Terminal: "T1", TakenAt: at, Sales: 1, Tenders: []pos.TenderTotal{{Kind: pos.Cash, Amount: 500}}}, shop),
		"sale":          Sale(discountedSale(t, true), shop),
		"refund no tax": Refund(pos.Refund{Kind: pos.KindRefund, At: at, Lines: []pos.RefundLine{{Name: "Stamp", Qty: 1, Amount: 120}}, Total: 120}, shop),
	}
	double := rule() + "\n" + rule() + "\n"
	for name, text := range texts {
		if strings.Contains(text, double) {
			t.Errorf("%s prints two rules in a row:\n%s", name, text)
		}
	}
}

// TestQRTenderInWords is issue 10 item 11: the receipt names who took
// the QR payment in words, never "QR emvqr (cashier confirmed)".
func TestQRTenderInWords(t *testing.T) {
	cart := pos.Cart{Lines: []pos.Line{{SKU: "A", Name: "Beer", Qty: 1, UnitPrice: 650, TaxRate: 1300}}}
	for _, tc := range []struct {
		provider, by, scheme, want string
	}{
		{"emvqr", pos.ByCashier, "", "QR code"},
		{"emvqr", pos.ByCashier, "UnionPay QR", "UnionPay QR"},
		{"alipay", pos.ByProvider, "", "Alipay"},
		{"wechat", pos.ByProvider, "", "WeChat Pay"},
	} {
		s, err := pos.NewSale("01M8KGC6P28CDNK8957KW2V5CM-T1", "T1", "ann", cny, at, at, cart, true,
			[]pos.Tender{{Kind: pos.QR, Amount: 250, Provider: tc.provider, ConfirmedBy: tc.by, Reference: "4200001234"}, {Kind: pos.Cash, Given: 400}})
		if err != nil {
			t.Fatal(err)
		}
		sh := shop
		sh.QRScheme = tc.scheme
		text := Sale(s, sh)
		if strings.Contains(text, tc.provider) || strings.Contains(text, "(cashier confirmed)") {
			t.Errorf("%s: receipt shows the internal name:\n%s", tc.provider, text)
		}
		if got := amountOf(t, text, tc.want+" "); got != 250 {
			t.Errorf("%s: %q line says %d", tc.provider, tc.want, got)
		}
		if confirmed := strings.Contains(text, "confirmed by the cashier"); confirmed != (tc.by == pos.ByCashier) {
			t.Errorf("%s: cashier confirmation shown %v:\n%s", tc.provider, confirmed, text)
		}
		if !strings.Contains(text, "ref 4200001234") {
			t.Errorf("%s: no provider reference:\n%s", tc.provider, text)
		}
	}
}

// TestCopy is issue 10 item 8: a reprint says COPY and when it was made,
// at both ends, and keeps the whole original.
func TestCopy(t *testing.T) {
	orig := Sale(discountedSale(t, true), shop)
	made := time.Date(2026, 11, 30, 9, 15, 42, 0, time.UTC)
	cp := Copy(orig, made, shop)
	if !strings.Contains(cp, strings.TrimRight(orig, "\n")) {
		t.Fatalf("the copy lost part of the receipt:\n%s", cp)
	}
	lines := strings.Split(strings.TrimRight(cp, "\n"), "\n")
	for _, l := range []string{lines[0], lines[len(lines)-2]} {
		if strings.TrimSpace(l) != "*** COPY ***" {
			t.Errorf("copy mark missing at an end: %q", l)
		}
	}
	if strings.Count(cp, "copy made 2026-11-30 09:15:42") != 2 {
		t.Errorf("copy time not at both ends:\n%s", cp)
	}
	if got := FileName(7, made, time.UTC); got != "receipt-000007-copy-20261130-091542.txt" {
		t.Errorf("copy file name %q", got)
	}
	if got := FileName(7, time.Time{}, time.UTC); got != "receipt-000007.txt" {
		t.Errorf("original file name %q", got)
	}
	for _, l := range lines {
		if len([]rune(l)) > Width+10 {
			t.Errorf("line too wide: %q", l)
		}
	}
}

func TestRecord(t *testing.T) {
	s := discountedSale(t, true)
	if Record(pos.Receipted{Receipt: 7, Sale: &s}, shop) != Sale(s, shop) {
		t.Fatal("a sale's record is not its receipt")
	}
	r := pos.Refund{Kind: pos.KindVoid, Receipt: 8, At: at, Lines: []pos.RefundLine{{Name: "Stamp", Qty: 1, Amount: 120}}, Total: 120}
	if got := Record(pos.Receipted{Receipt: 8, Refund: &r}, shop); got != Refund(r, shop) || !strings.Contains(got, "VOID") {
		t.Fatalf("a refund's record:\n%s", got)
	}
}

// A refund paid back to a wallet says so with pos.Tender.RefundedTo:
// which wallet, and the refund's request number under it.
func TestRefundPaidBackToTheWallet(t *testing.T) {
	r := pos.Refund{ID: "R1", Kind: pos.KindRefund, SaleID: "S1", Receipt: 9, At: at, Total: 452, TaxIncluded: true,
		Lines:   []pos.RefundLine{{Name: "Beer", Qty: 1, Amount: 452}},
		Tenders: []pos.Tender{{Kind: pos.QR, Provider: "alipay", Amount: 252, Reference: "REQ123R01"}, {Kind: pos.Cash, Amount: 200}}}
	text := Refund(r, shop)
	for _, want := range []string{"Paid back in Alipay wallet", "  refund REQ123R01", "Paid back in cash"} {
		if !strings.Contains(text, want) {
			t.Errorf("refund slip lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Paid back: QR") || strings.Contains(text, "Paid back: Alipay") {
		t.Errorf("old wording:\n%s", text)
	}
}
