package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// history is today's sales, newest first.
type history struct {
	sales []pos.Sale
	sel   int
}

// detail is one sale opened from the history, with the quantities the
// cashier chose to refund per line.
type detail struct {
	sale    pos.Sale
	already map[int]int64 // refunded before
	want    map[int]int64 // to refund now
	sel     int
}

func (d *detail) left(i int) int64 { return d.sale.Lines[i].Qty - d.already[i] }

// remaining is how many units of the sale could still be refunded.
func (d *detail) remaining() int64 {
	var n int64
	for i := range d.sale.Lines {
		n += d.left(i) - d.want[i]
	}
	return n
}

func (d *detail) chosen() int64 {
	var n int64
	for _, q := range d.want {
		n += q
	}
	return n
}

// allLeft reports that nothing of the sale was refunded yet.
func (d *detail) allLeft() bool {
	for _, q := range d.already {
		if q > 0 {
			return false
		}
	}
	return true
}

func (m *Model) historyLoaded(msg historyMsg) tea.Cmd {
	if msg.err != nil {
		m.fail("Could not read today's sales.", msg.err)
		return nil
	}
	s := msg.sales
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	m.hist = history{sales: s}
	m.screen = scrHistory
	m.msg = ""
	return nil
}

func (m *Model) historyKey(k tea.KeyPressMsg) tea.Cmd {
	h := &m.hist
	switch {
	case key.Matches(k, m.keys.Up):
		h.sel = max(0, h.sel-1)
	case key.Matches(k, m.keys.Down):
		h.sel = min(len(h.sales)-1, h.sel+1)
	case key.Matches(k, m.keys.Enter):
		return m.loadSale(h.sales[h.sel].ID)
	case key.Matches(k, m.keys.Back):
		m.goSell()
	}
	return nil
}

func tenderText(s pos.Sale) string {
	var kinds []string
	for _, t := range s.Tenders {
		kinds = append(kinds, string(t.Kind))
	}
	return strings.Join(kinds, "+")
}

func (m *Model) historyView(w, h int) []string {
	from, _ := today(m.d.Now(), m.d.Loc)
	var total pos.Money
	for _, s := range m.hist.sales {
		total += s.Due
	}
	out := []string{
		stHead.Render(fit(fmt.Sprintf(" %s: %s, %s", from.Format("Mon 2 Jan"), count(len(m.hist.sales), "sale", "sales"), m.money(total)), w)),
		stHead.Render(fit("   Receipt  Time   Lines  Tender", w-14) + right("Total", 14)),
	}
	if len(m.hist.sales) == 0 {
		return append(out, stDim.Render("   No sales yet today."))
	}
	rows := h - len(out)
	first := max(0, m.hist.sel-rows+1)
	for i := first; i < len(m.hist.sales) && len(out) < h; i++ {
		s := m.hist.sales[i]
		mark := "  "
		if i == m.hist.sel {
			mark = "> "
		}
		row := fit(fmt.Sprintf("%s %06d  %s  %5d  %s", mark, s.Receipt, s.At.In(m.d.Loc).Format("15:04"),
			len(s.Lines), tenderText(s)), w-14) + right(m.amount(s.Due), 14)
		if i == m.hist.sel {
			row = stSelected.Render(row)
		}
		out = append(out, row)
	}
	return out
}

func (m *Model) detailLoaded(msg saleDetailMsg) tea.Cmd {
	if msg.err != nil {
		m.fail("Could not open that sale.", msg.err)
		return nil
	}
	if msg.refunded == nil {
		msg.refunded = map[int]int64{}
	}
	m.detail = detail{sale: msg.sale, already: msg.refunded, want: map[int]int64{}}
	m.screen = scrSaleDetail
	m.msg = ""
	return nil
}

