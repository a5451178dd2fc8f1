package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// maxWholeDigits is the most digits before the decimal point a cash
// amount may have: more is a scanner, not a banknote.
const maxWholeDigits = 8

// maxOverpay bounds cash given as a multiple of the amount due.
const maxOverpay = 100

func (m *Model) openCheckout() {
	m.screen = scrCheckout
	m.input.reset()
	m.sugg = nil
	m.msg = ""
}

// due is what the customer pays in cash: the total rounded to the drawer's
// smallest coin.
func (m *Model) due() (pos.Totals, pos.Money, error) {
	t, err := pos.Price(m.cart, m.d.TaxIncluded)
	if err != nil {
		return t, 0, err
	}
	return t, pos.RoundCash(t.Total, m.d.Currency.CashStep), nil
}

// looksLikeBarcode reports digits of a GTIN length with a valid check
// digit: what a scanner types, not what a cashier keys as cash.
func looksLikeBarcode(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
		return isDigits(s) && pos.GTINCheckDigit(s[:len(s)-1]) == s[len(s)-1]
	}
	return false
}

// scanned reports text that is, or ends in, a barcode: a known code or
// GTIN-shaped digits, as when a scan lands on a half-typed amount.
func (m *Model) scanned(text string) bool {
	if _, known := m.ix.code(text); known {
		return true
	}
	for _, n := range []int{14, 13, 12, 8} {
		if len(text) < n {
			continue
		}
		tail := text[len(text)-n:]
		if _, known := m.ix.code(tail); known || looksLikeBarcode(tail) && len(text)-n <= maxWholeDigits {
			return true
		}
	}
	return false
}

// cashGiven reads the cash typed, rejecting what a barcode scanned into
// the box would look like: GTIN-shaped or known codes, more than eight
// whole digits, or more than a hundred times the amount due. Empty means
// exact money.
func (m *Model) cashGiven(text string, due pos.Money) (pos.Money, string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return due, ""
	}
	if m.scanned(text) {
		return 0, fmt.Sprintf("%s looks like a barcode, not cash. Finish this sale first (esc to add goods).", text)
	}
	whole, _, _ := strings.Cut(text, ".")
	if len(whole) > maxWholeDigits {
		return 0, fmt.Sprintf("%s is not a cash amount (more than %d digits): was it a scan?", text, maxWholeDigits)
	}
	given, err := pos.ParseMoney(text, m.d.Currency.Exponent)
	if err != nil {
		return 0, fmt.Sprintf("Type the cash given, like 50 or 50.%s.", strings.Repeat("0", m.d.Currency.Exponent))
	}
	if due > 0 && given > due*maxOverpay {
		return 0, fmt.Sprintf("%s is more than %d times the %s due: check the amount.", m.money(given), maxOverpay, m.money(due))
	}
	if given < due {
		return 0, fmt.Sprintf("%s is not enough: %s short.", m.money(given), m.money(due-given))
	}
	return given, ""
}

func (m *Model) checkoutKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Back):
		m.goSell()
		m.msg = ""
	case key.Matches(k, m.keys.Enter):
		_, due, err := m.due()
		if err != nil {
			m.fail("This cart cannot be priced; check quantities and discounts.", err)
			return nil
		}
		given, why := m.cashGiven(m.input.value, due)
		m.input.reset()
		if why != "" {
			m.fail(why, nil)
			return nil
		}
		return m.completeCash(given)
	case key.Matches(k, m.keys.QR):
		return m.qrFromCheckout()
	default:
		// Only what can be part of an amount goes in; letters are ignored.
		if t := k.Text; t == "" || strings.Trim(t, "0123456789.") == "" {
			m.input.key(k)
			m.msg = ""
		}
	}
	return nil
}

// qrFromCheckout starts a QR payment for the whole total, or, when the
// cashier typed an amount first, for that part with the rest in cash.
func (m *Model) qrFromCheckout() tea.Cmd {
	t, err := pos.Price(m.cart, m.d.TaxIncluded)
	if err != nil {
		m.fail("This cart cannot be priced.", err)
		return nil
	}
	amount := t.Total
	if text := strings.TrimSpace(m.input.value); text != "" {
		if m.scanned(text) {
			m.input.reset()
			m.fail(fmt.Sprintf("%s looks like a barcode, not an amount.", text), nil)
			return nil
		}
		if amount, err = pos.ParseMoney(text, m.d.Currency.Exponent); err != nil {
			m.fail("Type the QR part like 20 or 20.00, or nothing for the whole total.", nil)
			return nil
		}
	}
	m.input.reset()
	return m.startQR(amount, false)
}

func (m *Model) saleDone(msg saleDoneMsg) tea.Cmd {
	if msg.err != nil {
		m.fail("The sale was NOT saved; nothing was charged. Try again.", msg.err)
		return nil
	}
	s := msg.sale
	m.receiptText = receipt.Sale(s, m.shop())
	m.receiptName = fmt.Sprintf("receipt-%06d.txt", s.Receipt)
	skus := make([]string, len(s.Lines))
	for i, l := range s.Lines {
		skus[i] = l.SKU
	}
	m.newCart()
	m.screen = scrReceipt
	m.input.reset()
	if s.Change > 0 {
		m.info("Sale %d saved. CHANGE %s", s.Receipt, m.money(s.Change))
	} else {
		m.info("Sale %d saved.", s.Receipt)
	}
	return tea.Batch(m.countOutbox(), m.refreshStock(skus))
}

func (m *Model) checkoutView(w, h int) []string {
	t, due, err := m.due()
	if err != nil {
		return []string{"! This cart cannot be priced."}
	}
	lw := min(w, 44)
	row := func(l, r string) string { return fit(" "+l, lw-16) + right(r, 16) }
	lines := []string{
		row(count(len(m.cart.Lines), "line", "lines"), ""),
		row("Subtotal", m.amount(t.Subtotal)),
		row("Discounts", m.amount(-t.Discounts)),
		row("Tax", m.amount(t.Tax)),
		stTotal.Render(row("TOTAL", m.money(t.Total))),
	}
	if due != t.Total {
		lines = append(lines, row("Cash rounding", m.amount(due-t.Total)), stTotal.Render(row("TO PAY IN CASH", m.money(due))))
	}
	lines = append(lines, "", fit(m.input.view(" Cash given: ", true), w))
	given, why := m.cashGiven(m.input.value, due)
	switch {
	case why == "":
		lines = append(lines, stTotal.Render(row("Change", m.money(given-due))))
	case m.input.value != "":
		lines = append(lines, stDim.Render(row("Change", "—")))
	}
	lines = append(lines, "", stDim.Render(" enter: take cash (empty = exact money) · esc: back to the cart"),
		stDim.Render(" f2: QR for the total, or type the QR part first and f2 (rest in cash)"))
	return lines
}

func (m *Model) receiptKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Save):
		return m.saveText(m.receiptName, m.receiptText)
	case key.Matches(k, m.keys.Enter), key.Matches(k, m.keys.Back):
		m.goSell()
	default:
		// Typing or scanning starts the next sale at once.
		if k.Text != "" {
			m.goSell()
			return m.sellKey(k)
		}
	}
	return nil
}

func (m *Model) receiptView(w, h int) []string {
	lines := joinLines(m.receiptText)
	pad := max(0, (w-receipt.Width)/2)
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, strings.Repeat(" ", pad)+l)
	}
	if len(out) > h {
		// Keep the top and the totals in view on a short screen.
		out = append(out[:h-1], stDim.Render(fit(strings.Repeat(" ", pad)+"… ctrl+s saves the full receipt", w)))
	}
	return out
}
