package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/qrtext"
)

// payPanel is the width of the text beside the QR code.
const payPanel = 32

// view is the whole pay screen as lines, for callers that want lines.
func (s *payScreen) view(w, h int) []string { return strings.Split(s.full(w, h, nil), "\n") }

// payView gives the code nearly the whole screen, with the shop, amount
// and state beside it. It draws no status or help line of the root: at
// 80x24 the code needs the height.
func (s *payScreen) full(w, h int, d dialog) string {
	st := s.c.st
	ps := s
	panel := s.panel(d)
	var left []string
	var tooSmall *qrtext.TooSmallError
	leftMax := max(w-payPanel-1, 10)
	code, err := qrtext.Fit(ps.p.Payload, leftMax, h)
	switch {
	case ps.code || ps.p.State.Final() || ps.late || ps.unconfirmed():
		// No code to scan: the outcome (or the state of a payment code, or
		// of an order being closed) in big text, where the code was, so a
		// dead code is never shown.
		left = s.outcome()
	case ps.p.Payload == "":
		left = []string{"", s.c.t(" (no QR code yet)")}
	case errors.As(err, &tooSmall):
		left = []string{""}
		for _, l := range wrapText(s.c.t("Terminal too small for the QR code: it needs %dx%d. Make the window at least that big, or cancel and take cash.",
			tooSmall.NeedW+payPanel+1, tooSmall.NeedH), leftMax-1) {
			left = append(left, st.err.Render(" "+l))
		}
	case err != nil:
		left = []string{st.err.Render(s.c.t(" Cannot draw this QR code."))}
	default:
		left = code.Lines
	}
	leftW := 0
	for _, l := range left {
		leftW = max(leftW, ansi.StringWidth(l))
	}
	leftW = min(leftW, leftMax)
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

// word is the payment's state in one or two words, for the big text and
// the panel.
func (s *payScreen) word() string {
	switch s.p.State {
	case pos.PaymentPaid:
		return "PAID"
	case pos.PaymentExpired:
		return "EXPIRED"
	case pos.PaymentFailed:
		return "FAILED"
	case pos.PaymentCancelled:
		return "CANCELLED"
	case pos.PaymentReversed:
		return "REVERSED"
	case pos.PaymentClosing:
		return "CLOSING"
	case pos.PaymentReversing:
		return "WITHDRAWING"
	case pos.PaymentSubmitted:
		return "SENDING"
	case pos.PaymentPaying:
		return "PASSWORD"
	case "":
		if s.code {
			return "SENDING"
		}
		return "STARTING"
	}
	return "WAITING"
}

// outcome is the left side once there is no code to scan: the state in
// big text and what it means for the money.
func (s *payScreen) outcome() []string {
	st := s.c.st
	style := st.total
	var meaning string
	switch s.p.State {
	case pos.PaymentPaid:
		meaning = s.c.t("The money is in.")
		if s.late {
			meaning = s.c.t("Paid AFTER its order was closed.")
		} else if s.split() {
			meaning = s.c.t("The rest is due in cash.")
		}
	case pos.PaymentExpired:
		style, meaning = st.err, s.c.t("This code is dead: nothing was charged.")
	case pos.PaymentFailed:
		style, meaning = st.err, s.c.t("Nothing was charged.")
	case pos.PaymentCancelled:
		style, meaning = st.err, s.c.t("Nothing was charged.")
	case pos.PaymentReversed:
		style, meaning = st.err, s.c.t("Withdrawn: nothing stays charged.")
	case pos.PaymentClosing, pos.PaymentReversing:
		style, meaning = st.warn, s.c.t("Not confirmed: do not take other money.")
	case pos.PaymentSubmitted, "":
		meaning = s.c.t("Sending the customer's payment code.")
	case pos.PaymentPaying:
		meaning = s.c.t("The customer is entering the password.")
	}
	out := []string{""}
	for _, l := range bigText(s.word()) {
		out = append(out, " "+style.Render(l))
	}
	return append(out, "", " "+style.Render(meaning))
}

func (s *payScreen) panel(d dialog) []string {
	c, st, ps := s.c, s.c.st, s
	amount := c.money(ps.amount)
	head := c.t("Scan to pay %s", amount)
	if (!ps.waiting() || ps.unconfirmed()) && ps.p.ID != "" {
		head = c.t("QR payment %s", amount)
	}
	if ps.code {
		head = c.t("Payment code %s", amount)
		if ps.p.CodeTail != "" {
			head += " ·" + ps.p.CodeTail
		}
	}
	lines := []string{st.head.Render(ansi.Truncate(c.deps.Shop, payPanel, "…")), head, ""}
	for _, l := range bigText(amount) {
		lines = append(lines, st.total.Render(l))
	}
	lines = append(lines, "", st.title.Render(" "+s.state()+" "))
	if ps.online() {
		lines = append(lines, c.t("with %s, confirms by itself", c.t(providerName(ps.p.Provider))))
	}
	if ps.p.Provider == pos.ProviderStatic && ps.waiting() {
		// The shop's own collection code carries no amount: the customer
		// types it, and the cashier confirms from the customer's screen.
		who := ps.p.Label
		if who == "" {
			who = c.t("the shop's code")
		}
		for _, l := range wrapText(c.t("%s: the customer scans, TYPES %s and pays; check their success screen", who, amount), payPanel) {
			lines = append(lines, st.warn.Render(l))
		}
	} else if ps.p.Label != "" && !ps.online() {
		lines = append(lines, ps.p.Label)
	}
	if ps.waiting() && !ps.unconfirmed() && !ps.p.ExpiresAt.IsZero() {
		left := max(0, ps.p.ExpiresAt.Sub(c.deps.Now()).Round(time.Second))
		label := c.t("expires in")
		if ps.code {
			label = c.t("withdrawn if not paid in")
		}
		lines = append(lines, fmt.Sprintf("%s %d:%02d", label, int(left.Minutes()), int(left.Seconds())%60))
	}
	if ps.split() {
		part := c.t("QR part of %s;", c.money(ps.total))
		if ps.code {
			part = c.t("code part of %s;", c.money(ps.total))
		}
		lines = append(lines, part, c.t("rest %s in cash", c.money(ps.rest())))
	}
	if ps.p.Problem != "" {
		for _, l := range wrapText(ps.p.Problem, payPanel) {
			lines = append(lines, st.err.Render(l))
		}
	}
	if c.clock != "" {
		for _, l := range wrapText(c.clock, payPanel) {
			lines = append(lines, st.warn.Render(l))
		}
	}
	if c.deps.QRDemo {
		lines = append(lines, st.warn.Render(c.t("DEMO account: no money moves")))
	}
	lines = append(lines, "")
	if d != nil {
		lines = append(lines, d.panel(payPanel)...)
	} else {
		for _, b := range ps.ShortHelp() {
			if b.Enabled() {
				lines = append(lines, ansi.Truncate(fmt.Sprintf("%-2s %s", b.Help().Key, c.t(b.Help().Desc)), payPanel, "…"))
			}
		}
		lines = append(lines, c.t("ctrl+c quit"))
	}
	if c.msg != "" {
		style := st.info
		if c.msgErr {
			style = st.err
		}
		lines = append(lines, "")
		for _, l := range wrapText(c.msg, payPanel) {
			lines = append(lines, style.Render(l))
		}
	}
	return lines
}

// state is the payment's state in words for the panel.
func (s *payScreen) state() string {
	switch s.p.State {
	case pos.PaymentPaid:
		if s.late {
			return s.c.t("PAID LATE")
		}
		return s.c.t("PAID")
	case pos.PaymentClosing:
		return s.c.t("CLOSING: NOT CONFIRMED")
	case pos.PaymentReversing:
		return s.c.t("WITHDRAWING: NOT CONFIRMED")
	case pos.PaymentSubmitted:
		return s.c.t("SENDING THE CODE")
	case pos.PaymentPaying:
		return s.c.t("CUSTOMER ENTERS PASSWORD")
	case pos.PaymentShown, pos.PaymentCreated:
		if s.unknown != "" {
			return s.c.t("NOT KNOWN: NO ANSWER")
		}
		return s.c.t("WAITING FOR PAYMENT")
	}
	return s.c.t(s.word())
}
