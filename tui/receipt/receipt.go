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
	"github.com/tillpos/till/i18n"
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
	// P speaks the receipt's language (receipt_language); nil is English.
	P *i18n.Printer
	// Second, for a bilingual receipt (receipt_language = "zh+en"), is the
	// second language: each goods line's name in it follows on the next
	// line.
	Second i18n.Lang
	// Alt is the goods' second name by SKU (the catalog's alt name), so a
	// line is named in the reader's language; nil when there is none.
	Alt func(sku string) string
}

// names is a goods line's name in the receipt's language and, on a
// bilingual receipt, in the second one ("" if the same or unknown).
func (s Shop) names(sku, name string) (first, second string) {
	alt := ""
	if s.Alt != nil {
		alt = s.Alt(sku)
	}
	first, second = i18n.Names(s.P.Lang(), name, alt)
	if s.Second == "" {
		second = ""
	}
	return first, second
}

// when is a receipt's time: "2026年12月1日 14:05" in Chinese, else
// "2026-12-01 14:05".
func (s Shop) when(t time.Time) string { return s.P.DateTime(t.In(s.Loc)) }

// cut shortens s to w cells: "…" is two cells wide on a Chinese printer
// and terminal, so a Chinese receipt cuts with "..".
func (s Shop) cut(str string, w int) string {
	if s.P.Lang() == i18n.English {
		return ansi.Truncate(str, w, "…")
	}
	return ansi.Truncate(str, w, "..")
}

