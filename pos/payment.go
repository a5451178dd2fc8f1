package pos

import (
	"fmt"
	"time"
)

// PaymentState is where a QR payment is in its life.
type PaymentState string

// A QR payment (the customer scans the till's code) goes
//
//	created -> shown -> paid | failed | closing -> cancelled | expired | paid
//
// An online order ends cancelled or expired only through closing: the
// till asked the provider to close it and the provider confirmed it
// closed. Until then the customer may still pay, so the cashier must not
// take other money.
//
// A payment-code payment (the cashier scans the customer's code) goes
//
//	created -> submitted -> paid | failed | paying -> paid | failed
//	submitted, paying -> reversing -> reversed | paid
//
// reversed is the provider's confirmation that nothing stays charged (a
// payment that landed during the reverse was refunded by it).
const (
	PaymentCreated   PaymentState = "created"
	PaymentShown     PaymentState = "shown"
	PaymentClosing   PaymentState = "closing"
	PaymentPaid      PaymentState = "paid"
	PaymentFailed    PaymentState = "failed"
	PaymentCancelled PaymentState = "cancelled"
	PaymentExpired   PaymentState = "expired"

	PaymentSubmitted PaymentState = "submitted"
	PaymentPaying    PaymentState = "paying" // the customer is entering a password
	PaymentReversing PaymentState = "reversing"
	PaymentReversed  PaymentState = "reversed"
)

// Final reports whether no more transitions can happen.
func (s PaymentState) Final() bool {
	return s == PaymentPaid || s == PaymentFailed || s == PaymentCancelled || s == PaymentExpired || s == PaymentReversed
}

// Unresolved reports whether the customer may still be charged: the
// cashier must not take other money for the sale while it is.
func (s PaymentState) Unresolved() bool { return !s.Final() }

var nextStates = map[PaymentState][]PaymentState{
	PaymentCreated: {PaymentShown, PaymentPaid, PaymentFailed, PaymentClosing, PaymentCancelled, PaymentSubmitted},
	// Expired and cancelled straight from shown are for the offline EMV
	// QR, which no provider can confirm, and for an online order the
	// provider reports closed by itself; the register enforces it.
	PaymentShown:     {PaymentPaid, PaymentFailed, PaymentClosing, PaymentCancelled, PaymentExpired},
	PaymentClosing:   {PaymentPaid, PaymentCancelled, PaymentExpired},
	PaymentSubmitted: {PaymentPaid, PaymentFailed, PaymentPaying, PaymentReversing},
	PaymentPaying:    {PaymentPaid, PaymentFailed, PaymentReversing},
	PaymentReversing: {PaymentPaid, PaymentReversed},
}

// Payment flows.
const (
	FlowQR   = ""     // the customer scans the till's QR code
	FlowCode = "code" // the cashier scans the customer's payment code
)

// Who confirmed a payment.
const (
	ByCashier  = "cashier"  // offline: the cashier saw the customer's success screen
	ByProvider = "provider" // online: the provider said it was paid
)

