package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
)

func todaysSales(t *testing.T, st *tilltest.Store) []pos.Sale {
	t.Helper()
	s, err := st.SalesBetween(testNow.Add(-24*time.Hour), testNow.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCashCheckout(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, water)
	scan(t, m, water)
	scan(t, m, tea_) // 2x2.00 + 3.50 = 7.50, +13% tax = 8.48 (7.50*0.13 = 0.975 -> 0.98)
	press(t, m, "f12")
	if !is[*checkoutScreen](m) {
		t.Fatal("f12 did not open checkout")
	}
	typ(t, m, "20")
	if !strings.Contains(viewText(m), "¥11.52") {
		t.Fatalf("change not shown as typed:\n%s", viewText(m))
	}
	press(t, m, "enter")
	r := cur[*receiptScreen](t, m)
	sales := todaysSales(t, st)
	if len(sales) != 1 {
		t.Fatalf("%d sales stored", len(sales))
	}
	s := sales[0]
	if s.Total != 848 || s.Receipt != 1 || s.Change != 1152 || len(s.Lines) != 2 {
		t.Fatalf("stored sale total %d receipt %d change %d lines %d", s.Total, s.Receipt, s.Change, len(s.Lines))
	}
	if !strings.Contains(r.text, "Receipt 000001") || !strings.Contains(viewText(m), "Receipt 000001") {
		t.Fatalf("receipt not shown:\n%s", viewText(m))
	}
	if m.c.unsent != 1 || !strings.Contains(viewText(m), "unsynced 1") {
		t.Fatalf("unsynced count %d", m.c.unsent)
	}
	if len(m.c.cart.Lines) != 0 {
		t.Fatal("cart not emptied after the sale")
	}
	// Save the receipt as text.
	press(t, m, "ctrl+s")
	path := filepath.Join(m.c.deps.ReceiptDir, "receipt-000001.txt")
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), "TOTAL") {
		t.Fatalf("saved receipt %s: %v", path, err)
	}
	// Exact money with an empty amount; stock went down.
	press(t, m, "enter")
	scan(t, m, cola)
	press(t, m, "f12", "f10") // exact money: its own key, never an empty enter
	if sales := todaysSales(t, st); len(sales) != 2 || sales[1].Change != 0 || sales[1].Receipt != 2 {
		t.Fatalf("exact-money sale: %+v", sales)
	}
	i, _ := m.c.ix.Code(water)
	if got := m.c.ix.Product(i).Stock; got != 198 {
		t.Fatalf("water stock on screen %d, want 198", got)
	}
}

func TestNotEnoughCash(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, rice)
	press(t, m, "f12")
	typ(t, m, "50")
	press(t, m, "enter")
	if !is[*checkoutScreen](m) || !m.c.msgErr || !strings.Contains(m.c.msg, "short") {
		t.Fatalf("underpaid: screen %T msg %q", m.screen, m.c.msg)
	}
	if len(todaysSales(t, st)) != 0 {
		t.Fatal("underpaid sale stored")
	}
	press(t, m, "esc")
	if !is[*sellScreen](m) || len(m.c.cart.Lines) != 1 {
		t.Fatal("esc from checkout lost the cart")
	}
}

func TestBarcodeIsNeverCash(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, water) // 2.26 due
	press(t, m, "f12")
	cases := []struct{ typed, why string }{
		{water, "barcode"},                // a known barcode
		{"4006381333948", "barcode"},      // unknown, but a valid EAN-13
		{"96385074", "barcode"},           // valid EAN-8
		{"50" + water, "barcode"},         // scanned after typing 50
		{"123456789", "more than 8"},      // nine whole digits
		{"500", "more than 100 times"},    // 221x the amount due
		{"1234567890123", "more than 8"},  // 13 digits, bad check digit
		{"12.345", "Type the cash given"}, // three decimals
	}
	for _, c := range cases {
		typ(t, m, c.typed)
		press(t, m, "enter")
		if !is[*checkoutScreen](m) || !m.c.msgErr || !strings.Contains(m.c.msg, c.why) {
			t.Errorf("cash %q: screen %T msg %q, want refusal mentioning %q", c.typed, m.screen, m.c.msg, c.why)
		}
		if in := input(t, m); in != "" {
			t.Errorf("cash %q: input %q not cleared for a retry", c.typed, in)
		}
	}
	if len(todaysSales(t, st)) != 0 {
		t.Fatal("a sale was stored")
	}
	typ(t, m, "100")
	press(t, m, "enter")
	if s := todaysSales(t, st); len(s) != 1 || s[0].Change != 10000-226 {
		t.Fatalf("100 for 2.26: %+v", s)
	}
}

func TestKeysWhileCommittingAreKept(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, water)
	press(t, m, "f12")
	// Enter starts the commit; do not run its command yet.
	_, commit := m.Update(keyOf("f10")) // exact money
	if !strings.Contains(viewText(m), "saving…") || commit == nil {
		t.Fatal("f10 did not start a commit")
	}
	// The next customer's goods are scanned while the store is busy.
	for _, r := range tea_ + "\r" + tea_ + "\r" {
		k := keyOf(string(r))
		if r == '\r' {
			k = keyOf("enter")
		}
		if _, cmd := m.Update(k); cmd != nil {
			t.Fatal("a key started work while busy")
		}
	}
	if len(m.queue) != 2*len(tea_)+2 {
		t.Fatalf("%d keys queued", len(m.queue))
	}
	run(t, m, commit)
	if s := todaysSales(t, st); len(s) != 1 || len(s[0].Lines) != 1 || s[0].Lines[0].SKU != "SKU1001" {
		t.Fatalf("stored %+v", s)
	}
	if !is[*sellScreen](m) || qtyOf(m, "SKU1002") != 2 || len(m.c.cart.Lines) != 1 {
		t.Fatalf("after the commit: screen %T cart %+v queue %d", m.screen, m.c.cart.Lines, len(m.queue))
	}
}

func TestQRNotConfigured(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, water)
	press(t, m, "f12", "f2")
	if !m.c.msgErr || !strings.Contains(m.c.msg, "QR payment is not set up") {
		t.Fatalf("msg %q", m.c.msg)
	}
}
