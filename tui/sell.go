package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/scale"
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
	price                                            key.Binding
	menu                                             []key.Binding
}

// keys are the sell screen's bindings, enabled for the cart and input.
func (s *sellScreen) keys() sellKeys {
	k, c := &s.c.keys, s.c
	empty := s.in.value == ""
	hasLines := len(c.cart.Lines) > 0
	// A parcel (weighed goods, a scale label) has no "one more".
	pieces := hasLines && c.line < len(c.cart.Lines) && !c.cart.Lines[c.line].Parcel()
	sk := sellKeys{
		enter:    on(named(k.Enter, "enter", "add"), !empty),
		up:       named(k.Up, "↑↓", "pick"),
		down:     k.Down,
		qty:      on(k.Qty, hasLines),
		plus:     on(k.Plus, empty && pieces),
		minus:    on(k.Minus, empty && pieces),
		remove:   on(k.Remove, hasLines),
		clear:    on(k.Clear, hasLines),
		lineDisc: on(k.LineDisc, hasLines),
		price:    on(k.Price, hasLines),
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
	return fullHelp(s.ShortHelp(), k.enter, k.up, k.lineDisc, k.cartDisc, k.price, k.clear, k.back, s.c.keys.Quit)
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
		l := c.cart.Lines[c.line]
		switch {
		case l.Label != "":
			c.fail("%s is a scale label: its weight is what the scale weighed. Remove the line and weigh again.", nil, c.nameOf(l.SKU, l.Name))
		case l.Unit.Measured():
			c.askLine(c.t("Weight of %s in %s (like 1.25; 0 removes):", c.nameOf(l.SKU, l.Name), l.Unit.Symbol()), s.setQty)
		default:
			c.askLine(c.t("Quantity of %s (0-%d):", c.nameOf(l.SKU, l.Name), pos.MaxQty), s.setQty)
		}
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
	case key.Matches(k, keys.price):
		s.askPrice()
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
				s.sugg = c.ix.Search(q, searchLimit)
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
			if why := s.gateRemove(c.cart.Lines[c.line].Qty, func() {
				c.cart.Remove(c.line)
				c.line = min(c.line, max(0, len(c.cart.Lines)-1))
				c.info("Removed %s.", name)
			}); why != "" {
				c.fail(why, nil)
			}
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
	if i, ok := c.ix.Code(text); ok {
		s.add(c.ix.Product(i))
		return nil
	}
	if cmd, done := s.label(text); done {
		return cmd
	}
	if ref, err := pos.ParseReceiptRef(text); err == nil && ref.ID != "" {
		// A receipt's barcode or QR code (its sale ID): open the sale.
		return findReceipt(c, text)
	}
	if code := trailingDigits(text); len(code) >= scanLen {
		if i, ok := c.ix.Code(code); ok {
			s.add(c.ix.Product(i))
			return nil
		}
		return s.lookup(code)
	}
	if isDigits(text) || len(sugg) == 0 {
		return s.lookup(text)
	}
	s.add(c.ix.Product(sugg[min(sel, len(sugg)-1)]))
	return nil
}

// label adds a scanned scale label as its own line. done is false when
// the code is no label (the next route takes it); a label that is
// refused (bad check digit, unknown PLU) is done and never a line.
func (s *sellScreen) label(text string) (cmd tea.Cmd, done bool) {
	c := s.c
	if c.deps.Scale == nil || text == "" {
		return nil, false
	}
	code := text
	if d := trailingDigits(text); d != text && len(d) >= scanLen {
		code = d // scanned onto a half-typed name
	}
	lb, err := c.deps.Scale.Parse(code, c.ix.PLU)
	switch {
	case errors.Is(err, scale.ErrNotLabel):
		return nil, false
	case errors.Is(err, scale.ErrCheckDigit):
		c.deps.Log.Info("scale label refused", "err", err)
		return c.hold("Scale label %s has a bad check digit: NOT added. Scan it again, or key the weight by hand. esc when seen.", code), true
	case errors.Is(err, scale.ErrUnknownPLU):
		c.deps.Log.Info("scale label refused", "err", err)
		return c.hold("Scale label %s names no goods (unknown PLU): NOT added. esc when seen.", code), true
	case err != nil:
		c.deps.Log.Info("scale label refused", "err", err)
		return c.hold("Scale label %s cannot be sold: NOT added. esc when seen.", code), true
	}
	if len(c.cart.Lines) == 0 {
		c.started = c.deps.Now()
	}
	i, err := lb.AddTo(&c.cart)
	if err != nil {
		c.fail(fmt.Sprintf("%s: %v", lb.Product.Name, err), nil)
		return nil, true
	}
	c.line = i
	s.added(lb.Product, i)
	if w := lb.Warning(c.deps.Currency.Exponent); w != "" {
		c.deps.Log.Warn("scale label amount differs", "label", lb.Code, "diff", int64(lb.Diff))
		c.msg, c.msgErr = c.t("Label %s says %s, but %s x %s is %s: sold at the label's %s. Check the scale's price.",
			lb.Code, c.amount(lb.Amount), pos.FormatQtyUnit(lb.Qty, lb.Product.Unit), c.amount(lb.Product.Price), c.amount(lb.Expected), c.amount(lb.Amount)), true
	}
	return nil, true
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

// add puts goods in the cart: one more piece, or for weighed goods a
// new line of the weight the cashier types.
func (s *sellScreen) add(p pos.Product) {
	if p.Unit.Measured() {
		s.c.askLine(s.c.t("Weight of %s in %s (like 1.25):", s.c.nameOf(p.SKU, p.Name), p.Unit.Symbol()), func(text string) (tea.Cmd, string) {
			return nil, s.addWeighed(p, text)
		})
		return
	}
	s.addQty(p, 1)
}

// addWeighed adds the typed weight of p, or says why not.
func (s *sellScreen) addWeighed(p pos.Product, text string) (retry string) {
	if isDigits(text) && len(text) >= scanLen {
		return s.c.t("%s looks like a barcode, not a weight. Type the weight, like 1.25.", text)
	}
	q, err := pos.ParseQty(text, p.Unit)
	if err == nil && q == 0 {
		err = errors.New("zero")
	}
	if err != nil {
		return s.c.t("Type the weight in %s with up to three decimals, like 1.25 (at most %s).", p.Unit.Symbol(), pos.FormatQtyUnit(p.Unit.MaxQty(), p.Unit))
	}
	s.addQty(p, q)
	return ""
}

func (s *sellScreen) addQty(p pos.Product, q int64) {
	c := s.c
	if len(c.cart.Lines) == 0 {
		c.started = c.deps.Now()
	}
	i, err := c.cart.Add(p, q)
	if err != nil {
		c.fail("%s: %s", nil, c.nameOf(p.SKU, p.Name), c.p.ErrorText(err, i18n.DomainErrors))
		return
	}
	c.line = i
	s.added(p, i)
}

// added says what went in and warns about the goods' stock.
func (s *sellScreen) added(p pos.Product, i int) {
	c := s.c
	l := c.cart.Lines[i]
	if l.Parcel() {
		v, _ := l.Extended()
		c.info("Added %s: %s, %s.", c.nameOf(p.SKU, p.Name), pos.QtyTimesPrice(l.Qty, l.Unit, c.amount(l.UnitPrice)), c.amount(v))
	} else {
		c.info("Added %s, now %d × %s.", c.nameOf(p.SKU, p.Name), l.Qty, c.amount(p.Price))
	}
	if p.LowStock() {
		c.msg += c.t(" Low stock: %s left.", pos.FormatQtyUnit(p.Stock, p.Unit))
	}
	s.stockWarn(p)
}

// stockAfter is the stock on record of tracked goods once this cart is
// sold; ok is false for goods whose stock is not tracked.
func (c *common) stockAfter(p pos.Product) (after int64, ok bool) {
	if !p.TrackStock {
		return 0, false
	}
	var sold int64
	for _, l := range c.cart.Lines {
		if l.SKU == p.SKU {
			sold += l.Qty
		}
	}
	return p.Stock - sold, true
}

// stockWarn says so when this cart takes the goods' stock below zero.
// Selling stays allowed: the goods are in the customer's hand, the
// record is what is wrong.
func (s *sellScreen) stockWarn(p pos.Product) {
	c := s.c
	if after, ok := c.stockAfter(p); ok && p.StockShort(p.Stock-after) {
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
	if d < 0 {
		// One less is a line reduced: the role may leave it to a manager.
		probe := cloneCart(c.cart)
		if err := probe.SetQty(c.line, l.Qty+d); err != nil {
			c.fail(err.Error(), nil)
			return
		}
		if why := s.gateRemove(-d, func() { c.cart = probe }); why != "" {
			c.fail(why, nil)
		}
		return
	}
	if err := c.cart.SetQty(c.line, l.Qty+d); err != nil {
		c.fail(err.Error(), nil)
		return
	}
	if p, ok := c.ix.BySKU(l.SKU); ok {
		s.stockWarn(p)
	}
}

// setQty applies a typed quantity. A barcode scanned into the prompt adds
// its goods instead of becoming a quantity.
func (s *sellScreen) setQty(text string) (tea.Cmd, string) {
	c := s.c
	if i, ok := c.ix.Code(text); ok && (len(text) >= scanLen || !isDigits(text)) {
		p := c.ix.Product(i)
		s.add(p)
		if !p.Unit.Measured() {
			c.msg += c.t(" (scanned into the quantity box: the quantity is unchanged)")
		}
		return nil, ""
	}
	u := c.cart.Lines[c.line].Unit
	if isDigits(text) && len(text) >= scanLen {
		if u.Measured() {
			return nil, c.t("%s looks like a barcode, not a weight. Type the weight, like 1.25.", text)
		}
		return nil, c.t("%s looks like a barcode, not a quantity. Type 1 to %d.", text, pos.MaxQty)
	}
	n, err := pos.ParseQty(text, u)
	if err != nil {
		if u.Measured() {
			return nil, c.t("Weight must be a number of %s with up to three decimals, like 1.25, from 0 to %s.", u.Symbol(), pos.FormatQtyUnit(u.MaxQty(), u))
		}
		return nil, c.t("Quantity must be a whole number from 0 to %d.", pos.MaxQty)
	}
	if n == 0 {
		s.askRemove("Quantity 0 removes %s. Remove it?")
		return nil, ""
	}
	if l := c.cart.Lines[c.line]; n < l.Qty && !l.Parcel() {
		return nil, s.gateRemove(l.Qty-n, func() {
			_ = c.cart.SetQty(c.line, n)
			c.info("%s: quantity %s.", c.nameOf(l.SKU, l.Name), c.cart.Lines[c.line].QtyText())
		})
	}
	if err := c.cart.SetQty(c.line, n); err != nil {
		return nil, c.p.ErrorText(err, i18n.DomainErrors)
	}
	c.info("%s: quantity %s.", c.nameOf(c.cart.Lines[c.line].SKU, c.cart.Lines[c.line].Name), c.cart.Lines[c.line].QtyText())
	if p, ok := c.ix.BySKU(c.cart.Lines[c.line].SKU); ok {
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
