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
	if len(m.cart.Lines) != 0 || m.msgErr {
		t.Fatalf("cart not parked: %+v %q", m.cart.Lines, m.msg)
	}
	st.Close()

	// A new till process on the same file.
	st = openStore(t, path)
	defer st.Close()
	m, _ = newModel(t, st)
	press(t, m, "f7")
	if m.screen != scrParked || len(m.parked) != 1 {
		t.Fatalf("screen %d, %d parked", m.screen, len(m.parked))
	}
	if !strings.Contains(viewText(m), "2026-03-14 10:30") {
		t.Fatalf("parked list:\n%s", viewText(m))
	}
	press(t, m, "enter")
	if m.screen != scrSell || qtyOf(m, "SKU2001") != 2 || qtyOf(m, "SKU2002") != 1 || m.cart.Discount.Percent != 1000 {
		t.Fatalf("resumed cart %+v", m.cart)
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
	press(t, m, "f12", "enter", "esc")
	scan(t, m, rice)
	press(t, m, "f12", "enter", "esc")

	press(t, m, "f8")
	if m.screen != scrHistory || len(m.hist.sales) != 2 {
		t.Fatalf("history: screen %d, %d sales", m.screen, len(m.hist.sales))
	}
	// Newest first: the water sale is second.
	press(t, m, "down", "enter")
	if m.screen != scrSaleDetail || m.detail.sale.Receipt != 1 {
		t.Fatalf("detail: screen %d receipt %d", m.screen, m.detail.sale.Receipt)
	}
	if m.keys.Refund.Enabled() {
		t.Fatal("refund offered with nothing chosen")
	}
	// Two of the three waters come back.
	press(t, m, "+", "+")
	press(t, m, "r")
	if m.confirm == nil {
		t.Fatal("refund did not ask")
	}
	press(t, m, "y")
	if m.screen != scrReceipt || !strings.Contains(m.receiptText, "REFUND") {
		t.Fatalf("refund slip not shown: %q / %q", m.msg, m.receiptText)
	}
	sale := m.hist.sales[1]
	got, err := st.Refunded(sale.ID)
	if err != nil || got[0] != 2 || got[1] != 0 {
		t.Fatalf("refunded %v %v", got, err)
	}
	// 2 waters of 3: two thirds of the line's 6.00 + tax 0.78 = 4.52.
	if !strings.Contains(m.msg, "¥4.52") {
		t.Fatalf("msg %q", m.msg)
	}
	// The rest: void is no longer offered once part is refunded.
	press(t, m, "esc", "f8", "down", "enter")
	if m.keys.Void.Enabled() {
		t.Fatal("void offered after a partial refund")
	}
	press(t, m, "+", "+")
	if m.detail.want[0] != 1 {
		t.Fatalf("could choose %d waters, only 1 left", m.detail.want[0])
	}
	// Void the rice sale.
	press(t, m, "esc")
	if m.screen != scrHistory {
		t.Fatal("esc from a sale did not go back to the list")
	}
	press(t, m, "up", "enter", "v", "y")
	rs, err := st.Refunded(m.hist.sales[0].ID)
	if err != nil || rs[0] != 1 {
		t.Fatalf("void refunded %v %v", rs, err)
	}
	if !strings.Contains(m.receiptText, "VOID") {
		t.Fatalf("void slip %q", m.receiptText)
	}
}

func TestZReport(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, water)
	scan(t, m, cola)
	press(t, m, "f12", "enter", "esc")
	press(t, m, "f9")
	if m.screen != scrReports || m.rep.r.Kind != pos.XReport || m.rep.r.Sales != 1 {
		t.Fatalf("X report: screen %d %+v", m.screen, m.rep.r)
	}
	if !strings.Contains(viewText(m), "Sales by hour") || !strings.Contains(viewText(m), "10 █") {
		t.Fatalf("no chart:\n%s", viewText(m))
	}
	press(t, m, "z")
	typ(t, m, "5.65")
	press(t, m, "enter")
	if m.confirm == nil || !strings.Contains(m.confirm.text, "¥5.65") {
		t.Fatalf("Z did not ask: %+v", m.confirm)
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
	if m.rep.r.Kind != pos.ZReport || !strings.Contains(m.msg, "Z report 1 stored") {
		t.Fatalf("screen shows %v, msg %q", m.rep.r.Kind, m.msg)
	}
	// Nothing to close twice.
	press(t, m, "z", "enter", "y")
	if !m.msgErr {
		t.Fatalf("second Z: %q", m.msg)
	}
	press(t, m, "ctrl+s")
	if !strings.Contains(m.msg, "z-report-1.txt") {
		t.Fatalf("save: %q", m.msg)
	}
}

func TestPriceCheckAddsNothing(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	press(t, m, "f3")
	if m.screen != scrStock || !m.stock.low || len(m.stock.hits) != 2 {
		t.Fatalf("low stock list: %+v", m.stock)
	}
	if !strings.Contains(viewText(m), "LOW 3") {
		t.Fatalf("low stock not flagged:\n%s", viewText(m))
	}
	scan(t, m, rice)
	if len(m.stock.hits) != 1 || m.ix.goods[m.stock.hits[0]].SKU != "SKU1006" {
		t.Fatalf("price check of rice: %+v", m.stock.hits)
	}
	if !strings.Contains(viewText(m), "69.90") {
		t.Fatalf("price not shown:\n%s", viewText(m))
	}
	press(t, m, "esc", "esc")
	if m.screen != scrSell || len(m.cart.Lines) != 0 {
		t.Fatalf("price check added goods: %+v", m.cart.Lines)
	}
}
