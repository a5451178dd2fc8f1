package tui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/register"
)

// testWatch gives the model the register's background check, as
// package main's adapter does.
type testWatch struct{ *register.Register }

func (w testWatch) CheckPayments(ctx context.Context) (PaymentCheck, error) {
	c, err := w.Register.CheckPayments(ctx)
	return PaymentCheck{LatePaid: c.LatePaid, Unresolved: c.Unresolved, Refunds: c.Refunds, Clock: c.Clock, Errors: c.Errors}, err
}

// flaky is the simulator behind a switch: down, every connection is
// dropped unanswered, as when the network goes mid-payment.
type flaky struct {
	h    http.Handler
	down atomic.Bool
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.down.Load() {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	f.h.ServeHTTP(w, r)
}

// watchedModel is an online model (Alipay in the simulator) with the
// payment code and the background check wired, and the network switch.
func watchedModel(t *testing.T) (*Model, *clock, *paysim.Sim, *flaky, *tilltest.Store) {
	t.Helper()
	st := newStore(t)
	m, c := newPayModel(t, st)
	sim, err := paysim.New(paysim.Config{Now: c.now, Merchant: "Corner Shop"})
	if err != nil {
		t.Fatal(err)
	}
	f := &flaky{h: sim.Handler()}
	srv := httptest.NewServer(f)
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
	reg := m.c.deps.QR.(*register.Register)
	reg.QR.Online = prov
	m.c.deps.Code, m.c.deps.Watch = reg, testWatch{reg}
	return m, c, sim, f, st
}

// Issue 10 item 7 with issue 11's rule: the provider goes away while the
// customer is paying. The screen says the outcome is unknown; a cancel
// that cannot be confirmed shows CLOSING and never "take cash"; the
// cashier can leave it to the till, which says when it is closed.
func TestUnreachableMidPaymentCanBeLeftSafely(t *testing.T) {
	m, c, _, net, st := watchedModel(t)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	ps := cur[*payScreen](t, m)
	id := ps.p.ID
	net.down.Store(true)
	c.t = c.t.Add(2 * time.Second)
	send(t, m, qrTickMsg{id: id})
	if s := viewText(m); !strings.Contains(s, "NOT KNOWN") || !strings.Contains(m.c.msg, "Do not take other money") {
		t.Fatalf("unreachable poll:\n%s\nmsg %q", s, m.c.msg)
	}
	// Item 11: no "p paid" online.
	press(t, m, "x")
	if strings.Contains(m.c.msg, "p paid") || strings.Contains(m.c.msg, "customer has paid") || !strings.Contains(m.c.msg, "c cancel") {
		t.Fatalf("hint online: %q", m.c.msg)
	}
	press(t, m, "c", "y")
	ps = cur[*payScreen](t, m)
	if ps.p.State != pos.PaymentClosing {
		t.Fatalf("state %s msg %q", ps.p.State, m.c.msg)
	}
	s := viewText(m)
	for _, want := range []string{"CLOSING: NOT CONFIRMED", "do not take other money", "l  leave it to the till"} {
		if !strings.Contains(s, want) {
			t.Errorf("closing screen lacks %q:\n%s", want, s)
		}
	}
	for _, bad := range []string{"back to take cash", "new QR code", "Take cash", "take cash"} {
		if strings.Contains(s, bad) {
			t.Errorf("closing screen says %q:\n%s", bad, s)
		}
	}
	press(t, m, "esc")
	if !is[*payScreen](m) {
		t.Fatal("esc left an unconfirmed payment for checkout")
	}
	press(t, m, "l")
	if !is[*sellScreen](m) || len(m.c.cart.Lines) != 0 || len(m.c.left) != 1 || !strings.Contains(m.c.msg, "Do NOT take other money") {
		t.Fatalf("leave: %T cart %d left %d msg %q", m.screen, len(m.c.cart.Lines), len(m.c.left), m.c.msg)
	}
	// Still down: the check keeps it.
	run(t, m, m.c.checkPayments())
	if len(m.c.left) != 1 {
		t.Fatalf("left %d after a failed check", len(m.c.left))
	}
	net.down.Store(false)
	run(t, m, m.c.checkPayments())
	if got, _ := st.Payment(id); got.State != pos.PaymentCancelled {
		t.Fatalf("stored %s", got.State)
	}
	if len(m.c.left) != 0 || !strings.Contains(m.c.msg, "closed: nothing was charged") {
		t.Fatalf("after the close: left %d msg %q", len(m.c.left), m.c.msg)
	}
}

// Issue 10 item 11: ctrl+c on the pay screen says the payment is kept,
// not "f6 parks it".
func TestQuitOnThePayScreenSaysThePaymentIsKept(t *testing.T) {
	m, _ := newPayModel(t, newStore(t))
	scan(t, m, water)
	press(t, m, "f12", "f2", "ctrl+c")
	q := asking(m)
	if q == nil || strings.Contains(q.text, "f6") || !strings.Contains(q.text, "kept") {
		t.Fatalf("quit question %+v", q)
	}
	press(t, m, "n")
	press(t, m, "esc")
	if !is[*payScreen](m) {
		t.Fatal("esc left a waiting payment")
	}
}

// Issue 10 item 17: at 60x20 the size is checked before a payment
// starts: nothing is stored and no clock runs.
func TestTooSmallForAQRStartsNothing(t *testing.T) {
	st := newStore(t)
	m, _ := newPayModel(t, st)
	send(t, m, tea.WindowSizeMsg{Width: 60, Height: 20})
	scan(t, m, water)
	press(t, m, "f12", "f2")
	if !is[*checkoutScreen](m) || !strings.Contains(m.c.msg, "too small") {
		t.Fatalf("screen %T msg %q", m.screen, m.c.msg)
	}
	if ps, _ := st.OpenPayments(); len(ps) != 0 {
		t.Fatalf("a payment started: %+v", ps)
	}
	for _, l := range strings.Split(viewText(m), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "!") && strings.HasSuffix(strings.TrimRight(l, " "), "…") {
			t.Fatalf("message cut: %q", l)
		}
	}
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	press(t, m, "f2")
	if !is[*payScreen](m) {
		t.Fatalf("80x24: %T %q", m.screen, m.c.msg)
	}
}