func (m *Model) detailKey(k tea.KeyPressMsg) tea.Cmd {
	d := &m.detail
	switch {
	case key.Matches(k, m.keys.Up):
		d.sel = max(0, d.sel-1)
	case key.Matches(k, m.keys.Down):
		d.sel = min(len(d.sale.Lines)-1, d.sel+1)
	case key.Matches(k, m.keys.Plus):
		if d.want[d.sel] < d.left(d.sel) {
			d.want[d.sel]++
		}
	case key.Matches(k, m.keys.Minus):
		if d.want[d.sel] > 0 {
			d.want[d.sel]--
		}
	case key.Matches(k, m.keys.All):
		for i := range d.sale.Lines {
			d.want[i] = d.left(i)
		}
	case key.Matches(k, m.keys.Refund):
		m.ask(confirmRefund, fmt.Sprintf("Refund %d item(s) of receipt %06d in cash?", d.chosen(), d.sale.Receipt))
	case key.Matches(k, m.keys.Void):
		m.ask(confirmVoid, fmt.Sprintf("Void the whole of receipt %06d (%s back in cash)?", d.sale.Receipt, m.money(d.sale.Due)))
	case key.Matches(k, m.keys.Back):
		m.screen = scrHistory
		return m.loadHistory()
	}
	return nil
}

func (m *Model) doRefund() tea.Cmd {
	want := map[int]int64{}
	for i, q := range m.detail.want {
		if q > 0 {
			want[i] = q
		}
	}
	return m.refund(m.detail.sale.ID, want, pos.KindRefund, "refund at the counter")
}

func (m *Model) doVoid() tea.Cmd {
	return m.refund(m.detail.sale.ID, nil, pos.KindVoid, "void at the counter")
}

func (m *Model) refundDone(msg refundDoneMsg) tea.Cmd {
	if msg.err != nil {
		m.fail("The refund was NOT saved; pay nothing back. "+shortErr(msg.err), msg.err)
		return nil
	}
	r := msg.r
	m.receiptText = receipt.Refund(r, m.shop())
	m.receiptName = fmt.Sprintf("refund-%06d.txt", r.Receipt)
	m.screen = scrReceipt
	m.info("%s %d saved. PAY BACK %s", strings.ToUpper(string(r.Kind[:1]))+string(r.Kind[1:]), r.Receipt, m.money(r.Tenders[0].Amount))
	skus := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		skus[i] = l.SKU
	}
	return tea.Batch(m.countOutbox(), m.refreshStock(skus))
}

// shortErr keeps the domain's reason for refusals a cashier can act on.
func shortErr(err error) string {
	if errors.Is(err, pos.ErrOverRefund) {
		return "More than was sold would go back."
	}
	return ""
}

func (m *Model) detailView(w, h int) []string {
	d := &m.detail
	s := d.sale
	out := []string{
		stHead.Render(fit(fmt.Sprintf(" Receipt %06d · %s · %s · %s", s.Receipt, s.At.In(m.d.Loc).Format("2006-01-02 15:04"),
			tenderText(s), m.money(s.Due)), w)),
		stHead.Render(fit("     Item", w-7*3-12) + right("Sold", 7) + right("Back", 7) + right("Now", 7) + right("Net", 12)),
	}
	for i, l := range s.Lines {
		mark := "  "
		if i == d.sel {
			mark = "> "
		}
		name := l.Name
		if alt := m.ix.alt(l.SKU); alt != "" {
			name += " " + alt
		}
		now := ""
		if d.want[i] > 0 {
			now = fmt.Sprint(d.want[i])
		}
		row := fit(fmt.Sprintf("%s%2d %s", mark, i+1, name), w-7*3-12) + right(fmt.Sprint(l.Qty), 7) +
			right(fmt.Sprint(d.already[i]), 7) + right(now, 7) + right(m.amount(l.Net), 12)
		if i == d.sel {
			row = stSelected.Render(row)
		}
		out = append(out, row)
	}
	out = append(out, "", fit(fmt.Sprintf(" To refund now: %d item(s). +/- choose per line, a = all left, r = refund, v = void.", d.chosen()), w))
	if len(out) > h {
		out = out[:h]
	}
	return out
}
