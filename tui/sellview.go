package tui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
)

// cart columns: marker+number, name (the rest), qty, price, total.
const colNo, colQty, colPrice, colTotal = 5, 5, 10, 11

func (s *sellScreen) lineName(l pos.Line) string {
	name, alt := i18n.Names(s.c.p.Lang(), l.Name, s.c.ix.Alt(l.SKU))
	if alt != "" {
		name += " " + alt
	}
	if l.Discount.Kind != pos.NoDiscount {
		name += " [-" + s.c.discText(l.Discount) + "]"
	}
	if l.Overridden() {
		name += s.c.t(" [list %s]", s.c.amount(l.ListPrice))
	}
	return name
}

// belowZero reports that the cart takes this line's goods below zero
// stock on record.
func (s *sellScreen) belowZero(l pos.Line) (int64, bool) {
	p, ok := s.c.ix.BySKU(l.SKU)
	if !ok {
		return 0, false
	}
	after, ok := s.c.stockAfter(p)
	return after, ok && after < 0
}

func (s *sellScreen) view(w, h int) []string {
	c, st := s.c, s.c.st
	// Cart edits are checked as they are made, so pricing cannot fail
	// here; if it did, the totals would say so (View writes no log).
	t, priceErr := pos.Price(c.cart, c.deps.TaxIncluded)
	// The quantity column widens for weighed goods ("1.250 kg").
	colQty := colQty
	for _, l := range c.cart.Lines {
		colQty = max(colQty, ansi.StringWidth(l.QtyText())+1)
	}
	nameW := max(8, w-colNo-colQty-colPrice-colTotal)
	var top []string
	top = append(top, st.head.Render(fit(c.t("  #  Item"), colNo+nameW)+right(c.t("Qty"), colQty)+right(c.t("Price"), colPrice)+right(c.t("Total"), colTotal)))

	var bottom []string
	if len(s.sugg) > 0 {
		bottom = append(bottom, s.suggView(w, min(len(s.sugg), max(3, h/4-1)))...)
	}
	if priceErr != nil {
		bottom = append(bottom, st.err.Render(fit(c.t("! This cart cannot be priced: check quantities and discounts."), w)))
	}
	bottom = append(bottom, s.totalsView(t, w)...)
	bottom = append(bottom, fit(s.in.view(st, c.t("Scan or type a name: "), true), w))

	rows := max(0, h-len(top)-len(bottom))
	var body []string
	if len(c.cart.Lines) == 0 {
		body = append(body, st.dim.Render(fit(c.t("  Cart is empty. Scan goods or type part of a name."), w)))
	}
	first := 0
	if c.line >= rows {
		first = c.line - rows + 1
	}
	for i := first; i < len(c.cart.Lines) && len(body) < rows; i++ {
		var pl pos.PricedLine
		if i < len(t.Lines) {
			pl = t.Lines[i]
		}
		l := c.cart.Lines[i]
		mark := "  "
		if i == c.line {
			mark = "> "
		}
		name := s.lineName(l)
		after, below := s.belowZero(l)
		if below {
			// Said on the line itself: the stock goes below zero.
			name = c.t("! stock %s · %s", pos.FormatQty(after, l.Unit), name)
		}
		row := fit(fmt.Sprintf("%s%2d ", mark, i+1), colNo) + fit(name, nameW) +
			right(l.QtyText(), colQty) + right(c.amount(l.UnitPrice), colPrice) +
			right(c.amount(pl.Gross-pl.LineDiscount), colTotal)
		switch {
		case i == c.line:
			row = st.selected.Render(row)
		case below:
			row = st.warn.Render(row)
		}
		body = append(body, row)
	}
	return append(append(top, box(body, w, rows)...), bottom...)
}

func (s *sellScreen) totalsView(t pos.Totals, w int) []string {
	c, st := s.c, s.c.st
	taxLabel := c.t("Tax")
	if c.deps.TaxIncluded {
		taxLabel = c.t("Tax (included)")
	}
	rw := min(34, w)
	row := func(left, label, amt string) string {
		return fit(left, w-rw) + fit(label, rw-14) + right(amt, 14)
	}
	disc := ""
	if c.cart.Discount.Kind != pos.NoDiscount {
		disc = c.t("cart discount %s", c.discText(c.cart.Discount))
	}
	return []string{
		st.dim.Render(rule(w)),
		row(" "+c.t("%s, %s", c.p.Plural(len(c.cart.Lines), "1 line", "%d lines"), c.p.Plural(int(c.cart.Items()), "1 item", "%d items")), c.t("Subtotal"), c.amount(t.Subtotal)),
		row(" "+disc, c.t("Discounts"), c.amount(-t.Discounts)),
		row("", taxLabel, c.amount(t.Tax)),
		st.total.Render(row("", c.t("TOTAL"), c.money(t.Total))),
	}
}

// suggView lists search matches above the input, the highlighted one
// marked with '>' (and coloured where colour works).
func (s *sellScreen) suggView(w, n int) []string {
	c, st := s.c, s.c.st
	first := 0
	if s.sel >= n {
		first = s.sel - n + 1
	}
	head := c.t("─ %s (↑↓ pick, enter add) ", c.p.Plural(len(s.sugg), "1 match", "%d matches"))
	out := []string{st.dim.Render(fit(head+rule(w-ansi.StringWidth(head)), w))}
	for i := first; i < len(s.sugg) && i < first+n; i++ {
		out = append(out, c.goodsRow(c.ix.Product(s.sugg[i]), i == s.sel, w))
	}
	return out
}

// goodsRow shows one product: name and alt name, SKU, price, stock.
func (c *common) goodsRow(p pos.Product, sel bool, w int) string {
	st := c.st
	mark := "  "
	if sel {
		mark = "> "
	}
	stock := ""
	if p.TrackStock {
		stock = pos.FormatQty(p.Stock, p.Unit)
		if p.LowStock() {
			stock = c.t("LOW %s", stock)
		}
	}
	name, alt := i18n.Names(c.p.Lang(), p.Name, p.AltName)
	if alt != "" {
		name += " " + alt
	}
	price := c.amount(p.Price)
	if p.Unit.Measured() {
		price += "/" + p.Unit.Symbol() // 12.00/kg
	}
	row := mark + fit(name, max(8, w-2-10-11-9)) + fit(" "+p.SKU, 10) + right(price, 11) + right(stock, 9)
	if sel {
		return st.selected.Render(row)
	}
	if p.LowStock() {
		return st.warn.Render(row)
	}
	return row
}
