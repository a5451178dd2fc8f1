package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// detailScreen is one sale opened from the history, with the quantities
// the cashier chose to refund per line.
type detailScreen struct {
	c       *common
	back    screen // the list it was opened from
	sale    pos.Sale
	already map[int]int64 // refunded before
	want    map[int]int64 // to refund now
	sel     int
}

// Refunder gives goods back. *register.Register satisfies it.
type Refunder interface {
	Refund(saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, error)
}

type (
	saleDetailMsg struct {
		sale     pos.Sale
		refunded map[int]int64
		err      error
	}
	refundDoneMsg struct {
		r   pos.Refund
		err error
	}
)

func loadSale(c *common, id string) tea.Cmd {
	var st SalesLog = c.deps.Store
	return func() tea.Msg {
		s, err := st.Sale(id)
		if err != nil {
			return saleDetailMsg{err: err}
		}
		r, err := st.Refunded(id)
		return saleDetailMsg{sale: s, refunded: r, err: err}
	}
}

// openDetail shows a sale just read, or says it could not be.
func openDetail(c *common, back screen, msg saleDetailMsg) (screen, tea.Cmd) {
	if msg.err != nil {
		c.fail("Could not open that sale.", msg.err)
		return back, nil
	}
	if msg.refunded == nil {
		msg.refunded = map[int]int64{}
	}
	c.msg = ""
	return &detailScreen{c: c, back: back, sale: msg.sale, already: msg.refunded, want: map[int]int64{}}, nil
}

func (d *detailScreen) title() string { return "Sale" }

func (d *detailScreen) left(i int) int64 { return d.sale.Lines[i].Qty - d.already[i] }

// remaining is how many units of the sale could still be refunded.
func (d *detailScreen) remaining() int64 {
	var n int64
	for i := range d.sale.Lines {
		n += d.left(i) - d.want[i]
	}
	return n
}

func (d *detailScreen) chosen() int64 {
	var n int64
	for _, q := range d.want {
		n += q
	}
	return n
}

// allLeft reports that nothing of the sale was refunded yet.
func (d *detailScreen) allLeft() bool {
	for _, q := range d.already {
		if q > 0 {
			return false
		}
	}
	return true
}

type detailKeys struct{ up, down, plus, minus, all, refund, void, back key.Binding }

func (d *detailScreen) keys() detailKeys {
	k := &d.c.keys
	left := d.remaining()
	return detailKeys{
		up:     k.Up,
		down:   k.Down,
		plus:   on(named(k.Plus, "+", "refund one more"), left > 0),
		minus:  on(k.Minus, d.chosen() > 0),
		all:    on(k.All, left > 0),
		refund: on(k.Refund, d.chosen() > 0),
		void:   on(k.Void, len(d.already) == 0 || d.allLeft()),
		back:   k.Back,
	}
}

func (d *detailScreen) ShortHelp() []key.Binding {
	k := d.keys()
	return []key.Binding{k.up, k.plus, k.minus, k.all, k.refund, k.void, k.back, d.c.keys.Help}
}
func (d *detailScreen) FullHelp() [][]key.Binding { return fullHelp(d.ShortHelp(), d.c.keys.Quit) }

func (d *detailScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case refundDoneMsg:
		return refundDone(d.c, d, msg)
	case tea.KeyPressMsg:
		return d.key(msg)
	}
	return d, nil
}

func (d *detailScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c, keys := d.c, d.keys()
	switch {
	case key.Matches(k, keys.up):
		d.sel = max(0, d.sel-1)
	case key.Matches(k, keys.down):
		d.sel = min(len(d.sale.Lines)-1, d.sel+1)
	case key.Matches(k, keys.plus):
		if d.want[d.sel] < d.left(d.sel) {
			d.want[d.sel]++
		}
	case key.Matches(k, keys.minus):
		if d.want[d.sel] > 0 {
			d.want[d.sel]--
		}
	case key.Matches(k, keys.all):
		for i := range d.sale.Lines {
			d.want[i] = d.left(i)
		}
	case key.Matches(k, keys.refund):
		c.askYes(fmt.Sprintf("Refund %d item(s) of receipt %06d in cash?", d.chosen(), d.sale.Receipt), func() tea.Cmd {
			want := map[int]int64{}
			for i, q := range d.want {
				if q > 0 {
					want[i] = q
				}
			}
			return d.refund(want, pos.KindRefund, "refund at the counter")
		})
	case key.Matches(k, keys.void):
		c.askYes(fmt.Sprintf("Void the whole of receipt %06d (%s back in cash)?", d.sale.Receipt, c.money(d.sale.Due)), func() tea.Cmd {
			return d.refund(nil, pos.KindVoid, "void at the counter")
		})
	case key.Matches(k, keys.back):
		return d.back, loadHistory(c)
	}
	return d, nil
}

func (d *detailScreen) refund(want map[int]int64, kind pos.RefundKind, reason string) tea.Cmd {
	var sl Refunder = d.c.deps.Seller
	id := d.sale.ID
	return d.c.work(func() tea.Msg {
		r, err := sl.Refund(id, want, kind, reason)
		return refundDoneMsg{r: r, err: err}
	})
}

func (d *detailScreen) view(w, h int) []string {
	c, st := d.c, d.c.st
	s := d.sale
	out := []string{
		st.head.Render(fit(fmt.Sprintf(" Receipt %06d · %s · %s · %s", s.Receipt, s.At.In(c.deps.Loc).Format("2006-01-02 15:04"),
			tenderText(s), c.money(s.Due)), w)),
		st.head.Render(fit("     Item", w-7*3-12) + right("Sold", 7) + right("Back", 7) + right("Now", 7) + right("Net", 12)),
	}
	for i, l := range s.Lines {
		mark := "  "
		if i == d.sel {
			mark = "> "
		}
		name := l.Name
		if alt := c.ix.alt(l.SKU); alt != "" {
			name += " " + alt
		}
		now := ""
		if d.want[i] > 0 {
			now = fmt.Sprint(d.want[i])
		}
		row := fit(fmt.Sprintf("%s%2d %s", mark, i+1, name), w-7*3-12) + right(fmt.Sprint(l.Qty), 7) +
			right(fmt.Sprint(d.already[i]), 7) + right(now, 7) + right(c.amount(l.Net), 12)
		if i == d.sel {
			row = st.selected.Render(row)
		}
		out = append(out, row)
	}
	out = append(out, "", fit(fmt.Sprintf(" To refund now: %d item(s). +/- choose per line, a = all left, r = refund, v = void.", d.chosen()), w))
	if len(out) > h {
		out = out[:h]
	}
	return out
}
