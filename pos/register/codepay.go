package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

// Timings of a payment-code payment (付款码). The customer may have to
// enter a password on the phone: the till asks every CodePollEvery, and
// once CodeLimit has passed since the code was submitted it reverses the
// order. WeChat asks not to reverse within its first 15 seconds.
const (
	CodePollEvery      = 5 * time.Second
	CodeLimit          = 45 * time.Second
	WeChatReverseAfter = 15 * time.Second
)

// Errors of the payment-code flow, for errors.Is.
var (
	ErrNotPayCode = errors.New("not a payment code")
	// ErrAttemptOpen refuses a new scan while an earlier attempt may still
	// charge the customer.
	ErrAttemptOpen = errors.New("the previous payment-code attempt is not finished yet")
)

// codePayer returns the code-taking provider for a scanned code's kind.
func (r *Register) codePayer(name string) (pay.Provider, pay.CodePayer, error) {
	prov, err := r.providerNamed(name)
	if err != nil {
		return nil, nil, err
	}
	cp, ok := prov.(pay.CodePayer)
	if !ok {
		return nil, nil, fmt.Errorf("%s on this till does not take payment codes", name)
	}
	return prov, cp, nil
}

// OpenCodePay returns the payment-code attempt that is not final yet, if
// any: the screen resumes it (after a crash too) before a new scan.
func (r *Register) OpenCodePay() (pos.Payment, bool, error) {
	ps, err := r.Store.OpenPayments()
	if err != nil {
		return pos.Payment{}, false, err
	}
	for _, p := range ps {
		if p.Flow == pos.FlowCode && !p.State.Final() {
			return p, true, nil
		}
	}
	return pos.Payment{}, false, nil
}

// StartCodePay charges amount of the cart (all of it, or the electronic
// part of a split) to the customer's payment code, as scanned. The code
// is recognised by prefix and length (pos.ClassifyPayCode) and sent to
// its wallet. A new attempt gets its own order number (from a fresh sale
// ID), stored with the payment as submitted before the request, so a
// crash or timeout finds the same order; a new scan is refused with
// ErrAttemptOpen while an earlier attempt is not final.
//
// The payment comes back submitted (outcome unknown: poll), paying (the
// customer is entering a password: poll), paid (complete the sale with
// CompleteQR) or failed (declined: take another code or other money).
// An error with a stored payment (p.ID set) leaves it to be polled; an
// error without one means nothing was sent.
func (r *Register) StartCodePay(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money, scan string) (pos.Payment, error) {
	code, kind := pos.ClassifyPayCode(scan)
	if kind == pos.CodeNone {
		return pos.Payment{}, fmt.Errorf("%w: %q is not an Alipay, WeChat or UnionPay payment code", ErrNotPayCode, pos.CodeTail(scan))
	}
	if kind == pos.CodeUnionPay {
		return pos.Payment{}, errors.New("UnionPay payment codes are not taken on this till; ask for Alipay or WeChat, or take other money")
	}
	if r.QR == nil {
		return pos.Payment{}, ErrNoQR
	}
	prov, cp, err := r.codePayer(string(kind))
	if err != nil {
		return pos.Payment{}, err
	}
	if open, ok, err := r.OpenCodePay(); err != nil {
		return pos.Payment{}, err
	} else if ok {
		return open, fmt.Errorf("%w (payment %s is %s)", ErrAttemptOpen, open.ID, open.State)
	}
	now := r.Now()
	p, err := r.newPayment(c, started, amount, prov.Name(), func(p *pos.Payment) {
		p.Flow, p.CodeTail, p.ExpiresAt = pos.FlowCode, pos.CodeTail(code), now.Add(CodeLimit)
	}, nil)
	if err != nil {
		return pos.Payment{}, err
	}
	if p, err = r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error {
		q.Submitted = now
		return q.To(pos.PaymentSubmitted, now)
	}); err != nil {
		return p, err
	}
	st, err := cp.PayCode(ctx, r.order(p), code)
	if err != nil {
		return r.problem(p, err) // unknown: PollCodePay queries, then reverses
	}
	return r.recordCode(p, st)
}

// recordCode stores a code payment's new state from a provider's answer.
func (r *Register) recordCode(p pos.Payment, st pay.Status) (pos.Payment, error) {
	switch st.State {
	case pos.PaymentPaid, pos.PaymentFailed:
		return r.record(p, st)
	case pos.PaymentPaying:
		if p.State == pos.PaymentSubmitted {
			now := r.Now()
			return r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error {
				q.Problem = ""
				if q.State != pos.PaymentSubmitted {
					return nil // moved on meanwhile
				}
				return q.To(pos.PaymentPaying, now)
			})
		}
	}
	return r.record(p, pay.Status{State: pos.PaymentShown})
}

