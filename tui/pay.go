package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/qrtext"
)

// QRSeller takes QR payments: it stores each payment before the code is
// shown, moves it through its states, and completes the sale it paid.
// *register.Register satisfies it.
type QRSeller interface {
	StartQR(c pos.Cart, started time.Time, amount pos.Money) (pos.Payment, error)
	MoveQR(id string, to pos.PaymentState, reason string) (pos.Payment, error)
	CompleteQR(p pos.Payment, cashGiven pos.Money) (pos.Sale, error)
}

// payPanel is the width of the text beside the QR code.
const payPanel = 32

type (
	qrMsg struct {
		p   pos.Payment
		err error
	}
	qrTickMsg   struct{ id string }
	openPaysMsg struct{ ps []pos.Payment }
)

// payState is the QR payment on screen.
type payState struct {
	p     pos.Payment
	total pos.Money // the sale's total; p.Amount may be only part of it
}

func (ps *payState) split() bool { return ps.p.Amount < ps.total }

// startQR begins a QR payment of amount (the whole total, or the QR part
// of a split tender) and shows it once it is stored.
func (m *Model) startQR(amount pos.Money) tea.Cmd {
	if m.d.QR == nil {
		m.fail("QR payment is not set up on this till; take cash.", nil)
		return nil
	}
	t, err := pos.Price(m.cart, m.d.TaxIncluded)
	if err != nil {
		m.fail("This cart cannot be priced.", err)
		return nil
	}
	if amount <= 0 || amount > t.Total {
		m.fail(fmt.Sprintf("A QR part must be more than 0 and at most %s.", m.money(t.Total)), nil)
		return nil
	}
	qr, cart, started := m.d.QR, cloneCart(m.cart), m.started
	m.pay = &payState{total: t.Total}
	return m.startBusy(func() tea.Msg {
		p, err := qr.StartQR(cart, started, amount)
		if err != nil {
			return qrMsg{err: err}
		}
		p, err = qr.MoveQR(p.ID, pos.PaymentShown, "")
		return qrMsg{p: p, err: err}
	})
}

func (m *Model) moveQR(to pos.PaymentState, reason string) tea.Cmd {
	qr, id := m.d.QR, m.pay.p.ID
	return m.startBusy(func() tea.Msg {
		p, err := qr.MoveQR(id, to, reason)
		return qrMsg{p: p, err: err}
	})
}

func (m *Model) completeQR(cash pos.Money) tea.Cmd {
	qr, p := m.d.QR, m.pay.p
	return m.startBusy(func() tea.Msg {
		s, err := qr.CompleteQR(p, cash)
		return saleDoneMsg{sale: s, err: err}
	})
}

func (m *Model) qrTick() tea.Cmd {
	id := m.pay.p.ID
	return m.tick(time.Second, func(time.Time) tea.Msg { return qrTickMsg{id: id} })
}

func (m *Model) loadOpenPayments() tea.Cmd {
	st := m.d.Store
	return func() tea.Msg {
		ps, err := st.OpenPayments()
		if err != nil {
			return qrMsg{err: fmt.Errorf("read waiting payments: %w", err)}
		}
		return openPaysMsg{ps: ps}
	}
}

// qrResult applies a payment that came back from the store.
func (m *Model) qrResult(msg qrMsg) tea.Cmd {
	m.endBusy()
	if msg.err != nil {
		if m.pay == nil || m.pay.p.ID == "" {
			m.pay = nil
			m.fail("Could not start the QR payment; nothing was charged. Take cash or try again.", msg.err)
			return nil
		}
		m.fail("Could not record that; the payment is unchanged.", msg.err)
		return nil
	}
	m.pay.p = msg.p
	m.screen = scrPay
	switch msg.p.State {
	case pos.PaymentShown, pos.PaymentCreated:
		m.info("Waiting for the customer to pay.")
		return m.qrTick()
	case pos.PaymentPaid:
		return m.qrPaid()
	case pos.PaymentExpired:
		m.fail("The QR code expired. n: new code · esc: back to take cash.", nil)
	case pos.PaymentFailed:
		m.fail("The payment failed. n: new code · esc: back to take cash.", nil)
	case pos.PaymentCancelled:
		m.pay = nil
		m.openCheckout()
		m.info("QR payment cancelled; the cart is still here.")
	}
	return nil
}

// qrPaid completes the sale, asking for the rest in cash if the QR paid
// only part of it.
func (m *Model) qrPaid() tea.Cmd {
	if m.pay.split() {
		rest := m.pay.total - m.pay.p.Amount
		m.ask1(promptQRCash, fmt.Sprintf("QR paid. Cash given for the remaining %s (empty = exact):", m.money(pos.RoundCash(rest, m.d.Currency.CashStep))))
		return nil
	}
	return m.completeQR(0)
}

// qrCash takes the cash part of a split tender.
func (m *Model) qrCash(text string, p *prompt) tea.Cmd {
	rest := pos.RoundCash(m.pay.total-m.pay.p.Amount, m.d.Currency.CashStep)
	given, why := m.cashGiven(text, rest)
	if why != "" {
		m.reopen(p, why)
		return nil
	}
	return m.completeQR(given)
}

func (m *Model) qrTicked(msg qrTickMsg) tea.Cmd {
	if m.pay == nil || m.pay.p.ID != msg.id || m.screen != scrPay || m.pay.p.State.Final() {
		return nil
	}
	if m.pay.p.Expired(m.d.Now()) {
		return m.moveQR(pos.PaymentExpired, "")
	}
	return m.qrTick()
}

