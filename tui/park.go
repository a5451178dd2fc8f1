package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

func (m *Model) parkedKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Up):
		m.pSel = max(0, m.pSel-1)
	case key.Matches(k, m.keys.Down):
		m.pSel = min(len(m.parked)-1, m.pSel+1)
	case key.Matches(k, m.keys.Enter):
		if len(m.cart.Lines) > 0 {
			m.fail("Finish or park the cart on screen first.", nil)
			return nil
		}
		return m.unpark(m.parked[m.pSel].ID)
	case key.Matches(k, m.keys.Back):
		m.goSell()
	}
	return nil
}

func (m *Model) parkedView(w, h int) []string {
	out := []string{stHead.Render(fit("   Parked at         Lines  Items", w-14) + right("Total", 14))}
	if len(m.parked) == 0 {
		return append(out, stDim.Render("   No parked carts."))
	}
	first := max(0, m.pSel-(h-2))
	for i := first; i < len(m.parked) && len(out) < h; i++ {
		p := m.parked[i]
		t, _ := pos.Price(p.Cart, m.d.TaxIncluded)
		mark := "  "
		if i == m.pSel {
			mark = "> "
		}
		row := fit(fmt.Sprintf("%s %s  %5d  %5d", mark, p.At.In(m.d.Loc).Format("2006-01-02 15:04"), len(p.Cart.Lines), p.Cart.Items()), w-14) +
			right(m.amount(t.Total), 14)
		if i == m.pSel {
			row = stSelected.Render(row)
		}
		out = append(out, row)
	}
	return out
}
