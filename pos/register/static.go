package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/emvqr"
)

// StaticCode is one of the shop's own codes, the sticker on its counter.
// A wallet's collection code (收款码: https://qr.alipay.com/…, wxp://…)
// carries no amount: it is shown exactly as it is and the customer types
// the amount. An EMV sticker (PromptPay, VietQR, QRIS, Pix…) is made
// dynamic for each sale with emvqr.Dynamize.
type StaticCode struct {
	Label string // what the cashier and the reports call it: "Alipay", "PromptPay"
	Code  string // the payload, byte for byte as the sticker has it
	// EMV is set for an EMV sticker, which is made dynamic per sale.
	EMV bool
}

// ErrNoStatic reports that the shop has no static code by that label.
var ErrNoStatic = errors.New("no static QR code")

// Static returns the shop's static code labelled label; "" is the first.
func (q *QR) Static(label string) (StaticCode, error) {
	if q == nil || len(q.Statics) == 0 {
		return StaticCode{}, fmt.Errorf("%w is set up on this till", ErrNoStatic)
	}
	if label == "" {
		return q.Statics[0], nil
	}
	for _, s := range q.Statics {
		if s.Label == label {
			return s, nil
		}
	}
	return StaticCode{}, fmt.Errorf("%w labelled %q", ErrNoStatic, label)
}

// StartStatic begins a payment of amount with the shop's static code
// labelled label ("" for the first). An EMV sticker is made dynamic for
// this sale (the amount, the sale's bill number and the terminal's label)
// and recorded like the till's own EMV code, provider "emvqr". A wallet's
// collection code is recorded with provider "static" and the code's label:
// its payload is the code exactly, and the customer must type the amount
// (Payment.Amount) into the wallet. Either way the cashier confirms with
// MoveQR(id, PaymentPaid, "") after seeing the customer's success screen.
func (r *Register) StartStatic(_ context.Context, c pos.Cart, started time.Time, amount pos.Money, label string) (pos.Payment, error) {
	if r.QR == nil {
		return pos.Payment{}, ErrNoQR
	}
	s, err := r.QR.Static(label)
	if err != nil {
		return pos.Payment{}, err
	}
	if s.EMV {
		return r.newPayment(c, started, amount, pos.ProviderEMV, func(p *pos.Payment) { p.Label = s.Label }, func(saleID string) (string, error) {
			out, _, err := emvqr.Dynamize(s.Code, r.sale(saleID, amount))
			if err != nil {
				return "", fmt.Errorf("make the %s sticker dynamic: %w", s.Label, err)
			}
			return out, nil
		})
	}
	return r.newPayment(c, started, amount, pos.ProviderStatic, func(p *pos.Payment) { p.Label = s.Label },
		func(string) (string, error) { return s.Code, nil })
}

// sale is what a dynamic code of this till says about one sale.
func (r *Register) sale(saleID string, amount pos.Money) emvqr.Sale {
	return emvqr.Sale{
		Amount: int64(amount), Exponent: r.Currency.Exponent,
		// The ULID without its first character (always 0 until the
		// year 10889) fits the 25-character bill number.
		BillNumber:    saleID[1:26],
		TerminalLabel: r.Store.Identity().Terminal,
	}
}
