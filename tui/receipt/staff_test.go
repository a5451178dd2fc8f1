package receipt

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
)

// Issue 14 on paper: a section per cashier on a till with staff (none on
// a till without, whose one cashier is the whole report), and the
// journal entry under a sale's and a refund's ID.
func TestCashierSectionsAndJournal(t *testing.T) {
	shop := Shop{Name: "Corner Shop", Currency: pos.Currency{Code: "CNY", Exponent: 2}, Loc: time.UTC}
	counted := pos.Money(9000)
	r := pos.Report{Kind: pos.ZReport, Number: 1, Cashiers: []pos.CashierTotal{
		{Cashier: "Cat", CashierID: "C1", Sales: 2, SalesAmount: 12000, Refunds: 1, RefundAmount: 3000, Discounts: 1748,
			NoSales: 1, Approvals: 2, Float: 10000, CashIn: 12000, CashOut: 3000, Expected: 19000},
		{Cashier: "Mia", CashierID: "M1", Approved: 2},
		{Cashier: "Sam", CashierID: "S1", Sales: 1, SalesAmount: 226, Voids: 1, VoidAmount: 226, PaidOut: 500,
			Expected: -274, Counted: &counted, Difference: 9274},
	}}
	text := Report(r, shop)
	for _, want := range []string{
		"Cashier Cat (C1)", "  Sales (2)                       120.00", "  Refunds (1)                     -30.00",
		"  Discounts given                 -17.48", "  Drawer opened, no sale               1", "  Approvals needed / given         2 / 0",
		"  Float                           100.00", "  Expected cash                  ¥190.00",
		"Cashier Mia (M1)", "  Approvals needed / given         0 / 2",
		"Cashier Sam (S1)", "  Voids (1)                        -2.26", "  Paid out                         -5.00",
		"  Counted                         ¥90.00", "  Difference                      ¥92.74",
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	for _, l := range strings.Split(text, "\n") {
		if ansi.StringWidth(l) > Width {
			t.Errorf("too wide: %q", l)
		}
	}
	r.Cashiers = []pos.CashierTotal{{Cashier: "cashier", Sales: 1}}
	if text := Report(r, shop); strings.Contains(text, "Cashier cashier") {
		t.Errorf("a till without staff has a cashier section:\n%s", text)
	}

	s := pos.Sale{ID: "S-T1", Receipt: 7, Cashier: "Cat", Journal: pos.JournalMark{Seq: 123, Excerpt: "a3f9"}}
	if text := Sale(s, shop); !strings.Contains(text, "Sale S-T1\nJournal 000123 · a3f9\nCashier Cat\n") {
		t.Errorf("sale receipt:\n%s", text)
	}
	f := pos.Refund{ID: "R-T1", SaleID: "S-T1", Kind: pos.KindRefund, Journal: pos.JournalMark{Seq: 124, Excerpt: "0b3e"}}
	if text := Refund(f, shop); !strings.Contains(text, "Refund R-T1\nJournal 000124 · 0b3e\nOf sale S-T1\n") {
		t.Errorf("refund slip:\n%s", text)
	}
	if text := Sale(pos.Sale{ID: "S-T1"}, shop); strings.Contains(text, "Journal") {
		t.Errorf("a sale not journalled prints a journal line:\n%s", text)
	}
}
