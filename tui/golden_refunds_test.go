package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestGoldenRefunds draws the screens of issue 10 items 8 and 12 and the
// wallet refunds: the sales list with a void and a part refund, a part
// refunded sale asked to refund more, a stored receipt in full and its
// COPY, a refund slip found by number, and the reports screen listing a
// wallet refund not done yet.
func TestGoldenRefunds(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := "-" + itoa(size.w) + "x" + itoa(size.h)
		m, _ := newModel(t, newStore(t))
		send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		sellCash(t, m, water)
		sellCash(t, m, cola, cola, tea_, rice, "SKU2001", "SKU2002", water)
		press(t, m, "f8", "down", "enter", "v", "y", "esc", "f8", "enter", "+", "r", "y", "esc", "f8")
		golden(t, m, "history-refunds"+suffix)
		press(t, m, "enter", "down", "+")
		golden(t, m, "sale-refunded"+suffix)
		press(t, m, "r")
		golden(t, m, "sale-refund-ask"+suffix)
		press(t, m, "n", "p")
		golden(t, m, "record"+suffix)
		press(t, m, "ctrl+s")
		m.c.msg = "" // names a temporary directory
		golden(t, m, "record-copy"+suffix)
		press(t, m, "esc", "esc")
		typ(t, m, "3")
		press(t, m, "enter")
		golden(t, m, "record-refund"+suffix)

		w, srv := walletModel(t)
		send(t, w, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		press(t, w, "f8", "enter")
		golden(t, w, "sale-wallet"+suffix)
		srv.Close()
		press(t, w, "a", "r", "y", "esc", "f9")
		golden(t, w, "reports-wallet"+suffix)
	}
}
