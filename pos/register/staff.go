package register

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

// StaffStore is what the register needs of the database for staff:
// *bolt.Store satisfies it. Every call is one transaction, journalled.
type StaffStore interface {
	Members() ([]staff.Member, error)
	// CheckPIN checks a PIN for a member named by ID or badge, counting
	// wrong ones towards the lock-out (stored) and journalling the try.
	CheckPIN(idOrBadge, pin, purpose string, now time.Time) (staff.Member, error)
	MemberByBadge(badge string) (staff.Member, error)
	RecordEvent(typ, ref, member, name, detail string, at time.Time) error
	TakeZCounted(now time.Time, loc *time.Location, count pos.Count) (pos.Report, error)
}

// Errors the screens tell apart with errors.Is.
var (
	ErrLoginNeeded   = errors.New("log in first")
	ErrDenied        = errors.New("not allowed")
	ErrNeedsApproval = errors.New("needs a manager's approval")
	ErrNoStaff       = errors.New("this till keeps no staff")
)

// Verdict is what Authorize says of an action: Decision is staff.Allow,
// staff.Deny or staff.Approve (allowed once approved); Why is the words
// to show for the last two; Limit is the role's limit that applied.
type Verdict struct {
	Decision staff.Decision
	Why      string
	Limit    int64
}

// Err is nil when allowed, else an error wrapping ErrDenied or
// ErrNeedsApproval with the words.
func (v Verdict) Err() error {
	switch v.Decision {
	case staff.Allow:
		return nil
	case staff.Approve:
		return fmt.Errorf("%w: %s", ErrNeedsApproval, v.Why)
	}
	return fmt.Errorf("%w: %s", ErrDenied, v.Why)
}

func (r *Register) staffStore() (StaffStore, error) {
	if st, ok := r.Store.(StaffStore); ok {
		return st, nil
	}
	return nil, ErrNoStaff
}

func (r *Register) roles() staff.Roles {
	if r.Roles == nil {
		return staff.DefaultRoles(r.Currency.Exponent)
	}
	return r.Roles
}

// StaffRequired reports whether the counter needs a login: once an
// active member whose role may manage staff exists. Until then (a new
// database) the till is open under the configured cashier name, as
// before staff existed.
func (r *Register) StaffRequired() (bool, error) {
	st, err := r.staffStore()
	if err != nil {
		return false, nil
	}
	ms, err := st.Members()
	if err != nil {
		return false, err
	}
	roles := r.roles()
	for _, m := range ms {
		if d, _ := roles[m.Role].Decide(staff.ManageStaff, 0); m.Active && d == staff.Allow {
			return true, nil
		}
	}
	return false, nil
}

// Login checks a member's PIN (by staff ID or badge) and makes them the
// current cashier: every sale, refund, drawer event and report line from
// now on is theirs. Five wrong PINs in a row lock the member for
// staff.LockFor, stored, so a restart does not reset it; every try is
// journalled. Logging in while another is logged in switches cashier (the
// screen keeps its open cart).
func (r *Register) Login(idOrBadge, pin string) (staff.Member, error) {
	st, err := r.staffStore()
	if err != nil {
		return staff.Member{}, err
	}
	m, err := st.CheckPIN(strings.TrimSpace(idOrBadge), pin, "login", r.Now())
	if err != nil {
		return staff.Member{}, err
	}
	if _, ok := r.roles()[m.Role]; !ok {
		return staff.Member{}, fmt.Errorf("%s has role %q, which this shop does not define", m.Name, m.Role)
	}
	r.mu.Lock()
	r.current = &m
	r.mu.Unlock()
	return m, nil
}

// Lock hides the counter until a PIN is entered (Login again, by the
// same or another member); the cashier stays current meanwhile, so the
// cart is kept. Journalled.
func (r *Register) Lock() error {
	m, ok := r.Current()
	st, err := r.staffStore()
	if err != nil || !ok {
		return err
	}
	return st.RecordEvent("screen_lock", m.ID, m.ID, m.Name, "", r.Now())
}

// Logout ends the current cashier's turn; a login is needed again.
func (r *Register) Logout() error {
	m, ok := r.Current()
	if !ok {
		return nil
	}
	st, err := r.staffStore()
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.current = nil
	r.mu.Unlock()
	return st.RecordEvent("logout", m.ID, m.ID, m.Name, "", r.Now())
}

// Current is the logged-in member, if any.
func (r *Register) Current() (staff.Member, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.current == nil {
		return staff.Member{}, false
	}
	return *r.current, true
}

// cashier is who the register records as working: the logged-in member,
// or the configured name on a till without staff. It fails when staff
// exist and no one is logged in.
func (r *Register) cashier() (name, id string, err error) {
	if m, ok := r.Current(); ok {
		return m.Name, m.ID, nil
	}
	req, err := r.StaffRequired()
	if err != nil {
		return "", "", err
	}
	if req {
		return "", "", ErrLoginNeeded
	}
	return r.Cashier, "", nil
}

