package staff

import (
	"fmt"
	"slices"
	"time"
)

// Permission is one gated action at the counter.
type Permission string

// The gated actions. Limits apply to the ones that carry a value: a
// discount's percentage, a refund's or void's amount.
const (
	LineDiscount     Permission = "line_discount"     // value: basis points
	CartDiscount     Permission = "cart_discount"     // value: basis points
	PriceOverride    Permission = "price_override"    // value: basis points off the list price
	Void             Permission = "void"              // value: the sale's amount
	Refund           Permission = "refund"            // value: the refund's amount
	RefundNoReceipt  Permission = "refund_no_receipt" // a refund with no sale to refer to
	RemoveLine       Permission = "remove_line"       // remove or reduce a line after it was added
	NoSale           Permission = "no_sale"           // open the drawer with no sale
	PaidOut          Permission = "paid_out"          // value: the amount
	ZReport          Permission = "z_report"
	Reprint          Permission = "reprint"
	Settings         Permission = "settings"
	ManageStaff      Permission = "manage_staff"
	ApproveOverrides Permission = "approve" // may approve others' actions
)

// Permissions lists every permission, in the order screens show them.
var Permissions = []Permission{LineDiscount, CartDiscount, PriceOverride, Void, Refund, RefundNoReceipt,
	RemoveLine, NoSale, PaidOut, ZReport, Reprint, Settings, ManageStaff, ApproveOverrides}

// Decision is what a role's rule says of an action.
type Decision string

const (
	Allow   Decision = "allow"
	Deny    Decision = "deny"
	Approve Decision = "approve" // allowed once a manager approves this one action
)

// Rule is a role's rule for one permission. Limit, when non-zero, bounds
// the action's value (basis points for discounts, minor units for
// amounts): up to it the rule's decision holds, above it the action needs
// approval.
type Rule struct {
	Decision Decision `json:"decision" toml:"decision"`
	Limit    int64    `json:"limit,omitempty" toml:"limit"`
}

// Role is a named set of rules. A permission without a rule is denied.
type Role struct {
	Name  string              `json:"name"`
	Rules map[Permission]Rule `json:"rules"`
	// BlindCount says the Z report asks for the counted cash before it
	// shows the expected figure.
	BlindCount bool `json:"blind_count"`
}

// Roles are the roles a shop uses, by name.
type Roles map[string]Role

// Names lists the role names, sorted.
func (r Roles) Names() []string {
	out := make([]string, 0, len(r))
	for n := range r {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Decide says whether role may do perm with the given value (0 when the
// action carries none): Allow, Deny, or Approve when a manager must
// approve it, with the reason in words for the prompt.
func (r Role) Decide(perm Permission, value int64) (Decision, string) {
	rule, ok := r.Rules[perm]
	if !ok || rule.Decision == Deny || rule.Decision == "" {
		return Deny, fmt.Sprintf("a %s may not %s", r.Name, words[perm])
	}
	if rule.Decision == Approve {
		return Approve, fmt.Sprintf("%s needs a manager's approval", capital(words[perm]))
	}
	if rule.Limit > 0 && value > rule.Limit {
		return Approve, fmt.Sprintf("%s above a %s's limit needs a manager's approval", capital(words[perm]), r.Name)
	}
	return Allow, ""
}

var words = map[Permission]string{
	LineDiscount: "discount a line", CartDiscount: "discount the cart", PriceOverride: "change a price",
	Void: "void a sale", Refund: "refund", RefundNoReceipt: "refund without a receipt",
	RemoveLine: "remove a line", NoSale: "open the drawer without a sale", PaidOut: "pay out cash",
	ZReport: "close the day", Reprint: "reprint a receipt", Settings: "change settings",
	ManageStaff: "manage staff", ApproveOverrides: "approve",
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// DefaultRoles are the roles a new shop starts with: a cashier sells,
// discounts up to 10% and refunds up to 100.00 with approval beyond; a
// supervisor also voids, refunds up to 500.00 and approves; a manager may
// do everything. All three count the drawer blind.
//
// exponent is the currency's decimal places (pos.Currency.Exponent); the
// package does not import pos so that pos's records can carry approvals.
func DefaultRoles(exponent int) Roles {
	unit := int64(1)
	for range exponent {
		unit *= 10
	}
	a := func(limit int64) Rule { return Rule{Decision: Allow, Limit: limit} }
	ap := Rule{Decision: Approve}
	return Roles{
		"cashier": {Name: "cashier", BlindCount: true, Rules: map[Permission]Rule{
			LineDiscount: a(1000), CartDiscount: a(1000), PriceOverride: ap, Void: ap, Refund: a(100 * unit),
			RefundNoReceipt: ap, RemoveLine: a(0), NoSale: ap, PaidOut: ap, ZReport: a(0), Reprint: a(0),
		}},
		"supervisor": {Name: "supervisor", BlindCount: true, Rules: map[Permission]Rule{
			LineDiscount: a(3000), CartDiscount: a(3000), PriceOverride: a(3000), Void: a(500 * unit),
			Refund: a(500 * unit), RefundNoReceipt: ap, RemoveLine: a(0), NoSale: a(0), PaidOut: a(200 * unit),
			ZReport: a(0), Reprint: a(0), ApproveOverrides: a(0),
		}},
		"manager": {Name: "manager", BlindCount: true, Rules: func() map[Permission]Rule {
			m := map[Permission]Rule{}
			for _, p := range Permissions {
				m[p] = a(0)
			}
			return m
		}()},
	}
}

// Approval is a manager's yes to one action of another member, stored in
// the same transaction as the action it allowed.
type Approval struct {
	Permission Permission `json:"permission"`
	Actor      string     `json:"actor"`    // who asked
	Approver   string     `json:"approver"` // who approved
	Value      int64      `json:"value,omitempty"`
	Limit      int64      `json:"limit,omitempty"`
	Reason     string     `json:"reason"`
	At         time.Time  `json:"at"`
}

// Reasons are the short list an approval prompt offers; the approver may
// also type one.
var Reasons = []string{"damaged goods", "customer complaint", "price match", "staff error", "manager's decision"}

// CanApprove reports whether a member of role approver may approve perm
// for someone else: they need the approve permission and must themselves
// be allowed the action at that value, so a supervisor cannot approve a
// refund above their own limit.
func CanApprove(approver Role, perm Permission, value int64) error {
	if d, _ := approver.Decide(ApproveOverrides, 0); d != Allow {
		return fmt.Errorf("a %s cannot approve", approver.Name)
	}
	if d, why := approver.Decide(perm, value); d != Allow {
		return fmt.Errorf("a %s cannot approve this: %s", approver.Name, why)
	}
	return nil
}
