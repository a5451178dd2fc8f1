package tui

import (
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
)

func TestScanAddsAndSecondScanAddsQuantity(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, water)
	if len(m.c.cart.Lines) != 1 || m.c.cart.Lines[0].SKU != "SKU1001" || m.c.cart.Lines[0].Qty != 1 {
		t.Fatalf("after one scan cart = %+v", m.c.cart.Lines)
	}
	scan(t, m, water)
	if len(m.c.cart.Lines) != 1 || m.c.cart.Lines[0].Qty != 2 {
		t.Fatalf("after second scan cart = %+v, want one line of 2", m.c.cart.Lines)
	}
	// A SKU typed by hand works like a barcode.
	scan(t, m, "SKU1003")
	if qtyOf(m, "SKU1003") != 1 {
		t.Fatalf("SKU entry: cart = %+v", m.c.cart.Lines)
	}
	if in := input(t, m); in != "" {
		t.Fatalf("input not cleared: %q", in)
	}
}

func TestSecondScanDigitsNeverBecomeQuantity(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, water)
	scan(t, m, water)
	scan(t, m, tea_)
	if got := qtyOf(m, "SKU1001"); got != 2 {
		t.Fatalf("water qty = %d, want 2", got)
	}
	if got := qtyOf(m, "SKU1002"); got != 1 {
		t.Fatalf("tea qty = %d, want 1", got)
	}
	// A scan into the quantity box adds the goods; the quantity stays.
	press(t, m, "f2")
	if prompting(m) == nil {
		t.Fatal("f2 opened no quantity prompt")
	}
	scan(t, m, cola)
	if prompting(m) != nil {
		t.Fatal("prompt still open")
	}
	if got := qtyOf(m, "SKU1002"); got != 1 {
		t.Fatalf("tea qty = %d after a scan into its quantity box, want 1", got)
	}
	if got := qtyOf(m, "SKU1003"); got != 1 {
		t.Fatalf("scanned cola qty = %d, want 1", got)
	}
	// An unknown barcode into the quantity box is refused, not a quantity.
	m.c.line = 0
	press(t, m, "f2")
	scan(t, m, "4006381333948")
	if prompting(m) == nil || !m.c.msgErr || !strings.Contains(m.c.msg, "barcode") {
		t.Fatalf("unknown barcode as quantity: prompt %v, msg %q", prompting(m), m.c.msg)
	}
	for _, l := range m.c.cart.Lines {
		if l.Qty > pos.MaxQty {
			t.Fatalf("line %s has qty %d", l.SKU, l.Qty)
		}
	}
}

func TestSearchAndPick(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	typ(t, m, "MILK")
	names := func() []string {
		var out []string
		for _, i := range cur[*sellScreen](t, m).sugg {
			out = append(out, m.c.ix.Product(i).Name)
		}
		return out
	}
	got := names()
	if len(got) != 2 || got[0] != "Milk 1L" || got[1] != "Soy milk 250ml" {
		t.Fatalf("MILK matches %q; want Milk 1L first, then Soy milk", got)
	}
	press(t, m, "down", "enter")
	if len(m.c.cart.Lines) != 1 || m.c.cart.Lines[0].SKU != "SKU1004" {
		t.Fatalf("picked %+v, want Soy milk", m.c.cart.Lines)
	}
	// Chinese names (the alt name) and accents fold.
	for q, want := range map[string]string{"绿茶": "SKU1002", "cafe creme": "SKU2001", "CAFÉ": "SKU2001", "豆腐": "SKU2002"} {
		press(t, m, "esc")
		typ(t, m, q)
		if s := cur[*sellScreen](t, m); len(s.sugg) == 0 || m.c.ix.Product(s.sugg[0]).SKU != want {
			t.Errorf("search %q: got %q, want %s first", q, names(), want)
		}
	}
	press(t, m, "esc")
	if s := cur[*sellScreen](t, m); s.in.value != "" || len(s.sugg) != 0 {
		t.Fatal("esc did not clear the search")
	}
}

