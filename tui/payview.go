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
	code, err := qrtext.Fit(ps.p.Payload, w-payPanel-1, h)
	switch {
	case ps.p.Payload == "":
		left = []string{"", " (no QR code yet)"}
	case errors.As(err, &tooSmall):
		left = []string{"", st.err.Render(" Terminal too small for the QR code:"),
			fmt.Sprintf(" it needs %dx%d; make the window at", tooSmall.NeedW+payPanel+1, tooSmall.NeedH),
			" least that big, or take cash."}
	case err != nil:
		left = []string{st.err.Render(" Cannot draw this QR code.")}
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

func (s *payScreen) panel(d dialog) []string {
	c, st, ps := s.c, s.c.st, s
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
	amount := c.money(ps.amount)
	lines := []string{st.head.Render(ansi.Truncate(c.deps.Shop, payPanel, "…")), "Scan to pay " + amount, ""}
	for _, l := range bigText(amount) {
		lines = append(lines, st.total.Render(l))
	}
	lines = append(lines, "", st.title.Render(" "+state+" "))
	if ps.online() {
		lines = append(lines, "with "+ps.p.Provider+", confirms by itself")
	}
	if !ps.p.State.Final() && !ps.p.ExpiresAt.IsZero() {
		left := max(0, ps.p.ExpiresAt.Sub(c.deps.Now()).Round(time.Second))
		lines = append(lines, fmt.Sprintf("expires in %d:%02d", int(left.Minutes()), int(left.Seconds())%60))
	}
	if ps.split() {
		lines = append(lines, fmt.Sprintf("QR part of %s;", c.money(ps.total)),
			fmt.Sprintf("rest %s in cash", c.money(ps.total-ps.p.Amount)))
	}
	if c.deps.QRDemo {
		lines = append(lines, st.warn.Render("DEMO account: no money moves"))
	}
	lines = append(lines, "")
	if d != nil {
		lines = append(lines, d.panel(payPanel)...)
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
