package tui

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
)

// sellScreen rings up the cart: scan or search to add goods, change
// quantities and discounts, park, and open the other screens. The cart
// itself is the counter's (common), so other screens and a customer
// display can read it.
type sellScreen struct {
	c    *common
	in   lineInput
	sugg []int // search matches (index ids)
	sel  int   // highlighted match
}

func newSell(c *common) *sellScreen { return &sellScreen{c: c} }

func (s *sellScreen) title() string { return s.c.t("Sell") }
func (s *sellScreen) typing() bool  { return s.in.value != "" }

// Results of the sell screen's commands.
type (
	lookupMsg struct {
		code string
		p    pos.Product
		err  error
	}
	parkDoneMsg struct{ err error }
)

// Parker puts carts aside and takes them back, through the register
// like a sale. *register.Register satisfies it.
type Parker interface {
	Park(c pos.Cart, note string) (pos.Parked, error)
	Unpark(id string) (pos.Parked, error)
}

type sellKeys struct {
	enter, up, down, qty, plus, minus, remove, clear key.Binding
	lineDisc, cartDisc, park, pay, back, seen        key.Binding
	menu                                             []key.Binding
}

// keys are the sell screen's bindings, enabled for the cart and input.
func (s *sellScreen) keys() sellKeys {
	k, c := &s.c.keys, s.c
	empty := s.in.value == ""
	hasLines := len(c.cart.Lines) > 0
	sk := sellKeys{
		enter:    on(named(k.Enter, "enter", "add"), !empty),
		up:       named(k.Up, "↑↓", "pick"),
		down:     k.Down,
		qty:      on(k.Qty, hasLines),
		plus:     on(k.Plus, empty && hasLines),
		minus:    on(k.Minus, empty && hasLines),
		remove:   on(k.Remove, hasLines),
		clear:    on(k.Clear, hasLines),
		lineDisc: on(k.LineDisc, hasLines),
		cartDisc: on(k.CartDisc, hasLines),
		park:     on(k.Park, hasLines),
		pay:      on(k.Pay, hasLines),
		back:     on(named(k.Back, "esc", "clear input"), !empty),
		seen:     on(named(k.Back, "esc", "seen"), empty && c.held != ""),
	}
	if len(s.sugg) == 0 {
		sk.up = on(named(k.Up, "↑↓", "line"), hasLines)
		sk.down = on(k.Down, hasLines)
	}
	for _, it := range c.menu {
		sk.menu = append(sk.menu, on(it.key, it.anyCart || !hasLines))
	}
	return sk
}

func (s *sellScreen) ShortHelp() []key.Binding {
	k := s.keys()
	var out []key.Binding
	if k.seen.Enabled() {
		out = append(out, k.seen)
	}
	out = append(out, k.pay, k.qty, k.plus, k.minus, k.remove)
	out = append(out, k.menu...)
	return append(out, k.park, s.c.keys.help(s.typing()))
}

func (s *sellScreen) FullHelp() [][]key.Binding {
	k := s.keys()
	return fullHelp(s.ShortHelp(), k.enter, k.up, k.lineDisc, k.cartDisc, k.clear, k.back, s.c.keys.Quit)
}

func (s *sellScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s.key(msg)
	case lookupMsg:
		return s, s.looked(msg)
	case saleDetailMsg:
		// A receipt's barcode or QR code was scanned: its sale.
		return openDetail(s.c, s, msg)
	case foundMsg:
		return found(s.c, s, msg)
	case parkDoneMsg:
		if msg.err != nil {
			s.c.fail("Could not park the cart; it is still here.", msg.err)
			return s, nil
		}
		s.c.newCart()
		s.c.info("Cart parked. f7 lists parked carts.")
	}
	return s, nil
}