func TestScanWinsOverHighlightedSuggestion(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	typ(t, m, "tea")
	if s := cur[*sellScreen](t, m); len(s.sugg) == 0 || m.c.ix.Product(s.sugg[s.sel]).SKU != "SKU1002" {
		t.Fatal("typing tea does not highlight Green tea")
	}
	// The scanner types onto the half-typed name and presses Enter.
	scan(t, m, cola)
	if qtyOf(m, "SKU1002") != 0 || qtyOf(m, "SKU1003") != 1 {
		t.Fatalf("cart %+v: want the scanned cola, not the highlighted tea", m.c.cart.Lines)
	}
	// An exact SKU typed while matches are listed is taken as the code.
	typ(t, m, "SKU100")
	if n := len(cur[*sellScreen](t, m).sugg); n < 2 {
		t.Fatalf("SKU100 lists %d matches", n)
	}
	press(t, m, "down", "down")
	typ(t, m, "4")
	press(t, m, "enter")
	if qtyOf(m, "SKU1004") != 1 {
		t.Fatalf("cart %+v: want SKU1004", m.c.cart.Lines)
	}
	// A scan of unknown goods never adds a suggestion instead.
	typ(t, m, "tea")
	scan(t, m, "4006381333948")
	if qtyOf(m, "SKU1002") != 0 {
		t.Fatalf("unknown scan added the highlighted tea: %+v", m.c.cart.Lines)
	}
	if !m.c.msgErr || !strings.Contains(m.c.msg, "4006381333948") {
		t.Fatalf("msg %q: want it to name the unknown code", m.c.msg)
	}
}

func TestQuantityChange(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, water)
	press(t, m, "+", "+")
	if qtyOf(m, "SKU1001") != 3 {
		t.Fatalf("after ++ qty = %d", qtyOf(m, "SKU1001"))
	}
	press(t, m, "-")
	if qtyOf(m, "SKU1001") != 2 {
		t.Fatalf("after - qty = %d", qtyOf(m, "SKU1001"))
	}
	press(t, m, "f2")
	typ(t, m, "12")
	press(t, m, "enter")
	if qtyOf(m, "SKU1001") != 12 {
		t.Fatalf("typed qty 12, got %d", qtyOf(m, "SKU1001"))
	}
	press(t, m, "f2")
	typ(t, m, "10000")
	press(t, m, "enter")
	if qtyOf(m, "SKU1001") != 12 || prompting(m) == nil || !m.c.msgErr {
		t.Fatalf("qty 10000 accepted or prompt closed: qty %d, msg %q", qtyOf(m, "SKU1001"), m.c.msg)
	}
	press(t, m, "esc")
	// '+' typed while a name is being typed is text, not a quantity.
	typ(t, m, "a+")
	if in := input(t, m); in != "a+" || qtyOf(m, "SKU1001") != 12 {
		t.Fatalf("input %q qty %d", in, qtyOf(m, "SKU1001"))
	}
	press(t, m, "esc")
	// Minus to zero and delete both ask first.
	press(t, m, "delete")
	if asking(m) == nil {
		t.Fatal("delete did not ask")
	}
	press(t, m, "n")
	if len(m.c.cart.Lines) != 1 {
		t.Fatal("line removed after saying no")
	}
	press(t, m, "delete", "y")
	if len(m.c.cart.Lines) != 0 {
		t.Fatal("line not removed after yes")
	}
}

