package tui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
)

// cart columns: marker+number, name (the rest), qty, price, total.
const colNo, colQty, colPrice, colTotal = 5, 5, 10, 11

func (s *sellScreen) lineName(l pos.Line) string {
	name := l.Name
	if alt := s.c.ix.Alt(l.SKU); alt != "" && alt != name {
		name += " " + alt
	}
	if l.Discount.Kind != pos.NoDiscount {
		name += " [-" + s.c.discText(l.Discount) + "]"
	}
	if l.Overridden() {
		name += " [list " + s.c.amount(l.ListPrice) + "]"
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
	top = append(top, st.head.Render(fit("  #  Item", colNo+nameW)+right("Qty", colQty)+right("Price", colPrice)+right("Total", colTotal)))

	var bottom []string
	if len(s.sugg) > 0 {
		bottom = append(bottom, s.suggView(w, min(len(s.sugg), max(3, h/4-1)))...)
	}
	if priceErr != nil {
		bottom = append(bottom, st.err.Render(fit("! This cart cannot be priced: check quantities and discounts.", w)))
	}
	bottom = append(bottom, s.totalsView(t, w)...)
	bottom = append(bottom, fit(s.in.view(st, "Scan or type a name: ", true), w))

	rows := max(0, h-len(top)-len(bottom))
	var body []string
	if len(c.cart.Lines) == 0 {
		body = append(body, st.dim.Render(fit("  Cart is empty. Scan goods or type part of a name.", w)))
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
			name = fmt.Sprintf("! stock %s · %s", pos.FormatQty(after, l.Unit), name)
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
	taxLabel := "Tax"
	if c.deps.TaxIncluded {
		taxLabel = "Tax (included)"
	}
	rw := min(34, w)
	row := func(left, label, amt string) string {
		return fit(left, w-rw) + fit(label, rw-14) + right(amt, 14)
	}
	disc := ""
	if c.cart.Discount.Kind != pos.NoDiscount {
		disc = "cart discount " + c.discText(c.cart.Discount)
	}
	return []string{
		st.dim.Render(rule(w)),
		row(" "+count(len(c.cart.Lines), "line", "lines")+", "+count(int(c.cart.Items()), "item", "items"), "Subtotal", c.amount(t.Subtotal)),
		row(" "+disc, "Discounts", c.amount(-t.Discounts)),
		row("", taxLabel, c.amount(t.Tax)),
		st.total.Render(row("", "TOTAL", c.money(t.Total))),
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
	head := "─ " + count(len(s.sugg), "match", "matches") + " (↑↓ pick, enter add) "
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
			stock = "LOW " + stock
		}
	}
	name := p.Name
	if p.AltName != "" {
		name += " " + p.AltName
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
