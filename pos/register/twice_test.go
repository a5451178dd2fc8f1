package register

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

// shownQR starts an online QR payment of one tea and marks it shown.
func shownQR(t *testing.T, r *Register, c *clock) pos.Payment {
	t.Helper()
	p, err := r.StartQR(context.Background(), teaCart(1), c.t, 1250, false)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = r.MoveQR(p.ID, pos.PaymentShown, ""); err != nil {
		t.Fatal(err)
	}
	return p
}

// Finding 1: the till's clock runs ahead of the provider's, so the till
// sees its deadline pass while the provider still takes payment. A poll
// past the deadline must close the order at the provider and end expired
// only once the provider confirms; a late Pay on the phone is refused.
// Before, PollQR stored "expired" straight from the query, never closed
// the order, and the customer could then pay it.
func TestExpiryIsReachedOnlyThroughAConfirmedClose(t *testing.T) {
	simC := &clock{time.Now()}
	tillC := &clock{simC.t}
	provs, base, sim := simWith(t, func() time.Time { return simC.t }, tillC.now)
	for name, prov := range provs {
		t.Run(name, func(t *testing.T) {
			r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), tillC)
			r.QR.Online, r.QR.Expiry = prov, time.Minute
			p := shownQR(t, r, tillC)
			if _, err := http.Get(p.Payload); err != nil { // scanned, not paid yet
				t.Fatal(err)
			}
			tillC.t = tillC.t.Add(61 * time.Second) // the till's deadline passes; the provider's not
			got, err := r.PollQR(context.Background(), p.ID)
			if err != nil || got.State != pos.PaymentExpired {
				t.Fatalf("poll past the deadline: %s %v", got.State, err)
			}
			if o, _ := sim.Order(name, p.OrderNo); o.State != pos.PaymentCancelled {
				t.Fatalf("the provider still has the order %s: it was never closed", o.State)
			}
			if code := phone(t, base, p.Payload, "pay"); code == http.StatusOK {
				t.Fatal("the customer paid an order the till called expired")
			}
			tillC.t = simC.t
		})
	}
}

// closeRace is a provider whose customer pays at the last second: the
// payment reaches the provider just as the till's close goes out.
type closeRace struct {
	pay.Provider
	payNow func()
}

func (c closeRace) Close(ctx context.Context, o pay.Order) (pay.Status, error) {
	c.payNow()
	return c.Provider.Close(ctx, o)
}

// The "done when": a customer paying at the last second before
// expiry ends in exactly one paid sale and no cash. The register never
// answers cancelled, expired or failed on the way.
func TestLastSecondPaymentIsOnePaidSaleAndNoCash(t *testing.T) {
	simC := &clock{time.Now()}
	tillC := &clock{simC.t}
	provs, base, _ := simWith(t, func() time.Time { return simC.t }, tillC.now)
	ctx := context.Background()
	for name, prov := range provs {
		t.Run(name, func(t *testing.T) {
			r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), tillC)
			r.QR.Expiry = time.Minute
			var p pos.Payment
			r.QR.Online = closeRace{prov, func() {
				if code := phone(t, base, p.Payload, "pay"); code != http.StatusOK {
					t.Errorf("last-second pay refused: %d", code)
				}
			}}
			p = shownQR(t, r, tillC)
			tillC.t = tillC.t.Add(time.Minute) // the screen's tick sees the deadline
			var seen []pos.PaymentState
			got, err := r.PollQR(ctx, p.ID)
			seen = append(seen, got.State)
			if err == nil && got.State != pos.PaymentPaid {
				got, err = r.EndQR(ctx, p.ID, pos.PaymentExpired, "")
				seen = append(seen, got.State)
			}
			if err != nil || got.State != pos.PaymentPaid {
				t.Fatalf("states %v, err %v; want paid", seen, err)
			}
			// The screen, or a second tick, ends it again: still paid.
			if again, err := r.EndQR(ctx, p.ID, pos.PaymentExpired, ""); err != nil || again.State != pos.PaymentPaid {
				t.Fatalf("end again: %s %v", again.State, err)
			}
			sale, err := r.CompleteQR(got, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(sale.Tenders) != 1 || sale.Tenders[0].Kind != pos.QR || sale.Change != 0 {
				t.Fatalf("tenders %+v", sale.Tenders)
			}
			if n, _ := boltOf(r).LastReceipt(); n != 1 {
				t.Fatalf("%d receipts, want one sale", n)
			}
			if _, err := r.CompleteQR(got, 0); err == nil {
				t.Fatal("the payment paid a second sale")
			}
			tillC.t = simC.t
		})
	}
}