// Issue 10 item 17: the checkout barcode refusal fits at 80 columns.
func TestCheckoutBarcodeRefusalFits(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, water)
	press(t, m, "f12")
	typ(t, m, rice)
	press(t, m, "enter")
	if !strings.Contains(viewText(m), m.c.msg) || len(m.c.msg) > 78 {
		t.Fatalf("cut: %q\n%s", m.c.msg, viewText(m))
	}
}

// Issue 11: the customer's payment code scanned on checkout is charged;
// the states are shown; a paid code completes the sale.
func TestPaymentCodeOnCheckout(t *testing.T) {
	m, c, sim, _, st := watchedModel(t)
	scan(t, m, water)
	press(t, m, "f12")
	code, err := sim.IssueCode("alipay", paysim.Password)
	if err != nil {
		t.Fatal(err)
	}
	typ(t, m, code)
	press(t, m, "enter")
	ps := cur[*payScreen](t, m)
	if ps.p.Flow != pos.FlowCode || ps.p.State != pos.PaymentPaying || !strings.Contains(viewText(m), "CUSTOMER ENTERS PASSWORD") {
		t.Fatalf("code pay %+v\n%s", ps.p, viewText(m))
	}
	if strings.Contains(viewText(m), code) {
		t.Fatal("the payment code is on the screen")
	}
	if err := sim.EnterPassword(code); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(6 * time.Second)
	send(t, m, qrTickMsg{id: ps.p.ID})
	r := cur[*receiptScreen](t, m)
	sales := todaysSales(t, st)
	if len(sales) != 1 || sales[0].Tenders[0].Kind != pos.QR || sales[0].Tenders[0].Provider != "alipay" {
		t.Fatalf("stored %+v\n%s", sales, r.text)
	}
}

// A declined code goes back to checkout with the cart; the cashier takes
// cash.
func TestDeclinedPaymentCode(t *testing.T) {
	m, _, sim, _, st := watchedModel(t)
	scan(t, m, water)
	press(t, m, "f12")
	code, _ := sim.IssueCode("alipay", paysim.Decline)
	typ(t, m, code)
	press(t, m, "enter")
	if !is[*checkoutScreen](m) || !strings.Contains(m.c.msg, "declined") || len(m.c.cart.Lines) != 1 {
		t.Fatalf("declined: %T %q", m.screen, m.c.msg)
	}
	press(t, m, "f10")
	if len(todaysSales(t, st)) != 1 {
		t.Fatal("cash after a declined code did not sell")
	}
}