// Payment is a QR payment towards one sale. Its sale ID is chosen before
// the sale exists and never changes, so the payment can only ever be
// applied to that one sale; its order number at the provider is derived
// from it, so a retry finds the same order.
type Payment struct {
	ID       string `json:"id"`
	SaleID   string `json:"sale_id"`
	Provider string `json:"provider"` // "emvqr", "static", "alipay", "wechat"
	// Label names the shop's static code a "static" payment was shown
	// with ("Alipay", "WeChat Pay"): the statement it will be in.
	Label    string       `json:"label,omitempty"`
	OrderNo  string       `json:"order_no"`
	Amount   Money        `json:"amount"`
	Currency string       `json:"currency"`
	Payload  string       `json:"payload"` // the QR code's content
	State    PaymentState `json:"state"`
	// Cart is the sale waiting for this payment, so a restart can resume it.
	Cart        Cart      `json:"cart"`
	Started     time.Time `json:"started"`
	Created     time.Time `json:"created"`
	Shown       time.Time `json:"shown,omitzero"`
	ExpiresAt   time.Time `json:"expires_at,omitzero"`
	Ended       time.Time `json:"ended,omitzero"`
	ConfirmedBy string    `json:"confirmed_by,omitempty"`
	Reference   string    `json:"reference,omitempty"` // the provider's transaction ID
	Reason      string    `json:"reason,omitempty"`    // why it failed or was cancelled
	// Applied is set in the transaction that stores the sale.
	Applied bool `json:"applied,omitempty"`

	// Flow is FlowQR or FlowCode.
	Flow string `json:"flow,omitempty"`
	// CloseAs is what a closing QR payment becomes once the provider
	// confirms it closed: cancelled or expired.
	CloseAs PaymentState `json:"close_as,omitempty"`
	// CodeTail is the last digits of the customer's payment code (the
	// whole code is a one-time bearer token and is never stored).
	CodeTail  string    `json:"code_tail,omitempty"`
	Submitted time.Time `json:"submitted,omitzero"`
	// Problem is the last thing the cashier must be told about this
	// payment in words (an amount mismatch, an answer that failed
	// verification); empty when there is none.
	Problem string `json:"problem,omitempty"`
	// LatePaid is set when the provider reported the order paid after it
	// had confirmed it closed: money moved for a sale that may have been
	// paid otherwise. It stays until the cashier resolves it (completes
	// the sale or refunds the money to the wallet); LateRef is the
	// provider's transaction number.
	LatePaid     time.Time `json:"late_paid,omitzero"`
	LateRef      string    `json:"late_ref,omitempty"`
	LateResolved string    `json:"late_resolved,omitempty"` // "sale" or the wallet refund's request number
	// RefundedTo is the wallet refund's request number when a paid
	// payment's money was sent back before its sale was made (the
	// customer could not pay the rest of a split): it can then never be
	// applied to a sale.
	RefundedTo string `json:"refunded_to,omitempty"`
}

// Refundable reports whether the payment's money may be sent back to the
// wallet without a sale: a late payment not yet resolved, or an online
// payment that is paid and neither applied to its sale nor refunded.
func (p *Payment) Refundable() bool {
	return p.LateOpen() || p.State == PaymentPaid && !p.Applied && p.RefundedTo == "" && p.Online()
}

// To moves the payment to state at time at, refusing transitions the
// state machine does not allow (a paid payment cannot expire, a
// cancelled one cannot be paid).
func (p *Payment) To(state PaymentState, at time.Time) error {
	for _, s := range nextStates[p.State] {
		if s == state {
			p.State = state
			switch {
			case state == PaymentShown:
				p.Shown = at
			case state.Final():
				p.Ended = at
			}
			return nil
		}
	}
	return fmt.Errorf("payment %s: cannot go from %s to %s", p.ID, p.State, state)
}

// Expired reports whether a waiting payment's time is up.
func (p *Payment) Expired(now time.Time) bool {
	return !p.State.Final() && !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt)
}

// Offline QR providers: the cashier confirms after seeing the customer's
// success screen.
const (
	ProviderEMV    = "emvqr"  // the till's dynamic EMV code (or the shop's sticker made dynamic)
	ProviderStatic = "static" // the shop's own static code (a 收款码), shown as it is
)

// OfflineProvider reports whether payments with provider are confirmed by
// the cashier, not by a provider Till talks to.
func OfflineProvider(provider string) bool {
	return provider == "" || provider == ProviderEMV || provider == ProviderStatic
}

// Online reports whether a provider confirms the payment by itself.
func (p *Payment) Online() bool { return !OfflineProvider(p.Provider) }

// LateOpen reports a payment that landed after its order was closed and
// that nobody has dealt with yet.
func (p *Payment) LateOpen() bool { return !p.LatePaid.IsZero() && p.LateResolved == "" }

// Tender is the payment as a tender of its sale, once paid.
func (p *Payment) Tender() Tender {
	return Tender{Kind: QR, Amount: p.Amount, Provider: p.Provider, Label: p.Label, PaymentID: p.ID,
		Reference: p.Reference, ConfirmedBy: p.ConfirmedBy, ConfirmedAt: p.Ended}
}

// OrderNo derives a provider order number from a sale ID: the same sale
// always gives the same order, so money can never be taken twice. It
// keeps to letters and digits, at most 32 characters (WeChat's limit).
func OrderNo(saleID string) string {
	out := make([]byte, 0, 32)
	for i := 0; i < len(saleID) && len(out) < 32; i++ {
		c := saleID[i]
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			out = append(out, c)
		}
	}
	return string(out)
}
