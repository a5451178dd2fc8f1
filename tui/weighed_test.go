package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// The demo shop's apples and bananas are sold by the kg.
const apple, banana = "6900012354624", "6900012354990"

// weigh scans weighed goods and types their weight into the prompt.
func weigh(t *testing.T, m *Model, code, weight string) {
	t.Helper()
	scan(t, m, code)
	if prompting(m) == nil {
		t.Fatalf("scanning %s asked no weight; msg %q", code, m.c.msg)
	}
	typ(t, m, weight)
	press(t, m, "enter")
}

// Issue 13: weighed goods at the counter. Scanning them asks the weight;
// each weighing is its own line; F2 takes a weight; + and - do nothing
// on a parcel; the cart shows 1.250 kg.
func TestSellByWeight(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, apple)
	p := prompting(m)
	if p == nil || !strings.Contains(p.label, "Weight of Apple per kg in kg") {
		t.Fatalf("no weight prompt: %+v", p)
	}
	if len(m.c.cart.Lines) != 0 {
		t.Fatalf("a line before the weight: %+v", m.c.cart.Lines)
	}
	// Refused, the prompt stays and nothing is added.
	for _, bad := range []string{"1.2345", "abc", "0", "-1", "6900012354624"} {
		typ(t, m, bad)
		press(t, m, "enter")
		if prompting(m) == nil || !m.c.msgErr || len(m.c.cart.Lines) != 0 {
			t.Fatalf("weight %q: prompt %v msg %q cart %+v", bad, prompting(m), m.c.msg, m.c.cart.Lines)
		}
		for range len(bad) {
			press(t, m, "backspace")
		}
	}
	typ(t, m, "1.25")
	press(t, m, "enter")
	if len(m.c.cart.Lines) != 1 || m.c.cart.Lines[0].Qty != 1250 || m.c.cart.Lines[0].Unit != pos.Kilogram {
		t.Fatalf("cart %+v, want 1250 g of apples", m.c.cart.Lines)
	}
	if !strings.Contains(m.c.msg, "1.250 kg x 12.00/kg") || !strings.Contains(m.c.msg, "15.00") {
		t.Fatalf("msg %q", m.c.msg)
	}
	if v := viewText(m); !strings.Contains(v, "1.250 kg") {
		t.Fatalf("the cart does not show 1.250 kg:\n%s", v)
	}
	// A second weighing is a second line.
	weigh(t, m, apple, "0.5")
	if len(m.c.cart.Lines) != 2 || m.c.cart.Lines[1].Qty != 500 || m.c.cart.Lines[0].Qty != 1250 {
		t.Fatalf("second weighing: %+v", m.c.cart.Lines)
	}
	// + and - are off on a parcel.
	press(t, m, "+", "-")
	if m.c.cart.Lines[1].Qty != 500 || asking(m) != nil {
		t.Fatalf("+/- changed a weighed line: %+v", m.c.cart.Lines)
	}
	if strings.Contains(viewText(m), "one more") {
		t.Fatal("help offers + on a weighed line")
	}
	// F2 takes a weight in the line's unit.
	press(t, m, "f2")
	if p := prompting(m); p == nil || !strings.Contains(p.label, "Weight of Apple per kg") {
		t.Fatalf("f2 on a weighed line: %+v", p)
	}
	typ(t, m, "1.255")
	press(t, m, "enter")
	if m.c.cart.Lines[1].Qty != 1255 {
		t.Fatalf("f2 1.255: %+v", m.c.cart.Lines[1])
	}
	tot, err := pos.Price(m.c.cart, true)
	if err != nil || tot.Lines[1].Gross != 1506 { // 1.255 x 12.00 = 15.06
		t.Fatalf("1.255 kg at 12.00: %+v %v", tot.Lines[1], err)
	}
	// A piece line still takes whole numbers only.
	scan(t, m, water)
	press(t, m, "f2")
	typ(t, m, "1.25")
	press(t, m, "enter")
	if prompting(m) == nil || !strings.Contains(m.c.msg, "whole number") || qtyOf(m, "SKU1001") != 1 {
		t.Fatalf("1.25 pieces: msg %q qty %d", m.c.msg, qtyOf(m, "SKU1001"))
	}
	press(t, m, "esc")
	// Picked from the search, weighed goods ask the weight too.
	typ(t, m, "banana")
	press(t, m, "enter")
	typ(t, m, "0.875")
	press(t, m, "enter")
	if qtyOf(m, "SKU1028") != 875 {
		t.Fatalf("bananas: %+v", m.c.cart.Lines)
	}
}