func (s *sellScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c := s.c
	keys := s.keys()
	if key.Matches(k, keys.seen) {
		c.held = ""
		return s, nil
	}
	if c.held != "" && k.Text == "" && k.Code != tea.KeyEnter {
		// A key other than typing (a scanner types and ends with
		// enter): the cashier has acted, the warning may go.
		c.held = ""
	}
	for i, b := range keys.menu {
		if key.Matches(k, b) {
			return c.menu[i].open(c)
		}
	}
	switch {
	case key.Matches(k, keys.enter):
		return s, s.enter()
	case key.Matches(k, keys.up):
		if len(s.sugg) > 0 {
			s.sel = max(0, s.sel-1)
		} else {
			c.line = max(0, c.line-1)
		}
	case key.Matches(k, keys.down):
		if len(s.sugg) > 0 {
			s.sel = min(len(s.sugg)-1, s.sel+1)
		} else {
			c.line = min(len(c.cart.Lines)-1, c.line+1)
		}
	case key.Matches(k, keys.qty):
		c.askLine(c.t("Quantity of %s (0-%d):", c.nameOf(c.cart.Lines[c.line].SKU, c.cart.Lines[c.line].Name), pos.MaxQty), s.setQty)
	case key.Matches(k, keys.plus):
		s.bump(+1)
	case key.Matches(k, keys.minus):
		s.bump(-1)
	case key.Matches(k, keys.remove):
		s.askRemove("Remove %s from the cart?")
	case key.Matches(k, keys.clear):
		c.askYes(c.t("Clear the whole cart (%s)?", c.p.Plural(len(c.cart.Lines), "1 line", "%d lines")), func() tea.Cmd {
			c.newCart()
			c.info("Cart cleared.")
			return nil
		})
	case key.Matches(k, keys.lineDisc):
		c.askLine(c.t("Discount on %s (5.00 or 10%%, 0 = none):", c.nameOf(c.cart.Lines[c.line].SKU, c.cart.Lines[c.line].Name)),
			func(text string) (tea.Cmd, string) { return nil, s.setDiscount(text, true) })
	case key.Matches(k, keys.cartDisc):
		c.askLine(c.t("Discount on the whole cart (5.00 or 10%, 0 = none):"),
			func(text string) (tea.Cmd, string) { return nil, s.setDiscount(text, false) })
	case key.Matches(k, keys.park):
		return s, s.park()
	case key.Matches(k, keys.pay):
		return openCheckout(c), nil
	case key.Matches(k, keys.back):
		s.in.reset()
		s.sugg = nil
	default:
		if s.in.key(k) {
			c.msg = ""
			s.sugg, s.sel = nil, 0
			if q := strings.TrimSpace(s.in.value); q != "" && !isDigits(q) {
				s.sugg = c.ix.search(q, searchLimit)
			}
		}
	}
	return s, nil
}

