package register

import (
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
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
	return r.drawer("open shift", pos.DrawerFloat, float, "", "", nil)
}

// PayIn records cash put into the drawer that is not a sale, say change
// from the bank. The amount must be more than zero and the reason is
// needed.
func (r *Register) PayIn(amount pos.Money, reason string) (pos.DrawerEvent, error) {
	return r.drawer("pay in", pos.DrawerPayIn, amount, reason, "", nil)
}

// PayOut records cash taken out of the drawer that is not a refund, say a
// delivery paid. It is refused (pos.ErrDrawerShort) when it is more than
// the drawer should hold. On a till with staff it needs the paid-out
// permission at its amount, or a manager's approval (see Approve).
func (r *Register) PayOut(amount pos.Money, reason string, approvals ...staff.Approval) (pos.DrawerEvent, error) {
	return r.drawer("pay out", pos.DrawerPayOut, amount, reason, staff.PaidOut, approvals)
}

// NoSale records opening the drawer without a sale, with why; the
// caller opens the drawer only after this returns without error. On a
// till with staff it needs the no-sale permission or an approval.
func (r *Register) NoSale(reason string, approvals ...staff.Approval) (pos.DrawerEvent, error) {
	return r.drawer("no sale", pos.DrawerNoSale, 0, reason, staff.NoSale, approvals)
}

// drawer records one drawer event for the logged-in cashier (the
// configured one on a till without staff), after the permission perm
// ("" for none) at the amount, with the approvals it needed, which are
// stored and journalled with it.
func (r *Register) drawer(what string, kind pos.DrawerKind, amount pos.Money, reason string, perm staff.Permission, approvals []staff.Approval) (pos.DrawerEvent, error) {
	name, cid, err := r.cashier()
	if err != nil {
		return pos.DrawerEvent{}, fmt.Errorf("%s: %w", what, err)
	}
	if reason != "" || kind != pos.DrawerFloat {
		if reason, err = pos.CleanReason(reason); err != nil {
			return pos.DrawerEvent{}, fmt.Errorf("%s: %w", what, err)
		}
	}
	id, err := r.NewID()
	if err != nil {
		return pos.DrawerEvent{}, err
	}
	if perm != "" {
		if err := r.gate([]need{{perm, int64(amount)}}, approvals); err != nil {
			return pos.DrawerEvent{}, fmt.Errorf("%s: %w", what, err)
		}
	}
	ev := pos.DrawerEvent{ID: id, Terminal: r.Store.Identity().Terminal, Kind: kind, At: r.Now(),
		Cashier: name, CashierID: cid, Amount: amount, Reason: reason, Approvals: approvals}
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
