package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

func (m *Model) sellKey(k tea.KeyPressMsg) tea.Cmd {
	keys := &m.keys
	switch {
	case key.Matches(k, keys.Enter):
		return m.enter()
	case key.Matches(k, keys.Up):
		if len(m.sugg) > 0 {
			m.sel = max(0, m.sel-1)
		} else {
			m.line = max(0, m.line-1)
		}
	case key.Matches(k, keys.Down):
		if len(m.sugg) > 0 {
			m.sel = min(len(m.sugg)-1, m.sel+1)
		} else {
			m.line = min(len(m.cart.Lines)-1, m.line+1)
		}
	case key.Matches(k, keys.Qty):
		m.ask1(promptQty, fmt.Sprintf("Quantity of %s (0-%d):", m.cart.Lines[m.line].Name, pos.MaxQty))
	case key.Matches(k, keys.Plus):
		return m.bump(+1)
	case key.Matches(k, keys.Minus):
		return m.bump(-1)
	case key.Matches(k, keys.Remove):
		m.ask(confirmRemoveLine, fmt.Sprintf("Remove %s from the cart?", m.cart.Lines[m.line].Name))
	case key.Matches(k, keys.Clear):
		m.ask(confirmClearCart, fmt.Sprintf("Clear the whole cart (%s)?", count(len(m.cart.Lines), "line", "lines")))
	case key.Matches(k, keys.LineDisc):
		m.ask1(promptLineDisc, fmt.Sprintf("Discount on %s (5.00 or 10%%, 0 = none):", m.cart.Lines[m.line].Name))
	case key.Matches(k, keys.CartDisc):
		m.ask1(promptCartDisc, "Discount on the whole cart (5.00 or 10%, 0 = none):")
	case key.Matches(k, keys.Park):
		return m.park()
	case key.Matches(k, keys.Parked):
		return m.listParked()
	case key.Matches(k, keys.History):
		return m.loadHistory()
	case key.Matches(k, keys.Reports):
		return m.openReports()
	case key.Matches(k, keys.Stock):
		m.openStock()
	case key.Matches(k, keys.Pay):
		m.openCheckout()
	case key.Matches(k, keys.Back):
		m.input.reset()
		m.sugg = nil
	default:
		if m.input.key(k) {
			m.msg = ""
			m.sugg, m.sel = nil, 0
			if q := strings.TrimSpace(m.input.value); q != "" && !isDigits(q) {
				m.sugg = m.ix.search(q, searchLimit)
			}
		}
	}
	return nil
}

