package pos

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tillpos/till/pos/staff"
)

// DrawerKind says why the cash drawer was opened outside a sale.
type DrawerKind string

const (
	// DrawerFloat opens the shift: Amount is the float counted in.
	DrawerFloat DrawerKind = "float"
	// DrawerPayIn puts cash in that is not a sale (change from the bank).
	DrawerPayIn DrawerKind = "pay_in"
	// DrawerPayOut takes cash out that is not a refund (a delivery paid).
	DrawerPayOut DrawerKind = "pay_out"
	// DrawerNoSale opens the drawer and moves no money.
	DrawerNoSale DrawerKind = "no_sale"
)

// MaxReason is the longest reason a drawer event keeps, in characters.
const MaxReason = 120

// DrawerEvent is one opening of the drawer that is not a sale or a
// refund: the shift's float, a pay-in, a pay-out or a no-sale. Each is
// stored with who, when and why, counted in the X and Z reports and sent
// to head office like a sale.
type DrawerEvent struct {
	ID       string     `json:"id"` // ULID-TERMINAL, as a sale's
	Terminal string     `json:"terminal"`
	Kind     DrawerKind `json:"kind"`
	At       time.Time  `json:"at"`
	Cashier  string     `json:"cashier,omitempty"`
	// CashierID is the logged-in staff member's ID, when staff exist.
	CashierID string `json:"cashier_id,omitempty"`
	Amount    Money  `json:"amount"` // always positive; 0 for a no-sale
	Reason    string `json:"reason,omitempty"`
	// Approvals are the managers' approvals the event needed, stored
	// with it.
	Approvals []staff.Approval `json:"approvals,omitempty"`
}

// Errors a screen can tell apart with errors.Is.
var (
	ErrNoReason = errors.New("say why: a reason is needed")
	ErrNoAmount = errors.New("the amount must be more than zero")
	// ErrDrawerShort says a pay-out is more than the cash the drawer
	// should hold; the message does not name the expected figure, which
	// a blind count keeps from the cashier.
	ErrDrawerShort = errors.New("that is more cash than the drawer should hold")
)

// CleanReason trims a typed reason and checks it: needed (not blank),
// at most MaxReason characters, no control characters.
func CleanReason(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", ErrNoReason
	case !utf8.ValidString(s):
		return "", errors.New("reason is not valid text")
	case utf8.RuneCountInString(s) > MaxReason:
		return "", fmt.Errorf("reason is %d characters, at most %d", utf8.RuneCountInString(s), MaxReason)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", errors.New("reason has control characters")
	}
	return s, nil
}

// Signed is the event's effect on the cash the drawer should hold:
// positive in, negative out, 0 for a no-sale.
func (e DrawerEvent) Signed() Money {
	if e.Kind == DrawerPayOut {
		return -e.Amount
	}
	if e.Kind == DrawerNoSale {
		return 0
	}
	return e.Amount
}

// Check checks that a drawer event is whole, on the terminal before it
// is stored and at head office on receipt: its ID is of its terminal, its
// kind known, its time plausible; a pay-in or pay-out moves a positive
// amount in range for a reason; a no-sale moves nothing and has a reason;
// a float is not negative.
func (e DrawerEvent) Check() error {
	if err := CheckOwnID(e.ID, e.Terminal); err != nil {
		return err
	}
	if err := plausible(e.At); err != nil {
		return err
	}
	if err := InRange(e.Amount); err != nil {
		return err
	}
	needReason := true
	switch e.Kind {
	case DrawerPayIn, DrawerPayOut:
		if e.Amount <= 0 {
			return fmt.Errorf("%s: %w", e.Kind, ErrNoAmount)
		}
	case DrawerNoSale:
		if e.Amount != 0 {
			return fmt.Errorf("a no-sale moves no money, this one says %d", e.Amount)
		}
	case DrawerFloat:
		if e.Amount < 0 {
			return errors.New("negative float")
		}
		needReason = false
	default:
		return fmt.Errorf("unknown drawer event kind %q", e.Kind)
	}
	if needReason || e.Reason != "" {
		r, err := CleanReason(e.Reason)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Kind, err)
		}
		if r != e.Reason {
			return fmt.Errorf("%s: reason has spaces around it", e.Kind)
		}
	}
	return nil
}

// Shift is the shift a float event opens.
func (e DrawerEvent) Shift() Shift {
	return Shift{OpenedAt: e.At, Cashier: e.Cashier, CashierID: e.CashierID, Float: e.Amount}
}
