package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/tui/qrtext"
)

// QRSeller takes QR payments: it stores each payment before the code is
// shown, moves it through its states, and completes the sale it paid.
// *register.Register satisfies it.
type QRSeller interface {
	// StartQR uses the online provider unless offline is set or none is
	// set up; an unreachable provider gives an error matching
	// pay.ErrUnreachable.
	StartQR(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money, offline bool) (pos.Payment, error)
	MoveQR(id string, to pos.PaymentState, reason string) (pos.Payment, error)
	PollQR(ctx context.Context, id string) (pos.Payment, error)
	EndQR(ctx context.Context, id string, to pos.PaymentState, reason string) (pos.Payment, error)
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
	// qrPolledMsg is a provider's answer; polls run in the background
	// and do not hold up the keyboard.
	qrPolledMsg struct {
		p   pos.Payment
		err error
	}
)

// payState is the QR payment on screen.
type payState struct {
	p     pos.Payment
	total pos.Money // the sale's total; p.Amount may be only part of it
	// unreachable: the online provider could not be reached to start;
	// the cashier may fall back to the offline QR with the same amount.
	unreachable bool
	amount      pos.Money
	// polling: a query to the provider is in flight; polls counts them
	// for the backoff; nextPoll is when to ask again.
	polling  bool
	polls    int
	nextPoll time.Time
}

func (ps *payState) split() bool  { return ps.p.Amount < ps.total }
func (ps *payState) online() bool { return ps.p.Provider != "" && ps.p.Provider != "emvqr" }

