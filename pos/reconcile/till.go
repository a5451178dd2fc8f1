package reconcile

import (
	"time"

	"github.com/tillpos/till/pos"
)

// FromTill lists the electronic payments of sales and refunds as Till
// recorded them: one entry per QR (or other non-cash) tender, at the time
// it was confirmed. orderOf gives the provider order number of a payment
// record ("" when it has none, as for a cashier-confirmed code), so a
// match can go by order number.
func FromTill(sales []pos.Sale, refunds []pos.Refund, orderOf func(paymentID string) string) []Entry {
	var out []Entry
	add := func(t pos.Tender, sign pos.Money, id string, receipt uint64, done time.Time) {
		if t.Kind == pos.Cash || t.Amount == 0 {
			return
		}
		e := Entry{Provider: t.Provider, Reference: t.Reference, Amount: sign * t.Amount, SaleID: id, Receipt: int(receipt), At: t.ConfirmedAt}
		if e.At.IsZero() {
			e.At = done
		}
		if t.PaymentID != "" && orderOf != nil {
			e.OrderNo = orderOf(t.PaymentID)
		}
		out = append(out, e)
	}
	for _, s := range sales {
		for _, t := range s.Tenders {
			add(t, 1, s.ID, s.Receipt, s.At)
		}
	}
	for _, r := range refunds {
		for _, t := range r.Tenders {
			add(t, -1, r.ID, r.Receipt, r.At)
		}
	}
	return out
}
