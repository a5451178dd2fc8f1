// Package pay talks to online QR payment providers (Alipay face-to-face,
// WeChat Pay Native) behind one small interface, so the till can create
// an order, show its QR code, learn the outcome and cancel it.
//
// The protocol a caller follows, one step per tea.Cmd:
//
//  1. Derive the order number from the sale (pos.OrderNo) and store the
//     payment before the first request, so that a retry after a crash or
//     a timeout asks for the same order. Create is idempotent for the same
//     Order (same number, amount, subject and time limit).
//  2. Show the QR content Create returns and mark the payment shown.
//  3. Query, waiting NextDelay(attempt) between queries, until the state
//     is final. An ErrUnreachable from Query is not an outcome: keep
//     polling, or let the cashier fall back to cash or offline EMV QR.
//  4. When the cashier aborts, or Query says expired, call Cancel, so the
//     provider will refuse a late payment. If Cancel returns ErrPaid, the
//     customer paid after all: Query for the reference and complete the
//     sale. The till's clock decides "expired", so this Cancel step is
//     what makes the outcome certain.
package pay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tillpos/till/pos"
)

// Order is what the till asks a provider to collect. Every field must be
// the same on a retry, so derive them from the stored payment (OrderFor).
type Order struct {
	OrderNo  string    // out_trade_no, derived from the sale
	Amount   pos.Money // in minor units (fen)
	Currency string    // ISO 4217; both providers take CNY only
	Exponent int       // minor-unit digits of Currency (2 for CNY)
	Subject  string    // shown on the customer's phone and statement
	Expires  time.Time // the customer can pay until then; zero for the provider's default
}

// OrderFor builds the Order of a stored payment. Subject must not change
// between retries (use the shop name, not a clock or a counter).
func OrderFor(p pos.Payment, exponent int, subject string) Order {
	return Order{OrderNo: p.OrderNo, Amount: p.Amount, Currency: p.Currency,
		Exponent: exponent, Subject: subject, Expires: p.ExpiresAt}
}

// Check reports an order no provider could accept.
func (o Order) Check() error {
	switch {
	case o.OrderNo == "":
		return errors.New("order has no order number")
	case o.Amount <= 0:
		return fmt.Errorf("order %s: amount must be positive", o.OrderNo)
	case !strings.EqualFold(o.Currency, "CNY") || o.Exponent != 2:
		return fmt.Errorf("order %s: currency %s (exponent %d) is not supported, only CNY", o.OrderNo, o.Currency, o.Exponent)
	}
	return nil
}

// TimedOut reports whether the order's time limit has passed at now (the
// till's clock). An order without one never times out.
func (o Order) TimedOut(now time.Time) bool {
	return !o.Expires.IsZero() && !now.Before(o.Expires)
}

// Status is what a provider says about an order.
type Status struct {
	// State is PaymentShown while the customer can still pay, or one of
	// the final states paid, failed, cancelled, expired.
	State     pos.PaymentState
	Reference string // the provider's transaction number, once there is one
	Reason    string // why it failed, was cancelled or expired, in words
	Raw       string // the provider's own word for the state, for the log
}

// Provider is an online payment provider.
type Provider interface {
	// Name is "alipay" or "wechat", as stored in pos.Payment.Provider.
	Name() string
	// Create creates the order (or finds it again) and returns the QR
	// code's content. ErrPaid means the order was already paid.
	Create(ctx context.Context, o Order) (qr string, err error)
	// Query asks for the order's state. It needs the whole order: the
	// paid amount is checked against it, and an order the provider still
	// holds open past o.Expires is reported expired.
	Query(ctx context.Context, o Order) (Status, error)
	// Cancel closes the order so it can no longer be paid. ErrPaid means
	// it was paid first. Cancelling twice is fine.
	Cancel(ctx context.Context, orderNo string) error
}

// Expired is the status of an order whose time has run out unpaid; raw
// is the provider's word for it.
func Expired(raw string) Status {
	return Status{State: pos.PaymentExpired, Reason: "time limit passed", Raw: raw}
}

// Waiting is the status of an order the customer can still pay, or, once
// past its time limit, Expired. now is the till's clock.
func Waiting(o Order, now time.Time, raw string) Status {
	if o.TimedOut(now) {
		return Expired(raw)
	}
	return Status{State: pos.PaymentShown, Raw: raw}
}

// DefaultTimeout bounds every request to a provider.
const DefaultTimeout = 3 * time.Second

var delays = [...]time.Duration{time.Second, time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second}

// NextDelay is how long to wait before query number attempt (counting
// from 0): 1s, 1s, 2s, 3s, then every 5s.
func NextDelay(attempt int) time.Duration {
	if attempt < 0 {
		attempt = 0
	}
	if attempt >= len(delays) {
		return delays[len(delays)-1]
	}
	return delays[attempt]
}

// Wait polls p until the order reaches a final state or ctx ends. It is
// for command-line tools and tests; the TUI polls one Query per tea.Cmd.
// Unreachable errors are retried; any other error ends the wait.
func Wait(ctx context.Context, p Provider, o Order) (Status, error) {
	for attempt := 0; ; attempt++ {
		st, err := p.Query(ctx, o)
		switch {
		case err != nil && !errors.Is(err, ErrUnreachable):
			return st, err
		case err == nil && st.State.Final():
			return st, nil
		}
		t := time.NewTimer(NextDelay(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return st, ctx.Err()
		case <-t.C:
		}
	}
}