// startQR begins a QR payment of amount (the whole total, or the QR part
// of a split tender) and shows it once it is stored: online with the
// provider when one is set up, unless offline.
func (m *Model) startQR(amount pos.Money, offline bool) tea.Cmd {
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
	qr, cart, started, ctx := m.d.QR, cloneCart(m.cart), m.started, m.d.Ctx
	m.pay = &payState{total: t.Total, amount: amount}
	m.screen = scrPay
	m.info("Creating the QR code…")
	return m.startBusy(func() tea.Msg {
		p, err := qr.StartQR(ctx, cart, started, amount, offline)
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

// endQR cancels or expires the payment, at the provider too when online.
func (m *Model) endQR(to pos.PaymentState, reason string) tea.Cmd {
	qr, id, ctx := m.d.QR, m.pay.p.ID, m.d.Ctx
	return m.startBusy(func() tea.Msg {
		p, err := qr.EndQR(ctx, id, to, reason)
		return qrMsg{p: p, err: err}
	})
}

// pollQR asks the provider once, in the background.
func (m *Model) pollQR() tea.Cmd {
	qr, id, ctx := m.d.QR, m.pay.p.ID, m.d.Ctx
	m.pay.polling = true
	return func() tea.Msg {
		p, err := qr.PollQR(ctx, id)
		return qrPolledMsg{p: p, err: err}
	}
}

func (m *Model) qrPolled(msg qrPolledMsg) tea.Cmd {
	ps := m.pay
	if ps == nil || ps.p.ID != msg.p.ID {
		return nil
	}
	ps.polling = false
	ps.polls++
	ps.nextPoll = m.d.Now().Add(pay.NextDelay(ps.polls))
	if msg.err != nil {
		m.d.Log.Warn("poll payment", "id", ps.p.ID, "err", msg.err)
		if errors.Is(msg.err, pay.ErrUnreachable) {
			m.fail("Cannot reach the payment provider; still trying. The customer's payment is safe.", nil)
		}
		return nil
	}
	if msg.p.State == ps.p.State {
		return nil
	}
	return m.qrResult(qrMsg{p: msg.p}, false)
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
func (m *Model) qrResult(msg qrMsg, busy bool) tea.Cmd {
	if busy {
		m.endBusy()
	}
	if m.pay == nil {
		return nil
	}
	if msg.err != nil {
		switch {
		case m.pay.p.ID == "" && errors.Is(msg.err, pay.ErrUnreachable) && m.d.QROffline:
			m.pay.unreachable = true
			m.fail("The payment provider cannot be reached. e: offline QR · esc: back to take cash.", msg.err)
		case m.pay.p.ID == "" && errors.Is(msg.err, pay.ErrUnreachable):
			m.pay = nil
			m.openCheckout()
			m.fail("The payment provider cannot be reached; nothing was charged. Take cash.", msg.err)
		case m.pay.p.ID == "":
			m.pay = nil
			m.openCheckout()
			m.fail("Could not start the QR payment; nothing was charged. Take cash or try again.", msg.err)
		default:
			m.fail("Could not do that; the payment is unchanged. Try again.", msg.err)
		}
		return nil
	}
	m.pay.p = msg.p
	m.pay.unreachable = false
	m.screen = scrPay
	switch msg.p.State {
	case pos.PaymentShown, pos.PaymentCreated:
		m.info("Waiting for the customer to pay.")
		return m.qrTick()
	case pos.PaymentPaid:
		if m.pay.online() {
			m.info("Paid: %s confirmed it.", m.pay.p.Provider)
		}
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
		return m.endQR(pos.PaymentExpired, "")
	}
	if m.pay.online() && !m.pay.polling && !m.d.Now().Before(m.pay.nextPoll) {
		return tea.Batch(m.pollQR(), m.qrTick())
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
		return m.endQR(pos.PaymentExpired, "")
	case m.pay.online():
		m.info("Resumed the sale that was waiting for QR payment; asking %s.", p.Provider)
		return tea.Batch(m.pollQR(), m.qrTick())
	}
	m.info("Resumed the sale that was waiting for QR payment: p paid · c cancel.")
	return m.qrTick()
}

func (m *Model) payKey(k tea.KeyPressMsg) tea.Cmd {
	ps := m.pay
	if ps == nil {
		return nil
	}
	waiting := ps.p.ID != "" && !ps.p.State.Final()
	switch {
	case key.Matches(k, m.keys.QROffline) && ps.unreachable:
		return m.startQR(ps.amount, true)
	case key.Matches(k, m.keys.QRPaid) && waiting && !ps.online():
		m.ask(confirmQRPaid, fmt.Sprintf("Does the customer's app show %s PAID to %s?", m.money(ps.p.Amount), m.d.Shop))
	case key.Matches(k, m.keys.QRCancel) && waiting:
		m.ask(confirmQRCancel, "Cancel this QR payment? (only if the customer has NOT paid)")
	case key.Matches(k, m.keys.QRNew) && !waiting && ps.p.ID != "":
		return m.startQR(ps.amount, false)
	case key.Matches(k, m.keys.Back) && !waiting && m.busy == 0:
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
	var left []string
	var tooSmall *qrtext.TooSmallError
	code, err := qrtext.Fit(ps.p.Payload, w-payPanel-1, h)
	switch {
	case ps.p.Payload == "":
		left = []string{"", " (no QR code yet)"}
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
	case "":
		state = "STARTING"
	default:
		state = "WAITING FOR PAYMENT"
	}
	amount := m.money(ps.amount)
	lines := []string{stHead.Render(ansi.Truncate(m.d.Shop, payPanel, "…")), "Scan to pay " + amount, ""}
	for _, l := range bigText(amount) {
		lines = append(lines, stTotal.Render(l))
	}
	lines = append(lines, "", stTitle.Render(" "+state+" "))
	if ps.online() {
		lines = append(lines, "with "+ps.p.Provider+", confirms by itself")
	}
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
		switch {
		case ps.unreachable:
			lines = append(lines, "e  offline QR instead", "esc back to take cash")
		case ps.p.ID == "":
		case ps.p.State.Final():
			lines = append(lines, "n  new QR code", "esc back to take cash")
		case ps.online():
			lines = append(lines, "c  cancel the QR")
		default:
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
