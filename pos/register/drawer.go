package register

import (
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
)

// Drawer is what a register needs of the store for the cash drawer.
// *bolt.Store satisfies it.
type Drawer interface {
	// RecordDrawer stores a drawer event and queues it for head office in
	// one transaction; a float event also opens the shift.
	RecordDrawer(pos.DrawerEvent) error
	// CheckZ says whether a Z report now would close anything (nil) or
	// not (an error wrapping pos.ErrNothingToClose).
	CheckZ(now time.Time, loc *time.Location) error
}

// ParseAmount reads an amount typed or scanned at the counter in the
// shop's currency, strictly (see pos.ParseAmount): "SKU1006" or "10.005"
// is refused, never read as its digits.
func (r *Register) ParseAmount(s string) (pos.Money, error) { return pos.ParseAmount(s, r.Currency) }

// OpenShift opens the shift with the float counted into the drawer and
// returns the stored float event (its Shift method gives the shift).
// It is refused while a shift is open: take the Z report first.
func (r *Register) OpenShift(float pos.Money) (pos.DrawerEvent, error) {
	return r.drawer("open shift", pos.DrawerFloat, float, "")
}

// PayIn records cash put into the drawer that is not a sale, say change
// from the bank. The amount must be more than zero and the reason is
// needed.
func (r *Register) PayIn(amount pos.Money, reason string) (pos.DrawerEvent, error) {
	return r.drawer("pay in", pos.DrawerPayIn, amount, reason)
}

// PayOut records cash taken out of the drawer that is not a refund, say a
// delivery paid. It is refused (pos.ErrDrawerShort) when it is more than
// the drawer should hold.
func (r *Register) PayOut(amount pos.Money, reason string) (pos.DrawerEvent, error) {
	return r.drawer("pay out", pos.DrawerPayOut, amount, reason)
}

// NoSale records opening the drawer without a sale, with why; the
// caller opens the drawer only after this returns without error.
func (r *Register) NoSale(reason string) (pos.DrawerEvent, error) {
	return r.drawer("no sale", pos.DrawerNoSale, 0, reason)
}

func (r *Register) drawer(what string, kind pos.DrawerKind, amount pos.Money, reason string) (pos.DrawerEvent, error) {
	if reason != "" || kind != pos.DrawerFloat {
		var err error
		if reason, err = pos.CleanReason(reason); err != nil {
			return pos.DrawerEvent{}, fmt.Errorf("%s: %w", what, err)
		}
	}
	id, err := r.NewID()
	if err != nil {
		return pos.DrawerEvent{}, err
	}
	ev := pos.DrawerEvent{ID: id, Terminal: r.Store.Identity().Terminal, Kind: kind, At: r.Now(),
		Cashier: r.Cashier, Amount: amount, Reason: reason}
	if err := ev.Check(); err != nil {
		return pos.DrawerEvent{}, fmt.Errorf("%s: %w", what, err)
	}
	if err := r.Store.RecordDrawer(ev); err != nil {
		return pos.DrawerEvent{}, fmt.Errorf("%s: %w", what, err)
	}
	return ev, nil
}

// CheckZ says whether a Z report now would close anything. A screen calls
// it before it asks for the counted cash: with nothing since the last Z
// (no sale, refund, drawer event or open shift) it returns an error
// wrapping pos.ErrNothingToClose, and the Z is refused rather than
// numbered empty.
func (r *Register) CheckZ(loc *time.Location) error { return r.Store.CheckZ(r.Now(), loc) }

// BlindZ takes the Z report with the cash the cashier counted, asked
// before any expected figure was shown: the report returned has Expected,
// Counted and Difference (counted - expected) to show after.
func (r *Register) BlindZ(loc *time.Location, counted pos.Money) (pos.Report, error) {
	return r.TakeZ(loc, &counted)
}
