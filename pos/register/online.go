package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

// MinOnlineExpiry is the shortest time limit of an online order: WeChat
// silently raises shorter ones to a minute, so a till that gave up
// sooner would tell the cashier to take cash while the code still pays.
const MinOnlineExpiry = time.Minute

// order is the provider order of a stored payment. Its subject is the
// shop's name, which does not change between retries.
func (r *Register) order(p pos.Payment) pay.Order {
	return pay.OrderFor(p, r.Currency.Exponent, r.Store.Identity().Shop)
}

// providers is every online provider set up: the QR one and the wallets
// that take payment codes and refunds.
func (r *Register) providers() []pay.Provider {
	if r.QR == nil {
		return nil
	}
	out := append([]pay.Provider(nil), r.QR.Wallets...)
	if r.QR.Online != nil {
		found := false
		for _, p := range out {
			found = found || p.Name() == r.QR.Online.Name()
		}
		if !found {
			out = append(out, r.QR.Online)
		}
	}
	return out
}

// providerNamed returns the online provider called name.
func (r *Register) providerNamed(name string) (pay.Provider, error) {
	for _, p := range r.providers() {
		if p.Name() == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%s is not set up on this till", name)
}

// provider returns the online provider a payment was made with.
func (r *Register) provider(p pos.Payment) (pay.Provider, error) {
	prov, err := r.providerNamed(p.Provider)
	if err != nil {
		return nil, fmt.Errorf("payment %s: %w", p.ID, err)
	}
	return prov, nil
}

// startOnline stores the payment, then creates the order at the provider
// and stores the QR content it answers with. A provider that cannot be
// reached leaves the payment failed (its code was never shown, so nobody
// can pay it) and returns an error matching pay.ErrUnreachable: the
// cashier falls back to the offline QR or cash at once.
func (r *Register) startOnline(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money) (pos.Payment, error) {
	prov := r.QR.Online
	p, err := r.newPayment(c, started, amount, prov.Name(), nil, nil)
	if err != nil {
		return pos.Payment{}, err
	}
	code, err := prov.Create(ctx, r.order(p))
	if err != nil {
		reason := fmt.Sprintf("%s could not create the order", prov.Name())
		if _, uerr := r.MoveQR(p.ID, pos.PaymentFailed, reason); uerr != nil {
			err = errors.Join(err, uerr)
		}
		return pos.Payment{}, fmt.Errorf("%s: %w", prov.Name(), err)
	}
	return r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error {
		q.Payload = code
		return nil
	})
}

// PollQR asks the provider once about an online payment and records
// what it says. An offline (EMV) payment, or one already final, comes
// back as stored; a payment-code payment is polled as PollCodePay does.
//
// The till's own time limit never ends a payment: once it passes, PollQR
// closes the order at the provider (state closing) and the payment ends
// expired only when the provider confirms it closed, or paid if the
// customer paid first. A closing payment is closed again on every poll.
// An error leaves the outcome unknown (the caller polls again after
// pay.NextDelay); pay.Words(err) says it in words for the cashier, and
// an amount mismatch or failed verification is also kept in
// Payment.Problem.
func (r *Register) PollQR(ctx context.Context, id string) (pos.Payment, error) {
	p, err := r.Store.Payment(id)
	if err != nil || !p.Online() || p.State.Final() {
		return p, err
	}
	if p.Flow == pos.FlowCode {
		return r.PollCodePay(ctx, id)
	}
	if p.State == pos.PaymentClosing {
		return r.closeQR(ctx, p)
	}
	prov, err := r.provider(p)
	if err != nil {
		return p, err
	}
	if p.Payload == "" {
		// Stored, but the till stopped before the provider answered:
		// ask again for the same order (Create is idempotent).
		code, err := prov.Create(ctx, r.order(p))
		if err != nil {
			return p, err
		}
		if p, err = r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error { q.Payload = code; return nil }); err != nil {
			return p, err
		}
	}
	st, err := prov.Query(ctx, r.order(p))
	if err != nil {
		return r.problem(p, err)
	}
	switch {
	case st.State == pos.PaymentCancelled:
		// The provider closed it by itself (Alipay after a decline, or its
		// own time limit): a confirmed close, which the till did not ask for.
		to := pos.PaymentFailed
		if p.Expired(r.Now()) {
			to = pos.PaymentExpired
		}
		return r.record(p, pay.Status{State: to, Reference: st.Reference, Reason: st.Reason, Raw: st.Raw})
	case st.Open() && p.Expired(r.Now()):
		return r.beginClose(ctx, p, pos.PaymentExpired, "time limit passed")
	}
	return r.record(p, st)
}

