package tui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// checkoutScreen takes payment for the cart: cash typed (exact money is
// its own key, never an empty Enter), a QR code for all or part of it,
// or the customer's payment code scanned into the box.
type checkoutScreen struct {
	c  *common
	in lineInput
	// gate is a discount to have approved if the sale is refused for
	// want of it (approve.go).
	gate *gated
}

// saleDoneMsg is a sale committed (or not), by cash or QR.
type saleDoneMsg struct {
	sale pos.Sale
	err  error
}

func openCheckout(c *common) *checkoutScreen {
	c.msg = ""
	return &checkoutScreen{c: c}
}

func (s *checkoutScreen) title() string { return s.c.t("Pay") }

// quitQuestion: F6 parks a cart from the sale screen, not from here.
func (s *checkoutScreen) quitQuestion() string {
	return s.c.t("Quit and lose the cart? (esc, then f6 parks it)")
}
func (s *checkoutScreen) typing() bool { return s.in.value != "" }

type checkoutKeys struct{ enter, exact, qr, back key.Binding }

func (s *checkoutScreen) keys() checkoutKeys {
	k := &s.c.keys
	return checkoutKeys{
		enter: named(k.Enter, "enter", "take cash"),
		exact: k.Exact,
		qr:    k.QR,
		back:  named(k.Back, "esc", "back to cart"),
	}
}

func (s *checkoutScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.enter, k.exact, k.qr, k.back, s.c.keys.help(s.typing())}
}
func (s *checkoutScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *checkoutScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s.key(msg)
	case saleDoneMsg:
		if s.c.refused(s.gate, msg.err) {
			return s, nil
		}
		return saleDone(s.c, s, msg)
	}
	return s, nil
}

func (s *checkoutScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c, keys := s.c, s.keys()
	switch {
	case key.Matches(k, keys.back):
		c.msg = ""
		return newSell(c), nil
	case key.Matches(k, keys.exact):
		_, due, err := c.due()
		if err != nil {
			c.fail("This cart cannot be priced; check quantities and discounts.", err)
			return s, nil
		}
		s.in.reset()
		return s, s.completeCash(due)
	case key.Matches(k, keys.enter):
		_, due, err := c.due()
		if err != nil {
			c.fail("This cart cannot be priced; check quantities and discounts.", err)
			return s, nil
		}
		text := strings.TrimSpace(s.in.value)
		if code, kind := pos.ClassifyPayCode(text); kind != pos.CodeNone {
			// The customer's payment code, scanned into the box: on
			// checkout it is a payment, even if it is also a goods code.
			s.in.reset()
			t, _, _ := c.due()
			return startCode(c, s, t.Total, code)
		}
		given, why := c.cashGiven(text, due)
		// A refusal clears the box; the next Enter on an empty box is
		// refused too: only the exact-money key books exact money.
		s.in.reset()
		if why != "" {
			c.fail(why, nil)
			return s, nil
		}
		return s, s.completeCash(given)
	case key.Matches(k, keys.qr):
		return s.qr()
	default:
		// Everything typed stays in the box, so the cashier sees what went
		// in; what cannot become an amount is refused at once (Enter
		// refuses it too), never dropped into digits.
		if s.in.key(k) {
			if why := s.typedWords(); why != "" {
				c.fail(why, nil)
			} else {
				c.msg = ""
			}
		}
	}
	return s, nil
}

// typedWords is what is wrong with the box so far: letters and the like.
// A long run of digits may be a payment code being scanned, so only
// Enter judges it.
func (s *checkoutScreen) typedWords() string {
	if err := pos.CheckAmountTyping(s.in.value, s.c.deps.Currency.Exponent); err != nil && !errors.Is(err, pos.ErrOverflow) {
		return amountWords(s.c, err, s.c.deps.Currency.Exponent)
	}
	return ""
}

func (s *checkoutScreen) completeCash(given pos.Money) tea.Cmd {
	complete := s.c.completer()
	s.gate = s.c.saleGate(func() tea.Cmd { return s.completeCash(given) })
	cart, started := cloneCart(s.c.cart), s.c.started
	return s.c.work(func() tea.Msg {
		sale, err := complete(cart, started, []pos.Tender{{Kind: pos.Cash, Given: given}})
		return saleDoneMsg{sale: sale, err: err}
	})
}

// qr starts a QR payment for the whole total, or, when the cashier typed
// an amount first, for that part with the rest in cash.
func (s *checkoutScreen) qr() (screen, tea.Cmd) {
	c := s.c
	t, err := pos.Price(c.cart, c.deps.TaxIncluded)
	if err != nil {
		c.fail("This cart cannot be priced.", err)
		return s, nil
	}
	amount := t.Total
	if text := strings.TrimSpace(s.in.value); text != "" {
		if c.scanned(text) {
			s.in.reset()
			c.fail("%s looks like a barcode, not an amount.", nil, text)
			return s, nil
		}
		var why string
		if amount, why = c.parseAmount(text); why != "" {
			s.in.reset()
			c.fail("QR part: %s Or nothing for the whole total.", nil, why)
			return s, nil
		}
	}
	s.in.reset()
	return startQR(c, s, amount, false)
}

func (s *checkoutScreen) view(w, h int) []string {
	c, st := s.c, s.c.st
	t, due, err := c.due()
	if err != nil {
		return []string{c.t("! This cart cannot be priced.")}
	}
	lw := min(w, 44)
	row := func(l, r string) string { return fit(" "+l, lw-16) + right(r, 16) }
	lines := []string{
		row(c.p.Plural(len(c.cart.Lines), "1 line", "%d lines"), ""),
		row(c.t("Subtotal"), c.amount(t.Subtotal)),
		row(c.t("Discounts"), c.amount(-t.Discounts)),
		row(c.t("Tax"), c.amount(t.Tax)),
		st.total.Render(row(c.t("TOTAL"), c.money(t.Total))),
	}
	if due != t.Total {
		lines = append(lines, row(c.t("Cash rounding"), c.amount(due-t.Total)), st.total.Render(row(c.t("TO PAY IN CASH"), c.money(due))))
	}
	lines = append(lines, "", fit(s.in.view(st, c.t(" Cash given: "), true), w))
	given, why := c.cashGiven(s.in.value, due)
	switch {
	case why == "":
		lines = append(lines, st.total.Render(row(c.t("Change"), c.money(given-due))))
	case s.in.value != "":
		lines = append(lines, st.dim.Render(row(c.t("Change"), "—")))
	}
	ex := c.keys.Exact.Help().Key
	lines = append(lines, "", st.dim.Render(fit(c.t(" enter: take the cash typed · %s: exact money %s", ex, c.money(due)), w)),
		st.dim.Render(fit(c.t(" f2: QR for the total, or type the QR part first and f2"), w)))
	if c.deps.Code != nil {
		lines = append(lines, st.dim.Render(fit(c.t(" or scan the customer's payment code"), w)))
	}
	lines = append(lines, st.dim.Render(fit(c.t(" esc: back to the cart"), w)))
	return lines
}