// "Scan to pay" from the sell screen: the sell screen sends payCodeMsg;
// it opens checkout's payment for the whole cart.
func TestScanToPayFromTheSellScreen(t *testing.T) {
	m, _, sim, _, st := watchedModel(t)
	code, _ := sim.IssueCode("alipay", paysim.PayNow)
	send(t, m, payCodeMsg{scan: code})
	if !strings.Contains(m.c.msg, "scan the goods first") {
		t.Fatalf("empty cart: %q", m.c.msg)
	}
	scan(t, m, water)
	send(t, m, payCodeMsg{scan: code})
	cur[*receiptScreen](t, m)
	if s := todaysSales(t, st); len(s) != 1 || s[0].Tenders[0].Provider != "alipay" {
		t.Fatalf("stored %+v", s)
	}
}

// Cancelling a payment code withdraws it; the screen shows it until the
// provider confirms, then checkout.
func TestCancelPaymentCode(t *testing.T) {
	m, c, sim, _, st := watchedModel(t)
	scan(t, m, water)
	press(t, m, "f12")
	code, _ := sim.IssueCode("alipay", paysim.Password)
	typ(t, m, code)
	press(t, m, "enter")
	id := cur[*payScreen](t, m).p.ID
	c.t = c.t.Add(time.Second)
	press(t, m, "c", "y")
	if !is[*checkoutScreen](m) || !strings.Contains(m.c.msg, "withdrawn") {
		t.Fatalf("cancel: %T %q", m.screen, m.c.msg)
	}
	if p, _ := st.Payment(id); p.State != pos.PaymentReversed {
		t.Fatalf("stored %s", p.State)
	}
}

// fakeWatch is a PaymentWatch that records what the screen asked.
type fakeWatch struct {
	completed, refunded string
	cash                pos.Money
}

func (f *fakeWatch) CheckPayments(context.Context) (PaymentCheck, error) { return PaymentCheck{}, nil }
func (f *fakeWatch) CheckClock(context.Context) (string, error)          { return "", nil }
func (f *fakeWatch) CompleteLate(id string, cash pos.Money) (pos.Sale, error) {
	f.completed, f.cash = id, cash
	return pos.Sale{ID: "S1", Receipt: 7, Due: 226}, nil
}
func (f *fakeWatch) RefundLate(_ context.Context, id, _ string) (pos.WalletRefund, error) {
	f.refunded = id
	return pos.WalletRefund{RequestNo: "R1", Amount: 226, Provider: "alipay", State: pos.WalletRefunded}, nil
}

// Issue 11: a payment that landed after its order was closed is shown
// once the counter is free, and resolved: finish the sale or refund it.
func TestLatePaymentIsShownAndResolved(t *testing.T) {
	for _, how := range []string{"complete", "refund"} {
		t.Run(how, func(t *testing.T) {
			m, _ := newPayModel(t, newStore(t))
			fw := &fakeWatch{}
			m.c.deps.Watch = fw
			late := pos.Payment{ID: "P1", SaleID: "S1", Provider: "alipay", Amount: 226, State: pos.PaymentPaid,
				Cart:     pos.Cart{Lines: []pos.Line{{SKU: "SKU1001", Name: "Mineral water 550ml", Qty: 1, UnitPrice: 200}}},
				LatePaid: testNow}
			scan(t, m, water) // a sale in progress: it waits
			send(t, m, checkMsg{check: PaymentCheck{LatePaid: []pos.Payment{late}}})
			if !is[*sellScreen](m) || !strings.Contains(m.c.msg, "finish this sale") {
				t.Fatalf("busy counter: %T %q", m.screen, m.c.msg)
			}
			press(t, m, "f12", "f10", "esc")
			send(t, m, checkMsg{check: PaymentCheck{LatePaid: []pos.Payment{late}}})
			ps := cur[*payScreen](t, m)
			s := viewText(m)
			if !ps.late || !strings.Contains(s, "PAID LATE") || !strings.Contains(s, "w  refund to wallet") || strings.Contains(s, "new QR code") {
				t.Fatalf("late screen:\n%s", s)
			}
			if how == "complete" {
				press(t, m, "enter")
				cur[*receiptScreen](t, m)
				if fw.completed != "P1" || fw.cash != 0 {
					t.Fatalf("completed %+v", fw)
				}
				return
			}
			press(t, m, "w", "y")
			if !is[*sellScreen](m) || fw.refunded != "P1" || !strings.Contains(m.c.msg, "went back to the customer's Alipay wallet") {
				t.Fatalf("refund: %T %+v %q", m.screen, fw, m.c.msg)
			}
		})
	}
}

