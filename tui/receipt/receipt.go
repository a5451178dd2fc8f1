// Package receipt renders money, receipts and reports as plain text, for
// the screen, the command line and receipt files. It measures display
// width, so Chinese names line up.
package receipt

import (
	"fmt"
	"slices"
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
	// QRScheme names the offline EMV QR scheme the shop's codes are for
	// ("UnionPay QR", "PromptPay"), for the receipt; "" says "QR code".
	QRScheme string
}

func rule() string { return strings.Repeat("-", Width) }

// text builds a receipt line by line. A rule is never written twice in a
// row: a section with nothing in it leaves no empty box.
type text struct {
	b        strings.Builder
	lastRule bool
}

func (t *text) raw(s string)     { t.b.WriteString(s + "\n"); t.lastRule = false }
func (t *text) line(l, r string) { t.raw(Pad(l, r, Width)) }
func (t *text) rule() {
	if !t.lastRule {
		t.b.WriteString(rule() + "\n")
		t.lastRule = true
	}
}
func (t *text) String() string { return t.b.String() }

// ProviderName says who took a QR payment in words: "Alipay", "WeChat
// Pay", or for the offline EMV code the shop's scheme.
func ProviderName(provider string, shop Shop) string {
	switch provider {
	case "alipay":
		return "Alipay"
	case "wechat":
		return "WeChat Pay"
	case "emvqr", "":
		if shop.QRScheme != "" {
			return shop.QRScheme
		}
		return "QR code"
	case "paysim":
		return "QR (simulator)"
	case pos.ProviderStatic:
		return "QR (shop's code)"
	}
	return "QR " + provider
}

// discountWords names a discount: "discount 10%" or "discount".
func discountWords(what string, d pos.Discount) string {
	if d.Kind == pos.PercentDiscount {
		return what + " " + d.Percent.String()
	}
	return what
}

// Sale renders a completed sale's receipt. Every amount is on its own
// line and they add up visibly: each line's price less its discount, the
// subtotal of those, less the cart discount (plus tax when prices exclude
// it), is the total.
func Sale(s pos.Sale, shop Shop) string {
	var t text
	cur := shop.Currency
	t.raw(Center(shop.Name, Width))
	t.line(fmt.Sprintf("Receipt %06d", s.Receipt), s.At.In(shop.Loc).Format("2006-01-02 15:04"))
	t.raw("Sale " + s.ID)
	journalLine(&t, s.Journal)
	t.raw("Cashier " + s.Cashier)
	t.rule()
	var subtotal, cartOff pos.Money
	for _, l := range s.Lines {
		t.raw(ansi.Truncate(l.Name, Width, "…"))
		t.line("  "+pos.QtyTimesPrice(l.Qty, l.Unit, Amount(l.UnitPrice, cur)), Amount(l.Gross, cur))
		if l.Overridden() {
			t.raw(fmt.Sprintf("  price set by hand, list %s", Amount(l.ListPrice, cur)))
		}
		if l.LineDiscount != 0 {
			t.line("  "+discountWords("discount", l.Discount), Amount(-l.LineDiscount, cur))
		}
		subtotal += l.Gross - l.LineDiscount
		cartOff += l.CartDiscount
	}
	t.rule()
	t.line("Subtotal", Amount(subtotal, cur))
	if cartOff != 0 {
		t.line(discountWords("Cart discount", s.CartDiscount), Amount(-cartOff, cur))
	}
	if !s.TaxIncluded {
		t.line("Tax", Amount(s.Tax, cur))
	}
	t.line("TOTAL", Money(s.Total, cur))
	if s.Rounding != 0 {
		t.line("Cash rounding", Amount(s.Rounding, cur))
		t.line("TO PAY", Money(s.Due, cur))
	}
	tenders(&t, s.Tenders, shop, "")
	if s.Change != 0 {
		t.line("Change", Amount(s.Change, cur))
	}
	t.rule()
	taxLines(&t, s.Bands, s.TaxIncluded, cur)
	return t.String()
}

// tenders writes how the money was paid (or paid back, with a prefix).
func tenders(t *text, ts []pos.Tender, shop Shop, prefix string) {
	cur := shop.Currency
	for _, td := range ts {
		switch td.Kind {
		case pos.Cash:
			amount := td.Given
			if amount == 0 {
				amount = td.Amount
			}
			t.line(prefix+"Cash", Amount(amount, cur))
		default:
			name := ProviderName(td.Provider, shop)
			if td.Label != "" && td.Provider != "alipay" && td.Provider != "wechat" {
				// The shop's own code names its wallet or scheme: "Alipay
				// (shop's code)", "PromptPay".
				name = td.Label
				if td.Provider == pos.ProviderStatic {
					name += " (shop's code)"
				}
			}
			t.line(prefix+name, Amount(td.Amount, cur))
			if td.ConfirmedBy == pos.ByCashier {
				t.raw("  confirmed by the cashier")
			}
			if td.Reference != "" {
				t.raw(ansi.Truncate("  ref "+td.Reference, Width, "…"))
			}
		}
	}
}

