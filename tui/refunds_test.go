package tui

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/register"
)

// sellCash sells the codes for exact cash, leaving the counter on the
// sell screen.
func sellCash(t *testing.T, m *Model, codes ...string) {
	t.Helper()
	for _, c := range codes {
		scan(t, m, c)
	}
	press(t, m, "f12")
	typ(t, m, "200") // cash given, not "exact money"
	press(t, m, "enter")
	cur[*receiptScreen](t, m)
	press(t, m, "esc")
}

// Issue 10 item 8: the sales screen finds any stored sale or refund by
// its receipt number and shows it in full, scrolling; a saved copy is
// marked COPY with the time; scanning a receipt's barcode (the sale ID)
// on the sell screen opens its sale.
func TestFindShowAndCopyAReceipt(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	sellCash(t, m, water)                                                    // receipt 1
	sellCash(t, m, water, tea_, cola, rice, "SKU2001", "SKU2002", "SKU2002") // receipt 2, long
	press(t, m, "f8", "down", "enter", "a", "r", "y")                        // refund all of receipt 1: receipt 3
	if !is[*receiptScreen](m) {
		t.Fatalf("no refund: %q", m.c.msg)
	}
	press(t, m, "esc", "f8")
	typ(t, m, "3")
	press(t, m, "enter")
	rec := cur[*recordScreen](t, m)
	if rec.rec.Refund == nil || !strings.Contains(viewText(m), "Paid back in cash") || !strings.Contains(viewText(m), "REFUND") {
		t.Fatalf("refund 3:\n%s", viewText(m))
	}
	press(t, m, "esc")
	cur[*historyScreen](t, m)
	typ(t, m, "#000002")
	press(t, m, "enter")
	d := cur[*detailScreen](t, m)
	if d.sale.Receipt != 2 {
		t.Fatalf("found receipt %d", d.sale.Receipt)
	}
	press(t, m, "p")
	cur[*recordScreen](t, m)
	screen := viewText(m)
	if strings.Contains(screen, "Tax 9%") || !strings.Contains(screen, "more below") {
		t.Fatalf("a long receipt at 80x24 fits? \n%s", screen)
	}
	press(t, m, "pgdown", "pgdown", "pgdown")
	if screen := viewText(m); !strings.Contains(screen, "Tax 9%") || !strings.Contains(screen, "Tax 13%") {
		t.Fatalf("the end of the receipt cannot be scrolled to:\n%s", screen)
	}
	press(t, m, "ctrl+s")
	screen = viewText(m)
	if !strings.Contains(screen, "*** COPY ***") || !strings.Contains(screen, "copy made 2026-03-14 10:30:00") {
		t.Fatalf("no COPY on screen:\n%s", screen)
	}
	path := filepath.Join(m.c.deps.ReceiptDir, "receipt-000002-copy-20260314-103000.txt")
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "*** COPY ***") || !strings.Contains(string(b), "Receipt 000002") ||
		!strings.Contains(m.c.msg, path) {
		t.Fatalf("copy file %v msg %q:\n%s", err, m.c.msg, b)
	}
	press(t, m, "esc", "esc") // back to the sale, to the list
	cur[*historyScreen](t, m)
	typ(t, m, "99")
	press(t, m, "enter")
	if !strings.Contains(m.c.msg, "No sale or refund with receipt 99") || !is[*historyScreen](m) {
		t.Fatalf("receipt 99: %q", m.c.msg)
	}

	// The sell screen: a scanned receipt barcode (the sale ID, as a
	// scanner may send it in lower case) opens the sale.
	sales, err := st.SalesBetween(testNow.Add(-1e12), testNow.Add(1e12))
	if err != nil || len(sales) != 2 {
		t.Fatalf("%d sales, %v", len(sales), err)
	}
	press(t, m, "esc")
	cur[*sellScreen](t, m)
	scan(t, m, strings.ToLower(sales[1].ID[:26])+sales[1].ID[26:])
	if d := cur[*detailScreen](t, m); d.sale.ID != sales[1].ID || d.sale.Receipt != 2 {
		t.Fatalf("opened %s", d.sale.ID)
	}
	if len(m.c.cart.Lines) != 0 {
		t.Fatal("the receipt's code went into the cart")
	}
	press(t, m, "esc")
	cur[*sellScreen](t, m)
}

// Issue 10 item 12: F8 marks refunded and voided sales, its header and
// Net column count what was paid back, and the refund question says how
// much goes back before anything is stored.
func TestSalesListCountsRefunds(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	sellCash(t, m, water)       // 1: 2.26
	sellCash(t, m, cola, cola)  // 2: 6.78
	sellCash(t, m, tea_, water) // 3
	press(t, m, "f8")           // newest first: 3, 2, 1
	press(t, m, "down", "down", "enter", "v")
	q := asking(m)
	if q == nil || q.text != "Void the whole of receipt 000001: ¥2.26 back in cash. Go ahead?" {
		t.Fatalf("asked %+v", q)
	}
	press(t, m, "y", "esc", "f8", "down", "enter", "+", "r")
	if q := asking(m); q == nil || q.text != "Refund 1 item(s) of receipt 000002: ¥3.39 back in cash. Go ahead?" {
		t.Fatalf("asked %+v", asking(m))
	}
	if rs, err := st.RefundsOf(cur[*detailScreen](t, m).sale.ID); err != nil || len(rs) != 0 {
		t.Fatalf("refunded before the answer: %v %v", rs, err)
	}
	press(t, m, "y", "esc", "f8")
	screen := viewText(m)
	for _, want := range []string{
		"3 sales, ¥", "paid back ¥5.65 · net ¥",
		"000002  10:30      1  cash         part refund       6.78     -3.39      3.39",
		"000001  10:30      1  cash         VOID              2.26     -2.26      0.00",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("sales list lacks %q:\n%s", want, screen)
		}
	}
}