func TestDiscounts(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, rice)  // 69.90
	scan(t, m, water) // 2.00
	m.c.line = 0
	press(t, m, "f4")
	typ(t, m, "10%")
	press(t, m, "enter")
	if d := m.c.cart.Lines[0].Discount; d.Kind != pos.PercentDiscount || d.Percent != 1000 {
		t.Fatalf("line discount %+v", d)
	}
	press(t, m, "f5")
	typ(t, m, "5.00")
	press(t, m, "enter")
	if d := m.c.cart.Discount; d.Kind != pos.AmountDiscount || d.Amount != 500 {
		t.Fatalf("cart discount %+v", d)
	}
	tot, err := pos.Price(m.c.cart, false)
	if err != nil {
		t.Fatal(err)
	}
	// 69.90 - 6.99 + 2.00 = 64.91, less 5.00 = 59.91, plus 13% tax.
	if tot.Subtotal != 7190 || tot.Discounts != 699+500 {
		t.Fatalf("totals %+v", tot)
	}
	if !strings.Contains(viewText(m), "-11.99") {
		t.Fatalf("view does not show the discounts:\n%s", viewText(m))
	}
	// More than the line is refused, and the prompt stays for a retry.
	press(t, m, "f4")
	typ(t, m, "80")
	press(t, m, "enter")
	if prompting(m) == nil || !m.c.msgErr {
		t.Fatalf("discount over the line accepted: %q", m.c.msg)
	}
	press(t, m, "esc")
	// 0 removes it.
	press(t, m, "f5")
	typ(t, m, "0")
	press(t, m, "enter")
	if m.c.cart.Discount.Kind != pos.NoDiscount {
		t.Fatal("cart discount not removed")
	}
}

func TestClearCartAsksFirst(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, water)
	press(t, m, "ctrl+x")
	if asking(m) == nil || len(m.c.cart.Lines) != 1 {
		t.Fatal("ctrl+x cleared without asking")
	}
	press(t, m, "y")
	if len(m.c.cart.Lines) != 0 {
		t.Fatal("cart not cleared")
	}
}

func TestHelpLineIsTrue(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	v := viewText(m)
	if strings.Contains(v, "f12 pay") {
		t.Fatal("pay shown with an empty cart")
	}
	scan(t, m, water)
	if !strings.Contains(viewText(m), "f12 pay") {
		t.Fatalf("pay not shown with a cart:\n%s", viewText(m))
	}
	press(t, m, "f8") // disabled with a cart: does nothing
	if !is[*sellScreen](m) {
		t.Fatal("f8 left a non-empty cart")
	}
	press(t, m, "?")
	if !m.help.ShowAll {
		t.Fatal("? did not open the full help")
	}
	typ(t, m, "a?")
	if in := input(t, m); in != "a?" {
		t.Fatalf("? with text typed went elsewhere: %q", in)
	}
}

func TestQuitWithCartAsks(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, water)
	press(t, m, "ctrl+c")
	if m.quit || asking(m) == nil {
		t.Fatal("quit with a cart did not ask")
	}
	press(t, m, "y")
	if !m.quit {
		t.Fatal("not quitting after yes")
	}
}

// The counter searches by pinyin (pos/search): a cashier without a Chinese
// input method types the initials or the full pinyin of 可口可乐.
func TestPinyinFindsColaOnTheSellScreen(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	for _, q := range []string{"kl", "kkkl", "kekou"} {
		press(t, m, "esc")
		typ(t, m, q)
		s := cur[*sellScreen](t, m)
		found := false
		for _, i := range s.sugg {
			if m.c.ix.Product(i).SKU == "SKU1003" {
				found = true
			}
		}
		if !found {
			t.Fatalf("typing %q does not list 可口可乐 (SKU1003); %d matches", q, len(s.sugg))
		}
	}
	// kkkl names it alone and first: enter adds it.
	press(t, m, "esc")
	typ(t, m, "kkkl")
	if s := cur[*sellScreen](t, m); len(s.sugg) == 0 || m.c.ix.Product(s.sugg[0]).SKU != "SKU1003" {
		t.Fatalf("kkkl: 可口可乐 not first")
	}
	press(t, m, "enter")
	if qtyOf(m, "SKU1003") != 1 {
		t.Fatalf("enter after kkkl: cart %+v", m.c.cart.Lines)
	}
}
