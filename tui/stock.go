package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// stockView is the price check: look goods up by scan or name without
// adding them. With nothing typed it lists the goods running low.
type stockView struct {
	in   lineInput
	hits []int
	sel  int
	low  bool // hits are the low-stock list
}

func (m *Model) openStock() {
	m.screen = scrStock
	m.stock = stockView{}
	m.stockSearch()
	m.msg = ""
}

func (m *Model) stockSearch() {
	s := &m.stock
	q := strings.TrimSpace(s.in.value)
	s.sel, s.low = 0, false
	switch {
	case q == "":
		s.hits, s.low = m.lowStock(200), true
	default:
		s.hits = nil
		if i, ok := m.ix.code(q); ok {
			s.hits = []int{i}
		} else if c := trailingDigits(q); len(c) >= scanLen {
			if i, ok := m.ix.code(c); ok {
				s.hits = []int{i}
			}
		} else if !isDigits(q) {
			s.hits = m.ix.search(q, searchLimit)
		}
	}
}

// lowStock lists up to n tracked goods at or below their low-stock level.
func (m *Model) lowStock(n int) []int {
	var out []int
	if m.ix == nil {
		return nil
	}
	for i, p := range m.ix.goods {
		if p.LowStock() {
			out = append(out, i)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func (m *Model) stockKey(k tea.KeyPressMsg) tea.Cmd {
	s := &m.stock
	switch {
	case key.Matches(k, m.keys.Back):
		if s.in.value != "" {
			s.in.reset()
			m.stockSearch()
			return nil
		}
		m.goSell()
	case key.Matches(k, m.keys.Up):
		s.sel = max(0, s.sel-1)
	case key.Matches(k, m.keys.Down):
		s.sel = min(len(s.hits)-1, s.sel+1)
	case k.String() == "enter":
		// A scanner's Enter: show the scanned goods, ready for the next.
		m.stockSearch()
		if q := s.in.value; q != "" && len(s.hits) == 0 {
			m.fail(fmt.Sprintf("No goods match %q.", q), nil)
		}
		s.in.reset()
	default:
		if s.in.key(k) {
			m.msg = ""
			m.stockSearch()
		}
	}
	return nil
}

func (m *Model) stockView(w, h int) []string {
	s := &m.stock
	title := " " + count(len(s.hits), "match", "matches") + " (nothing is added to the cart)"
	if s.low {
		title = fmt.Sprintf(" Low stock: %d goods at or below their reorder level", len(s.hits))
	}
	out := []string{
		fit(s.in.view(" Price check, scan or type: ", true), w),
		stHead.Render(fit(title, w)),
	}
	rows := h - len(out)
	first := max(0, s.sel-rows+1)
	for i := first; i < len(s.hits) && len(out) < h; i++ {
		out = append(out, m.goodsRow(m.ix.goods[s.hits[i]], i == s.sel, w))
	}
	return out
}