// walletModel is a counter whose QR payments go to the payment
// simulator's Alipay on loopback; it sells two waters paid by QR on the
// customer's phone and returns the server so a test can cut it off.
func walletModel(t *testing.T) (*Model, *httptest.Server) {
	t.Helper()
	st := newStore(t)
	m, c := newPayModel(t, st)
	sim, err := paysim.New(paysim.Config{Now: c.now, Merchant: "Corner Shop"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	cc, err := sim.WriteClientConfig(t.TempDir(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cc.Alipay.Now = c.now
	cc.Alipay.Timeout = 500 * time.Millisecond
	prov, err := alipay.New(cc.Alipay)
	if err != nil {
		t.Fatal(err)
	}
	m.c.deps.QR.(*register.Register).QR.Online = prov
	scan(t, m, water)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	ps := cur[*payScreen](t, m)
	phonePays(t, srv.URL, ps.p.Payload)
	c.t = c.t.Add(2 * time.Second)
	send(t, m, qrTickMsg{id: ps.p.ID})
	cur[*receiptScreen](t, m)
	press(t, m, "esc")
	return m, srv
}

// Refunds to the wallet (issue 11, on the sale screen): a refund of a
// QR-paid sale goes back to the wallet by default, the question says so,
// the slip says where the money went, and a wallet refund not done yet
// is listed on the reports screen; cash only when the cashier chooses.
func TestRefundToTheWalletByDefault(t *testing.T) {
	m, _ := walletModel(t)
	st := m.c.deps.Store.(*tilltest.Store)
	press(t, m, "f8", "enter")
	d := cur[*detailScreen](t, m)
	s1 := d.sale
	if !strings.Contains(viewText(m), "Paid back to the wallet that paid; c for cash instead.") {
		t.Fatalf("wallet sale:\n%s", viewText(m))
	}
	press(t, m, "a", "r")
	if q := asking(m); q == nil || q.text != "Refund 2 item(s) of receipt 000001: ¥4.52 back to the Alipay wallet. Go ahead?" {
		t.Fatalf("asked %+v", asking(m))
	}
	press(t, m, "y")
	r := cur[*receiptScreen](t, m)
	if !strings.Contains(r.text, "Paid back in Alipay wallet") || !strings.Contains(m.c.msg, "¥4.52 to the Alipay wallet") ||
		strings.Contains(m.c.msg, "NOT SENT") || m.c.msgErr {
		t.Fatalf("msg %q slip:\n%s", m.c.msg, r.text)
	}
	refunds, err := st.RefundsOf(s1.ID)
	if err != nil || len(refunds) != 1 || refunds[0].Tenders[0].Kind != pos.QR || refunds[0].Tenders[0].Amount != 452 {
		t.Fatalf("refunds %+v %v", refunds, err)
	}
	press(t, m, "esc", "f9")
	if screen := viewText(m); strings.Contains(screen, "not done") || strings.Contains(screen, "w send") {
		t.Fatalf("a wallet refund the provider took is listed:\n%s", screen)
	}
	press(t, m, "esc")
}

// With the provider unreachable the wallet refund is stored and stays
// pending, the cashier is told, and the reports screen lists it (and
// offers to send it) until it is done. The cashier may choose cash.
func TestWalletRefundPendingIsListed(t *testing.T) {
	m, srv := walletModel(t)
	st := m.c.deps.Store.(*tilltest.Store)
	srv.Close()
	press(t, m, "f8", "enter", "+", "r", "y")
	if !strings.Contains(m.c.msg, "¥2.26 to the Alipay wallet NOT SENT YET") || !m.c.msgErr {
		t.Fatalf("msg %q", m.c.msg)
	}
	press(t, m, "esc", "f9")
	screen := viewText(m)
	if !strings.Contains(screen, "! 1 refund to wallets not done") || !strings.Contains(screen, "Alipay ¥2.26, pending") ||
		!strings.Contains(screen, "w send wallet refunds") {
		t.Fatalf("reports:\n%s", screen)
	}
	press(t, m, "w")
	if !strings.Contains(viewText(m), "Alipay ¥2.26, pending") {
		t.Fatalf("after w:\n%s", viewText(m))
	}

	// The cashier chooses cash for the other water: nothing more to the
	// wallet.
	press(t, m, "esc", "f8", "enter", "c", "+", "r")
	sale := cur[*detailScreen](t, m).sale
	if q := asking(m); q == nil || q.text != "Refund 1 item(s) of receipt 000001: ¥2.26 back in cash. Go ahead?" {
		t.Fatalf("asked %+v", asking(m))
	}
	press(t, m, "y")
	if !strings.Contains(m.c.msg, "PAY BACK ¥2.26 in cash") {
		t.Fatalf("msg %q", m.c.msg)
	}
	refunds, err := st.RefundsOf(sale.ID)
	if err != nil || len(refunds) != 2 || refunds[1].Tenders[0].Kind != pos.Cash {
		t.Fatalf("refunds %+v %v", refunds, err)
	}
	press(t, m, "esc", "f9")
	if !strings.Contains(viewText(m), "! 1 refund to wallets not done") {
		t.Fatalf("reports:\n%s", viewText(m))
	}
}