// askRemove asks before removing the selected line; question has a %s
// for its name.
func (s *sellScreen) askRemove(question string) {
	c := s.c
	c.askYes(c.t(question, c.nameOf(c.cart.Lines[c.line].SKU, c.cart.Lines[c.line].Name)), func() tea.Cmd {
		if c.line < len(c.cart.Lines) {
			name := c.nameOf(c.cart.Lines[c.line].SKU, c.cart.Lines[c.line].Name)
			c.cart.Remove(c.line)
			c.line = min(c.line, max(0, len(c.cart.Lines)-1))
			c.info("Removed %s.", name)
		}
		return nil
	})
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
func (s *sellScreen) enter() tea.Cmd {
	c := s.c
	text := strings.TrimSpace(s.in.value)
	sugg, sel := s.sugg, s.sel
	s.in.reset()
	s.sugg, s.sel = nil, 0
	if i, ok := c.ix.code(text); ok {
		s.add(c.ix.goods[i])
		return nil
	}
	if ref, err := pos.ParseReceiptRef(text); err == nil && ref.ID != "" {
		// A receipt's barcode or QR code (its sale ID): open the sale.
		return findReceipt(c, text)
	}
	if code := trailingDigits(text); len(code) >= scanLen {
		if i, ok := c.ix.code(code); ok {
			s.add(c.ix.goods[i])
			return nil
		}
		return s.lookup(code)
	}
	if isDigits(text) || len(sugg) == 0 {
		return s.lookup(text)
	}
	s.add(c.ix.goods[sugg[min(sel, len(sugg)-1)]])
	return nil
}

// lookup asks the store for a code the in-memory catalog does not know
// (say goods head office added since the till started).
func (s *sellScreen) lookup(code string) tea.Cmd {
	var st Catalog = s.c.deps.Store
	return s.c.work(func() tea.Msg {
		p, err := st.Lookup(code)
		return lookupMsg{code: code, p: p, err: err}
	})
}

func (s *sellScreen) looked(msg lookupMsg) tea.Cmd {
	if msg.err != nil {
		if errors.Is(msg.err, pos.ErrNotFound) {
			// Rings and stays: the goods are NOT in the cart, and the
			// next scan must not hide that.
			return s.c.hold("No goods with barcode, SKU or name %q: NOT added. esc when seen.", msg.code)
		}
		s.c.fail("Could not look the goods up; try again.", msg.err)
		return nil
	}
	s.add(msg.p)
	return nil
}

func (s *sellScreen) park() tea.Cmd {
	var sl Parker = s.c.deps.Seller
	cart := cloneCart(s.c.cart)
	return s.c.work(func() tea.Msg {
		_, err := sl.Park(cart, "")
		return parkDoneMsg{err: err}
	})
}

func (s *sellScreen) add(p pos.Product) {
	c := s.c
	if len(c.cart.Lines) == 0 {
		c.started = c.deps.Now()
	}
	i, err := c.cart.Add(p, 1)
	if err != nil {
		c.fail("%s: %s", nil, c.nameOf(p.SKU, p.Name), c.p.ErrorText(err, i18n.DomainErrors))
		return
	}
	c.line = i
	c.info("Added %s, now %d × %s.", c.nameOf(p.SKU, p.Name), c.cart.Lines[i].Qty, c.amount(p.Price))
	if p.LowStock() {
		c.msg += c.t(" Low stock: %d left.", p.Stock)
	}
	s.stockWarn(p)
}

// stockAfter is the stock on record of tracked goods once this cart is
// sold; ok is false for goods whose stock is not tracked.
func (c *common) stockAfter(p pos.Product) (after int64, ok bool) {
	if !p.TrackStock {
		return 0, false
	}
	after = p.Stock
	for _, l := range c.cart.Lines {
		if l.SKU == p.SKU {
			after -= l.Qty
		}
	}
	return after, true
}

// stockWarn says so when this cart takes the goods' stock below zero.
// Selling stays allowed: the goods are in the customer's hand, the
// record is what is wrong.
func (s *sellScreen) stockWarn(p pos.Product) {
	c := s.c
	if after, ok := c.stockAfter(p); ok && after < 0 {
		c.msg, c.msgErr = c.t("%s: only %s in stock on record; this sale takes it to %s. Selling is allowed: tell the manager.",
			c.nameOf(p.SKU, p.Name), pos.FormatQty(max(p.Stock, 0), p.Unit), pos.FormatQty(after, p.Unit)), true
	}
}

// bump changes the selected line's quantity by one; to zero asks first.
func (s *sellScreen) bump(d int64) {
	c := s.c
	l := c.cart.Lines[c.line]
	if l.Qty+d <= 0 {
		s.askRemove("Remove %s from the cart?")
		return
	}
	if err := c.cart.SetQty(c.line, l.Qty+d); err != nil {
		c.fail(err.Error(), nil)
		return
	}
	if p, ok := c.ix.product(l.SKU); ok {
		s.stockWarn(p)
	}
}

// setQty applies a typed quantity. A barcode scanned into the prompt adds
// its goods instead of becoming a quantity.
func (s *sellScreen) setQty(text string) (tea.Cmd, string) {
	c := s.c
	if i, ok := c.ix.code(text); ok && (len(text) >= scanLen || !isDigits(text)) {
		s.add(c.ix.goods[i])
		c.msg += c.t(" (scanned into the quantity box: the quantity is unchanged)")
		return nil, ""
	}
	if isDigits(text) && len(text) >= scanLen {
		return nil, c.t("%s looks like a barcode, not a quantity. Type 1 to %d.", text, pos.MaxQty)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 || n > pos.MaxQty {
		return nil, c.t("Quantity must be a whole number from 0 to %d.", pos.MaxQty)
	}
	if n == 0 {
		s.askRemove("Quantity 0 removes %s. Remove it?")
		return nil, ""
	}
	_ = c.cart.SetQty(c.line, n)
	c.info("%s: quantity %d.", c.nameOf(c.cart.Lines[c.line].SKU, c.cart.Lines[c.line].Name), n)
	if p, ok := c.ix.product(c.cart.Lines[c.line].SKU); ok {
		s.stockWarn(p)
	}
	return nil, ""
}

// setDiscount applies a typed discount to the selected line or the whole
// cart, or says why not.
func (s *sellScreen) setDiscount(text string, line bool) (retry string) {
	c := s.c
	d, err := pos.ParseDiscount(text, c.deps.Currency.Exponent)
	if err != nil {
		return c.t("Type an amount like 5.00, a percentage like 10%, or 0 for none.")
	}
	cart := cloneCart(c.cart)
	if line {
		cart.Lines[c.line].Discount = d
	} else {
		cart.Discount = d
	}
	t, err := pos.Price(cart, c.deps.TaxIncluded)
	if err != nil {
		return c.t("That discount does not work: %s", c.p.ErrorText(err, i18n.DomainErrors))
	}
	if d.Kind == pos.AmountDiscount {
		var base pos.Money
		for i, l := range t.Lines {
			if !line {
				base += l.Gross - l.LineDiscount
			} else if i == c.line {
				base = l.Gross
			}
		}
		if d.Amount > base {
			return c.t("A discount of %s is more than the %s it applies to.", c.money(d.Amount), c.money(base))
		}
	}
	apply := func() {
		c.cart = cart
		switch {
		case d.Kind == pos.NoDiscount:
			c.info("Discount removed.")
		case line:
			c.info("Discount on %s: %s.", c.nameOf(cart.Lines[c.line].SKU, cart.Lines[c.line].Name), c.discText(d))
		default:
			c.info("Cart discount: %s.", c.discText(d))
		}
	}
	if retry, asked := c.gateDiscount(t, line, c.line, c.discText(d), apply); retry != "" || asked {
		return retry
	}
	apply()
	return ""
}

func (c *common) discText(d pos.Discount) string {
	switch d.Kind {
	case pos.PercentDiscount:
		return d.Percent.String()
	case pos.AmountDiscount:
		return c.money(d.Amount)
	}
	return ""
}
