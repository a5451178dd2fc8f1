package pay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

func TestNextDelay(t *testing.T) {
	// On the counter each delay is rounded up to the next tick: every
	// second, then every 2, then every 5.
	ticks := func(d time.Duration) int { return int((d + PollTick - 1) / PollTick) }
	var at int
	for i := range 200 {
		d := NextDelay(i)
		want := 5
		switch {
		case i < FastPolls:
			want = 1
		case i < FastPolls+MidPolls:
			want = 2
		}
		// An answer takes a little time: up to half a tick keeps the cadence.
		if got := ticks(d + PollTick/2 - time.Millisecond); got != want {
			t.Fatalf("query %d: every %d ticks, want %d", i, got, want)
		}
		if i < FastPolls+MidPolls {
			at += want
		}
	}
	// The fast phase covers the half minute the customer is at the counter.
	if at < 25 || at > 35 {
		t.Errorf("fast phase %d s", at)
	}
	// From then on no more often than both providers recommend (Alipay
	// every 5 s, WeChat 3-5 s).
	if ticks(SlowDelay) < 5 {
		t.Error("slow phase faster than the guidance")
	}
	if NextDelay(-1) != FastDelay {
		t.Error("negative attempt")
	}
}

func TestStatusOpen(t *testing.T) {
	for st, open := range map[pos.PaymentState]bool{pos.PaymentShown: true, pos.PaymentPaying: true,
		pos.PaymentPaid: false, pos.PaymentFailed: false, pos.PaymentCancelled: false} {
		if (Status{State: st}).Open() != open {
			t.Errorf("%s: open = %v", st, !open)
		}
	}
}

func TestWords(t *testing.T) {
	for _, kind := range []error{ErrMismatch, ErrVerify, ErrUnreachable, ErrRefused, ErrPaid} {
		w := Words(fmt.Errorf("x: %w", &Error{Kind: kind}))
		if w == "" || strings.Contains(w, "alipay") {
			t.Errorf("%v: %q", kind, w)
		}
	}
	if !strings.Contains(Words(&Error{Kind: ErrMismatch}), "different amount") {
		t.Error("mismatch words")
	}
}

func TestOrderFor(t *testing.T) {
	exp := time.Date(2026, 1, 1, 12, 5, 0, 0, time.UTC)
	p := pos.Payment{SaleID: "01J-T1", OrderNo: pos.OrderNo("01J-T1"), Amount: 1250, Currency: "CNY", ExpiresAt: exp}
	o := OrderFor(p, 2, "Shop")
	if o.OrderNo != "01JT1" || o.Amount != 1250 || o.Expires != exp || o.Subject != "Shop" || o.Check() != nil || o.Window != 0 {
		t.Fatalf("%+v %v", o, o.Check())
	}
	p.Created = exp.Add(-90 * time.Second)
	if o := OrderFor(p, 2, "Shop"); o.Window != 90*time.Second {
		t.Fatalf("window %s", o.Window)
	}
	for _, bad := range []Order{{}, {OrderNo: "X", Currency: "CNY", Exponent: 2}, {OrderNo: "X", Amount: 1, Currency: "JPY"}} {
		if bad.Check() == nil {
			t.Errorf("%+v passes", bad)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	cause := errors.New("dial tcp: connection refused")
	var err error = &Error{Provider: "wechat", Op: "create", OrderNo: "X", Kind: ErrUnreachable, Err: cause}
	err = fmt.Errorf("pay: %w", err)
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, cause) || errors.Is(err, ErrRefused) {
		t.Fatalf("kinds: %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "create" {
		t.Fatal("not an *Error")
	}
	msg := (&Error{Provider: "alipay", Op: "query", OrderNo: "X", Kind: ErrRefused, Code: "isv.invalid-signature", Message: "验签出错"}).Error()
	if msg != "alipay query X: payment provider refused the request: isv.invalid-signature (验签出错)" {
		t.Fatalf("message %q", msg)
	}
}

type scripted struct {
	calls int
	steps []func() (Status, error)
}

func (s *scripted) Name() string                                  { return "test" }
func (s *scripted) Create(context.Context, Order) (string, error) { return "", nil }
func (s *scripted) Close(context.Context, Order) (Status, error)  { return Status{}, nil }
func (s *scripted) Query(context.Context, Order) (Status, error) {
	s.calls++
	return s.steps[min(s.calls, len(s.steps))-1]()
}

func TestWait(t *testing.T) {
	paid := func() (Status, error) { return Status{State: pos.PaymentPaid, Reference: "R"}, nil }
	p := &scripted{steps: []func() (Status, error){paid}}
	if st, err := Wait(context.Background(), p, Order{}); err != nil || st.Reference != "R" {
		t.Fatalf("%+v %v", st, err)
	}
	refused := func() (Status, error) { return Status{}, ErrRefused }
	if _, err := Wait(context.Background(), &scripted{steps: []func() (Status, error){refused}}, Order{}); !errors.Is(err, ErrRefused) {
		t.Fatalf("refusal: %v", err)
	}
	// Unreachable is retried until the context ends.
	down := func() (Status, error) { return Status{}, ErrUnreachable }
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := Wait(ctx, &scripted{steps: []func() (Status, error){down}}, Order{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("unreachable: %v", err)
	}
}