// Finding 3: a payment that lands after the provider confirmed the
// close is noticed by the background check, after a restart too, and
// the cashier completes the sale or refunds the money to the wallet.
func TestPaymentAfterCloseIsNoticed(t *testing.T) {
	c := &clock{time.Now()}
	provs, _, sim := simWith(t, c.now, c.now)
	ctx := context.Background()
	for name, prov := range provs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			r := qrRegister(t, path, c)
			r.QR.Online = prov
			p := shownQR(t, r, c)
			got, err := r.EndQR(ctx, p.ID, pos.PaymentCancelled, "customer left")
			if err != nil || got.State != pos.PaymentCancelled {
				t.Fatalf("cancel: %s %v", got.State, err)
			}
			if chk, err := r.CheckPayments(ctx); err != nil || len(chk.LatePaid) != 0 {
				t.Fatalf("check before: %+v %v", chk, err)
			}
			if err := sim.PayLate(name, p.OrderNo); err != nil {
				t.Fatal(err)
			}
			// The till restarts before the next check.
			boltOf(r).Close()
			r = qrRegister(t, path, c)
			r.QR.Online = prov
			chk, err := r.CheckPayments(ctx)
			if err != nil || len(chk.LatePaid) != 1 || chk.LatePaid[0].ID != p.ID || chk.LatePaid[0].LateRef == "" {
				t.Fatalf("check after the late payment: %+v %v", chk, err)
			}
			if name == "alipay" {
				w, err := r.RefundLate(ctx, p.ID, "")
				if err != nil || w.State != pos.WalletRefunded || w.Amount != 1250 {
					t.Fatalf("refund late: %+v %v", w, err)
				}
				if back, n := sim.Refunds(name, p.OrderNo); back != 1250 || n != 1 {
					t.Fatalf("simulator refunded %d in %d refunds", back, n)
				}
			} else {
				sale, err := r.CompleteLate(p.ID, 0)
				if err != nil || sale.ID != p.SaleID || sale.Tenders[0].Reference != chk.LatePaid[0].LateRef {
					t.Fatalf("complete late: %+v %v", sale, err)
				}
			}
			if late, _ := r.LatePayments(); len(late) != 0 {
				t.Fatalf("still late: %+v", late)
			}
			if _, err := r.CompleteLate(p.ID, 0); err == nil {
				t.Fatal("a late payment resolved twice")
			}
		})
	}
	// An order that stays closed is let go after WatchFor.
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR.Online = provs["wechat"]
	p := shownQR(t, r, c)
	if _, err := r.EndQR(ctx, p.ID, pos.PaymentCancelled, ""); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(WatchFor + time.Minute)
	if _, err := r.CheckPayments(ctx); err != nil {
		t.Fatal(err)
	}
	if w, _ := r.Store.WatchedPayments(); len(w) != 0 {
		t.Fatalf("still watching %d", len(w))
	}
}

// mismatch is a provider whose every answer reports another amount.
type mismatch struct{ pay.Provider }

func (mismatch) Query(_ context.Context, o pay.Order) (pay.Status, error) {
	return pay.Status{}, &pay.Error{Provider: "wechat", Op: "query", OrderNo: o.OrderNo, Kind: pay.ErrMismatch}
}

