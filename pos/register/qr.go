package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/emvqr"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/staff"
)

// QR is how the shop takes QR payments offline: the EMV merchant account
// its dynamic codes pay into, and how long a shown code stays valid.
type QR struct {
	Merchant emvqr.Merchant
	Expiry   time.Duration
	// Demo marks a made-up account, so the screen can say no money moves.
	Demo bool
	// Online is the provider (Alipay, WeChat Pay) that confirms payments
	// by itself; nil for offline EMV QR only.
	Online pay.Provider
	// Wallets are all the online providers set up (Online among them or
	// not): they take customers' payment codes, refund to wallets and
	// are asked about payments made with them earlier.
	Wallets []pay.Provider
	// Statics are the shop's own static codes, one per wallet or scheme
	// (see StartStatic); without a merchant account of its own, the
	// offline path of StartQR uses the first.
	Statics []StaticCode
}

// HasMerchant reports whether the till builds EMV codes of its own: a
// template account (GUID) or a network's primitive one (UnionPay 15/16).
func (q *QR) HasMerchant() bool { return q.Merchant.GUID != "" || q.Merchant.AccountValue != "" }

// ErrNoQR reports that the shop has no QR payment set up.
var ErrNoQR = errors.New("QR payment is not set up")

// StartQR begins a QR payment of amount (all of the total, or the QR
// part of a split tender): with the online provider when one is set up
// and offline is false, else with the shop's dynamic EMV QR, else with
// the shop's first static code (StartStatic). The payment
// is stored, with its sale ID and order number, before anything is sent
// to a provider or shown to the customer, so a crash from here on finds
// it and a retry asks for the same order.
func (r *Register) StartQR(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money, offline bool) (pos.Payment, error) {
	if r.QR == nil {
		return pos.Payment{}, ErrNoQR
	}
	if r.QR.Online != nil && !offline {
		return r.startOnline(ctx, c, started, amount)
	}
	if !r.QR.HasMerchant() {
		if len(r.QR.Statics) > 0 {
			return r.StartStatic(ctx, c, started, amount, "")
		}
		return pos.Payment{}, errors.New("offline QR is not set up on this till (no EMV merchant account or static code)")
	}
	return r.newPayment(c, started, amount, pos.ProviderEMV, nil, func(saleID string) (string, error) {
		payload, err := emvqr.BuildDynamic(r.QR.Merchant, r.sale(saleID, amount))
		if err != nil {
			return "", fmt.Errorf("build QR: %w", err)
		}
		return payload, nil
	})
}

// newPayment checks the amount, reserves a sale ID, builds the payload
// (empty for an online order, which gets its QR from the provider) and
// stores the payment as created, after tweak (if any) filled in more.
func (r *Register) newPayment(c pos.Cart, started time.Time, amount pos.Money, provider string, tweak func(*pos.Payment), payload func(saleID string) (string, error)) (pos.Payment, error) {
	t, err := pos.Price(c, r.TaxIncluded)
	if err != nil {
		return pos.Payment{}, err
	}
	if amount <= 0 || amount > t.Total {
		return pos.Payment{}, fmt.Errorf("QR amount must be more than 0 and at most the total %s", t.Total.Format(r.Currency.Exponent))
	}
	saleID, err := r.NewID()
	if err != nil {
		return pos.Payment{}, err
	}
	payID, err := r.NewID()
	if err != nil {
		return pos.Payment{}, err
	}
	code := ""
	if payload != nil {
		if code, err = payload(saleID); err != nil {
			return pos.Payment{}, err
		}
	}
	now := r.Now()
	expiry := r.QR.Expiry
	if !pos.OfflineProvider(provider) && expiry < MinOnlineExpiry {
		expiry = MinOnlineExpiry
	}
	p := pos.Payment{ID: "P" + payID, SaleID: saleID, Provider: provider, OrderNo: pos.OrderNo(saleID),
		Amount: amount, Currency: r.Currency.Code, Payload: code, State: pos.PaymentCreated,
		Cart:    pos.Cart{Lines: append([]pos.Line(nil), c.Lines...), Discount: c.Discount},
		Started: started, Created: now, ExpiresAt: now.Add(expiry)}
	if tweak != nil {
		tweak(&p)
	}
	if err := r.Store.CreatePayment(p); err != nil {
		return pos.Payment{}, err
	}
	return p, nil
}

// MoveQR moves a payment to a new state in the store. Paid by the cashier
// records the confirmation as the cashier's, with the time, so head
// office can reconcile it against the provider's statement.
func (r *Register) MoveQR(id string, to pos.PaymentState, reason string) (pos.Payment, error) {
	now := r.Now()
	return r.Store.UpdatePayment(id, func(p *pos.Payment) error {
		if p.Online() && to != pos.PaymentShown && to != pos.PaymentFailed {
			return fmt.Errorf("payment %s is with %s: only the provider's answer ends it (use PollQR or EndQR)", p.ID, p.Provider)
		}
		if p.Online() && to == pos.PaymentFailed && p.Payload != "" {
			return fmt.Errorf("payment %s: its code was shown, so it ends only when %s confirms (use EndQR)", p.ID, p.Provider)
		}
		if to == pos.PaymentPaid && p.ConfirmedBy == "" {
			p.ConfirmedBy = pos.ByCashier
		}
		if to == pos.PaymentExpired && !p.Expired(now) {
			return fmt.Errorf("payment %s has not expired yet", p.ID)
		}
		if reason != "" {
			p.Reason = reason
		}
		return p.To(to, now)
	})
}

// CompleteQR stores the sale a paid QR payment was for, with the rest in
// cash if the payment covered only part. The payment is applied in the
// sale's own transaction and can never pay for another sale.
func (r *Register) CompleteQR(p pos.Payment, cashGiven pos.Money) (pos.Sale, error) {
	return r.CompleteQRWith(p, cashGiven, nil)
}

// CompleteQRWith is CompleteQR for a till with staff: the approvals the
// cart collected (discounts above the cashier's limit, price overrides,
// removed lines) are checked and stored on the sale in its transaction,
// as CompleteWith does.
func (r *Register) CompleteQRWith(p pos.Payment, cashGiven pos.Money, approvals []staff.Approval) (pos.Sale, error) {
	if p.State != pos.PaymentPaid {
		return pos.Sale{}, fmt.Errorf("payment %s is %s, not paid", p.ID, p.State)
	}
	tenders := []pos.Tender{p.Tender()}
	if cashGiven > 0 {
		tenders = append(tenders, pos.Tender{Kind: pos.Cash, Given: cashGiven})
	}
	return r.CompleteAsWith(p.SaleID, p.Cart, p.Started, tenders, approvals)
}
