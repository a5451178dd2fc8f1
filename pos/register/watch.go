package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/staff"
)

// WatchFor is how long after a close the background check keeps asking
// about an order: payments have been seen landing after a close.
const WatchFor = 15 * time.Minute

// ScreenGrace is how long past its time limit a QR payment is left to
// the pay screen before the background check closes it.
const ScreenGrace = 30 * time.Second

// Check is what one background pass found, for the screens.
type Check struct {
	// LatePaid are payments the provider reported paid after it had
	// confirmed their order closed. The cashier resolves each with
	// CompleteLate (the customer still wants the goods and paid nothing
	// else) or RefundLate (the money goes back to the wallet).
	LatePaid []pos.Payment
	// Unresolved are payments that may still charge the customer: closing
	// or reversing orders the provider has not confirmed yet.
	Unresolved []pos.Payment
	// Refunds are wallet refunds not final yet (pending or processing).
	Refunds []pos.WalletRefund
	// Clock is a warning when the till's clock is off the provider's by
	// more than pay.MaxClockSkew; empty when it is not (or not known).
	Clock string
	// Errors are the providers' failures during the pass, for the log.
	Errors []error
}

// CheckPayments is the background check, one pass: the screen runs it
// every few seconds (and at start-up) in a tea.Cmd. It finishes closing
// and reversing orders, resumes payment-code attempts left past their
// limit (a crash), asks again about orders closed within WatchFor (a
// payment after the close is recorded as late), and sends or confirms
// wallet refunds. Its cost grows with the open work, not the history.
func (r *Register) CheckPayments(ctx context.Context) (Check, error) {
	var out Check
	open, err := r.Store.OpenPayments()
	if err != nil {
		return out, err
	}
	now := r.Now()
	for _, p := range open {
		if !p.Online() || p.State.Final() {
			continue
		}
		var q pos.Payment
		switch {
		case p.State == pos.PaymentClosing:
			q, err = r.closeQR(ctx, p)
		case p.Flow == pos.FlowCode && (p.State == pos.PaymentReversing || !now.Before(codeSince(p).Add(CodeLimit))):
			q, err = r.PollCodePay(ctx, p.ID)
		case p.Flow == pos.FlowQR && p.State != pos.PaymentPaid && !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt.Add(ScreenGrace)):
			// Past its time and nobody polling it (the till restarted with
			// more than one waiting): close it at the provider.
			q, err = r.PollQR(ctx, p.ID)
		default:
			continue // the pay screen is polling it
		}
		if err != nil {
			out.Errors = append(out.Errors, err)
		}
		if !q.State.Final() {
			out.Unresolved = append(out.Unresolved, q)
		}
	}
	watched, err := r.Store.WatchedPayments()
	if err != nil {
		return out, err
	}
	for _, p := range watched {
		if err := r.recheck(ctx, p, now); err != nil {
			out.Errors = append(out.Errors, err)
		}
	}
	if out.LatePaid, err = r.Store.LatePayments(); err != nil {
		return out, err
	}
	ws, err := r.Store.OpenWalletRefunds()
	if err != nil {
		return out, err
	}
	for _, w := range ws {
		w, err := r.SendWalletRefund(ctx, w.RequestNo)
		if err != nil {
			out.Errors = append(out.Errors, err)
		}
		if !w.State.Final() {
			out.Refunds = append(out.Refunds, w)
		}
	}
	out.Clock = r.ClockWarning()
	return out, nil
}

// recheck asks about one closed order again: paid means it landed after
// the close; an order closed longer ago than WatchFor is let go.
func (r *Register) recheck(ctx context.Context, p pos.Payment, now time.Time) error {
	prov, err := r.provider(p)
	if err != nil {
		return err
	}
	st, err := prov.Query(ctx, r.order(p))
	if err != nil {
		_, err = r.problem(p, err) // a mismatch is kept for the cashier to read
		return err
	}
	if st.State == pos.PaymentPaid && !st.Refunded {
		_, err := r.Store.MarkLatePaid(p.ID, st.Reference, now)
		return err
	}
	// Closed, or paid and given back (a reverse refunds a payment that
	// landed meanwhile): nothing stays charged.
	if !p.Ended.IsZero() && now.Sub(p.Ended) > WatchFor && !st.Open() {
		return r.Store.Unwatch(p.ID)
	}
	return nil
}

// LatePayments lists the payments that landed after their order was
// closed and are not resolved yet.
func (r *Register) LatePayments() ([]pos.Payment, error) { return r.Store.LatePayments() }

