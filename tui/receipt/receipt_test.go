package receipt

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
)

func TestMoney(t *testing.T) {
	cny := pos.Currency{Code: "CNY", Exponent: 2}
	cases := []struct {
		m    pos.Money
		cur  pos.Currency
		want string
	}{
		{1250, cny, "¥12.50"},
		{-40, cny, "-¥0.40"},
		{0, cny, "¥0.00"},
		{1500, pos.Currency{Code: "JPY", Exponent: 0}, "¥1500"},
		{1234, pos.Currency{Code: "KWD", Exponent: 3}, "KWD 1.234"},
	}
	for _, c := range cases {
		if got := Money(c.m, c.cur); got != c.want {
			t.Errorf("Money(%d, %s) = %q, want %q", c.m, c.cur.Code, got, c.want)
		}
	}
}

func TestPadMeasuresDisplayWidth(t *testing.T) {
	for _, left := range []string{"Mineral water", "农夫山泉 550ml", "Café crème"} {
		got := Pad(left, "12.50", Width)
		if w := ansi.StringWidth(got); w != Width {
			t.Errorf("%q padded to %d columns, want %d", left, w, Width)
		}
	}
	long := Pad(strings.Repeat("长", 30), "9.99", Width)
	if ansi.StringWidth(long) > Width || !strings.HasSuffix(long, "9.99") {
		t.Errorf("long name: %q", long)
	}
}

func TestSaleReceiptAddsUp(t *testing.T) {
	cur := pos.Currency{Code: "CNY", Exponent: 2}
	cart := pos.Cart{Lines: []pos.Line{
		{SKU: "A", Name: "农夫山泉 550ml", Qty: 3, UnitPrice: 200, TaxRate: 1300},
		{SKU: "B", Name: "Eggs 10 pack", Qty: 1, UnitPrice: 1290, TaxRate: 900},
	}, Discount: pos.Discount{Kind: pos.AmountDiscount, Amount: 100}}
	at := time.Date(2026, 11, 29, 14, 3, 0, 0, time.UTC)
	s, err := pos.NewSale("01M8KGC6P28CDNK8957KW2V5CM-T1", "T1", "ann", cur, at, at, cart, true,
		[]pos.Tender{{Kind: pos.Cash, Given: 2000}})
	if err != nil {
		t.Fatal(err)
	}
	s.Receipt = 7
	text := Sale(s, Shop{Name: "Corner Shop", Currency: cur, Loc: time.UTC})
	for _, want := range []string{
		"Receipt 000007          2026-11-29 14:03",
		"Sale 01M8KGC6P28CDNK8957KW2V5CM-T1",
		"  3 x 2.00                          6.00",
		"Cart discount                      -1.00",
		"TOTAL                             ¥17.90",
		"Change                              2.10",
		"Tax 9% incl. on",
		"Tax 13% incl. on",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if w := ansi.StringWidth(l); w > Width {
			t.Errorf("line %q is %d columns wide", l, w)
		}
	}
}
