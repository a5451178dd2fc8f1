package tui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
)

func TestParkAndResumeAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	st := openStore(t, path)
	if _, err := st.PutProducts(extraGoods); err != nil {
		t.Fatal(err)
	}
	m, _ := newModel(t, st)
	scan(t, m, "SKU2001")
	scan(t, m, "SKU2001")
	scan(t, m, "SKU2002")
	press(t, m, "f5")
	typ(t, m, "10%")
	press(t, m, "enter")
	press(t, m, "f6")
	if len(m.c.cart.Lines) != 0 || m.c.msgErr {
		t.Fatalf("cart not parked: %+v %q", m.c.cart.Lines, m.c.msg)
	}
	st.Close()

	// A new till process on the same file.
	st = openStore(t, path)
	m, _ = newModel(t, st)
	press(t, m, "f7")
	if p := cur[*parkedScreen](t, m); len(p.carts) != 1 {
		t.Fatalf("%d parked", len(p.carts))
	}
	if !strings.Contains(viewText(m), "2026-03-14 10:30") {
		t.Fatalf("parked list:\n%s", viewText(m))
	}
	press(t, m, "enter")
	if !is[*sellScreen](m) || qtyOf(m, "SKU2001") != 2 || qtyOf(m, "SKU2002") != 1 || m.c.cart.Discount.Percent != 1000 {
		t.Fatalf("resumed cart %+v", m.c.cart)
	}
	if left, _ := st.ParkedCarts(); len(left) != 0 {
		t.Fatalf("%d carts still parked after resuming", len(left))
	}
}

func TestRefundPartAndVoid(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, water)
	scan(t, m, water)
	scan(t, m, water)
	scan(t, m, cola)
	press(t, m, "f12", "f10", "esc")
	scan(t, m, rice)
	press(t, m, "f12", "f10", "esc")

	press(t, m, "f8")
	hist := cur[*historyScreen](t, m)
	if len(hist.sales) != 2 {
		t.Fatalf("history: %d sales", len(hist.sales))
	}
	// Newest first: the water sale is second.
	press(t, m, "down", "enter")
	if d := cur[*detailScreen](t, m); d.sale.Receipt != 1 {
		t.Fatalf("detail: receipt %d", d.sale.Receipt)
	}
	if cur[*detailScreen](t, m).keys().refund.Enabled() {
		t.Fatal("refund offered with nothing chosen")
	}
	// Two of the three waters come back.
	press(t, m, "+", "+")
	press(t, m, "r")
	if asking(m) == nil {
		t.Fatal("refund did not ask")
	}
	press(t, m, "y")
	if !is[*receiptScreen](m) || !strings.Contains(cur[*receiptScreen](t, m).text, "REFUND") {
		t.Fatalf("refund slip not shown: %q", m.c.msg)
	}
	sale := hist.sales[1]
	got, err := st.Refunded(sale.ID)
	if err != nil || got[0] != 2 || got[1] != 0 {
		t.Fatalf("refunded %v %v", got, err)
	}
	// 2 waters of 3: two thirds of the line's 6.00 + tax 0.78 = 4.52.
	if !strings.Contains(m.c.msg, "¥4.52") {
		t.Fatalf("msg %q", m.c.msg)
	}
	// The rest: void is no longer offered once part is refunded.
	press(t, m, "esc", "f8", "down", "enter")
	if cur[*detailScreen](t, m).keys().void.Enabled() {
		t.Fatal("void offered after a partial refund")
	}
	press(t, m, "+", "+")
	if d := cur[*detailScreen](t, m); d.want[0] != 1 {
		t.Fatalf("could choose %d waters, only 1 left", d.want[0])
	}
	// Void the rice sale.
	press(t, m, "esc")
	if !is[*historyScreen](m) {
		t.Fatal("esc from a sale did not go back to the list")
	}
	hist = cur[*historyScreen](t, m)
	press(t, m, "up", "enter", "v", "y")
	rs, err := st.Refunded(hist.sales[0].ID)
	if err != nil || rs[0] != 1 {
		t.Fatalf("void refunded %v %v", rs, err)
	}
	if r := cur[*receiptScreen](t, m); !strings.Contains(r.text, "VOID") {
		t.Fatalf("void slip %q", r.text)
	}
}

func TestZReport(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, water)
	scan(t, m, cola)
	press(t, m, "f12", "f10", "esc")
	press(t, m, "f9")
	if r := cur[*reportsScreen](t, m).r; r.Kind != pos.XReport || r.Sales != 1 {
		t.Fatalf("X report: %+v", r)
	}
	if !strings.Contains(viewText(m), "Sales by hour") || !strings.Contains(viewText(m), "10 █") {
		t.Fatalf("no chart:\n%s", viewText(m))
	}
	press(t, m, "z")
	typ(t, m, "5.65")
	press(t, m, "enter")
	if asking(m) == nil || !strings.Contains(asking(m).text, "¥5.65") {
		t.Fatalf("Z did not ask: %+v", m.dialog)
	}
	press(t, m, "n")
	if zs, _ := st.ZReports(10); len(zs) != 0 {
		t.Fatal("Z taken after no")
	}
	press(t, m, "z", "enter", "y")
	zs, err := st.ZReports(10)
	if err != nil || len(zs) != 1 || zs[0].Number != 1 || zs[0].Sales != 1 || zs[0].Counted != nil {
		t.Fatalf("stored Z %+v %v", zs, err)
	}
	if r := cur[*reportsScreen](t, m).r; r.Kind != pos.ZReport || !strings.Contains(m.c.msg, "Z report 1 stored") {
		t.Fatalf("screen shows %v, msg %q", r.Kind, m.c.msg)
	}
	// Nothing to close twice.
	press(t, m, "z", "enter", "y")
	if !m.c.msgErr {
		t.Fatalf("second Z: %q", m.c.msg)
	}
	press(t, m, "ctrl+s")
	if !strings.Contains(m.c.msg, "z-report-1.txt") {
		t.Fatalf("save: %q", m.c.msg)
	}
}

func TestPriceCheckAddsNothing(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	press(t, m, "f3")
	if s := cur[*stockScreen](t, m); !s.low || len(s.hits) != 2 {
		t.Fatalf("low stock list: %+v", s)
	}
	if !strings.Contains(viewText(m), "LOW 3") {
		t.Fatalf("low stock not flagged:\n%s", viewText(m))
	}
	scan(t, m, rice)
	if s := cur[*stockScreen](t, m); len(s.hits) != 1 || m.c.ix.Product(s.hits[0]).SKU != "SKU1006" {
		t.Fatalf("price check of rice: %+v", s.hits)
	}
	if !strings.Contains(viewText(m), "69.90") {
		t.Fatalf("price not shown:\n%s", viewText(m))
	}
	press(t, m, "esc", "esc")
	if !is[*sellScreen](m) || len(m.c.cart.Lines) != 0 {
		t.Fatalf("price check added goods: %+v", m.c.cart.Lines)
	}
}