// problem keeps an error the cashier must read (an amount mismatch, an
// answer that failed verification) on the payment, and returns err.
func (r *Register) problem(p pos.Payment, err error) (pos.Payment, error) {
	if !errors.Is(err, pay.ErrMismatch) && !errors.Is(err, pay.ErrVerify) {
		return p, err
	}
	words := pay.Words(err)
	if p.Problem == words {
		return p, err
	}
	q, uerr := r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error { q.Problem = words; return nil })
	if uerr != nil {
		return p, errors.Join(err, uerr)
	}
	return q, err
}

// record stores what the provider said, if it is an outcome.
func (r *Register) record(p pos.Payment, st pay.Status) (pos.Payment, error) {
	if !st.State.Final() {
		if p.Problem != "" {
			return r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error { q.Problem = ""; return nil })
		}
		return p, nil
	}
	now := r.Now()
	return r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error {
		if st.State == pos.PaymentPaid {
			q.ConfirmedBy = pos.ByProvider
			q.Reference = st.Reference
		}
		if st.Reason != "" {
			q.Reason = st.Reason
		}
		q.Problem = ""
		switch {
		case q.State == st.State:
			return nil // recorded already (the screen and the background check both asked)
		case q.State != p.State && st.State != pos.PaymentPaid:
			// Someone moved it on since it was read (the screen submitted
			// a code the check thought unsent): this answer is stale. A paid
			// answer is never stale.
			return fmt.Errorf("payment %s moved on to %s meanwhile; ask again", q.ID, q.State)
		}
		return q.To(st.State, now)
	})
}

// beginClose stores that the order is being closed (and what the
// payment becomes once the provider confirms), then closes it.
func (r *Register) beginClose(ctx context.Context, p pos.Payment, as pos.PaymentState, reason string) (pos.Payment, error) {
	now := r.Now()
	p, err := r.Store.UpdatePayment(p.ID, func(q *pos.Payment) error {
		if q.State == pos.PaymentClosing || q.State.Final() {
			return nil // closing or ended already
		}
		q.CloseAs = as
		if reason != "" {
			q.Reason = reason
		}
		return q.To(pos.PaymentClosing, now)
	})
	if err != nil || p.State.Final() {
		return p, err
	}
	return r.closeQR(ctx, p)
}

// ErrNotConfirmed is an order the till asked to close that the provider
// has not confirmed closed: the customer may still pay it, so the
// cashier must not take other money yet.
var ErrNotConfirmed = errors.New("the provider has not confirmed the order closed; the customer may still pay it: do not take other money yet")

// closeQR closes a closing payment's order and records the provider's
// confirmation: paid if the customer paid first, else CloseAs.
func (r *Register) closeQR(ctx context.Context, p pos.Payment) (pos.Payment, error) {
	prov, err := r.provider(p)
	if err != nil {
		return p, err
	}
	st, err := prov.Close(ctx, r.order(p))
	if err != nil {
		q, perr := r.problem(p, err)
		return q, fmt.Errorf("%w: %w", ErrNotConfirmed, perr)
	}
	if st.State != pos.PaymentPaid {
		to := p.CloseAs
		if to != pos.PaymentExpired {
			to = pos.PaymentCancelled
		}
		reason := st.Reason
		if p.Reason != "" {
			reason = p.Reason + "; " + st.Reason
		}
		st = pay.Status{State: to, Reference: st.Reference, Reason: reason, Raw: st.Raw}
	}
	return r.record(p, st)
}

// EndQR ends a waiting payment as cancelled (the cashier aborted) or
// expired (its time is up). An offline (EMV) payment ends at once. An
// online order is closed at the provider first and the payment ends only
// when the provider confirms it closed; if the provider says the
// customer paid after all, the payment is recorded as paid and returned
// so the sale can complete. Until confirmed the payment stays closing
// and the error matches ErrNotConfirmed: the screen says not to take
// other money, and PollQR (or CheckPayments) tries the close again.
func (r *Register) EndQR(ctx context.Context, id string, to pos.PaymentState, reason string) (pos.Payment, error) {
	if to != pos.PaymentCancelled && to != pos.PaymentExpired {
		return pos.Payment{}, fmt.Errorf("a payment ends as cancelled or expired, not %s", to)
	}
	p, err := r.Store.Payment(id)
	if err != nil {
		return p, err
	}
	switch {
	case !p.Online():
		return r.MoveQR(id, to, reason)
	case p.State.Final():
		return p, nil
	case p.Flow == pos.FlowCode:
		return r.CancelCodePay(ctx, id)
	case p.State == pos.PaymentClosing:
		return r.closeQR(ctx, p)
	case p.State == pos.PaymentCreated && p.Payload == "":
		// Never shown, so nobody can pay it; still close it, since the
		// create may have reached the provider.
	}
	if to == pos.PaymentExpired && !p.Expired(r.Now()) {
		return p, fmt.Errorf("payment %s has not expired yet", p.ID)
	}
	return r.beginClose(ctx, p, to, reason)
}
