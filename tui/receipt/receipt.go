// Package receipt renders money, receipts and reports as plain text, for
// the screen, the command line and receipt files. It measures display
// width, so Chinese names line up.
package receipt

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
)

// Width is the width of a receipt in columns.
const Width = 40

var symbols = map[string]string{"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "SGD": "S$"}

// Money formats an amount for display: "¥12.50", "-¥0.40".
func Money(m pos.Money, cur pos.Currency) string {
	sym, ok := symbols[cur.Code]
	if !ok {
		sym = cur.Code + " "
	}
	if m < 0 {
		return "-" + sym + (-m).Format(cur.Exponent)
	}
	return sym + m.Format(cur.Exponent)
}

// Amount formats an amount without a symbol: "12.50".
func Amount(m pos.Money, cur pos.Currency) string { return m.Format(cur.Exponent) }

// Pad lays out left and right text on one line of width w, truncating
// the left part if they do not fit.
func Pad(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if ansi.StringWidth(left)+rw+1 > w {
		left = ansi.Truncate(left, max(0, w-rw-1), "…")
	}
	return left + strings.Repeat(" ", max(1, w-ansi.StringWidth(left)-rw)) + right
}

// Center centres s in width w.
func Center(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", (w-sw)/2) + s
}

// Shop is what a receipt says about the shop.
type Shop struct {
	Name     string
	Currency pos.Currency
	Loc      *time.Location
}

func rule() string { return strings.Repeat("-", Width) }

// Sale renders a completed sale's receipt.
func Sale(s pos.Sale, shop Shop) string {
	var b strings.Builder
	cur := shop.Currency
	line := func(l, r string) { b.WriteString(Pad(l, r, Width) + "\n") }
	b.WriteString(Center(shop.Name, Width) + "\n")
	line(fmt.Sprintf("Receipt %06d", s.Receipt), s.At.In(shop.Loc).Format("2006-01-02 15:04"))
	b.WriteString("Sale " + s.ID + "\n")
	b.WriteString("Cashier " + s.Cashier + "\n")
	b.WriteString(rule() + "\n")
	for _, l := range s.Lines {
		b.WriteString(ansi.Truncate(l.Name, Width, "…") + "\n")
		line(fmt.Sprintf("  %d x %s", l.Qty, Amount(l.UnitPrice, cur)), Amount(l.Gross, cur))
		if l.LineDiscount != 0 {
			line("  discount", Amount(-l.LineDiscount, cur))
		}
	}
	b.WriteString(rule() + "\n")
	line("Subtotal", Amount(s.Subtotal, cur))
	if s.Discounts != 0 {
		line("Discounts", Amount(-s.Discounts, cur))
	}
	if !s.TaxIncluded {
		line("Tax", Amount(s.Tax, cur))
	}
	line("TOTAL", Money(s.Total, cur))
	if s.Rounding != 0 {
		line("Cash rounding", Amount(s.Rounding, cur))
		line("TO PAY", Money(s.Due, cur))
	}
	for _, t := range s.Tenders {
		switch t.Kind {
		case pos.Cash:
			line("Cash", Amount(t.Given, cur))
		default:
			name := "QR " + t.Provider
			if t.ConfirmedBy == "cashier" {
				name += " (cashier confirmed)"
			}
			line(name, Amount(t.Amount, cur))
		}
	}
	if s.Change != 0 {
		line("Change", Amount(s.Change, cur))
	}
	b.WriteString(rule() + "\n")
	b.WriteString(taxLines(s.Bands, s.TaxIncluded, cur))
	return b.String()
}

func taxLines(bands []pos.TaxBand, included bool, cur pos.Currency) string {
	var b strings.Builder
	word := "excl."
	if included {
		word = "incl."
	}
	for _, t := range bands {
		b.WriteString(Pad(fmt.Sprintf("Tax %s %s on %s", t.Rate, word, Amount(t.Base, cur)), Amount(t.Tax, cur), Width) + "\n")
	}
	return b.String()
}

// Refund renders a refund slip.
func Refund(r pos.Refund, shop Shop) string {
	var b strings.Builder
	cur := shop.Currency
	line := func(l, rt string) { b.WriteString(Pad(l, rt, Width) + "\n") }
	b.WriteString(Center(shop.Name, Width) + "\n")
	b.WriteString(Center(strings.ToUpper(string(r.Kind)), Width) + "\n")
	line(fmt.Sprintf("Receipt %06d", r.Receipt), r.At.In(shop.Loc).Format("2006-01-02 15:04"))
	b.WriteString("Refund " + r.ID + "\n")
	b.WriteString("Of sale " + r.SaleID + "\n")
	b.WriteString(rule() + "\n")
	for _, l := range r.Lines {
		line(fmt.Sprintf("%s x%d", l.Name, l.Qty), Amount(-l.Amount, cur))
	}
	b.WriteString(rule() + "\n")
	line("REFUND", Money(r.Total, cur))
	if r.Rounding != 0 {
		line("Cash rounding", Amount(r.Rounding, cur))
	}
	for _, t := range r.Tenders {
		line("Paid back in "+string(t.Kind), Amount(t.Amount, cur))
	}
	return b.String()
}

// Report renders an X or Z report.
func Report(r pos.Report, shop Shop) string {
	var b strings.Builder
	cur := shop.Currency
	line := func(l, rt string) { b.WriteString(Pad(l, rt, Width) + "\n") }
	title := "X REPORT (day so far, not closed)"
	if r.Kind == pos.ZReport {
		title = fmt.Sprintf("Z REPORT %d (day closed)", r.Number)
	}
	b.WriteString(Center(shop.Name, Width) + "\n")
	b.WriteString(Center(title, Width) + "\n")
	line("Terminal "+r.Terminal, r.TakenAt.In(shop.Loc).Format("2006-01-02 15:04"))
	if r.FirstReceipt > 0 {
		line("Receipts", fmt.Sprintf("%06d-%06d", r.FirstReceipt, r.LastReceipt))
	}
	b.WriteString(rule() + "\n")
	line("Sales", fmt.Sprint(r.Sales))
	line("Gross", Amount(r.Gross, cur))
	line("Discounts", Amount(-r.Discounts, cur))
	line(fmt.Sprintf("Refunds (%d)", r.Refunds), Amount(-r.RefundTotal, cur))
	if r.Rounding != 0 {
		line("Cash rounding", Amount(r.Rounding, cur))
	}
	line("NET", Money(r.Net, cur))
	b.WriteString(rule() + "\n")
	b.WriteString(taxLines(r.Taxes, r.TaxIncluded, cur))
	for _, t := range r.Tenders {
		line("Tender "+string(t.Kind), Amount(t.Amount, cur))
	}
	b.WriteString(rule() + "\n")
	line("Float", Amount(r.Shift.Float, cur))
	line("Cash in", Amount(r.CashIn, cur))
	line("Cash out", Amount(-r.CashOut, cur))
	line("Expected in drawer", Money(r.Expected, cur))
	if r.Counted != nil {
		line("Counted", Money(*r.Counted, cur))
		line("Difference", Money(r.Difference, cur))
	}
	if len(r.TopGoods) > 0 {
		b.WriteString(rule() + "\nTop goods\n")
		for _, g := range r.TopGoods {
			line(fmt.Sprintf("  %s x%d", g.Name, g.Qty), Amount(g.Amount, cur))
		}
	}
	return b.String()
}
