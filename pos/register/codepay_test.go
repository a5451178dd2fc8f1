package register

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/paysim"
)

// codeRegister is a till with both wallets set up for payment codes.
func codeRegister(t *testing.T, path string, c *clock, provs map[string]pay.Provider) *Register {
	t.Helper()
	r := qrRegister(t, path, c)
	r.QR.Wallets = []pay.Provider{provs["alipay"], provs["wechat"]}
	return r
}

func TestCodePayFlows(t *testing.T) {
	c := &clock{time.Now()}
	provs, _, sim := simWith(t, c.now, c.now)
	ctx := context.Background()
	issue := func(t *testing.T, name string, b paysim.Behaviour) string {
		t.Helper()
		code, err := sim.IssueCode(name, b)
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	for _, name := range []string{"alipay", "wechat"} {
		t.Run(name+"/pays at once", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			r := codeRegister(t, path, c, provs)
			code := issue(t, name, paysim.PayNow)
			p, err := r.StartCodePay(ctx, teaCart(2), c.t, 2500, code)
			if err != nil || p.State != pos.PaymentPaid || p.Provider != name || p.Flow != pos.FlowCode || p.Reference == "" {
				t.Fatalf("start: %+v %v", p, err)
			}
			sale, err := r.CompleteQR(p, 0)
			if err != nil || sale.Tenders[0].Provider != name || sale.Tenders[0].Reference != p.Reference {
				t.Fatalf("sale %+v %v", sale, err)
			}
			// The code is a one-time bearer token: only its tail is kept.
			boltOf(r).Close()
			raw, _ := os.ReadFile(path)
			if strings.Contains(string(raw), code) || p.CodeTail != code[len(code)-4:] {
				t.Fatal("the whole payment code is in the database")
			}
		})
		t.Run(name+"/password", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			r := codeRegister(t, path, c, provs)
			code := issue(t, name, paysim.Password)
			p, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, code)
			if err != nil || p.State != pos.PaymentPaying {
				t.Fatalf("start: %s %v", p.State, err)
			}
			// A second scan is refused while this attempt may still charge.
			if _, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, name, paysim.PayNow)); !errors.Is(err, ErrAttemptOpen) {
				t.Fatalf("second scan: %v", err)
			}
			c.t = c.t.Add(CodePollEvery)
			if p, err = r.PollCodePay(ctx, p.ID); err != nil || p.State != pos.PaymentPaying {
				t.Fatalf("poll: %s %v", p.State, err)
			}
			// The till crashes while the customer types the password.
			boltOf(r).Close()
			r = codeRegister(t, path, c, provs)
			open, ok, err := r.OpenCodePay()
			if err != nil || !ok || open.ID != p.ID {
				t.Fatalf("resume: %+v %v %v", open, ok, err)
			}
			if err := sim.EnterPassword(code); err != nil {
				t.Fatal(err)
			}
			c.t = c.t.Add(CodePollEvery)
			if p, err = r.PollCodePay(ctx, p.ID); err != nil || p.State != pos.PaymentPaid {
				t.Fatalf("after the password: %s %v", p.State, err)
			}
			if _, ok, _ := r.OpenCodePay(); ok {
				t.Fatal("a paid attempt is still open")
			}
		})
		t.Run(name+"/too slow, reversed", func(t *testing.T) {
			r := codeRegister(t, filepath.Join(t.TempDir(), "t.db"), c, provs)
			code := issue(t, name, paysim.Password)
			p, _ := r.StartCodePay(ctx, teaCart(1), c.t, 1250, code)
			c.t = c.t.Add(CodeLimit)
			got, err := r.PollCodePay(ctx, p.ID)
			if err != nil || got.State != pos.PaymentReversed {
				t.Fatalf("past the limit: %s %v", got.State, err)
			}
			if o, _ := sim.Order(name, p.OrderNo); o.State != pos.PaymentCancelled {
				t.Fatalf("provider has the order %s", o.State)
			}
			if err := sim.EnterPassword(code); err == nil {
				t.Fatal("the customer paid a reversed order")
			}
			// Now a new scan is taken, with a new order number.
			q, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, name, paysim.PayNow))
			if err != nil || q.State != pos.PaymentPaid || q.OrderNo == p.OrderNo {
				t.Fatalf("next scan: %+v %v", q, err)
			}
		})
		t.Run(name+"/declined", func(t *testing.T) {
			r := codeRegister(t, filepath.Join(t.TempDir(), "t.db"), c, provs)
			p, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, name, paysim.Decline))
			if err != nil || p.State != pos.PaymentFailed || p.Reason == "" {
				t.Fatalf("decline: %+v %v", p, err)
			}
		})
		t.Run(name+"/paid during the reverse", func(t *testing.T) {
			r := codeRegister(t, filepath.Join(t.TempDir(), "t.db"), c, provs)
			p, _ := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, name, paysim.Race))
			c.t = c.t.Add(CodeLimit)
			got, err := r.PollCodePay(ctx, p.ID)
			if err != nil || got.State != pos.PaymentReversed || !strings.Contains(got.Reason, "refunded") {
				t.Fatalf("race: %+v %v", got, err)
			}
			if o, _ := sim.Order(name, p.OrderNo); o.State != pos.PaymentCancelled {
				t.Fatalf("the race left the order %s", o.State)
			}
			// The background check asks about it again: refunded by the
			// reverse is not a payment after the close.
			if chk, err := r.CheckPayments(ctx); err != nil || len(chk.LatePaid) != 0 {
				t.Fatalf("check: %+v %v", chk, err)
			}
		})
		t.Run(name+"/no answer", func(t *testing.T) {
			r := codeRegister(t, filepath.Join(t.TempDir(), "t.db"), c, provs)
			sim.SetDown(true)
			p, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, name, paysim.PayNow))
			sim.SetDown(false)
			if !errors.Is(err, pay.ErrUnreachable) || p.ID == "" || p.State != pos.PaymentSubmitted {
				t.Fatalf("unreachable: %+v %v", p, err)
			}
			c.t = c.t.Add(CodeLimit)
			chk, err := r.CheckPayments(ctx) // the background check finishes it
			if err != nil || len(chk.Unresolved) != 0 {
				t.Fatalf("check: %+v %v", chk, err)
			}
			if got, _ := r.Store.Payment(p.ID); got.State != pos.PaymentReversed {
				t.Fatalf("after the check: %s", got.State)
			}
		})
	}
	t.Run("wechat/no reverse in the first 15s", func(t *testing.T) {
		r := codeRegister(t, filepath.Join(t.TempDir(), "t.db"), c, provs)
		p, _ := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, "wechat", paysim.Password))
		got, err := r.CancelCodePay(ctx, p.ID)
		if !errors.Is(err, ErrNotConfirmed) || got.State != pos.PaymentReversing {
			t.Fatalf("cancel at once: %s %v", got.State, err)
		}
		c.t = c.t.Add(WeChatReverseAfter)
		if got, err = r.PollCodePay(ctx, p.ID); err != nil || got.State != pos.PaymentReversed {
			t.Fatalf("after 15s: %s %v", got.State, err)
		}
	})
	t.Run("stopped before submitting", func(t *testing.T) {
		r := codeRegister(t, filepath.Join(t.TempDir(), "t.db"), c, provs)
		p, err := r.newPayment(teaCart(1), c.t, 1250, "alipay", func(p *pos.Payment) { p.Flow = pos.FlowCode }, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, "alipay", paysim.PayNow)); !errors.Is(err, ErrAttemptOpen) {
			t.Fatalf("scan with one open: %v", err)
		}
		if got, err := r.PollCodePay(ctx, p.ID); err != nil || got.State != pos.PaymentFailed {
			t.Fatalf("resume: %s %v", got.State, err)
		}
		if q, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, issue(t, "alipay", paysim.PayNow)); err != nil || q.State != pos.PaymentPaid {
			t.Fatalf("next scan: %s %v", q.State, err)
		}
	})
	t.Run("not a payment code", func(t *testing.T) {
		r := codeRegister(t, filepath.Join(t.TempDir(), "t.db"), c, provs)
		for _, scan := range []string{"6901234567892", "6212345678901234567"} {
			if _, err := r.StartCodePay(ctx, teaCart(1), c.t, 1250, scan); err == nil {
				t.Errorf("%s charged", scan)
			}
		}
		if open, _ := r.Store.OpenPayments(); len(open) != 0 {
			t.Fatalf("a refused scan stored %d payments", len(open))
		}
	})
}

// lostAnswer is a wallet whose reverse reaches the provider but whose
// answer is lost the first time.
type lostAnswer struct {
	pay.Provider
	lost *int
}

func (l lostAnswer) PayCode(ctx context.Context, o pay.Order, code string) (pay.Status, error) {
	return l.Provider.(pay.CodePayer).PayCode(ctx, o, code)
}

func (l lostAnswer) Reverse(ctx context.Context, o pay.Order) (pay.Status, error) {
	st, err := l.Provider.(pay.CodePayer).Reverse(ctx, o)
	if *l.lost > 0 {
		*l.lost--
		return pay.Status{}, &pay.Error{Provider: "wechat", Op: "reverse", OrderNo: o.OrderNo, Kind: pay.ErrUnreachable}
	}
	return st, err
}

// A reverse that refunded a last-second payment, whose answer was lost,
// ends reversed on the next try: WeChat's REFUND is not "paid".
func TestReverseAfterLostAnswerStaysReversed(t *testing.T) {
	c := &clock{time.Now()}
	provs, _, sim := simWith(t, c.now, c.now)
	lost := 1
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR.Wallets = []pay.Provider{lostAnswer{provs["wechat"], &lost}}
	code, _ := sim.IssueCode("wechat", paysim.Race)
	ctx := context.Background()
	p, _ := r.StartCodePay(ctx, teaCart(1), c.t, 1250, code)
	c.t = c.t.Add(CodeLimit)
	if got, err := r.PollCodePay(ctx, p.ID); !errors.Is(err, ErrNotConfirmed) || got.State != pos.PaymentReversing {
		t.Fatalf("lost answer: %s %v", got.State, err)
	}
	got, err := r.PollCodePay(ctx, p.ID)
	if err != nil || got.State != pos.PaymentReversed {
		t.Fatalf("next try: %s %v", got.State, err)
	}
}
