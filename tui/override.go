package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

// Changes to a line already in the cart that a role may leave to a
// manager (issue 14): a price set by hand (staff.PriceOverride, its value
// the change in basis points of the list price) and a line removed or
// its quantity reduced (staff.RemoveLine, its value what comes off the
// cart). Each is checked as it is made, like a discount; one the role
// leaves to a manager opens the approval prompt, and the approval stays
// with the cart and goes with its sale.

// gateCart checks an action on the cart against the cashier's role:
// allowed (or a till with no staff), apply runs now; denied, the words
// come back as retry and nothing changes; left to a manager, the
// approval prompt opens and apply runs once one approves, the approval
// kept with the cart for its sale.
func (c *common) gateCart(perm staff.Permission, value int64, what string, apply func()) (retry string) {
	if !c.people.on || c.deps.Staff == nil {
		apply()
		return ""
	}
	v := c.deps.Staff.AuthorizeCurrent(perm, value)
	switch v.Decision {
	case staff.Allow:
		apply()
		return ""
	case staff.Deny:
		return c.t("Not allowed: %s. Nothing was changed.", v.Why)
	}
	c.askApproval(perm, value, what, v.Why, func(ap staff.Approval) tea.Cmd {
		apply()
		c.people.approvals = append(c.people.approvals, ap)
		return nil
	})
	return ""
}

// overrideBps is a line's price override as the register reckons it:
// the change from the list price in basis points of it, rounded up.
func overrideBps(l pos.Line) int64 {
	if !l.Overridden() || l.ListPrice <= 0 {
		return 0
	}
	d := int64(l.ListPrice - l.UnitPrice)
	if d < 0 {
		d = -d
	}
	return bps(d, int64(l.ListPrice))
}

// askPrice opens the prompt for the selected line's unit price.
func (s *sellScreen) askPrice() {
	c := s.c
	l := c.cart.Lines[c.line]
	list := l.UnitPrice
	if l.Overridden() {
		list = l.ListPrice
	}
	c.askAmount(c.t("Price of %s (list %s):", c.nameOf(l.SKU, l.Name), c.money(list)), s.setPrice)
}

// setPrice applies a typed unit price to the selected line, or says why
// not. The list price again ends the override.
func (s *sellScreen) setPrice(text string) (tea.Cmd, string) {
	c := s.c
	if c.line >= len(c.cart.Lines) {
		return nil, ""
	}
	if c.scanned(strings.TrimSpace(text)) {
		return nil, c.t("%s looks like a barcode, not a price.", strings.TrimSpace(text))
	}
	price, why := c.parseAmount(text)
	if why != "" {
		return nil, why
	}
	cart := cloneCart(c.cart)
	if err := cart.SetPrice(c.line, price); err != nil {
		return nil, c.t("That price does not work: %s.", c.p.ErrorText(err, i18n.DomainErrors))
	}
	if _, err := pos.Price(cart, c.deps.TaxIncluded); err != nil {
		return nil, c.t("That price does not work: %s.", c.p.ErrorText(err, i18n.DomainErrors))
	}
	l := cart.Lines[c.line]
	apply := func() {
		c.cart = cart
		if l.Overridden() {
			c.info("Price of %s: %s (list %s).", c.nameOf(l.SKU, l.Name), c.money(l.UnitPrice), c.money(l.ListPrice))
		} else {
			c.info("Price of %s: back to the list price %s.", c.nameOf(l.SKU, l.Name), c.money(l.UnitPrice))
		}
	}
	if !l.Overridden() {
		apply()
		return nil, ""
	}
	what := c.t("A price of %s for %s (list %s)", c.money(l.UnitPrice), c.nameOf(l.SKU, l.Name), c.money(l.ListPrice))
	return nil, c.gateCart(staff.PriceOverride, overrideBps(l), what, apply)
}

// removedValue is what taking qty off line i takes off the cart before
// discounts: the value a line removal is checked at.
func (c *common) removedValue(i int, qty int64) int64 {
	if i >= len(c.cart.Lines) {
		return 0
	}
	l := c.cart.Lines[i]
	if l.Parcel() || qty >= l.Qty {
		v, _ := l.Extended()
		return int64(v)
	}
	l.Qty = qty
	v, _ := l.Extended()
	return int64(v)
}

// gateRemove checks taking qty off the selected line (all of it: a
// removal) before apply does it.
func (s *sellScreen) gateRemove(qty int64, apply func()) string {
	c := s.c
	l := c.cart.Lines[c.line]
	what := c.t("Removing %s", c.nameOf(l.SKU, l.Name))
	if qty < l.Qty && !l.Parcel() {
		what = c.t("Taking %d off %s", qty, c.nameOf(l.SKU, l.Name))
	}
	return c.gateCart(staff.RemoveLine, c.removedValue(c.line, qty), what, apply)
}