// Finding 4: an amount mismatch while polling reaches the cashier in
// words (and stays on the payment); WeChat orders never expire under a
// minute; a clock off by more than a minute is warned about.
func TestProblemsReachTheCashier(t *testing.T) {
	simC := &clock{time.Now()}
	tillC := &clock{simC.t.Add(2 * time.Minute)} // the till's clock runs 2 minutes ahead
	provs, _, sim := simWith(t, func() time.Time { return simC.t }, tillC.now)
	ctx := context.Background()
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), tillC)
	r.QR.Online, r.QR.Expiry = mismatch{provs["wechat"]}, 30*time.Second
	p := shownQR(t, r, tillC)
	if d := p.ExpiresAt.Sub(p.Created); d != time.Minute {
		t.Fatalf("online expiry %s, want at least a minute", d)
	}
	if o, _ := sim.Order("wechat", p.OrderNo); o.Expires.Sub(simC.t) < 59*time.Second {
		t.Fatalf("WeChat was asked for an expiry of %s", o.Expires.Sub(simC.t))
	}
	got, err := r.PollQR(ctx, p.ID)
	if !errors.Is(err, pay.ErrMismatch) || got.Problem != pay.Words(err) || !strings.Contains(got.Problem, "different amount") {
		t.Fatalf("mismatch: %q %v", got.Problem, err)
	}
	if stored, _ := r.Store.Payment(p.ID); stored.Problem == "" || stored.State.Final() {
		t.Fatalf("stored %+v", stored)
	}
	r.QR.Online = provs["wechat"]
	if w, err := r.CheckClock(ctx); err != nil || !strings.Contains(w, "ahead of wechat") {
		t.Fatalf("clock warning %q %v", w, err)
	}
	tillC.t = simC.t
	if w, _ := r.CheckClock(ctx); w != "" {
		t.Fatalf("clock warning with the right time: %q", w)
	}
}

// After a restart with more than one payment waiting, the background
// check closes the ones past their time at the provider: none stays
// payable unnoticed.
func TestBackgroundCheckClosesForgottenPayments(t *testing.T) {
	c := &clock{time.Now()}
	provs, base, sim := simWith(t, c.now, c.now)
	path := filepath.Join(t.TempDir(), "t.db")
	r := qrRegister(t, path, c)
	r.QR.Online = provs["wechat"]
	a, b := shownQR(t, r, c), shownQR(t, r, c)
	boltOf(r).Close()
	r = qrRegister(t, path, c)
	r.QR.Online = provs["wechat"]
	c.t = c.t.Add(r.QR.Expiry + ScreenGrace)
	if _, err := r.CheckPayments(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []pos.Payment{a, b} {
		got, _ := r.Store.Payment(p.ID)
		o, _ := sim.Order("wechat", p.OrderNo)
		if got.State != pos.PaymentExpired || o.State != pos.PaymentCancelled {
			t.Fatalf("payment %s, provider %s", got.State, o.State)
		}
		if code := phone(t, base, p.Payload, "pay"); code == http.StatusOK {
			t.Fatal("a forgotten order took money")
		}
	}
}

// An online payment cannot be ended by hand: only the provider's answer
// (through PollQR or EndQR) ends it.
func TestOnlinePaymentsAreNotEndedByHand(t *testing.T) {
	c := &clock{time.Now()}
	provs, _, _ := simWith(t, c.now, c.now)
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR.Online = provs["alipay"]
	p := shownQR(t, r, c)
	c.t = c.t.Add(r.QR.Expiry)
	for _, to := range []pos.PaymentState{pos.PaymentExpired, pos.PaymentCancelled, pos.PaymentPaid, pos.PaymentFailed} {
		if _, err := r.MoveQR(p.ID, to, ""); err == nil {
			t.Errorf("moved by hand to %s", to)
		}
	}
	if got, _ := r.Store.Payment(p.ID); got.State != pos.PaymentShown {
		t.Fatalf("state %s", got.State)
	}
}