// openPayments resumes a payment found waiting when Till started: the
// terminal was closed or crashed while a customer was paying.
func (m *Model) openPayments(msg openPaysMsg) tea.Cmd {
	if len(msg.ps) == 0 || m.d.QR == nil {
		return nil
	}
	p := msg.ps[0]
	t, err := pos.Price(p.Cart, m.d.TaxIncluded)
	if err != nil {
		m.fail("A waiting QR payment has a cart that cannot be priced.", err)
		return nil
	}
	m.cart, m.started, m.line = cloneCart(p.Cart), p.Started, 0
	m.pay = &payState{p: p, total: t.Total}
	m.screen = scrPay
	switch {
	case p.State == pos.PaymentPaid:
		m.info("A QR payment was confirmed before Till closed; finishing its sale.")
		return m.qrPaid()
	case p.Expired(m.d.Now()):
		return m.moveQR(pos.PaymentExpired, "")
	}
	m.info("Resumed the sale that was waiting for QR payment: p paid · c cancel.")
	return m.qrTick()
}

func (m *Model) payKey(k tea.KeyPressMsg) tea.Cmd {
	ps := m.pay
	waiting := ps != nil && !ps.p.State.Final()
	switch {
	case key.Matches(k, m.keys.QRPaid) && waiting:
		m.ask(confirmQRPaid, fmt.Sprintf("Does the customer's app show %s PAID to %s?", m.money(ps.p.Amount), m.d.Shop))
	case key.Matches(k, m.keys.QRCancel) && waiting:
		m.ask(confirmQRCancel, "Cancel this QR payment? (only if the customer has NOT paid)")
	case key.Matches(k, m.keys.QRNew) && !waiting:
		return m.startQR(ps.p.Amount)
	case key.Matches(k, m.keys.Back) && !waiting:
		m.pay = nil
		m.openCheckout()
	default:
		if k.Text != "" && waiting {
			m.fail("Finish or cancel the QR payment first (p paid · c cancel).", nil)
		}
	}
	return nil
}

// payView gives the code nearly the whole screen, with the shop, amount
// and state beside it. It draws no status or help line of the root: at
// 80x24 the code needs the height.
func (m *Model) payView(w, h int) string {
	ps := m.pay
	if ps == nil {
		return ""
	}
	panel := m.payPanelLines(ps)
	code, err := qrtext.Fit(ps.p.Payload, w-payPanel-1, h)
	var left []string
	var tooSmall *qrtext.TooSmallError
	switch {
	case errors.As(err, &tooSmall):
		left = []string{"", stError.Render(" Terminal too small for the QR code:"),
			fmt.Sprintf(" it needs %dx%d; make the window at", tooSmall.NeedW+payPanel+1, tooSmall.NeedH),
			" least that big, or take cash."}
	case err != nil:
		left = []string{stError.Render(" Cannot draw this QR code.")}
	default:
		left = code.Lines
	}
	leftW := 0
	for _, l := range left {
		leftW = max(leftW, ansi.StringWidth(l))
	}
	leftW = min(leftW, w-payPanel-1)
	out := make([]string, h)
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(panel) {
			r = panel[i]
		}
		out[i] = fit(l, leftW) + " " + fit(r, w-leftW-1)
	}
	return strings.Join(out, "\n")
}

func (m *Model) payPanelLines(ps *payState) []string {
	var state string
	switch ps.p.State {
	case pos.PaymentPaid:
		state = "PAID"
	case pos.PaymentExpired:
		state = "EXPIRED"
	case pos.PaymentFailed:
		state = "FAILED"
	case pos.PaymentCancelled:
		state = "CANCELLED"
	default:
		state = "WAITING FOR PAYMENT"
	}
	amount := m.money(ps.p.Amount)
	lines := []string{stHead.Render(ansi.Truncate(m.d.Shop, payPanel, "…")), "Scan to pay " + amount, ""}
	for _, l := range bigText(amount) {
		lines = append(lines, stTotal.Render(l))
	}
	lines = append(lines, "", stTitle.Render(" "+state+" "))
	if !ps.p.State.Final() && !ps.p.ExpiresAt.IsZero() {
		left := max(0, ps.p.ExpiresAt.Sub(m.d.Now()).Round(time.Second))
		lines = append(lines, fmt.Sprintf("expires in %d:%02d", int(left.Minutes()), int(left.Seconds())%60))
	}
	if ps.split() {
		lines = append(lines, fmt.Sprintf("QR part of %s;", m.money(ps.total)),
			fmt.Sprintf("rest %s in cash", m.money(ps.total-ps.p.Amount)))
	}
	if m.d.QRDemo {
		lines = append(lines, stWarn.Render("DEMO account: no money moves"))
	}
	lines = append(lines, "")
	if m.confirm != nil {
		for _, l := range wrapText(m.confirm.text, payPanel) {
			lines = append(lines, stWarn.Render(l))
		}
		lines = append(lines, "y yes · n no")
	} else if m.prompt != nil {
		lines = append(lines, wrapText(m.prompt.label, payPanel)...)
		lines = append(lines, m.prompt.in.view("> ", true), "enter ok · esc cancel")
	} else {
		if ps.p.State.Final() {
			lines = append(lines, "n  new QR code", "esc back to take cash")
		} else {
			lines = append(lines, "p  customer has paid", "c  cancel the QR")
		}
		lines = append(lines, "ctrl+c quit")
	}
	if m.msg != "" {
		style := stInfo
		if m.msgErr {
			style = stError
		}
		lines = append(lines, "")
		for _, l := range wrapText(m.msg, payPanel) {
			lines = append(lines, style.Render(l))
		}
	}
	return lines
}

// wrapText breaks s into lines of at most w columns at spaces.
func wrapText(s string, w int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