func (m *Model) newCart() {
	m.cart, m.line = pos.Cart{}, 0
	m.started = m.d.Now()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// trailingDigits returns the run of digits that ends s.
func trailingDigits(s string) string {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	return s[i:]
}

// scanLen is the shortest run of digits taken for a scanned barcode.
const scanLen = 8

// enter adds goods. An exact barcode or SKU always wins over the
// highlighted suggestion, including a code scanned onto the end of a half
// typed name; a code that matches nothing is never replaced by a
// suggestion.
func (m *Model) enter() tea.Cmd {
	text := strings.TrimSpace(m.input.value)
	sugg, sel := m.sugg, m.sel
	m.input.reset()
	m.sugg, m.sel = nil, 0
	if i, ok := m.ix.code(text); ok {
		m.add(m.ix.goods[i])
		return nil
	}
	if code := trailingDigits(text); len(code) >= scanLen {
		if i, ok := m.ix.code(code); ok {
			m.add(m.ix.goods[i])
			return nil
		}
		return m.lookup(code)
	}
	if isDigits(text) || len(sugg) == 0 {
		return m.lookup(text)
	}
	m.add(m.ix.goods[sugg[min(sel, len(sugg)-1)]])
	return nil
}

// looked handles a store lookup of a code not in the in-memory catalog
// (say goods head office added since the till started).
func (m *Model) looked(msg lookupMsg) tea.Cmd {
	if msg.err != nil {
		if errors.Is(msg.err, pos.ErrNotFound) {
			m.fail(fmt.Sprintf("No goods with barcode, SKU or name %q.", msg.code), nil)
		} else {
			m.fail("Could not look the goods up; try again.", msg.err)
		}
		return nil
	}
	m.add(msg.p)
	return nil
}

func (m *Model) add(p pos.Product) {
	if len(m.cart.Lines) == 0 {
		m.started = m.d.Now()
	}
	i, err := m.cart.Add(p, 1)
	if err != nil {
		m.fail(fmt.Sprintf("%s: %v", p.Name, err), nil)
		return
	}
	m.line = i
	m.info("Added %s, now %d × %s.", p.Name, m.cart.Lines[i].Qty, m.amount(p.Price))
	if p.LowStock() {
		m.msg += fmt.Sprintf(" Low stock: %d left.", p.Stock)
	}
}

// bump changes the selected line's quantity by one; to zero asks first.
func (m *Model) bump(d int64) tea.Cmd {
	l := m.cart.Lines[m.line]
	if l.Qty+d <= 0 {
		m.ask(confirmRemoveLine, fmt.Sprintf("Remove %s from the cart?", l.Name))
		return nil
	}
	if err := m.cart.SetQty(m.line, l.Qty+d); err != nil {
		m.fail(err.Error(), nil)
	}
	return nil
}

// setQty applies a typed quantity. A barcode scanned into the prompt adds
// its goods instead of becoming a quantity.
func (m *Model) setQty(text string, p *prompt) tea.Cmd {
	if i, ok := m.ix.code(text); ok && (len(text) >= scanLen || !isDigits(text)) {
		m.add(m.ix.goods[i])
		m.msg += " (scanned into the quantity box: the quantity is unchanged)"
		return nil
	}
	if isDigits(text) && len(text) >= scanLen {
		m.reopen(p, fmt.Sprintf("%s looks like a barcode, not a quantity. Type 1 to %d.", text, pos.MaxQty))
		return nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 || n > pos.MaxQty {
		m.reopen(p, fmt.Sprintf("Quantity must be a whole number from 0 to %d.", pos.MaxQty))
		return nil
	}
	if n == 0 {
		m.ask(confirmRemoveLine, fmt.Sprintf("Quantity 0 removes %s. Remove it?", m.cart.Lines[m.line].Name))
		return nil
	}
	_ = m.cart.SetQty(m.line, n)
	m.info("%s: quantity %d.", m.cart.Lines[m.line].Name, n)
	return nil
}

func (m *Model) setDiscount(text string, line bool, p *prompt) {
	d, err := pos.ParseDiscount(text, m.d.Currency.Exponent)
	if err != nil {
		m.reopen(p, "Type an amount like 5.00, a percentage like 10%, or 0 for none.")
		return
	}
	c := cloneCart(m.cart)
	if line {
		c.Lines[m.line].Discount = d
	} else {
		c.Discount = d
	}
	t, err := pos.Price(c, m.d.TaxIncluded)
	if err != nil {
		m.reopen(p, "That discount does not work: "+err.Error())
		return
	}
	if d.Kind == pos.AmountDiscount {
		var base pos.Money
		for i, l := range t.Lines {
			if !line {
				base += l.Gross - l.LineDiscount
			} else if i == m.line {
				base = l.Gross
			}
		}
		if d.Amount > base {
			m.reopen(p, fmt.Sprintf("A discount of %s is more than the %s it applies to.", m.money(d.Amount), m.money(base)))
			return
		}
	}
	m.cart = c
	switch {
	case d.Kind == pos.NoDiscount:
		m.info("Discount removed.")
	case line:
		m.info("Discount on %s: %s.", c.Lines[m.line].Name, m.discText(d))
	default:
		m.info("Cart discount: %s.", m.discText(d))
	}
}

func (m *Model) discText(d pos.Discount) string {
	switch d.Kind {
	case pos.PercentDiscount:
		return d.Percent.String()
	case pos.AmountDiscount:
		return m.money(d.Amount)
	}
	return ""
}
