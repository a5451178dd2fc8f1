package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// stockScreen is the price check: look goods up by scan or name without
// adding them. With nothing typed it lists the goods running low.
type stockScreen struct {
	c    *common
	in   lineInput
	hits []int
	sel  int
	low  bool // hits are the low-stock list
}

func openStock(c *common) (screen, tea.Cmd) {
	s := &stockScreen{c: c}
	s.search()
	c.msg = ""
	return s, nil
}

func (s *stockScreen) title() string { return s.c.t("Price check & stock") }

// typing: the price check always has its input, so '?' is text.
func (s *stockScreen) typing() bool { return true }

func (s *stockScreen) search() {
	c := s.c
	q := strings.TrimSpace(s.in.value)
	s.sel, s.low = 0, false
	switch {
	case q == "":
		s.hits, s.low = s.lowStock(200), true
	default:
		s.hits = nil
		if i, ok := c.ix.Code(q); ok {
			s.hits = []int{i}
		} else if code := trailingDigits(q); len(code) >= scanLen {
			if i, ok := c.ix.Code(code); ok {
				s.hits = []int{i}
			}
		} else if !isDigits(q) {
			s.hits = c.ix.Search(q, searchLimit)
		}
	}
}

// lowStock lists up to n tracked goods at or below their low-stock level.
func (s *stockScreen) lowStock(n int) []int {
	var out []int
	if s.c.ix == nil {
		return nil
	}
	for i := range s.c.ix.Len() {
		if s.c.ix.Product(i).LowStock() {
			out = append(out, i)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

type stockKeys struct{ up, down, back key.Binding }

func (s *stockScreen) keys() stockKeys {
	k := &s.c.keys
	return stockKeys{up: on(k.Up, len(s.hits) > 0), down: on(k.Down, len(s.hits) > 0), back: k.Back}
}

func (s *stockScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.up, k.back, s.c.keys.HelpF1}
}
func (s *stockScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *stockScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	c, keys := s.c, s.keys()
	switch {
	case key.Matches(k, keys.back):
		if s.in.value != "" {
			s.in.reset()
			s.search()
			return s, nil
		}
		return newSell(c), nil
	case key.Matches(k, keys.up):
		s.sel = max(0, s.sel-1)
	case key.Matches(k, keys.down):
		s.sel = min(len(s.hits)-1, s.sel+1)
	case k.String() == "enter":
		// A scanner's Enter: show the scanned goods, ready for the next.
		s.search()
		if q := s.in.value; q != "" && len(s.hits) == 0 {
			c.fail("No goods match %q.", nil, q)
		}
		s.in.reset()
	default:
		if s.in.key(k) {
			c.msg = ""
			s.search()
		}
	}
	return s, nil
}

func (s *stockScreen) view(w, h int) []string {
	c, st := s.c, s.c.st
	title := c.t(" %s (nothing is added to the cart)", c.p.Plural(len(s.hits), "1 match", "%d matches"))
	if s.low {
		// Each goods' own level (reorder_level), else the shop's default.
		title = c.t(" Low stock: %d goods at or below their reorder level (default %d)", len(s.hits), pos.LowStockAt)
	}
	out := []string{
		fit(s.in.view(st, c.t(" Price check, scan or type: "), true), w),
		st.head.Render(fit(title, w)),
	}
	rows := h - len(out)
	first := max(0, s.sel-rows+1)
	for i := first; i < len(s.hits) && len(out) < h; i++ {
		out = append(out, c.goodsRow(c.ix.Product(s.hits[i]), i == s.sel, w))
	}
	return out
}