// PollCodePay asks once about a payment-code payment and moves it on:
// paid or failed when the wallet says so; reversing once the customer
// has taken longer than CodeLimit, the provider closed the order, or the
// cashier cancelled; reversed when the provider confirms the reverse.
// Call it every CodePollEvery while the payment is not final (also for
// one found open at start-up). An error leaves it as it was, to be
// polled again; pay.Words(err) says what it means.
func (r *Register) PollCodePay(ctx context.Context, id string) (pos.Payment, error) {
	p, err := r.Store.Payment(id)
	if err != nil || p.State.Final() || p.Flow != pos.FlowCode {
		return p, err
	}
	switch p.State {
	case pos.PaymentReversing:
		return r.reverse(ctx, p)
	case pos.PaymentCreated:
		// Stored, but the till stopped before it marked the attempt
		// submitted, which comes before the request: nothing was sent.
		return r.record(p, pay.Status{State: pos.PaymentFailed, Reason: "never sent: the till stopped first; scan again"})
	}
	prov, _, err := r.codePayer(p.Provider)
	if err != nil {
		return p, err
	}
	late := !r.Now().Before(p.Submitted.Add(CodeLimit))
	st, err := prov.Query(ctx, r.order(p))
	switch {
	case err != nil && late && !errors.Is(err, pay.ErrMismatch):
		// No answer and out of time: withdraw the order at once, as Alipay
		// asks, so it cannot stay charged on one side only.
		return r.beginReverse(ctx, p, "no answer in time")
	case err != nil:
		return r.problem(p, err)
	case st.State == pos.PaymentPaid || st.State == pos.PaymentFailed:
		return r.record(p, st)
	case st.State == pos.PaymentCancelled:
		return r.beginReverse(ctx, p, st.Reason)
	case late:
		return r.beginReverse(ctx, p, "the customer did not confirm in time")
	}
	return r.recordCode(p, st)
}

// CancelCodePay withdraws a payment-code payment the cashier gives up
// on: it goes reversing and ends reversed once the provider confirms (or
// paid, if the customer paid first). Until then the error matches
// ErrNotConfirmed and PollCodePay carries on with the reverse.
func (r *Register) CancelCodePay(ctx context.Context, id string) (pos.Payment, error) {
	p, err := r.Store.Payment(id)
	if err != nil || p.State.Final() {
		return p, err
	}
	if p.Flow != pos.FlowCode {
		return p, fmt.Errorf("payment %s is not a payment-code payment", id)
	}
	if p.State == pos.PaymentReversing {
		return r.reverse(ctx, p)
	}
	return r.beginReverse(ctx, p, "cancelled by the cashier")
}

func (r *Register) beginReverse(ctx context.Context, p pos.Payment, reason string) (pos.Payment, error) {
	now := r.Now()
	p, err := r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error {
		if q.State == pos.PaymentReversing || q.State.Final() {
			return nil // reversing or ended already
		}
		if reason != "" {
			q.Reason = reason
		}
		return q.To(pos.PaymentReversing, now)
	})
	if err != nil || p.State.Final() {
		return p, err
	}
	return r.reverse(ctx, p)
}

// reverse asks the provider once more whether the order was paid (it
// may have been, just now), and if not withdraws it and confirms.
func (r *Register) reverse(ctx context.Context, p pos.Payment) (pos.Payment, error) {
	prov, cp, err := r.codePayer(p.Provider)
	if err != nil {
		return p, err
	}
	if st, err := prov.Query(ctx, r.order(p)); err == nil && st.State == pos.PaymentPaid {
		if st.Refunded {
			// Paid, and given back by an earlier try of this reverse whose
			// answer was lost: nothing stays charged.
			return r.record(p, pay.Status{State: pos.PaymentReversed, Reference: st.Reference,
				Reason: "the customer paid during the reverse; the reverse refunded it", Raw: st.Raw})
		}
		return r.record(p, st)
	}
	if p.Provider == "wechat" && r.Now().Before(p.Submitted.Add(WeChatReverseAfter)) {
		return p, fmt.Errorf("%w: WeChat Pay takes no reverse in the first %s; asking again", ErrNotConfirmed, WeChatReverseAfter)
	}
	st, err := cp.Reverse(ctx, r.order(p))
	if err != nil {
		q, perr := r.problem(p, err)
		return q, fmt.Errorf("%w: %w", ErrNotConfirmed, perr)
	}
	if st.State != pos.PaymentPaid {
		reason := st.Reason
		if p.Reason != "" && reason != "" {
			reason = p.Reason + "; " + reason
		} else if reason == "" {
			reason = p.Reason
		}
		st = pay.Status{State: pos.PaymentReversed, Reference: st.Reference, Reason: reason, Raw: st.Raw}
	}
	return r.record(p, st)
}
