// Package display feeds the displays that face the customer: it
// publishes the counter's state (the lines as they are scanned, the
// total, the QR code to pay with, paid and change) read-only on a unix
// socket beside the database, for `till display` on a second screen, and
// drives a 2x20 pole display (VFD) with the ESC/POS customer-display
// commands. A display that is slow, closed or crashed never holds up the
// counter: publishing never blocks, and a reader that falls behind is
// dropped.
package display

import (
	"time"

	"github.com/tillpos/till/pos"
)

// State is what the counter is doing, as the customer sees it.
type State string

const (
	Idle State = "idle" // no sale in progress: the shop's name
	Cart State = "cart" // goods being scanned
	Pay  State = "pay"  // waiting for the customer to pay (QR shown)
	Paid State = "paid" // paid: thank you, and the change
)

// Line is one line of the cart as the customer sees it.
type Line struct {
	Name string    `json:"name"`
	Qty  int64     `json:"qty"`
	Unit pos.Money `json:"unit"` // the unit price
	// Measure is the unit weighed goods are sold in ("kg", "斤"); empty
	// for goods counted by the piece. Qty is then in its thousandths.
	Measure pos.Unit  `json:"measure,omitempty"`
	Amount  pos.Money `json:"amount"` // after the line's own discount
}

// Snapshot is the whole state of the customer display at one moment.
type Snapshot struct {
	Seq      uint64    `json:"seq"` // set by the publisher, rising
	State    State     `json:"state"`
	Shop     string    `json:"shop"`
	Currency string    `json:"currency"` // ISO 4217 code
	Exponent int       `json:"exponent"`
	Lines    []Line    `json:"lines,omitempty"`
	Subtotal pos.Money `json:"subtotal"`
	Discount pos.Money `json:"discount"` // total of the discounts, positive
	Total    pos.Money `json:"total"`
	// Due is what the customer pays (Total with cash rounding).
	Due pos.Money `json:"due"`
	// QR is the payment QR payload while State is Pay; QRLabel names the
	// provider ("Alipay", "WeChat Pay", "EMV QR").
	QR      string    `json:"qr,omitempty"`
	QRLabel string    `json:"qr_label,omitempty"`
	Paid    pos.Money `json:"paid"`
	Change  pos.Money `json:"change"`
	At      time.Time `json:"at"`
}

// CurrencyOf returns the snapshot's currency for formatting.
func (s Snapshot) CurrencyOf() pos.Currency {
	return pos.Currency{Code: s.Currency, Exponent: s.Exponent}
}

// Welcome is the idle screen.
func Welcome(shop string, cur pos.Currency) Snapshot {
	return Snapshot{State: Idle, Shop: shop, Currency: cur.Code, Exponent: cur.Exponent}
}

// Scanning is the cart being built, from its priced totals.
func Scanning(shop string, cur pos.Currency, t pos.Totals) Snapshot {
	s := Welcome(shop, cur)
	s.State = Cart
	for _, l := range t.Lines {
		s.Lines = append(s.Lines, Line{Name: l.Name, Qty: l.Qty, Unit: l.UnitPrice, Measure: l.Line.Unit, Amount: l.Gross - l.LineDiscount})
	}
	// t.Total already includes the tax when prices exclude it.
	s.Subtotal, s.Discount, s.Total, s.Due = t.Subtotal, t.Discounts, t.Total, t.Total
	return s
}

// Paying shows the payment QR code for amount due.
func Paying(cart Snapshot, due pos.Money, qr, label string) Snapshot {
	cart.State, cart.Due, cart.QR, cart.QRLabel = Pay, due, qr, label
	return cart
}

// Done is the thank-you screen of a committed sale.
func Done(shop string, cur pos.Currency, s pos.Sale) Snapshot {
	d := Scanning(shop, cur, s.Totals)
	d.State = Paid
	d.Total, d.Due, d.Change = s.Total, s.Due, s.Change
	for _, t := range s.Tenders {
		if t.Kind == pos.Cash {
			d.Paid += t.Given
		} else {
			d.Paid += t.Amount
		}
	}
	return d
}
