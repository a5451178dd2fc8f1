package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// parkedScreen lists the parked carts; enter resumes one.
type parkedScreen struct {
	c     *common
	carts []pos.Parked
	sel   int
}

// ParkedCarts lists the carts put aside.
type ParkedCarts interface {
	ParkedCarts() ([]pos.Parked, error)
}

type (
	// parkedListMsg is the parked carts, read; it opens the list.
	parkedListMsg struct {
		carts []pos.Parked
		err   error
	}
	unparkMsg struct {
		p   pos.Parked
		err error
	}
)

// openParked reads the parked carts; the list opens when they are in.
func openParked(c *common) (screen, tea.Cmd) {
	var st ParkedCarts = c.deps.Store
	return nil, func() tea.Msg {
		carts, err := st.ParkedCarts()
		return parkedListMsg{carts: carts, err: err}
	}
}

func (msg parkedListMsg) open(c *common) (screen, tea.Cmd) {
	if msg.err != nil {
		c.fail("Could not read parked carts.", msg.err)
		return nil, nil
	}
	return &parkedScreen{c: c, carts: msg.carts}, nil
}

func (s *parkedScreen) title() string { return s.c.t("Parked carts") }

func (s *parkedScreen) keys() listKeys {
	k := &s.c.keys
	return listKeys{up: k.Up, down: k.Down, enter: on(named(k.Enter, "enter", "resume"), len(s.carts) > 0), back: k.Back}
}

func (s *parkedScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.up, k.enter, k.back, s.c.keys.Help}
}
func (s *parkedScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *parkedScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case unparkMsg:
		c := s.c
		if msg.err != nil {
			c.fail("Could not resume that cart.", msg.err)
			return s, nil
		}
		c.cart, c.started, c.line = msg.p.Cart, c.deps.Now(), 0
		c.info("Cart resumed (%s).", c.p.Plural(len(c.cart.Lines), "1 line", "%d lines"))
		return newSell(c), nil
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return s, nil
}

func (s *parkedScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c, keys := s.c, s.keys()
	switch {
	case key.Matches(k, keys.up):
		s.sel = max(0, s.sel-1)
	case key.Matches(k, keys.down):
		s.sel = min(len(s.carts)-1, s.sel+1)
	case key.Matches(k, keys.enter):
		if len(c.cart.Lines) > 0 {
			c.fail("Finish or park the cart on screen first.", nil)
			return s, nil
		}
		return s, s.unpark(s.carts[s.sel].ID)
	case key.Matches(k, keys.back):
		return newSell(c), nil
	}
	return s, nil
}

func (s *parkedScreen) unpark(id string) tea.Cmd {
	var sl Parker = s.c.deps.Seller
	return s.c.work(func() tea.Msg {
		p, err := sl.Unpark(id)
		return unparkMsg{p: p, err: err}
	})
}

func (s *parkedScreen) view(w, h int) []string {
	c, st := s.c, s.c.st
	out := []string{st.head.Render(fit(c.t("   Parked at         Lines  Items"), w-14) + right(c.t("Total"), 14))}
	if len(s.carts) == 0 {
		return append(out, st.dim.Render(c.t("   No parked carts.")))
	}
	first := max(0, s.sel-(h-2))
	for i := first; i < len(s.carts) && len(out) < h; i++ {
		p := s.carts[i]
		t, _ := pos.Price(p.Cart, c.deps.TaxIncluded)
		mark := "  "
		if i == s.sel {
			mark = "> "
		}
		row := fit(fmt.Sprintf("%s %s  %5d  %5d", mark, p.At.In(c.deps.Loc).Format("2006-01-02 15:04"), len(p.Cart.Lines), p.Cart.Items()), w-14) +
			right(c.amount(t.Total), 14)
		if i == s.sel {
			row = st.selected.Render(row)
		}
		out = append(out, row)
	}
	return out
}