// CompleteLate stores the sale a late payment was for, as CompleteQR
// does, when the customer still takes the goods and paid nothing else.
func (r *Register) CompleteLate(id string, cashGiven pos.Money) (pos.Sale, error) {
	return r.CompleteLateWith(id, cashGiven, nil)
}

// CompleteLateWith is CompleteLate with the approvals the cart
// collected, stored on the sale as CompleteWith does.
func (r *Register) CompleteLateWith(id string, cashGiven pos.Money, approvals []staff.Approval) (pos.Sale, error) {
	p, err := r.Store.Payment(id)
	if err != nil {
		return pos.Sale{}, err
	}
	if !p.LateOpen() {
		return pos.Sale{}, fmt.Errorf("payment %s has no unresolved late payment", id)
	}
	t := p.Tender()
	t.Reference, t.ConfirmedBy, t.ConfirmedAt = p.LateRef, pos.ByProvider, p.LatePaid
	tenders := []pos.Tender{t}
	if cashGiven > 0 {
		tenders = append(tenders, pos.Tender{Kind: pos.Cash, Given: cashGiven})
	}
	return r.CompleteAsWith(p.SaleID, p.Cart, p.Started, tenders, approvals)
}

// RefundLate sends a late payment's whole amount back to the wallet that
// paid it (the customer paid some other way, or left). The wallet refund
// is stored pending with its request number before it is sent; an error
// sending it leaves it pending for CheckPayments.
//
// It also gives back a paid part of a cart whose sale is not made (the
// customer paid part by QR and cannot pay the rest): the payment then
// pays no sale, and the cart can be paid another way.
func (r *Register) RefundLate(ctx context.Context, id, reason string) (pos.WalletRefund, error) {
	p, err := r.Store.Payment(id)
	if err != nil {
		return pos.WalletRefund{}, err
	}
	if !p.Refundable() {
		return pos.WalletRefund{}, fmt.Errorf("payment %s has no money to send back without a sale", id)
	}
	w := pos.WalletRefund{RequestNo: pos.RefundRequestNo(p.SaleID, 99), SaleID: p.SaleID, PaymentID: p.ID,
		Provider: p.Provider, OrderNo: p.OrderNo, Amount: p.Amount, Total: p.Amount, Currency: p.Currency,
		Reason: reason, State: pos.WalletPending, Created: r.Now()}
	if w.Reason == "" {
		w.Reason = "paid after the order was closed"
		if !p.LateOpen() {
			w.Reason = "paid part of a sale that was not made"
		}
	}
	if err := r.Store.AddWalletRefund(w); err != nil {
		return w, err
	}
	return r.SendWalletRefund(ctx, w.RequestNo)
}

// ClockWarning says, in words for the cashier, when the till's clock is
// more than pay.MaxClockSkew off a provider's (from the time in its last
// signed answer); empty when it is not or nothing is known yet.
func (r *Register) ClockWarning() string {
	for _, p := range r.providers() {
		cc, ok := p.(pay.ClockChecker)
		if !ok {
			continue
		}
		if d, ok := cc.Skew(); ok && d.Abs() > pay.MaxClockSkew {
			dir := "ahead of"
			if d < 0 {
				dir = "behind"
			}
			return fmt.Sprintf("The till's clock is %s %s %s; set the right time (payments fail beyond 5 minutes).",
				d.Abs().Round(time.Second), dir, p.Name())
		}
	}
	return ""
}

// CheckClock asks each provider that reports its time about an order
// that does not exist, to learn the clock difference at start-up, and
// returns ClockWarning. Errors are the providers' (unreachable, say).
func (r *Register) CheckClock(ctx context.Context) (string, error) {
	var errs []error
	for _, p := range r.providers() {
		if _, ok := p.(pay.ClockChecker); !ok {
			continue
		}
		o := pay.Order{OrderNo: pos.OrderNo("TILLCLOCK" + r.Store.Identity().Terminal), Amount: 1, Currency: "CNY", Exponent: 2}
		if _, err := p.Query(ctx, o); err != nil {
			errs = append(errs, err)
		}
	}
	return r.ClockWarning(), errors.Join(errs...)
}

// codeSince is when a code attempt started: submitted, or created if it
// never got that far.
func codeSince(p pos.Payment) time.Time {
	if p.Submitted.IsZero() {
		return p.Created
	}
	return p.Submitted
}
