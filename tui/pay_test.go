package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/tillpos/till/internal/screenqr"
	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/emvqr"
	"github.com/tillpos/till/pos/register"
)

var payMerchant = emvqr.Merchant{AccountID: "26", GUID: "cn.till.demo", AccountFields: []emvqr.Field{{ID: "01", Value: "DEMO-NOT-A-REAL-ACCOUNT"}},
	Name: "Corner Shop", City: "Shanghai", Country: "CN", MCC: "5411", Currency: "156"}

// newPayModel is newModel with QR payments set up (a 5-minute expiry).
func newPayModel(t *testing.T, st *tilltest.Store) (*Model, *clock) {
	t.Helper()
	c := &clock{t: testNow}
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now = c.now
	reg.QR = &register.QR{Merchant: payMerchant, Expiry: 5 * time.Minute, Demo: true}
	m := New(Deps{Lang: testLang, Store: st, Seller: reg, QR: reg, QRDemo: true, QROffline: true, Shop: "Corner Shop", Currency: cny, Loc: testLoc,
		Now: c.now, ReceiptDir: filepath.Join(t.TempDir(), "receipts")})
	start(t, m)
	return m, c
}

func openPayment(t *testing.T, st *tilltest.Store) pos.Payment {
	t.Helper()
	ps, err := st.OpenPayments()
	if err != nil || len(ps) != 1 {
		t.Fatalf("open payments: %+v %v", ps, err)
	}
	return ps[0]
}