// Issue 11: the clock warning is shown on the pay screen.
func TestClockWarningOnThePayScreen(t *testing.T) {
	m, _ := newPayModel(t, newStore(t))
	send(t, m, clockMsg{warning: "The till's clock is 2m0s ahead of wechat; set the right time (payments fail beyond 5 minutes)."})
	scan(t, m, water)
	press(t, m, "f12", "f2")
	if s := viewText(m); !strings.Contains(s, "clock is 2m0s ahead") {
		t.Fatalf("no clock warning:\n%s", s)
	}
}

// A payment code being withdrawn while the provider is unreachable can
// be left to the till; a new code is refused until it is final, then
// taken.
func TestOpenCodeAttemptRefusesANewCode(t *testing.T) {
	m, c, sim, net, st := watchedModel(t)
	scan(t, m, water)
	press(t, m, "f12")
	code, _ := sim.IssueCode("alipay", paysim.Password)
	typ(t, m, code)
	press(t, m, "enter")
	id := cur[*payScreen](t, m).p.ID
	net.down.Store(true)
	press(t, m, "c", "y")
	if ps := cur[*payScreen](t, m); ps.p.State != pos.PaymentReversing || !strings.Contains(viewText(m), "WITHDRAWING: NOT CONFIRMED") {
		t.Fatalf("state %s\n%s", ps.p.State, viewText(m))
	}
	press(t, m, "l")
	c.t = c.t.Add(time.Second)
	net.down.Store(false)
	scan(t, m, tea_)
	press(t, m, "f12")
	second, _ := sim.IssueCode("alipay", paysim.PayNow)
	typ(t, m, second)
	press(t, m, "enter")
	if !is[*checkoutScreen](m) || !strings.Contains(m.c.msg, "previous payment-code attempt") {
		t.Fatalf("second code: %T %q", m.screen, m.c.msg)
	}
	run(t, m, m.c.checkPayments())
	if p, _ := st.Payment(id); p.State != pos.PaymentReversed {
		t.Fatalf("first attempt %s", p.State)
	}
	typ(t, m, second)
	press(t, m, "enter")
	if s := todaysSales(t, st); !is[*receiptScreen](m) || len(s) != 1 || s[0].Lines[0].SKU != "SKU1002" {
		t.Fatalf("second code: %T %q %+v", m.screen, m.c.msg, s)
	}
}

// An online QR whose time is up is closed at the provider: the code
// leaves the screen at once, and the cashier is told to take other money
// only when the provider confirms.
func TestOnlineQRExpiryClosesFirst(t *testing.T) {
	m, c, _, net, st := watchedModel(t)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	id := cur[*payScreen](t, m).p.ID
	net.down.Store(true)
	c.t = c.t.Add(6 * time.Minute)
	send(t, m, qrTickMsg{id: id})
	ps := cur[*payScreen](t, m)
	if ps.p.State != pos.PaymentClosing || strings.Contains(viewText(m), "▀▀▀▀▀▀▀") || strings.Contains(m.c.msg, "take cash") {
		t.Fatalf("state %s msg %q\n%s", ps.p.State, m.c.msg, viewText(m))
	}
	net.down.Store(false)
	c.t = c.t.Add(10 * time.Second)
	send(t, m, qrTickMsg{id: id})
	if p, _ := st.Payment(id); p.State != pos.PaymentExpired || !strings.Contains(viewText(m), "This code is dead") {
		t.Fatalf("stored %s msg %q\n%s", p.State, m.c.msg, viewText(m))
	}
}
