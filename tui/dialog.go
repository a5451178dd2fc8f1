package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// confirmKind names what a yes/no question will do, so the model never
// stores a closure over itself.
type confirmKind int

const (
	confirmQuit confirmKind = iota
	confirmRemoveLine
	confirmClearCart
	confirmRefund
	confirmVoid
	confirmZ
	confirmQRPaid
	confirmQRCancel
)

type confirm struct {
	kind confirmKind
	text string
}

func (m *Model) ask(kind confirmKind, text string) {
	m.confirm = &confirm{kind: kind, text: text}
}

func (m *Model) confirmKey(k tea.KeyPressMsg) tea.Cmd {
	c := m.confirm
	switch {
	case key.Matches(k, m.keys.Yes):
		m.confirm = nil
		return m.confirmed(c.kind)
	case key.Matches(k, m.keys.No):
		m.confirm = nil
		m.info("Cancelled.")
	case key.Matches(k, m.keys.Quit):
		m.confirm = nil
	}
	return nil
}

func (m *Model) confirmed(kind confirmKind) tea.Cmd {
	switch kind {
	case confirmQuit:
		m.quit = true
		return tea.Quit
	case confirmRemoveLine:
		if m.line < len(m.cart.Lines) {
			name := m.cart.Lines[m.line].Name
			m.cart.Remove(m.line)
			m.line = min(m.line, max(0, len(m.cart.Lines)-1))
			m.info("Removed %s.", name)
		}
	case confirmClearCart:
		m.newCart()
		m.info("Cart cleared.")
	case confirmRefund:
		return m.doRefund()
	case confirmVoid:
		return m.doVoid()
	case confirmZ:
		return m.doZ()
	case confirmQRPaid:
		return m.moveQR(pos.PaymentPaid, "")
	case confirmQRCancel:
		return m.endQR(pos.PaymentCancelled, "cancelled by the cashier")
	}
	return nil
}

// promptKind names what a one-line prompt is asking for.
type promptKind int

const (
	promptQty promptKind = iota
	promptLineDisc
	promptCartDisc
	promptCounted
	promptQRCash
)

type prompt struct {
	kind  promptKind
	label string
	in    lineInput
}

func (m *Model) ask1(kind promptKind, label string) {
	m.prompt = &prompt{kind: kind, label: label, in: lineInput{limit: 20}}
}

func (m *Model) promptKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.prompt
	switch {
	case key.Matches(k, m.keys.Quit):
		m.prompt = nil
		return nil
	case key.Matches(k, m.keys.Back):
		m.prompt = nil
		m.info("Cancelled.")
		return nil
	case key.Matches(k, m.keys.Enter):
		text := strings.TrimSpace(p.in.value)
		m.prompt = nil
		switch p.kind {
		case promptQty:
			return m.setQty(text, p)
		case promptLineDisc:
			m.setDiscount(text, true, p)
		case promptCartDisc:
			m.setDiscount(text, false, p)
		case promptCounted:
			m.countedCash(text, p)
		case promptQRCash:
			return m.qrCash(text, p)
		}
		return nil
	}
	p.in.key(k)
	return nil
}

// reopen puts a prompt back with an error, for another try.
func (m *Model) reopen(p *prompt, why string) {
	p.in.reset()
	m.prompt = p
	m.fail(why, nil)
}

func (m *Model) promptView(w int) string {
	return fit(m.prompt.in.view(m.prompt.label+" ", true), w)
}
