package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
)

// cart columns: marker+number, name (the rest), qty, price, total.
const colNo, colQty, colPrice, colTotal = 5, 5, 10, 11

func (m *Model) lineName(l pos.Line) string {
	name := l.Name
	if alt := m.ix.alt(l.SKU); alt != "" && alt != name {
		name += " " + alt
	}
	if l.Discount.Kind != pos.NoDiscount {
		name += " [-" + m.discText(l.Discount) + "]"
	}
	return name
}

func (m *Model) sellView(w, h int) []string {
	// Cart edits are checked as they are made, so pricing cannot fail
	// here; if it did, the totals would say so (View writes no log).
	t, priceErr := pos.Price(m.cart, m.d.TaxIncluded)
	nameW := max(8, w-colNo-colQty-colPrice-colTotal)
	var top []string
	top = append(top, stHead.Render(fit("  #  Item", colNo+nameW)+right("Qty", colQty)+right("Price", colPrice)+right("Total", colTotal)))

	var bottom []string
	if len(m.sugg) > 0 {
		bottom = append(bottom, m.suggView(w, min(len(m.sugg), max(3, h/4-1)))...)
	}
	if priceErr != nil {
		bottom = append(bottom, stError.Render(fit("! This cart cannot be priced: check quantities and discounts.", w)))
	}
	bottom = append(bottom, m.totalsView(t, w)...)
	if m.prompt != nil {
		bottom = append(bottom, m.promptView(w))
	} else {
		bottom = append(bottom, fit(m.input.view("Scan or type a name: ", m.screen == scrSell), w))
	}

	rows := max(0, h-len(top)-len(bottom))
	var body []string
	if len(m.cart.Lines) == 0 {
		body = append(body, stDim.Render(fit("  Cart is empty. Scan goods or type part of a name.", w)))
	}
	first := 0
	if m.line >= rows {
		first = m.line - rows + 1
	}
	for i := first; i < len(m.cart.Lines) && len(body) < rows; i++ {
		var pl pos.PricedLine
		if i < len(t.Lines) {
			pl = t.Lines[i]
		}
		l := m.cart.Lines[i]
		mark := "  "
		if i == m.line {
			mark = "> "
		}
		row := fit(fmt.Sprintf("%s%2d ", mark, i+1), colNo) + fit(m.lineName(l), nameW) +
			right(fmt.Sprint(l.Qty), colQty) + right(m.amount(l.UnitPrice), colPrice) +
			right(m.amount(pl.Gross-pl.LineDiscount), colTotal)
		if i == m.line {
			row = stSelected.Render(row)
		}
		body = append(body, row)
	}
	return append(append(top, box(body, w, rows)...), bottom...)
}

func (m *Model) totalsView(t pos.Totals, w int) []string {
	taxLabel := "Tax"
	if m.d.TaxIncluded {
		taxLabel = "Tax (included)"
	}
	rw := min(34, w)
	row := func(left, label, amt string) string {
		return fit(left, w-rw) + fit(label, rw-14) + right(amt, 14)
	}
	disc := ""
	if m.cart.Discount.Kind != pos.NoDiscount {
		disc = "cart discount " + m.discText(m.cart.Discount)
	}
	return []string{
		stDim.Render(rule(w)),
		row(" "+count(len(m.cart.Lines), "line", "lines")+", "+count(int(m.cart.Items()), "item", "items"), "Subtotal", m.amount(t.Subtotal)),
		row(" "+disc, "Discounts", m.amount(-t.Discounts)),
		row("", taxLabel, m.amount(t.Tax)),
		stTotal.Render(row("", "TOTAL", m.money(t.Total))),
	}
}

// suggView lists search matches above the input, the highlighted one
// marked with '>' (and coloured where colour works).
func (m *Model) suggView(w, n int) []string {
	first := 0
	if m.sel >= n {
		first = m.sel - n + 1
	}
	head := "─ " + count(len(m.sugg), "match", "matches") + " (↑↓ pick, enter add) "
	out := []string{stDim.Render(fit(head+rule(w-ansi.StringWidth(head)), w))}
	for i := first; i < len(m.sugg) && i < first+n; i++ {
		out = append(out, m.goodsRow(m.ix.goods[m.sugg[i]], i == m.sel, w))
	}
	return out
}

// goodsRow shows one product: name and alt name, SKU, price, stock.
func (m *Model) goodsRow(p pos.Product, sel bool, w int) string {
	mark := "  "
	if sel {
		mark = "> "
	}
	stock := ""
	if p.TrackStock {
		stock = fmt.Sprint(p.Stock)
		if p.LowStock() {
			stock = "LOW " + stock
		}
	}
	name := p.Name
	if p.AltName != "" {
		name += " " + p.AltName
	}
	row := mark + fit(name, max(8, w-2-10-11-9)) + fit(" "+p.SKU, 10) + right(m.amount(p.Price), 11) + right(stock, 9)
	if sel {
		return stSelected.Render(row)
	}
	if p.LowStock() {
		return stWarn.Render(row)
	}
	return row
}

func joinLines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }
