package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// historyScreen is today's sales, newest first, each marked with its
// refunds and voids; enter opens one, and a receipt number typed (or a
// receipt's barcode scanned) finds any stored sale or refund.
type historyScreen struct {
	c       *common
	sales   []pos.Sale
	refunds map[string][]pos.Refund // by sale ID
	sel     int
	in      lineInput // a receipt number or scanned sale ID
}

// SalesLog reads stored sales and what was refunded of them.
type SalesLog interface {
	SalesBetween(from, to time.Time) ([]pos.Sale, error)
	Sale(id string) (pos.Sale, error)
	Refunded(saleID string) (map[int]int64, error)
	// RefundsOfSales gives each listed sale's refunds and voids.
	RefundsOfSales(saleIDs []string) (map[string][]pos.Refund, error)
}

// historyMsg is today's sales and their refunds, read; it opens the
// list.
type historyMsg struct {
	sales   []pos.Sale
	refunds map[string][]pos.Refund
	err     error
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
		if err != nil {
			return historyMsg{err: err}
		}
		ids := make([]string, len(s))
		for i, sale := range s {
			ids[i] = sale.ID
		}
		r, err := st.RefundsOfSales(ids)
		return historyMsg{sales: s, refunds: r, err: err}
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
	if c.held == "" {
		c.msg = ""
	}
	if msg.refunds == nil {
		msg.refunds = map[string][]pos.Refund{}
	}
	return &historyScreen{c: c, sales: s, refunds: msg.refunds}, nil
}

func (s *historyScreen) title() string { return s.c.t("Today's sales") }
func (s *historyScreen) typing() bool  { return s.in.value != "" }

type listKeys struct{ up, down, enter, back key.Binding }

func (s *historyScreen) keys() listKeys {
	k := &s.c.keys
	if s.in.value != "" {
		return listKeys{up: on(k.Up, false), down: on(k.Down, false),
			enter: named(k.Enter, "enter", "find receipt"), back: named(k.Back, "esc", "clear")}
	}
	return listKeys{up: on(k.Up, len(s.sales) > 0), down: on(k.Down, len(s.sales) > 0),
		enter: on(k.Enter, len(s.sales) > 0), back: k.Back}
}

func (s *historyScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.up, k.enter, k.back, s.c.keys.help(s.typing())}
}
func (s *historyScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *historyScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case saleDetailMsg:
		return openDetail(s.c, s, msg)
	case foundMsg:
		return found(s.c, s, msg)
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
		if text := s.in.value; text != "" {
			s.in.reset()
			return s, findReceipt(s.c, text)
		}
		return s, loadSale(s.c, s.sales[s.sel].ID)
	case key.Matches(k, keys.back):
		if s.in.value != "" {
			s.in.reset()
			return s, nil
		}
		return newSell(s.c), nil
	default:
		if s.in.key(k) {
			s.c.msg = ""
		}
	}
	return s, nil
}

// refundState is what became of a sale: "" (nothing), "VOID",
// "REFUNDED" (every item back) or "part refund"; back is the money paid
// back for it.
func refundState(sale pos.Sale, refunds []pos.Refund) (state string, back pos.Money) {
	var qty int64
	void := false
	for _, r := range refunds {
		void = void || r.Kind == pos.KindVoid
		for _, t := range r.Tenders {
			back += t.Amount
		}
		for _, l := range r.Lines {
			qty += l.Qty
		}
	}
	var sold int64
	for _, l := range sale.Lines {
		sold += l.Qty
	}
	switch {
	case len(refunds) == 0:
		return "", 0
	case void:
		return i18n.N("VOID"), back
	case qty >= sold:
		return i18n.N("REFUNDED"), back
	}
	return i18n.N("part refund"), back
}

// tenderText names how a sale was paid: "cash", "Alipay+cash".
func (c *common) tenderText(s pos.Sale) string {
	var kinds []string
	for _, t := range s.Tenders {
		if t.Kind == pos.QR {
			kinds = append(kinds, receipt.ProviderName(t.Provider, c.shop()))
			continue
		}
		if t.Kind == pos.Cash {
			kinds = append(kinds, c.t("cash"))
			continue
		}
		kinds = append(kinds, string(t.Kind))
	}
	return strings.Join(kinds, "+")
}

func (s *historyScreen) view(w, h int) []string {
	c, st := s.c, s.c.st
	from, _ := today(c.deps.Now(), c.deps.Loc)
	var total, back pos.Money
	for _, sale := range s.sales {
		total += sale.Due
		_, b := refundState(sale, s.refunds[sale.ID])
		back += b
	}
	head := c.t(" %s: %s, %s", c.p.ShortDay(from), c.p.Plural(len(s.sales), "1 sale", "%d sales"), c.money(total))
	if back != 0 {
		head += c.t(" · paid back %s · net %s", c.money(back), c.money(total-back))
	}
	const amtW, stateW = 10, 12
	tenderW := max(6, w-25-stateW-3*amtW)
	out := []string{
		st.head.Render(fit(head, w)),
		st.head.Render(fit(fit(c.t("   Receipt  Time   Lines"), 25)+fit(c.t("Tender"), tenderW)+fit(c.t("State"), stateW), w-3*amtW) +
			right(c.t("Total"), amtW) + right(c.t("Back"), amtW) + right(c.t("Net"), amtW)),
	}
	input := fit(s.in.view(st, c.t(" Receipt no. or scan a receipt: "), true), w)
	if len(s.sales) == 0 {
		return append(out, st.dim.Render(c.t("   No sales yet today.")), "", input)
	}
	rows := h - len(out) - 1
	first := max(0, s.sel-rows+1)
	for i := first; i < len(s.sales) && len(out) < h-1; i++ {
		sale := s.sales[i]
		mark := "  "
		if i == s.sel {
			mark = "> "
		}
		state, b := refundState(sale, s.refunds[sale.ID])
		backText := ""
		if b != 0 {
			backText = c.amount(-b)
		}
		row := fit(fit(fmt.Sprintf("%s %06d  %s  %5d  ", mark, sale.Receipt, sale.At.In(c.deps.Loc).Format("15:04"),
			len(sale.Lines)), 25)+fit(c.tenderText(sale), tenderW)+fit(c.t(state), stateW), w-3*amtW) +
			right(c.amount(sale.Due), amtW) + right(backText, amtW) + right(c.amount(sale.Due-b), amtW)
		switch {
		case i == s.sel:
			row = st.selected.Render(row)
		case state != "":
			row = st.dim.Render(row)
		}
		out = append(out, row)
	}
	return append(box(out, w, h-1), input)
}