// Authorize says whether member m may do perm with value (basis points
// for discounts and price overrides, minor units for amounts, 0 when the
// action carries none).
func (r *Register) Authorize(m staff.Member, perm staff.Permission, value int64) Verdict {
	role, ok := r.roles()[m.Role]
	if !ok {
		return Verdict{Decision: staff.Deny, Why: fmt.Sprintf("%s has no role this shop knows", m.Name)}
	}
	d, why := role.Decide(perm, value)
	return Verdict{Decision: d, Why: why, Limit: role.Rules[perm].Limit}
}

// AuthorizeCurrent is Authorize for the logged-in member; on a till with
// no staff everything is allowed, as before staff existed.
func (r *Register) AuthorizeCurrent(perm staff.Permission, value int64) Verdict {
	if m, ok := r.Current(); ok {
		return r.Authorize(m, perm, value)
	}
	if req, err := r.StaffRequired(); err != nil || req {
		return Verdict{Decision: staff.Deny, Why: "log in first"}
	}
	return Verdict{Decision: staff.Allow}
}

// Approve is a manager's yes to one action of the current cashier: the
// approver is named by staff ID or badge and types their PIN (pin "" means
// the badge was scanned, which is enough on its own). The approver must
// be another active member whose role may approve and may itself do the
// action at that value. The PIN try counts towards the approver's
// lock-out and is journalled. The Approval returned is not stored yet: it
// goes with the action (CompleteWith, RefundWith, NoSale, PaidOut,
// CloseDay, Reprint), which stores it in its own transaction, and covers
// that one action only.
func (r *Register) Approve(approver, pin string, perm staff.Permission, value int64, reason string) (staff.Approval, error) {
	st, err := r.staffStore()
	if err != nil {
		return staff.Approval{}, err
	}
	actor, ok := r.Current()
	if !ok {
		return staff.Approval{}, ErrLoginNeeded
	}
	if strings.TrimSpace(reason) == "" {
		return staff.Approval{}, fmt.Errorf("an approval needs a reason (say %s)", strings.Join(staff.Reasons, ", "))
	}
	var m staff.Member
	if pin == "" {
		if m, err = st.MemberByBadge(strings.TrimSpace(approver)); err != nil {
			return staff.Approval{}, fmt.Errorf("approval: scan a badge or type a PIN: %w", err)
		}
		if !m.Active {
			return staff.Approval{}, fmt.Errorf("%s: %w", m.Name, staff.ErrOff)
		}
	} else if m, err = st.CheckPIN(strings.TrimSpace(approver), pin, "approve "+string(perm), r.Now()); err != nil {
		return staff.Approval{}, err
	}
	if m.ID == actor.ID {
		return staff.Approval{}, errors.New("someone else must approve your own action")
	}
	if err := staff.CanApprove(r.roles()[m.Role], perm, value); err != nil {
		return staff.Approval{}, fmt.Errorf("%s: %w", m.Name, err)
	}
	return staff.Approval{Permission: perm, Actor: actor.ID, Approver: m.ID, Value: value,
		Limit: r.roles()[actor.Role].Rules[perm].Limit, Reason: strings.TrimSpace(reason), At: r.Now()}, nil
}

// need is one permission an action needs, at a value.
type need struct {
	perm  staff.Permission
	value int64
}

