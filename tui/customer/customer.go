// Package customer is `till display`: a read-only screen that faces the
// customer and follows the counter over its display socket. It shows the
// goods as they are scanned and the total, the payment QR code as large
// as the screen allows, then "paid, thank you" and the change. It sends
// nothing back: the only key it knows is q, to close it.
package customer

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/display"
	"github.com/tillpos/till/tui/bigtext"
	"github.com/tillpos/till/tui/qrtext"
	"github.com/tillpos/till/tui/receipt"
)

// Model is the customer display.
type Model struct {
	updates   <-chan display.Update
	snap      display.Snapshot
	connected bool
	width     int
	height    int
}

// New follows updates (from display.Follow).
func New(updates <-chan display.Update) *Model {
	return &Model{updates: updates, width: 80, height: 24}
}

type updateMsg display.Update

type closedMsg struct{}

// wait is the Cmd that delivers the next update.
func (m *Model) wait() tea.Cmd {
	ch := m.updates
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return closedMsg{}
		}
		return updateMsg(u)
	}
}

func (m *Model) Init() tea.Cmd { return m.wait() }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case updateMsg:
		m.connected = msg.Connected
		if msg.Connected {
			m.snap = msg.Snapshot
		}
		return m, m.wait()
	case closedMsg:
		return m, tea.Quit
	case tea.KeyPressMsg:
		if s := msg.String(); s == "q" || s == "ctrl+c" {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *Model) View() tea.View {
	v := tea.NewView(Render(m.snap, m.connected, m.width, m.height))
	v.AltScreen = true
	v.WindowTitle = "Till customer display"
	return v
}

// Snapshot is what is on show.
func (m *Model) Snapshot() (display.Snapshot, bool) { return m.snap, m.connected }

// Render draws snapshot s on a w x h screen. Every line fits in w cells
// and there are at most h lines.
func Render(s display.Snapshot, connected bool, w, h int) string {
	w, h = max(w, 20), max(h, 6)
	var body []string
	switch s.State {
	case display.Cart:
		body = cartView(s, w, h-1)
	case display.Pay:
		body = payView(s, w, h-1)
	case display.Paid:
		body = paidView(s, w, h-1)
	default:
		body = idleView(s, w, h-1)
	}
	if len(body) > h-1 {
		body = body[:h-1]
	}
	for len(body) < h-1 {
		body = append(body, "")
	}
	status := ""
	if !connected {
		status = receipt.Center("waiting for the counter… 请稍候", w)
	}
	out := append(body, status)
	for i, l := range out {
		if ansi.StringWidth(l) > w {
			out[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(out, "\n")
}

func money(s display.Snapshot, m pos.Money) string { return receipt.Money(m, s.CurrencyOf()) }

func title(s display.Snapshot, w int) string {
	name := s.Shop
	if name == "" {
		name = "Till"
	}
	return receipt.Center(name, w)
}

func idleView(s display.Snapshot, w, h int) []string {
	out := make([]string, 0, h)
	for len(out) < h/2-1 {
		out = append(out, "")
	}
	return append(out, title(s, w), "", receipt.Center("Welcome  欢迎光临", w))
}

// bigLines centres the big rendering of text, if it fits.
func bigLines(text string, w int) []string {
	rows := bigtext.Render(text)
	if ansi.StringWidth(rows[0]) > w {
		return nil
	}
	for i, r := range rows {
		rows[i] = receipt.Center(r, w)
	}
	return rows
}

func cartView(s display.Snapshot, w, h int) []string {
	foot := []string{strings.Repeat("─", w), receipt.Pad(fmt.Sprintf("TOTAL 合计  (%d items)", count(s)), money(s, s.Total), w)}
	if s.Discount != 0 {
		foot = append([]string{receipt.Pad("Discount 优惠", money(s, -s.Discount), w)}, foot...)
	}
	if b := bigLines(money(s, s.Total), w); b != nil && h >= 12 {
		foot = append(foot, b...)
	}
	room := h - 2 - len(foot) // title and a blank line
	lines := s.Lines
	var out []string
	out = append(out, title(s, w), "")
	if len(lines) > room && room > 0 {
		lines = lines[len(lines)-room:] // the newest at the bottom
	}
	for _, l := range lines {
		left := l.Name
		if l.Qty != 1 || l.Measure.Measured() {
			// "Apple 1.250 kg x 12.80/kg" for weighed goods, "Cola  3 x 3.00".
			left = l.Name + "  " + pos.QtyTimesPrice(l.Qty, l.Measure, receipt.Amount(l.Unit, s.CurrencyOf()))
		}
		out = append(out, receipt.Pad(left, receipt.Amount(l.Amount, s.CurrencyOf()), w))
	}
	for len(out)+len(foot) < h {
		out = append(out, "")
	}
	return append(out, foot...)
}

func count(s display.Snapshot) int64 {
	var n int64
	for _, l := range s.Lines {
		if l.Measure.Measured() {
			n++ // a weighing is one item
			continue
		}
		n += l.Qty
	}
	return n
}

func payView(s display.Snapshot, w, h int) []string {
	label := "Please scan to pay 请扫码付款"
	if s.QRLabel != "" {
		label += " · " + s.QRLabel
	}
	head := []string{receipt.Pad(label, money(s, s.Due), w)}
	code, err := qrtext.Fit(s.QR, w, h-len(head))
	if err != nil {
		msg := "too small for the QR code"
		var small *qrtext.TooSmallError
		if !errors.As(err, &small) {
			msg = "no QR code to show"
		}
		return append(head, "", receipt.Center(msg, w), receipt.Center("TOTAL "+money(s, s.Due), w))
	}
	out := head
	pad := strings.Repeat(" ", (w-code.Width)/2)
	top := (h - len(head) - code.Height) / 2
	for range top {
		out = append(out, "")
	}
	for _, l := range code.Lines {
		out = append(out, pad+l)
	}
	return out
}

func paidView(s display.Snapshot, w, h int) []string {
	out := []string{title(s, w), "", receipt.Center("Paid, thank you!  谢谢惠顾", w), ""}
	out = append(out, receipt.Center("Total "+money(s, s.Due)+"   Paid "+money(s, s.Paid), w), "")
	if s.Change != 0 {
		out = append(out, receipt.Center("Your change 找零  "+money(s, s.Change), w))
		if b := bigLines(money(s, s.Change), w); b != nil && h >= 12 {
			out = append(out, append([]string{""}, b...)...)
		}
	}
	return out
}