// paidBack says where each part of a refund's money went: "Paid back in
// cash", or "Paid back in Alipay wallet" with the refund's request
// number under it (pos.Tender.RefundedTo).
func paidBack(t *text, ts []pos.Tender, cur pos.Currency) {
	for _, td := range ts {
		to, more, _ := strings.Cut(td.RefundedTo(), ", ")
		t.line("Paid back in "+to, Amount(td.Amount, cur))
		if more != "" {
			t.raw(ansi.Truncate("  "+more, Width, "…"))
		}
	}
}

func taxLines(t *text, bands []pos.TaxBand, included bool, cur pos.Currency) {
	word := "excl."
	if included {
		word = "incl."
	}
	for _, b := range bands {
		t.line(fmt.Sprintf("Tax %s %s on %s", b.Rate, word, Amount(b.Base, cur)), Amount(b.Tax, cur))
	}
}

// RefundBands is the tax given back by a refund, per rate, as a sale's
// bands are: base is the amount before tax.
func RefundBands(r pos.Refund) []pos.TaxBand {
	byRate := map[pos.Rate]*pos.TaxBand{}
	var out []pos.TaxBand
	var order []pos.Rate
	for _, l := range r.Lines {
		b, ok := byRate[l.TaxRate]
		if !ok {
			b = &pos.TaxBand{Rate: l.TaxRate}
			byRate[l.TaxRate] = b
			order = append(order, l.TaxRate)
		}
		b.Base += l.Amount - l.Tax
		b.Tax += l.Tax
	}
	slices.Sort(order)
	for _, rate := range order {
		out = append(out, *byRate[rate])
	}
	return out
}

// Refund renders a refund slip, with the tax given back per rate.
func Refund(r pos.Refund, shop Shop) string {
	var t text
	cur := shop.Currency
	t.raw(Center(shop.Name, Width))
	t.raw(Center(strings.ToUpper(string(r.Kind)), Width))
	t.line(fmt.Sprintf("Receipt %06d", r.Receipt), r.At.In(shop.Loc).Format("2006-01-02 15:04"))
	t.raw("Refund " + r.ID)
	journalLine(&t, r.Journal)
	t.raw("Of sale " + r.SaleID)
	if r.Cashier != "" {
		t.raw("Cashier " + r.Cashier)
	}
	if r.Reason != "" {
		t.raw(ansi.Truncate("Reason: "+r.Reason, Width, "…"))
	}
	t.rule()
	for _, l := range r.Lines {
		t.line(qtyName(l.Name, l.Qty, l.Unit), Amount(-l.Amount, cur))
	}
	t.rule()
	t.line("REFUND", Money(r.Total, cur))
	if r.Rounding != 0 {
		t.line("Cash rounding", Amount(r.Rounding, cur))
	}
	paidBack(&t, r.Tenders, cur)
	t.rule()
	// Refund lines' amounts include their tax whether or not the sale's
	// prices did (tax paid on top goes back too), so the bands are
	// always of tax included in what is paid back.
	taxLines(&t, RefundBands(r), true, cur)
	return t.String()
}

// Report renders an X or Z report.
func Report(r pos.Report, shop Shop) string {
	var t text
	cur := shop.Currency
	title := "X REPORT (day so far, not closed)"
	if r.Kind == pos.ZReport {
		title = fmt.Sprintf("Z REPORT %d (day closed)", r.Number)
	}
	t.raw(Center(shop.Name, Width))
	t.raw(Center(title, Width))
	t.line("Terminal "+r.Terminal, r.TakenAt.In(shop.Loc).Format("2006-01-02 15:04"))
	if r.FirstReceipt > 0 {
		t.line("Receipts", fmt.Sprintf("%06d-%06d", r.FirstReceipt, r.LastReceipt))
	}
	t.rule()
	t.line("Sales", fmt.Sprint(r.Sales))
	t.line("Gross", Amount(r.Gross, cur))
	t.line("Discounts", Amount(-r.Discounts, cur))
	t.line(fmt.Sprintf("Refunds (%d)", r.Refunds), Amount(-r.RefundTotal, cur))
	if r.Rounding != 0 {
		t.line("Cash rounding", Amount(r.Rounding, cur))
	}
	t.line("NET", Money(r.Net, cur))
	t.rule()
	taxLines(&t, r.Taxes, r.TaxIncluded, cur)
	for _, td := range r.Tenders {
		t.line("Tender "+string(td.Kind), Amount(td.Amount, cur))
	}
	t.rule()
	if r.Shift.OpenedAt.IsZero() {
		t.raw("No shift opened (no float counted)")
	} else {
		t.line("Shift opened", r.Shift.OpenedAt.In(shop.Loc).Format("2006-01-02 15:04"))
	}
	t.line("Float", Amount(r.Shift.Float, cur))
	t.line("Cash in", Amount(r.CashIn, cur))
	t.line("Cash out", Amount(-r.CashOut, cur))
	if r.PayIns > 0 {
		t.line(fmt.Sprintf("Paid in (%d)", r.PayIns), Amount(r.PaidIn, cur))
	}
	if r.PayOuts > 0 {
		t.line(fmt.Sprintf("Paid out (%d)", r.PayOuts), Amount(-r.PaidOut, cur))
	}
	if r.NoSales > 0 {
		t.line("Drawer opened, no sale", fmt.Sprint(r.NoSales))
	}
	t.line("Expected in drawer", Money(r.Expected, cur))
	if r.Counted != nil {
		t.line("Counted", Money(*r.Counted, cur))
		t.line("Difference", Money(r.Difference, cur))
	}
	cashierSections(&t, r.Cashiers, cur)
	if len(r.TopGoods) > 0 {
		t.rule()
		t.raw("Top goods")
		for _, g := range r.TopGoods {
			t.line("  "+qtyName(g.Name, g.Qty, g.Unit), Amount(g.Amount, cur))
		}
	}
	return t.String()
}