// decodeScreen reads the QR code off the ANSI-stripped screen the way a
// phone would see it with the colours stripped, with gozxing.
func decodeScreen(t *testing.T, screen string) string {
	t.Helper()
	// gozxing's detector occasionally misses a finder pattern at one
	// resolution that it finds at another (a phone moves closer): try a
	// few, trying hard, before calling the code unreadable.
	var last error
	for _, scale := range []int{4, 3, 5, 6} {
		img, err := screenqr.Image(screen, scale)
		if err != nil {
			t.Fatalf("%v:\n%s", err, screen)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
		if err == nil {
			return res.GetText()
		}
		last = err
	}
	t.Fatalf("the QR on screen does not decode: %v\n%s", last, screen)
	return ""
}

func TestQRPayFullAmountAt80x24(t *testing.T) {
	st := newStore(t)
	m, _ := newPayModel(t, st)
	scan(t, m, rice)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	cur[*payScreen](t, m)
	p := openPayment(t, st)
	if p.State != pos.PaymentShown || p.Amount != 8125 { // 69.90 + 2.00, plus 13% tax added on 71.90
		t.Fatalf("payment %+v", p)
	}
	screen := viewText(m)
	for _, want := range []string{"Corner Shop", "Scan to pay ¥81.25", "WAITING FOR PAYMENT", "expires in 5:00", "DEMO account", "p  customer has paid"} {
		if !strings.Contains(screen, want) {
			t.Errorf("pay screen lacks %q", want)
		}
	}
	if lines := strings.Split(screen, "\n"); len(lines) != 24 || ansi.StringWidth(lines[0]) > 80 {
		t.Fatalf("screen is %d lines, first %d wide", len(lines), ansi.StringWidth(lines[0]))
	}
	got := decodeScreen(t, screen)
	if got != p.Payload {
		t.Fatalf("screen says %q, payment is %q", got, p.Payload)
	}
	decoded, err := emvqr.Decode(got)
	if err != nil || decoded.Amount != "81.25" || decoded.Currency != "156" {
		t.Fatalf("decoded %+v, %v", decoded, err)
	}

	// A stray key does nothing; p asks first; y records the sale.
	press(t, m, "x")
	if !is[*payScreen](m) || !m.c.msgErr {
		t.Fatal("a stray key left the pay screen")
	}
	press(t, m, "p")
	if asking(m) == nil {
		t.Fatal("paid without a confirmation")
	}
	press(t, m, "y")
	r := cur[*receiptScreen](t, m)
	sales := todaysSales(t, st)
	if len(sales) != 1 || sales[0].ID != p.SaleID || sales[0].Tenders[0].Kind != pos.QR ||
		sales[0].Tenders[0].ConfirmedBy != pos.ByCashier || !sales[0].Tenders[0].ConfirmedAt.Equal(testNow) {
		t.Fatalf("stored %+v", sales)
	}
	if !strings.Contains(r.text, "QR code  ") || !strings.Contains(r.text, "confirmed by the cashier") {
		t.Fatalf("receipt:\n%s", r.text)
	}
}

func TestQRSplitWithCash(t *testing.T) {
	st := newStore(t)
	m, _ := newPayModel(t, st)
	scan(t, m, rice) // 78.99 with tax
	press(t, m, "f12")
	typ(t, m, "50")
	press(t, m, "f2")
	p := openPayment(t, st)
	if p.Amount != 5000 || !strings.Contains(viewText(m), "rest ¥28.99 in cash") {
		t.Fatalf("payment %+v\n%s", p, viewText(m))
	}
	press(t, m, "p", "y")
	if p := prompting(m); p == nil || !strings.HasPrefix(p.label, "QR paid. Cash given for the remaining ¥28.99") {
		t.Fatal("no cash prompt for the rest")
	}
	typ(t, m, "6900012345004") // a scan is never cash
	press(t, m, "enter")
	if prompting(m) == nil || !m.c.msgErr {
		t.Fatalf("barcode taken as cash: %q", m.c.msg)
	}
	typ(t, m, "30")
	press(t, m, "enter")
	sales := todaysSales(t, st)
	if len(sales) != 1 || len(sales[0].Tenders) != 2 || sales[0].Tenders[1].Given != 3000 || sales[0].Change != 101 {
		t.Fatalf("stored %+v", sales)
	}
}

func TestQRCancelKeepsTheCart(t *testing.T) {
	st := newStore(t)
	m, _ := newPayModel(t, st)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	p := openPayment(t, st)
	press(t, m, "c", "n")
	if !is[*payScreen](m) {
		t.Fatal("cancelled without a yes")
	}
	press(t, m, "c", "y")
	if !is[*checkoutScreen](m) || len(m.c.cart.Lines) != 1 {
		t.Fatalf("screen %T cart %+v", m.screen, m.c.cart)
	}
	got, _ := st.Payment(p.ID)
	if got.State != pos.PaymentCancelled {
		t.Fatalf("stored state %s", got.State)
	}
	press(t, m, "f10") // exact cash instead (its own key: issue 10 item 3)
	if len(todaysSales(t, st)) != 1 {
		t.Fatal("cash after a cancelled QR did not sell")
	}
}

func TestQRExpiresAndCanBeRedone(t *testing.T) {
	st := newStore(t)
	m, c := newPayModel(t, st)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	p := openPayment(t, st)
	c.t = c.t.Add(2 * time.Minute)
	send(t, m, qrTickMsg{id: p.ID})
	if !strings.Contains(viewText(m), "expires in 3:00") {
		t.Fatalf("countdown:\n%s", viewText(m))
	}
	c.t = c.t.Add(3 * time.Minute)
	send(t, m, qrTickMsg{id: p.ID})
	if got, _ := st.Payment(p.ID); got.State != pos.PaymentExpired || !strings.Contains(viewText(m), "EXPIRED") {
		t.Fatalf("state %s\n%s", got.State, viewText(m))
	}
	press(t, m, "p")
	if asking(m) != nil {
		t.Fatal("an expired code can be confirmed as paid")
	}
	press(t, m, "n")
	q := openPayment(t, st)
	if q.ID == p.ID || q.SaleID == p.SaleID || q.State != pos.PaymentShown {
		t.Fatalf("new code %+v", q)
	}
}

func TestQRResumesAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	st := openStore(t, path)
	if _, err := st.PutProducts(extraGoods); err != nil {
		t.Fatal(err)
	}
	m, _ := newPayModel(t, st)
	typ(t, m, "SKU2001")
	press(t, m, "enter", "f12", "f2")
	p := openPayment(t, st)
	st.Close() // the till is switched off while the customer pays

	st = openStore(t, path)
	m, _ = newPayModel(t, st)
	if ps := cur[*payScreen](t, m); ps.p.ID != p.ID || len(m.c.cart.Lines) != 1 {
		t.Fatalf("not resumed: pay %+v", ps)
	}
	press(t, m, "p", "y")
	sales := todaysSales(t, st)
	if len(sales) != 1 || sales[0].ID != p.SaleID {
		t.Fatalf("stored %+v", sales)
	}
}

func TestQRTooSmallIsNeverClipped(t *testing.T) {
	st := newStore(t)
	m, _ := newPayModel(t, st)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	send(t, m, tea.WindowSizeMsg{Width: 70, Height: 18})
	screen := viewText(m)
	if !strings.Contains(screen, "Terminal too small for the QR code") || strings.Contains(screen, "▀▀▀▀▀▀") {
		t.Fatalf("small terminal:\n%s", screen)
	}
	send(t, m, tea.WindowSizeMsg{Width: 160, Height: 60})
	if got := decodeScreen(t, viewText(m)); got != openPayment(t, st).Payload {
		t.Fatal("large terminal code does not decode")
	}
}
