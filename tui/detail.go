package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/tui/receipt"
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
	// cash: the cashier chose to pay a wallet-paid sale back in cash
	// (a wallet sale goes back to the wallet by default).
	cash bool
	// gate is the refund or void last asked of the register, to retry
	// with a manager's approval if it needs one (approve.go).
	gate *gated
}

// Refunder gives goods back: in cash, or to the wallets that paid.
// *register.Register satisfies it.
type Refunder interface {
	Refund(saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, error)
	RefundToWallet(ctx context.Context, saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, []pos.WalletRefund, error)
}

type (
	saleDetailMsg struct {
		sale     pos.Sale
		refunded map[int]int64
		err      error
	}
	refundDoneMsg struct {
		r     pos.Refund
		parts []pos.WalletRefund // the wallet parts and how far each got
		err   error
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

func (d *detailScreen) title() string { return d.c.t("Sale %06d", d.sale.Receipt) }

// wallet reports whether the sale was paid (in part) through a wallet
// that can take a refund back.
func (d *detailScreen) wallet() bool {
	for _, t := range d.sale.Tenders {
		if pos.WalletTender(t) {
			return true
		}
	}
	return false
}

// toWallet: this refund goes back to the wallet.
func (d *detailScreen) toWallet() bool { return d.wallet() && !d.cash }

// preview works out what a refund of want would pay back and where,
// exactly as the register will (no IO: the sale and what was refunded
// of it are in hand).
func (d *detailScreen) preview(kind pos.RefundKind, want map[int]int64) (pos.Refund, error) {
	c := d.c
	r, err := pos.NewRefund("preview", "", kind, c.deps.Now(), d.sale, d.already, want, c.deps.Currency.CashStep, "")
	if err != nil {
		return r, err
	}
	if d.toWallet() {
		r.ToWallets(d.sale, d.already, c.deps.Currency.CashStep, c.deps.Now())
	}
	return r, nil
}

// backWords says where a refund's money goes: "¥4.52 back to the Alipay
// wallet", "¥2.00 back in cash", or both.
func (c *common) backWords(ts []pos.Tender) string {
	var parts []string
	for _, t := range ts {
		if t.Kind == pos.Cash {
			parts = append(parts, c.t("%s back in cash", c.money(t.Amount)))
			continue
		}
		parts = append(parts, c.t("%s back to the %s wallet", c.money(t.Amount), c.t(receipt.ProviderName(t.Provider, c.shop()))))
	}
	return strings.Join(parts, " + ")
}

// wanted is the chosen quantities, lines with none left out.
func (d *detailScreen) wanted() map[int]int64 {
	want := map[int]int64{}
	for i, q := range d.want {
		if q > 0 {
			want[i] = q
		}
	}
	return want
}

func (d *detailScreen) left(i int) int64 { return d.sale.Lines[i].Qty - d.already[i] }

// remaining is how many units of the sale could still be refunded.
func (d *detailScreen) remaining() int64 {
	var n int64
	for i := range d.sale.Lines {
		n += d.left(i) - d.want[i]
	}
	return n
}

// chosen counts the items chosen for refund: pieces, and one for each
// line of weighed goods with some of it chosen.
func (d *detailScreen) chosen() int64 {
	var n int64
	for i, q := range d.want {
		switch {
		case q <= 0:
		case d.sale.Lines[i].Unit.Measured():
			n++
		default:
			n += q
		}
	}
	return n
}

// setWant takes a typed refund quantity of the selected line, in the
// line's unit (a weight like 0.5 for weighed goods).
func (d *detailScreen) setWant(text string) (tea.Cmd, string) {
	i := d.sel
	l := d.sale.Lines[i]
	q, err := pos.ParseQty(text, l.Unit)
	if err != nil {
		if l.Unit.Measured() {
			return nil, d.c.t("Type the weight to refund in %s, like 0.5, up to %s.", l.Unit.Symbol(), pos.FormatQtyUnit(d.left(i), l.Unit))
		}
		return nil, d.c.t("Type a whole number up to %d.", d.left(i))
	}
	if q > d.left(i) {
		return nil, d.c.t("Only %s of %s is left to refund.", pos.FormatQtyUnit(d.left(i), l.Unit), d.c.nameOf(l.SKU, l.Name))
	}
	d.want[i] = q
	d.c.info("Refund %s of %s.", pos.FormatQtyUnit(q, l.Unit), d.c.nameOf(l.SKU, l.Name))
	return nil, ""
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

type detailKeys struct{ up, down, plus, minus, qty, all, refund, void, cash, receipt, back key.Binding }

func (d *detailScreen) keys() detailKeys {
	k := &d.c.keys
	left := d.remaining()
	// Weighed goods are refunded by a typed weight (f2), pieces one by one.
	pieces := d.sel < len(d.sale.Lines) && !d.sale.Lines[d.sel].Unit.Measured()
	selLeft := d.sel < len(d.sale.Lines) && d.left(d.sel) > 0
	cash := named(k.CashBack, "c", "pay back in cash")
	if d.cash {
		cash = named(k.CashBack, "c", "back to the wallet")
	}
	return detailKeys{
		up:      k.Up,
		down:    k.Down,
		plus:    on(named(k.Plus, "+", "refund one more"), left > 0 && pieces),
		minus:   on(k.Minus, d.chosen() > 0 && pieces),
		qty:     on(named(k.Qty, "f2", "refund how much"), selLeft && !pieces),
		all:     on(named(k.All, "a", "all left"), left > 0),
		refund:  on(k.Refund, d.chosen() > 0),
		void:    on(k.Void, len(d.already) == 0 || d.allLeft()),
		cash:    on(cash, d.wallet() && (left > 0 || d.chosen() > 0)),
		receipt: named(k.Receipt, "p", "receipt"),
		back:    k.Back,
	}
}

func (d *detailScreen) ShortHelp() []key.Binding {
	k := d.keys()
	return []key.Binding{k.up, k.plus, k.minus, k.qty, k.all, k.refund, k.void, k.cash, k.receipt, k.back, d.c.keys.Help}
}
func (d *detailScreen) FullHelp() [][]key.Binding { return fullHelp(d.ShortHelp(), d.c.keys.Quit) }

func (d *detailScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case refundDoneMsg:
		if d.c.refused(d.gate, msg.err) {
			return d, nil
		}
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
	case key.Matches(k, keys.qty):
		l := d.sale.Lines[d.sel]
		c.askLine(c.t("Refund how much of %s (0-%s):", c.nameOf(l.SKU, l.Name), pos.FormatQtyUnit(d.left(d.sel), l.Unit)), d.setWant)
	case key.Matches(k, keys.all):
		for i := range d.sale.Lines {
			d.want[i] = d.left(i)
		}
	case key.Matches(k, keys.refund):
		want := d.wanted()
		r, err := d.preview(pos.KindRefund, want)
		if err != nil {
			c.fail("That refund does not work: %s", nil, c.p.ErrorText(err, i18n.DomainErrors))
			return d, nil
		}
		c.askYes(c.t("Refund %d item(s) of receipt %06d: %s. Go ahead?", d.chosen(),
			d.sale.Receipt, c.backWords(r.Tenders)), func() tea.Cmd {
			return d.refund(want, pos.KindRefund, "refund at the counter")
		})
	case key.Matches(k, keys.void):
		r, err := d.preview(pos.KindVoid, pos.Remaining(d.sale, d.already))
		if err != nil {
			c.fail("That void does not work: %s", nil, c.p.ErrorText(err, i18n.DomainErrors))
			return d, nil
		}
		c.askYes(c.t("Void the whole of receipt %06d: %s. Go ahead?", d.sale.Receipt, c.backWords(r.Tenders)), func() tea.Cmd {
			return d.refund(nil, pos.KindVoid, "void at the counter")
		})
	case key.Matches(k, keys.cash):
		d.cash = !d.cash
		if d.cash {
			c.info("This refund is paid back in cash, not to the wallet.")
		} else {
			c.info("This refund goes back to the wallet that paid.")
		}
	case key.Matches(k, keys.receipt):
		return openRecord(c, d, pos.Receipted{Receipt: d.sale.Receipt, Sale: &d.sale}), nil
	case key.Matches(k, keys.back):
		if _, ok := d.back.(*historyScreen); ok {
			return d.back, loadHistory(c)
		}
		return d.back, nil
	}
	return d, nil
}

func (d *detailScreen) refund(want map[int]int64, kind pos.RefundKind, reason string, approvals ...staff.Approval) tea.Cmd {
	var sl Refunder = d.c.deps.Seller
	id, ctx, wallet := d.sale.ID, d.c.deps.Ctx, d.toWallet()
	refund, toWallet := sl.Refund, sl.RefundToWallet
	if d.c.people.on && d.c.deps.Staff != nil {
		var st Staff = d.c.deps.Staff
		refund = func(saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, error) {
			return st.RefundWith(saleID, want, kind, reason, approvals)
		}
		// The register checks a wallet refund before anything is stored
		// or sent: one above the cashier's limit opens the prompt.
		toWallet = func(ctx context.Context, saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, []pos.WalletRefund, error) {
			return st.RefundToWalletWith(ctx, saleID, want, kind, reason, approvals)
		}
		d.gate = d.refundGate(want, kind, reason)
	}
	return d.c.work(func() tea.Msg {
		if wallet {
			r, parts, err := toWallet(ctx, id, want, kind, reason)
			return refundDoneMsg{r: r, parts: parts, err: err}
		}
		r, err := refund(id, want, kind, reason)
		return refundDoneMsg{r: r, err: err}
	})
}

func (d *detailScreen) view(w, h int) []string {
	c, st := d.c, d.c.st
	s := d.sale
	state := ""
	switch {
	case d.allLeft():
	case d.remaining()+d.chosen() == 0:
		state = c.t(" · ALL REFUNDED")
	default:
		state = c.t(" · part refunded")
	}
	top := []string{
		// What became of the sale first: on a narrow screen the time
		// is what is cut.
		st.head.Render(fit(c.t(" Receipt %06d%s · %s · %s · %s", s.Receipt, state, c.money(s.Due),
			c.tenderText(s), s.At.In(c.deps.Loc).Format("2006-01-02 15:04")), w)),
		st.head.Render(fit(c.t("     Item"), w-7*3-12) + right(c.t("Sold"), 7) + right(c.t("Back"), 7) + right(c.t("Now"), 7) + right(c.t("Net"), 12)),
	}
	// What the cashier must read, wrapped, never cut.
	hint := c.t("To refund now: %d item(s).", d.chosen())
	if d.chosen() > 0 {
		if r, err := d.preview(pos.KindRefund, d.wanted()); err == nil {
			hint = c.t("To refund now: %d item(s), %s.", d.chosen(), c.backWords(r.Tenders))
		}
	} else if d.remaining() > 0 {
		hint += c.t(" + and - choose per line, a all left.")
	}
	lines := []string{" " + hint}
	switch {
	case d.wallet() && d.cash:
		lines = append(lines, c.t(" Paid back in cash (the cashier chose it); c for the wallet."))
	case d.wallet():
		lines = append(lines, c.t(" Paid back to the wallet that paid; c for cash instead."))
	}
	bottom := append([]string{""}, wrap(lines, w)...)
	rows := max(1, h-len(top)-len(bottom))
	first := max(0, d.sel-rows+1)
	var body []string
	for i := first; i < len(s.Lines) && len(body) < rows; i++ {
		l := s.Lines[i]
		mark := "  "
		if i == d.sel {
			mark = "> "
		}
		name, alt := i18n.Names(c.p.Lang(), l.Name, c.ix.Alt(l.SKU))
		if alt != "" {
			name += " " + alt
		}
		now := ""
		if d.want[i] > 0 {
			now = pos.FormatQty(d.want[i], l.Unit)
		}
		row := fit(fmt.Sprintf("%s%2d %s", mark, i+1, name), w-7*3-12) + right(pos.FormatQty(l.Qty, l.Unit), 7) +
			right(pos.FormatQty(d.already[i], l.Unit), 7) + right(now, 7) + right(c.amount(l.Net), 12)
		if i == d.sel {
			row = st.selected.Render(row)
		}
		body = append(body, row)
	}
	out := append(append(top, body...), bottom...)
	if len(out) > h {
		out = out[:h]
	}
	return out
}