// Record renders whatever a receipt number stands for: a sale's receipt
// or a refund slip, in full, for the screen to scroll or save.
func Record(r pos.Receipted, shop Shop) string {
	if r.Refund != nil {
		return Refund(*r.Refund, shop)
	}
	if r.Sale != nil {
		return Sale(*r.Sale, shop)
	}
	return ""
}

// Copy marks a receipt, refund slip or report already printed as a
// reprint: "*** COPY ***" and the time the copy was made, at the top and
// the bottom, so a copy never passes for the original (or for a second
// sale). text is what Sale, Refund or Report rendered.
func Copy(text string, made time.Time, shop Shop) string {
	mark := Center("*** COPY ***", Width)
	when := Center("copy made "+made.In(shop.Loc).Format("2006-01-02 15:04:05"), Width)
	return mark + "\n" + when + "\n" + rule() + "\n" + strings.TrimRight(text, "\n") + "\n" + rule() + "\n" + mark + "\n" + when + "\n"
}

// FileName is the name to save a receipt as: "receipt-000007.txt", or
// for a copy "receipt-000007-copy-20261129-140312.txt" so a copy never
// overwrites the original's file.
func FileName(receiptNo uint64, copyMade time.Time, loc *time.Location) string {
	if copyMade.IsZero() {
		return fmt.Sprintf("receipt-%06d.txt", receiptNo)
	}
	return fmt.Sprintf("receipt-%06d-copy-%s.txt", receiptNo, copyMade.In(loc).Format("20060102-150405"))
}

// journalLine prints the record's journal entry and its hash excerpt,
// "Journal 000123 · a3f9", when the store journalled it.
func journalLine(t *text, m pos.JournalMark) {
	if m.Seq == 0 {
		return
	}
	t.raw(fmt.Sprintf("Journal %06d · %s", m.Seq, m.Excerpt))
}

// cashierSections prints a section per cashier of an X or Z report on a
// till with staff: what each sold, gave back, discounted, took out of the
// drawer and the approvals they needed and gave, and the cash expected
// of them (with their count, when they counted). A till without staff
// has one cashier and no sections.
func cashierSections(t *text, cs []pos.CashierTotal, cur pos.Currency) {
	staffed := false
	for _, c := range cs {
		staffed = staffed || c.CashierID != ""
	}
	if !staffed {
		return
	}
	for _, c := range cs {
		t.rule()
		who := fmt.Sprintf("Cashier %s", c.Cashier)
		if c.CashierID != "" {
			who = fmt.Sprintf("Cashier %s (%s)", c.Cashier, c.CashierID)
		}
		t.raw(ansi.Truncate(who, Width, "…"))
		t.line(fmt.Sprintf("  Sales (%d)", c.Sales), Amount(c.SalesAmount, cur))
		if c.Refunds > 0 {
			t.line(fmt.Sprintf("  Refunds (%d)", c.Refunds), Amount(-c.RefundAmount, cur))
		}
		if c.Voids > 0 {
			t.line(fmt.Sprintf("  Voids (%d)", c.Voids), Amount(-c.VoidAmount, cur))
		}
		if c.Discounts != 0 {
			t.line("  Discounts given", Amount(-c.Discounts, cur))
		}
		if c.NoSales > 0 {
			t.line("  Drawer opened, no sale", fmt.Sprint(c.NoSales))
		}
		if c.PaidOut != 0 {
			t.line("  Paid out", Amount(-c.PaidOut, cur))
		}
		if c.Approvals > 0 || c.Approved > 0 {
			t.line("  Approvals needed / given", fmt.Sprintf("%d / %d", c.Approvals, c.Approved))
		}
		if c.Float != 0 {
			t.line("  Float", Amount(c.Float, cur))
		}
		t.line("  Expected cash", Money(c.Expected, cur))
		if c.Counted != nil {
			t.line("  Counted", Money(*c.Counted, cur))
			t.line("  Difference", Money(c.Difference, cur))
		}
	}
}

// qtyName is goods with their quantity: "Cola x3", or "Apple 1.250 kg"
// for goods sold by weight.
func qtyName(name string, q int64, u pos.Unit) string {
	if u.Measured() {
		return name + " " + pos.FormatQtyUnit(q, u)
	}
	return fmt.Sprintf("%s x%d", name, q)
}
