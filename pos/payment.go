package pos

import (
	"fmt"
	"time"
)

// PaymentState is where a QR payment is in its life.
type PaymentState string

// A payment goes created -> shown -> paid | failed | cancelled | expired.
// The last four are final.
const (
	PaymentCreated   PaymentState = "created"
	PaymentShown     PaymentState = "shown"
	PaymentPaid      PaymentState = "paid"
	PaymentFailed    PaymentState = "failed"
	PaymentCancelled PaymentState = "cancelled"
	PaymentExpired   PaymentState = "expired"
)

// Final reports whether no more transitions can happen.
func (s PaymentState) Final() bool {
	return s == PaymentPaid || s == PaymentFailed || s == PaymentCancelled || s == PaymentExpired
}

var nextStates = map[PaymentState][]PaymentState{
	PaymentCreated: {PaymentShown, PaymentPaid, PaymentFailed, PaymentCancelled, PaymentExpired},
	PaymentShown:   {PaymentPaid, PaymentFailed, PaymentCancelled, PaymentExpired},
}

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
	ID       string       `json:"id"`
	SaleID   string       `json:"sale_id"`
	Provider string       `json:"provider"` // "emvqr", "alipay", "wechat"
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

// Tender is the payment as a tender of its sale, once paid.
func (p *Payment) Tender() Tender {
	return Tender{Kind: QR, Amount: p.Amount, Provider: p.Provider, PaymentID: p.ID,
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
