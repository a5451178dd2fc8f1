package reconcile

import (
	"time"

	"github.com/tillpos/till/pos"
)

// FromTill lists the electronic payments of sales and refunds as Till
// recorded them: one entry per QR (or other non-cash) tender, at the time
// it was confirmed. orderOf gives the provider order number of a tender
// of the sale or refund id ("" when it has none, as for a code a cashier
// confirmed), so a match can go by order number; nil means OrderOf.
func FromTill(sales []pos.Sale, refunds []pos.Refund, orderOf func(t pos.Tender, id string) string) []Entry {
	if orderOf == nil {
		orderOf = OrderOf
	}
	var out []Entry
	add := func(t pos.Tender, sign pos.Money, id string, receipt uint64, done time.Time) {
		if t.Kind == pos.Cash || t.Amount == 0 {
			return
		}
		e := Entry{Provider: t.Provider, Reference: t.Reference, Amount: sign * t.Amount, SaleID: id, Receipt: int(receipt), At: t.ConfirmedAt}
		if e.At.IsZero() {
			e.At = done
		}
		e.OrderNo = orderOf(t, id)
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

// OrderOf is the order number an online provider knows a tender by when
// nothing better is recorded: the one derived from its sale (pos.OrderNo).
// Cashier-confirmed payments have none.
func OrderOf(t pos.Tender, id string) string {
	if t.ConfirmedBy == pos.ByCashier || t.Provider != "alipay" && t.Provider != "wechat" {
		return ""
	}
	return pos.OrderNo(id)
}