// gate runs after r.cashier() succeeded. It checks that the current cashier may do every action in needs,
// each either allowed or covered by one approval of the list (same
// permission, same cashier, a value at least the action's). Approvals of
// the kinds in extra (line removals, price overrides the screen asked
// for) are accepted when they are the cashier's. An approval left over,
// or one for another cashier, is refused: it covers one action only.
func (r *Register) gate(needs []need, approvals []staff.Approval, extra ...staff.Permission) error {
	m, ok := r.Current()
	if !ok {
		// The caller's r.cashier() found a till with no staff: everything
		// is allowed, as before staff existed. (No store read here: gate
		// runs inside a refund's write transaction.)
		if len(approvals) > 0 {
			return ErrLoginNeeded
		}
		return nil
	}
	used := make([]bool, len(approvals))
	for _, a := range approvals {
		if a.Actor != m.ID {
			return fmt.Errorf("an approval for %s cannot cover %s's action", a.Actor, m.Name)
		}
		if a.Approver == "" || a.At.IsZero() {
			return errors.New("an approval needs its approver and time")
		}
	}
	for _, n := range needs {
		v := r.Authorize(m, n.perm, n.value)
		switch v.Decision {
		case staff.Allow:
			continue
		case staff.Deny:
			return v.Err()
		}
		found := false
		for i, a := range approvals {
			if !used[i] && a.Permission == n.perm && a.Value >= n.value {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return v.Err()
		}
	}
	for i, a := range approvals {
		if !used[i] && !contains(extra, a.Permission) {
			return fmt.Errorf("an approval to %s does not belong to this action", a.Permission)
		}
	}
	return nil
}

func contains(ps []staff.Permission, p staff.Permission) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// discountNeeds lists the discount permissions a priced sale needs: each
// discounted line at its discount in basis points of its gross (rounded
// up), and a cart discount in basis points of the goods after line
// discounts.
func discountNeeds(t pos.Totals) []need {
	var out []need
	var base, cart pos.Money
	for _, l := range t.Lines {
		if l.LineDiscount > 0 && l.Gross > 0 {
			out = append(out, need{staff.LineDiscount, bps(int64(l.LineDiscount), int64(l.Gross))})
		}
		base += l.Gross - l.LineDiscount
		cart += l.CartDiscount
	}
	if cart > 0 && base > 0 {
		out = append(out, need{staff.CartDiscount, bps(int64(cart), int64(base))})
	}
	return out
}

// overrideNeeds lists the price override permission a priced sale
// needs: each line whose price was set by hand, at its change from the
// list price in basis points of the list price (rounded up; a raise
// counts as much as a cut).
func overrideNeeds(t pos.Totals) []need {
	var out []need
	for _, l := range t.Lines {
		if !l.Overridden() {
			continue
		}
		d := int64(l.ListPrice - l.UnitPrice)
		if d < 0 {
			d = -d
		}
		out = append(out, need{staff.PriceOverride, bps(d, int64(l.ListPrice))})
	}
	return out
}

func bps(part, whole int64) int64 { return (part*10000 + whole - 1) / whole }

// CompleteWith is Complete for a till with staff: the sale is the logged-
// in cashier's, its discounts are checked against their role, and the
// approvals the screen collected (discounts above the limit, price
// overrides, removed lines) are stored on the sale and journalled in the
// sale's own transaction. On a till with no staff it is Complete.
func (r *Register) CompleteWith(c pos.Cart, started time.Time, tenders []pos.Tender, approvals []staff.Approval) (pos.Sale, error) {
	id, err := r.NewID()
	if err != nil {
		return pos.Sale{}, err
	}
	return r.complete(id, c, started, tenders, approvals, r.Store.CompleteSale)
}

// RefundWith is Refund for a till with staff: the refund or void is the
// logged-in cashier's and needs the refund (or void) permission at its
// amount, or an approval for it.
func (r *Register) RefundWith(saleID string, want map[int]int64, kind pos.RefundKind, reason string, approvals []staff.Approval) (pos.Refund, error) {
	return r.refund(saleID, want, kind, reason, approvals)
}

// CloseDay takes the Z report with the cash already counted (the blind
// count: the screen asks for count before it shows anything) and returns
// the report with the expected cash and the differences, the drawer's and
// each counted cashier's. It needs the Z report permission.
func (r *Register) CloseDay(loc *time.Location, count pos.Count, approvals []staff.Approval) (pos.Report, error) {
	st, err := r.staffStore()
	if err != nil {
		return pos.Report{}, err
	}
	if _, _, err := r.cashier(); err != nil {
		return pos.Report{}, err
	}
	if err := r.gate([]need{{staff.ZReport, 0}}, approvals); err != nil {
		return pos.Report{}, err
	}
	return st.TakeZCounted(r.Now(), loc, count)
}

// Reprint checks the reprint permission and journals the reprint of a
// receipt (the screen prints it).
func (r *Register) Reprint(receipt uint64, approvals []staff.Approval) error {
	st, err := r.staffStore()
	if err != nil {
		return err
	}
	name, cid, err := r.cashier()
	if err != nil {
		return err
	}
	if err := r.gate([]need{{staff.Reprint, 0}}, approvals); err != nil {
		return err
	}
	// The approval, if one was needed, is in the reprint's own entry.
	var detail []string
	for _, a := range approvals {
		detail = append(detail, fmt.Sprintf("approved by %s: %s", a.Approver, a.Reason))
	}
	return st.RecordEvent("reprint", fmt.Sprintf("%06d", receipt), cid, name, strings.Join(detail, "; "), r.Now())
}

// voidedThisPeriod is what the cashier voided since the last Z, when the
// store can say: a void limit counts the period's voids with this one.
func (r *Register) voidedThisPeriod(cashierID string, kind pos.RefundKind) (pos.Money, error) {
	vs, ok := r.Store.(interface {
		VoidedThisPeriod(cashierID string) (pos.Money, error)
	})
	if !ok || kind != pos.KindVoid || cashierID == "" {
		return 0, nil
	}
	return vs.VoidedThisPeriod(cashierID)
}
