// Package pay talks to online payment providers (Alipay face-to-face,
// WeChat Pay Native and code payment) behind small interfaces, so the
// till can create an order, show its QR code, learn the outcome, close
// it, take a customer's payment code, and refund to the wallet.
//
// The protocol a caller follows for a QR order, one step per tea.Cmd:
//
//  1. Derive the order number from the sale (pos.OrderNo) and store the
//     payment before the first request, so that a retry after a crash or
//     a timeout asks for the same order. Create is idempotent for the same
//     Order (same number, amount, subject and time limit).
//  2. Show the QR content Create returns and mark the payment shown.
//  3. Query, waiting NextDelay(attempt) between queries, until the state
//     is final. Query never reports an order expired: the till's clock
//     is not the provider's, and a provider may still take a payment
//     after the till's deadline.
//  4. When the cashier aborts, or the till's time limit passes, call
//     Close until it confirms the order closed (or paid). Only then may
//     the cashier take other money. Any error from Close leaves the
//     outcome unknown: call it again.
//
// No answer that changes a payment's outcome is taken without a valid
// signature: an unsigned error is reported as ErrUnreachable (unknown).
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
	// Window is how long the customer has from the order's creation
	// (Expires minus the payment's creation time), for the providers'
	// relative time limits; zero when Expires is.
	Window time.Duration
}

