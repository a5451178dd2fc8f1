package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// historyScreen is today's sales, newest first; enter opens one.
type historyScreen struct {
	c     *common
	sales []pos.Sale
	sel   int
}

// SalesLog reads stored sales and what was refunded of them.
type SalesLog interface {
	SalesBetween(from, to time.Time) ([]pos.Sale, error)
	Sale(id string) (pos.Sale, error)
	Refunded(saleID string) (map[int]int64, error)
}

// historyMsg is today's sales, read; it opens the list.
type historyMsg struct {
	sales []pos.Sale
	err   error
}

// today is [midnight, next midnight) in the shop's time zone.
func today(now time.Time, loc *time.Location) (time.Time, time.Time) {
	n := now.In(loc)
	from := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 0, 1)
}

// openHistory reads today's sales; the list opens when they are in.
func openHistory(c *common) (screen, tea.Cmd) { return nil, loadHistory(c) }

func loadHistory(c *common) tea.Cmd {
	var st SalesLog = c.deps.Store
	from, to := today(c.deps.Now(), c.deps.Loc)
	return func() tea.Msg {
		s, err := st.SalesBetween(from, to)
		return historyMsg{sales: s, err: err}
	}
}

func (msg historyMsg) open(c *common) (screen, tea.Cmd) {
	if msg.err != nil {
		c.fail("Could not read today's sales.", msg.err)
		return nil, nil
	}
	s := msg.sales
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	c.msg = ""
	return &historyScreen{c: c, sales: s}, nil
}

func (s *historyScreen) title() string { return "Today's sales" }

type listKeys struct{ up, down, enter, back key.Binding }

func (s *historyScreen) keys() listKeys {
	k := &s.c.keys
	return listKeys{up: k.Up, down: k.Down, enter: on(k.Enter, len(s.sales) > 0), back: k.Back}
}

func (s *historyScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.up, k.enter, k.back, s.c.keys.Help}
}
func (s *historyScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *historyScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case saleDetailMsg:
		return openDetail(s.c, s, msg)
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return s, nil
}

func (s *historyScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	keys := s.keys()
	switch {
	case key.Matches(k, keys.up):
		s.sel = max(0, s.sel-1)
	case key.Matches(k, keys.down):
		s.sel = min(len(s.sales)-1, s.sel+1)
	case key.Matches(k, keys.enter):
		return s, loadSale(s.c, s.sales[s.sel].ID)
	case key.Matches(k, keys.back):
		return newSell(s.c), nil
	}
	return s, nil
}

func tenderText(s pos.Sale) string {
	var kinds []string
	for _, t := range s.Tenders {
		kinds = append(kinds, string(t.Kind))
	}
	return strings.Join(kinds, "+")
}

func (s *historyScreen) view(w, h int) []string {
	c, st := s.c, s.c.st
	from, _ := today(c.deps.Now(), c.deps.Loc)
	var total pos.Money
	for _, sale := range s.sales {
		total += sale.Due
	}
	out := []string{
		st.head.Render(fit(fmt.Sprintf(" %s: %s, %s", from.Format("Mon 2 Jan"), count(len(s.sales), "sale", "sales"), c.money(total)), w)),
		st.head.Render(fit("   Receipt  Time   Lines  Tender", w-14) + right("Total", 14)),
	}
	if len(s.sales) == 0 {
		return append(out, st.dim.Render("   No sales yet today."))
	}
	rows := h - len(out)
	first := max(0, s.sel-rows+1)
	for i := first; i < len(s.sales) && len(out) < h; i++ {
		sale := s.sales[i]
		mark := "  "
		if i == s.sel {
			mark = "> "
		}
		row := fit(fmt.Sprintf("%s %06d  %s  %5d  %s", mark, sale.Receipt, sale.At.In(c.deps.Loc).Format("15:04"),
			len(sale.Lines), tenderText(sale)), w-14) + right(c.amount(sale.Due), 14)
		if i == s.sel {
			row = st.selected.Render(row)
		}
		out = append(out, row)
	}
	return out
}
