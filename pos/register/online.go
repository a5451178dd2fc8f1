package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

// order is the provider order of a stored payment. Its subject is the
// shop's name, which does not change between retries.
func (r *Register) order(p pos.Payment) pay.Order {
	return pay.OrderFor(p, r.Currency.Exponent, r.Store.Identity().Shop)
}

// provider returns the online provider a payment was made with.
func (r *Register) provider(p pos.Payment) (pay.Provider, error) {
	if r.QR == nil || r.QR.Online == nil || r.QR.Online.Name() != p.Provider {
		return nil, fmt.Errorf("payment %s is with %s, which is not set up on this till", p.ID, p.Provider)
	}
	return r.QR.Online, nil
}

// startOnline stores the payment, then creates the order at the provider
// and stores the QR content it answers with. A provider that cannot be
// reached leaves the payment failed (its code was never shown, so nobody
// can pay it) and returns an error matching pay.ErrUnreachable: the
// cashier falls back to the offline QR or cash at once.
func (r *Register) startOnline(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money) (pos.Payment, error) {
	prov := r.QR.Online
	p, err := r.newPayment(c, started, amount, prov.Name(), nil)
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

// PollQR asks the provider once about an online payment and records a
// final answer. An offline (EMV) payment, or one already final, comes
// back as stored. An unreachable provider is an error, not an outcome:
// the caller polls again after pay.NextDelay.
func (r *Register) PollQR(ctx context.Context, id string) (pos.Payment, error) {
	p, err := r.Store.Payment(id)
	if err != nil || p.Provider == "emvqr" || p.State.Final() {
		return p, err
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
		return p, err
	}
	return r.record(p, st)
}

// record stores what the provider said, if it is final.
func (r *Register) record(p pos.Payment, st pay.Status) (pos.Payment, error) {
	if !st.State.Final() {
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
		return q.To(st.State, now)
	})
}

// EndQR ends a waiting payment as cancelled (the cashier aborted) or
// expired (its time is up). An online order is cancelled at the provider
// first, so a late payment is refused; if the provider says the customer
// paid after all, the payment is recorded as paid and returned so the
// sale can complete.
func (r *Register) EndQR(ctx context.Context, id string, to pos.PaymentState, reason string) (pos.Payment, error) {
	if to != pos.PaymentCancelled && to != pos.PaymentExpired {
		return pos.Payment{}, fmt.Errorf("a payment ends as cancelled or expired, not %s", to)
	}
	p, err := r.Store.Payment(id)
	if err != nil {
		return p, err
	}
	if p.Provider != "emvqr" && !p.State.Final() {
		prov, err := r.provider(p)
		if err != nil {
			return p, err
		}
		if err := prov.Cancel(ctx, p.OrderNo); err != nil {
			if !errors.Is(err, pay.ErrPaid) {
				return p, fmt.Errorf("cancel at %s: %w", prov.Name(), err)
			}
			st, qerr := prov.Query(ctx, r.order(p))
			if qerr != nil {
				return p, fmt.Errorf("%s says the order is paid; asking for it: %w", prov.Name(), qerr)
			}
			return r.record(p, st)
		}
	}
	return r.MoveQR(id, to, reason)
}