// Weighed goods whose stock is tracked warn when the cart takes them below
// zero (selling stays allowed).
func TestWeighedStockWarning(t *testing.T) {
	st := newStore(t)
	p, err := st.Lookup("SKU1027")
	if err != nil {
		t.Fatal(err)
	}
	p.TrackStock, p.Stock = true, 2000 // 2 kg on record
	if _, err := st.PutProducts([]pos.Product{p}); err != nil {
		t.Fatal(err)
	}
	m, _ := newModel(t, st)
	weigh(t, m, apple, "1.5")
	if m.c.msgErr {
		t.Fatalf("1.5 of 2 kg warned: %q", m.c.msg)
	}
	weigh(t, m, apple, "0.75")
	if !m.c.msgErr || !strings.Contains(m.c.msg, "only 2.000 in stock") || !strings.Contains(m.c.msg, "-0.250") {
		t.Fatalf("2.25 of 2 kg: %q", m.c.msg)
	}
	if len(m.c.cart.Lines) != 2 {
		t.Fatalf("selling on is allowed: %+v", m.c.cart.Lines)
	}
}

// A sale by weight refunded by weight on the sale's screen: f2 takes the
// weight, + and - are off on the weighed line, and a refund of 0.500 of
// 1.255 kg pays back its exact share.
func TestRefundByWeight(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	weigh(t, m, apple, "1.255")
	scan(t, m, water)
	press(t, m, "f12")
	typ(t, m, "200")
	press(t, m, "enter")
	cur[*receiptScreen](t, m)
	press(t, m, "esc", "f8", "enter")
	d := cur[*detailScreen](t, m)
	if d.sale.Lines[0].Qty != 1255 {
		t.Fatalf("sold %+v", d.sale.Lines)
	}
	press(t, m, "+")
	if d.want[0] != 0 {
		t.Fatalf("+ on a weighed line chose %d", d.want[0])
	}
	press(t, m, "f2")
	if p := prompting(m); p == nil || !strings.Contains(p.label, "0-1.255 kg") {
		t.Fatalf("f2: %+v", p)
	}
	typ(t, m, "1.3")
	press(t, m, "enter")
	if prompting(m) == nil || !strings.Contains(m.c.msg, "Only 1.255 kg") {
		t.Fatalf("1.3 of 1.255: %q", m.c.msg)
	}
	for range 3 {
		press(t, m, "backspace")
	}
	typ(t, m, "0.5")
	press(t, m, "enter")
	if d.want[0] != 500 {
		t.Fatalf("want %v", d.want)
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		golden(t, m, "detail-weighed-"+itoa(size.w)+"x"+itoa(size.h))
	}
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := viewText(m); !strings.Contains(v, "1.255") || !strings.Contains(v, "0.500") || !strings.Contains(v, "1 item(s)") {
		t.Fatalf("detail:\n%s", v)
	}
	press(t, m, "r", "y")
	cur[*receiptScreen](t, m)
	rs, err := st.RefundsOf(d.sale.ID)
	if err != nil || len(rs) != 1 || rs[0].Lines[0].Qty != 500 {
		t.Fatalf("refunds %+v %v", rs, err)
	}
	// 0.500 of 1.255 kg at 12.00 (15.06): 6.00, with 9% tax on top 6.54.
	if rs[0].Total != 654 || rs[0].Lines[0].Amount != 654 {
		t.Fatalf("refunded %+v, want 6.54", rs[0])
	}
}

func TestGoldenSellWeighed(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		m, _ := newModel(t, newStore(t))
		send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		weigh(t, m, apple, "1.25")
		scan(t, m, water)
		weigh(t, m, banana, "0.875")
		golden(t, m, "sell-weighed-"+itoa(size.w)+"x"+itoa(size.h))
		press(t, m, "f12")
		typ(t, m, "50")
		press(t, m, "enter")
		cur[*receiptScreen](t, m)
		golden(t, m, "receipt-weighed-"+itoa(size.w)+"x"+itoa(size.h))
		if v := viewText(m); !strings.Contains(v, "1.250 kg x 12.00/kg") || !strings.Contains(v, "0.875 kg x 6.98/kg") {
			t.Fatalf("receipt:\n%s", v)
		}
	}
}

// Search matches and the stock screen show weighed goods' price per unit
// and their stock in the unit (2.500, not 2500).
func TestWeighedGoodsInLists(t *testing.T) {
	st := newStore(t)
	p, err := st.Lookup("SKU1027")
	if err != nil {
		t.Fatal(err)
	}
	p.TrackStock, p.Stock = true, 2500
	if _, err := st.PutProducts([]pos.Product{p}); err != nil {
		t.Fatal(err)
	}
	m, _ := newModel(t, st)
	typ(t, m, "apple")
	v := viewText(m)
	if !strings.Contains(v, "12.00/kg") || !strings.Contains(v, "2.500") || strings.Contains(v, "2500") {
		t.Fatalf("matches:\n%s", v)
	}
}