// OrderFor builds the Order of a stored payment. Subject must not change
// between retries (use the shop name, not a clock or a counter).
func OrderFor(p pos.Payment, exponent int, subject string) Order {
	o := Order{OrderNo: p.OrderNo, Amount: p.Amount, Currency: p.Currency,
		Exponent: exponent, Subject: subject, Expires: p.ExpiresAt}
	if !p.ExpiresAt.IsZero() && !p.Created.IsZero() {
		o.Window = p.ExpiresAt.Sub(p.Created)
	}
	return o
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
// till's clock). An order without one never times out. Timing out is the
// till's reason to Close the order, never an outcome by itself.
func (o Order) TimedOut(now time.Time) bool {
	return !o.Expires.IsZero() && !now.Before(o.Expires)
}

// Status is what a provider says about an order.
type Status struct {
	// State is one of
	//   - pos.PaymentShown: open, the customer can still pay (or has not
	//     scanned yet);
	//   - pos.PaymentPaying: the customer is entering a password;
	//   - pos.PaymentPaid: paid, for the order's amount;
	//   - pos.PaymentFailed: the provider refused the payment for good;
	//   - pos.PaymentCancelled: closed, cancelled or reversed at the
	//     provider, confirmed: nothing stays charged.
	State     pos.PaymentState
	Reference string // the provider's transaction number, once there is one
	Reason    string // why it failed or was closed, in words
	Raw       string // the provider's own word for the state, for the log
	// Refunded is set on a paid order whose money (some or all) went
	// back since: WeChat's REFUND, which a reverse of a payment that
	// landed meanwhile also leaves.
	Refunded bool
}

// Open reports whether the customer may still pay.
func (s Status) Open() bool { return s.State == pos.PaymentShown || s.State == pos.PaymentPaying }

// Provider is an online payment provider.
type Provider interface {
	// Name is "alipay" or "wechat", as stored in pos.Payment.Provider.
	Name() string
	// Create creates the order (or finds it again) and returns the QR
	// code's content. ErrPaid means the order was already paid.
	Create(ctx context.Context, o Order) (qr string, err error)
	// Query asks for the order's state. It needs the whole order: the
	// paid amount is checked against it.
	Query(ctx context.Context, o Order) (Status, error)
	// Close closes the order so it can no longer be paid, and asks again
	// until the provider confirms: the answer is PaymentCancelled
	// (closed), PaymentPaid (the customer paid first) or PaymentFailed.
	// An error means not confirmed: call Close again. Closing twice is fine.
	Close(ctx context.Context, o Order) (Status, error)
}

// CodePayer takes the customer's payment code (付款码): the cashier
// scans the code the customer's wallet shows.
type CodePayer interface {
	// PayCode submits the code for the order. The answer is
	// PaymentPaid, PaymentPaying (Query until it ends) or PaymentFailed;
	// an error leaves the outcome unknown: Query, then Reverse.
	PayCode(ctx context.Context, o Order, code string) (Status, error)
	// Reverse withdraws the order (Alipay cancel, WeChat reverse) and
	// confirms it with a query: PaymentCancelled (reversed; a payment that
	// landed meanwhile was refunded by it) or PaymentPaid. An error
	// means not confirmed: Query and Reverse again.
	Reverse(ctx context.Context, o Order) (Status, error)
}

// RefundOrder is a refund of (part of) a paid order to the customer's
// wallet. RequestNo is derived from the till's refund record and stored
// before the first request, so a retry never refunds twice.
type RefundOrder struct {
	OrderNo   string    // the paid order's out_trade_no
	RequestNo string    // out_request_no / out_refund_no
	Amount    pos.Money // to give back now
	Total     pos.Money // the order's amount (WeChat wants it)
	Reason    string
}

// RefundStatus is what a provider says about a refund.
type RefundStatus struct {
	State     pos.WalletRefundState // processing, refunded or failed
	Reference string                // the provider's refund number
	Reason    string
	Raw       string
}

// Refunder gives money back to the wallet that paid.
type Refunder interface {
	// Refund asks for the refund; sending it again with the same
	// RequestNo is safe. An error leaves it unknown: QueryRefund, or
	// Refund again.
	Refund(ctx context.Context, r RefundOrder) (RefundStatus, error)
	// QueryRefund asks how the refund went. A refund the provider does
	// not know (never received) comes back as pos.WalletPending: send it.
	QueryRefund(ctx context.Context, r RefundOrder) (RefundStatus, error)
}

// ClockChecker is a provider whose answers carry the provider's time.
type ClockChecker interface {
	// Skew is how far the till's clock was from the provider's in the
	// last signed answer (positive: the till is ahead); ok is false
	// before any answer.
	Skew() (d time.Duration, ok bool)
}

// MaxClockSkew is how far off the till's clock may be before the
// cashier is warned (WeChat refuses answers five minutes off).
const MaxClockSkew = time.Minute

// DefaultTimeout bounds every request to a provider.
const DefaultTimeout = 3 * time.Second

// The query schedule of an order the customer scans. Most customers pay
// within the first half minute of seeing the code, so the till asks
// often then and backs off after. The counter's pay screen wakes once a
// second and asks on the first tick at or after NextDelay has passed
// since the last answer (Wait does the same), so on the counter:
//
//   - the first FastPolls queries go every second (about 20 s);
//   - the next MidPolls every 2 seconds (to about 30 s);
//   - then every 5 seconds until the order ends.
//
// The providers' guidance: Alipay's face-to-face QR flow queries
// alipay.trade.query every 5 seconds while the trade is WAIT_BUYER_PAY;
// WeChat Pay recommends 3-5 seconds between queries for payment codes and
// leaves the interval to the merchant for the other modes, asking only
// that the till starts querying within a minute. Neither sets a floor:
// the fast phase is the half minute in which the customer stands at the
// counter with the phone, and from then on the till asks no more often
// than both recommend.
const (
	FastPolls = 20
	MidPolls  = 5
	FastDelay = 500 * time.Millisecond  // every tick
	MidDelay  = 1500 * time.Millisecond // every second tick
	SlowDelay = 4500 * time.Millisecond // every fifth tick
)

// PollTick is how often the counter's pay screen wakes up to see whether
// a query is due.
const PollTick = time.Second

// NextDelay is the least time from the answer to query number attempt-1
// until query number attempt (counting from 0), before rounding up to
// the next PollTick.
func NextDelay(attempt int) time.Duration {
	switch {
	case attempt < FastPolls:
		return FastDelay
	case attempt < FastPolls+MidPolls:
		return MidDelay
	}
	return SlowDelay
}

// Wait polls p until the order is no longer open or ctx ends. It is
// for command-line tools and tests; the TUI polls one Query per tea.Cmd.
// Unreachable errors are retried; any other error ends the wait.
func Wait(ctx context.Context, p Provider, o Order) (Status, error) {
	start := time.Now()
	for attempt := 0; ; attempt++ {
		st, err := p.Query(ctx, o)
		switch {
		case err != nil && !errors.Is(err, ErrUnreachable):
			return st, err
		case err == nil && !st.Open():
			return st, nil
		}
		t := time.NewTimer(untilTick(start, time.Now().Add(NextDelay(attempt+1))))
		select {
		case <-ctx.Done():
			t.Stop()
			return st, ctx.Err()
		case <-t.C:
		}
	}
}

// untilTick is how long from now until the first PollTick after start
// that is not before due, as the counter's pay screen waits.
func untilTick(start, due time.Time) time.Duration {
	ticks := (due.Sub(start) + PollTick - 1) / PollTick
	return time.Until(start.Add(ticks * PollTick))
}