// goods writes a line's name (and, bilingual, its second name) on lines
// of their own.
func (t *text) goods(shop Shop, sku, name string) {
	first, second := shop.names(sku, name)
	t.raw(shop.cut(first, Width))
	if second != "" {
		t.raw(shop.cut("  "+second, Width))
	}
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
// Pay", or for the offline EMV code the shop's scheme. The words are
// catalog keys: a screen translates them as it shows them, a receipt as
// it prints them (providerWords).
func ProviderName(provider string, shop Shop) string {
	switch provider {
	case "alipay":
		return i18n.N("Alipay")
	case "wechat":
		return i18n.N("WeChat Pay")
	case "emvqr", "":
		if shop.QRScheme != "" {
			return shop.QRScheme
		}
		return i18n.N("QR code")
	case "paysim":
		return i18n.N("QR (simulator)")
	case pos.ProviderStatic:
		return i18n.N("QR (shop's code)")
	}
	return "QR " + provider
}

// providerWords is ProviderName in the receipt's language.
func providerWords(provider string, shop Shop) string {
	return shop.P.T(ProviderName(provider, shop))
}

// discountWords names a discount: "discount 10%" or "discount"; what is
// a catalog key.
func discountWords(shop Shop, what string, d pos.Discount) string {
	if d.Kind == pos.PercentDiscount {
		return shop.P.T(what) + " " + d.Percent.String()
	}
	return shop.P.T(what)
}

// Sale renders a completed sale's receipt. Every amount is on its own
// line and they add up visibly: each line's price less its discount, the
// subtotal of those, less the cart discount (plus tax when prices exclude
// it), is the total.
func Sale(s pos.Sale, shop Shop) string {
	var t text
	cur, p := shop.Currency, shop.P
	t.raw(Center(shop.Name, Width))
	t.line(p.T("Receipt %06d", s.Receipt), shop.when(s.At))
	t.raw(p.T("Sale %s", s.ID))
	journalLine(&t, shop, s.Journal)
	t.raw(p.T("Cashier %s", s.Cashier))
	t.rule()
	var subtotal, cartOff pos.Money
	for _, l := range s.Lines {
		t.goods(shop, l.SKU, l.Name)
		t.line("  "+pos.QtyTimesPrice(l.Qty, l.Unit, Amount(l.UnitPrice, cur)), Amount(l.Gross, cur))
		if l.Overridden() {
			t.raw(shop.P.T("  price set by hand, list %s", Amount(l.ListPrice, cur)))
		}
		if l.LineDiscount != 0 {
			t.line("  "+discountWords(shop, i18n.N("discount"), l.Discount), Amount(-l.LineDiscount, cur))
		}
		subtotal += l.Gross - l.LineDiscount
		cartOff += l.CartDiscount
	}
	t.rule()
	t.line(p.T("Subtotal"), Amount(subtotal, cur))
	if cartOff != 0 {
		t.line(discountWords(shop, i18n.N("Cart discount"), s.CartDiscount), Amount(-cartOff, cur))
	}
	if !s.TaxIncluded {
		t.line(p.T("Tax"), Amount(s.Tax, cur))
	}
	t.line(p.T("TOTAL"), Money(s.Total, cur))
	if s.Rounding != 0 {
		t.line(p.T("Cash rounding"), Amount(s.Rounding, cur))
		t.line(p.T("TO PAY"), Money(s.Due, cur))
	}
	tenders(&t, s.Tenders, shop)
	if s.Change != 0 {
		t.line(p.T("Change"), Amount(s.Change, cur))
	}
	t.rule()
	taxLines(&t, shop, s.Bands, s.TaxIncluded)
	return t.String()
}

// tenders writes how the money was paid.
func tenders(t *text, ts []pos.Tender, shop Shop) {
	cur, p := shop.Currency, shop.P
	for _, td := range ts {
		switch td.Kind {
		case pos.Cash:
			amount := td.Given
			if amount == 0 {
				amount = td.Amount
			}
			t.line(p.T("Cash"), Amount(amount, cur))
		default:
			name := providerWords(td.Provider, shop)
			if td.Label != "" && td.Provider != "alipay" && td.Provider != "wechat" {
				// The shop's own code names its wallet or scheme: "Alipay
				// (shop's code)", "PromptPay".
				name = td.Label
				if td.Provider == pos.ProviderStatic {
					name = shop.P.T("%s (shop's code)", name)
				}
			}
			t.line(name, Amount(td.Amount, cur))
			if td.ConfirmedBy == pos.ByCashier {
				t.raw(p.T("  confirmed by the cashier"))
			}
			if td.Reference != "" {
				t.raw(shop.cut(p.T("  ref %s", td.Reference), Width))
			}
		}
	}
}

// paidBack says where each part of a refund's money went: "Paid back in
// cash", or "Paid back in Alipay wallet" with the refund's request
// number under it (pos.Tender.RefundedTo).
func paidBack(t *text, shop Shop, ts []pos.Tender) {
	cur, p := shop.Currency, shop.P
	for _, td := range ts {
		switch {
		case td.Kind == pos.Cash:
			t.line(p.T("Paid back in cash"), Amount(td.Amount, cur))
		default:
			t.line(p.T("Paid back in %s wallet", providerWords(td.Provider, shop)), Amount(td.Amount, cur))
			if td.Reference != "" {
				t.raw(shop.cut(p.T("  refund %s", td.Reference), Width))
			}
		}
	}
}

func taxLines(t *text, shop Shop, bands []pos.TaxBand, included bool) {
	cur, p := shop.Currency, shop.P
	for _, b := range bands {
		label := p.T("Tax %s excl. on %s", b.Rate, Amount(b.Base, cur))
		if included {
			label = p.T("Tax %s incl. on %s", b.Rate, Amount(b.Base, cur))
		}
		t.line(label, Amount(b.Tax, cur))
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
	cur, p := shop.Currency, shop.P
	t.raw(Center(shop.Name, Width))
	kind := p.T("REFUND")
	if r.Kind == pos.KindVoid {
		kind = p.T("VOID")
	}
	t.raw(Center(kind, Width))
	t.line(p.T("Receipt %06d", r.Receipt), shop.when(r.At))
	t.raw(p.T("Refund %s", r.ID))
	journalLine(&t, shop, r.Journal)
	t.raw(p.T("Of sale %s", r.SaleID))
	if r.Cashier != "" {
		t.raw(p.T("Cashier %s", r.Cashier))
	}
	if r.Reason != "" {
		t.raw(shop.cut(p.T("Reason: %s", r.Reason), Width))
	}
	t.rule()
	for _, l := range r.Lines {
		first, second := shop.names(l.SKU, l.Name)
		t.line(qtyName(first, l.Qty, l.Unit), Amount(-l.Amount, cur))
		if second != "" {
			t.raw(shop.cut("  "+second, Width))
		}
	}
	t.rule()
	t.line(p.T("REFUND"), Money(r.Total, cur))
	if r.Rounding != 0 {
		t.line(p.T("Cash rounding"), Amount(r.Rounding, cur))
	}
	paidBack(&t, shop, r.Tenders)
	t.rule()
	// Refund lines' amounts include their tax whether or not the sale's
	// prices did (tax paid on top goes back too), so the bands are
	// always of tax included in what is paid back.
	taxLines(&t, shop, RefundBands(r), true)
	return t.String()
}

// Report renders an X or Z report.
func Report(r pos.Report, shop Shop) string {
	var t text
	cur, p := shop.Currency, shop.P
	title := p.T("X REPORT (day so far, not closed)")
	if r.Kind == pos.ZReport {
		title = p.T("Z REPORT %d (day closed)", r.Number)
	}
	t.raw(Center(shop.Name, Width))
	t.raw(Center(title, Width))
	t.line(p.T("Terminal %s", r.Terminal), shop.when(r.TakenAt))
	if r.FirstReceipt > 0 {
		t.line(p.T("Receipts"), fmt.Sprintf("%06d-%06d", r.FirstReceipt, r.LastReceipt))
	}
	t.rule()
	t.line(p.T("Sales"), fmt.Sprint(r.Sales))
	t.line(p.T("Gross"), Amount(r.Gross, cur))
	t.line(p.T("Discounts"), Amount(-r.Discounts, cur))
	t.line(p.T("Refunds (%d)", r.Refunds), Amount(-r.RefundTotal, cur))
	if r.Rounding != 0 {
		t.line(p.T("Cash rounding"), Amount(r.Rounding, cur))
	}
	t.line(p.T("NET"), Money(r.Net, cur))
	t.rule()
	taxLines(&t, shop, r.Taxes, r.TaxIncluded)
	for _, td := range r.Tenders {
		t.line(p.T("Tender %s", tenderWords(shop, td.Kind)), Amount(td.Amount, cur))
	}
	t.rule()
	if r.Shift.OpenedAt.IsZero() {
		t.raw(p.T("No shift opened (no float counted)"))
	} else {
		t.line(p.T("Shift opened"), shop.when(r.Shift.OpenedAt))
	}
	t.line(p.T("Float"), Amount(r.Shift.Float, cur))
	t.line(p.T("Cash in"), Amount(r.CashIn, cur))
	t.line(p.T("Cash out"), Amount(-r.CashOut, cur))
	if r.PayIns > 0 {
		t.line(p.T("Paid in (%d)", r.PayIns), Amount(r.PaidIn, cur))
	}
	if r.PayOuts > 0 {
		t.line(p.T("Paid out (%d)", r.PayOuts), Amount(-r.PaidOut, cur))
	}
	if r.NoSales > 0 {
		t.line(p.T("Drawer opened, no sale"), fmt.Sprint(r.NoSales))
	}
	t.line(p.T("Expected in drawer"), Money(r.Expected, cur))
	if r.Counted != nil {
		t.line(p.T("Counted"), Money(*r.Counted, cur))
		t.line(p.T("Difference"), Money(r.Difference, cur))
	}
	cashierSections(&t, shop, r.Cashiers)
	if len(r.TopGoods) > 0 {
		t.rule()
		t.raw(p.T("Top goods"))
		for _, g := range r.TopGoods {
			name, _ := shop.names(g.SKU, g.Name)
			t.line("  "+qtyName(name, g.Qty, g.Unit), Amount(g.Amount, cur))
		}
	}
	return t.String()
}

// tenderWords names a kind of tender in the receipt's language.
func tenderWords(shop Shop, k pos.TenderKind) string {
	switch k {
	case pos.Cash:
		return shop.P.T("cash")
	case pos.QR:
		return shop.P.T("qr")
	}
	return string(k)
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
	mark := Center(shop.P.T("*** COPY ***"), Width)
	when := Center(shop.P.T("copy made %s", made.In(shop.Loc).Format("2006-01-02 15:04:05")), Width)
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
func journalLine(t *text, shop Shop, m pos.JournalMark) {
	if m.Seq == 0 {
		return
	}
	t.raw(shop.P.T("Journal %06d · %s", m.Seq, m.Excerpt))
}

// cashierSections prints a section per cashier of an X or Z report on a
// till with staff: what each sold, gave back, discounted, took out of the
// drawer and the approvals they needed and gave, and the cash expected
// of them (with their count, when they counted). A till without staff
// has one cashier and no sections.
func cashierSections(t *text, shop Shop, cs []pos.CashierTotal) {
	cur, p := shop.Currency, shop.P
	staffed := false
	for _, c := range cs {
		staffed = staffed || c.CashierID != ""
	}
	if !staffed {
		return
	}
	for _, c := range cs {
		t.rule()
		who := p.T("Cashier %s", c.Cashier)
		if c.CashierID != "" {
			who = p.T("Cashier %s (%s)", c.Cashier, c.CashierID)
		}
		t.raw(shop.cut(who, Width))
		t.line(p.T("  Sales (%d)", c.Sales), Amount(c.SalesAmount, cur))
		if c.Refunds > 0 {
			t.line(p.T("  Refunds (%d)", c.Refunds), Amount(-c.RefundAmount, cur))
		}
		if c.Voids > 0 {
			t.line(p.T("  Voids (%d)", c.Voids), Amount(-c.VoidAmount, cur))
		}
		if c.Discounts != 0 {
			t.line(p.T("  Discounts given"), Amount(-c.Discounts, cur))
		}
		if c.NoSales > 0 {
			t.line(p.T("  Drawer opened, no sale"), fmt.Sprint(c.NoSales))
		}
		if c.PaidOut != 0 {
			t.line(p.T("  Paid out"), Amount(-c.PaidOut, cur))
		}
		if c.Approvals > 0 || c.Approved > 0 {
			t.line(p.T("  Approvals needed / given"), fmt.Sprintf("%d / %d", c.Approvals, c.Approved))
		}
		if c.Float != 0 {
			t.line(p.T("  Float"), Amount(c.Float, cur))
		}
		t.line(p.T("  Expected cash"), Money(c.Expected, cur))
		if c.Counted != nil {
			t.line(p.T("  Counted"), Money(*c.Counted, cur))
			t.line(p.T("  Difference"), Money(c.Difference, cur))
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
