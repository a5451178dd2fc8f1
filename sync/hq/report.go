package hq

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/table"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq/storage"
)

// Row is one line of the chain's report: a terminal, a store's subtotal
// (Terminal empty) or the chain's total (Store empty too), in one
// currency. Amounts are minor units. Net is what sales took less what
// refunds paid back; Tax is net of refunds; Tenders are net of refunds.
type Row struct {
	Store, Terminal, Currency string
	Sales, Refunds, ZReports  int
	Gross, Discounts          pos.Money
	RefundTotal, Rounding     pos.Money
	Net, Tax                  pos.Money
	Tenders                   map[pos.TenderKind]pos.Money
	// PaidIn and PaidOut are cash put in and taken out of drawers
	// outside sales; NoSales counts drawers opened with no sale.
	PaidIn, PaidOut pos.Money
	NoSales         int
}

func (r *Row) add(o Row) {
	r.Sales += o.Sales
	r.Refunds += o.Refunds
	r.ZReports += o.ZReports
	r.Gross += o.Gross
	r.Discounts += o.Discounts
	r.RefundTotal += o.RefundTotal
	r.Rounding += o.Rounding
	r.Net += o.Net
	r.Tax += o.Tax
	r.PaidIn += o.PaidIn
	r.PaidOut += o.PaidOut
	r.NoSales += o.NoSales
	for k, v := range o.Tenders {
		r.Tenders[k] += v
	}
}

// Report is the chain's day: every terminal that recorded anything, each
// store's subtotal and the chain's total, per currency.
type Report struct {
	Day       time.Time // midnight starting the day, in the report's zone
	Terminals []Row
	Stores    []Row
	Chain     []Row
}

type rowKey struct{ store, terminal, currency string }

// BuildReport sums the sales, refunds, Z reports and drawer events head office holds for
// the day containing day, in day's time zone. It reads only that day's
// records.
func BuildReport(ctx context.Context, b storage.Backend, day time.Time) (Report, error) {
	loc := day.Location()
	from, to := pos.Day(day, loc)
	tallies := map[rowKey]*pos.Tally{}
	zs := map[rowKey]int{}
	tally := func(k rowKey) *pos.Tally {
		t := tallies[k]
		if t == nil {
			t = pos.NewTally(pos.XReport, k.terminal, pos.Shift{}, loc)
			tallies[k] = t
		}
		return t
	}
	err := b.Records(ctx, from, to, func(r storage.Record) error {
		k := rowKey{r.Store, r.Terminal, r.Currency}
		switch r.Kind {
		case pos.RecordSale:
			var s pos.Sale
			if err := json.Unmarshal(r.Body, &s); err != nil {
				return fmt.Errorf("sale %s: %w", r.ID, err)
			}
			tally(k).AddSale(s)
		case pos.RecordRefund:
			var f pos.Refund
			if err := json.Unmarshal(r.Body, &f); err != nil {
				return fmt.Errorf("refund %s: %w", r.ID, err)
			}
			tally(k).AddRefund(f)
		case pos.RecordZReport:
			tally(k)
			zs[k]++
		case pos.RecordDrawer:
			var e pos.DrawerEvent
			if err := json.Unmarshal(r.Body, &e); err != nil {
				return fmt.Errorf("drawer event %s: %w", r.ID, err)
			}
			tally(k).AddDrawer(e)
		}
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("report %s: %w", from.Format(time.DateOnly), err)
	}
	rep := Report{Day: from}
	stores := map[rowKey]*Row{}
	chain := map[rowKey]*Row{}
	for k, t := range tallies {
		pr := t.Report(to, 0)
		row := Row{Store: k.store, Terminal: k.terminal, Currency: k.currency, Sales: pr.Sales, Refunds: pr.Refunds,
			ZReports: zs[k], Gross: pr.Gross, Discounts: pr.Discounts, RefundTotal: pr.RefundTotal,
			Rounding: pr.Rounding, Net: pr.Net, Tenders: map[pos.TenderKind]pos.Money{},
			PaidIn: pr.PaidIn, PaidOut: pr.PaidOut, NoSales: pr.NoSales}
		for _, band := range pr.Taxes {
			row.Tax += band.Tax
		}
		for _, td := range pr.Tenders {
			row.Tenders[td.Kind] += td.Amount
		}
		rep.Terminals = append(rep.Terminals, row)
		addTo(stores, rowKey{k.store, "", k.currency}, row)
		addTo(chain, rowKey{"", "", k.currency}, row)
	}
	for _, r := range stores {
		rep.Stores = append(rep.Stores, *r)
	}
	for _, r := range chain {
		rep.Chain = append(rep.Chain, *r)
	}
	for _, rows := range [][]Row{rep.Terminals, rep.Stores, rep.Chain} {
		sort.Slice(rows, func(i, j int) bool {
			a, b := rows[i], rows[j]
			if a.Store != b.Store {
				return a.Store < b.Store
			}
			if a.Terminal != b.Terminal {
				return a.Terminal < b.Terminal
			}
			return a.Currency < b.Currency
		})
	}
	return rep, nil
}

func addTo(m map[rowKey]*Row, k rowKey, row Row) {
	if m[k] == nil {
		m[k] = &Row{Store: k.store, Currency: k.currency, Tenders: map[pos.TenderKind]pos.Money{}}
	}
	m[k].add(row)
}

// tenderKinds lists the tender kinds the report has, in order.
func (r Report) tenderKinds() []pos.TenderKind {
	var ks []pos.TenderKind
	for _, row := range r.Chain {
		for k := range row.Tenders {
			if !slices.Contains(ks, k) {
				ks = append(ks, k)
			}
		}
	}
	slices.Sort(ks)
	return ks
}

func exponent(currency string) int {
	if c, err := pos.LookupCurrency(currency); err == nil {
		return c.Exponent
	}
	return 0
}

// rows lists terminal rows, each store's subtotal after its terminals,
// then the chain's totals, each with its level.
func (r Report) rows() (levels []string, rows []Row) {
	for _, st := range r.Stores {
		for _, t := range r.Terminals {
			if t.Store == st.Store && t.Currency == st.Currency {
				levels, rows = append(levels, "terminal"), append(rows, t)
			}
		}
		levels, rows = append(levels, "store"), append(rows, st)
	}
	for _, c := range r.Chain {
		levels, rows = append(levels, "chain"), append(rows, c)
	}
	return levels, rows
}

// WriteCSV writes the report as CSV, amounts as plain decimals in each
// row's currency: one row per terminal, per store and for the chain.
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	kinds := r.tenderKinds()
	header := []string{"date", "level", "store", "terminal", "currency", "sales", "refunds", "z_reports",
		"gross", "discounts", "refunds_total", "rounding", "net", "tax", "paid_in", "paid_out", "no_sales"}
	for _, k := range kinds {
		header = append(header, "tender_"+string(k))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	date := r.Day.Format(time.DateOnly)
	levels, rows := r.rows()
	for i, row := range rows {
		e := exponent(row.Currency)
		rec := []string{date, levels[i], row.Store, row.Terminal, row.Currency, strconv.Itoa(row.Sales),
			strconv.Itoa(row.Refunds), strconv.Itoa(row.ZReports), row.Gross.Format(e), row.Discounts.Format(e),
			row.RefundTotal.Format(e), row.Rounding.Format(e), row.Net.Format(e), row.Tax.Format(e),
			row.PaidIn.Format(e), row.PaidOut.Format(e), strconv.Itoa(row.NoSales)}
		for _, k := range kinds {
			rec = append(rec, row.Tenders[k].Format(e))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// tenderNames are the tender kinds as the text report heads their
// columns; another kind shows as it is stored.
var tenderNames = map[pos.TenderKind]string{pos.Cash: i18n.N("cash"), pos.QR: i18n.N("qr")}

// WriteText writes the report as a table for a terminal window, in p's
// language, its columns aligned in display cells (a Chinese store name is
// two cells a character).
func (r Report) WriteText(w io.Writer, p *i18n.Printer) error {
	p.Fprintf(w, "Chain report for %s (%s)\n\n", p.LongDay(r.Day), zoneName(r.Day))
	levels, rows := r.rows()
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, p.T("No sales, refunds, Z reports or drawer events recorded for this day."))
		return err
	}
	kinds := r.tenderKinds()
	tw := table.NewWriter(w, 2, true)
	// The header is one key, so its words translate as a row.
	p.Fprintf(tw, "store\tterminal\tcur\tsales\trefunds\tZ\tnet\ttax\trefunded\tpaid in\tpaid out\tno sale\t")
	for _, k := range kinds {
		name := string(k)
		if key, ok := tenderNames[k]; ok {
			name = p.T(key)
		}
		fmt.Fprintf(tw, "%s\t", name)
	}
	fmt.Fprintln(tw)
	for i, row := range rows {
		store, term := row.Store, row.Terminal
		switch levels[i] {
		case "store":
			term = p.T("all")
		case "chain":
			store, term = p.T("chain"), p.T("all")
		}
		e := exponent(row.Currency)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d", store, term, row.Currency, row.Sales, row.Refunds,
			row.ZReports, row.Net.Format(e), row.Tax.Format(e), row.RefundTotal.Format(e),
			row.PaidIn.Format(e), row.PaidOut.Format(e), row.NoSales)
		for _, k := range kinds {
			fmt.Fprintf(tw, "\t%s", row.Tenders[k].Format(e))
		}
		fmt.Fprintln(tw, "\t")
	}
	return tw.Flush()
}

// zoneName names t's time zone for a title: its IANA name when it has
// one, else its abbreviation and offset ("CST, UTC+08:00"), never the
// Go-internal "Local".
func zoneName(t time.Time) string {
	if name := t.Location().String(); name != "Local" && name != "" {
		return name
	}
	abbr, offset := t.Zone()
	utc := "UTC" + t.Format("-07:00")
	if offset == 0 {
		utc = "UTC"
	}
	if abbr == "" || abbr == "UTC" || abbr[0] == '+' || abbr[0] == '-' {
		return utc
	}
	return abbr + ", " + utc
}

// WriteReport builds the chain's report for the day containing day (in
// day's time zone) and writes it to w, as CSV or as a table in p's
// language (CSV is for programs and stays in English).
func WriteReport(ctx context.Context, b storage.Backend, p *i18n.Printer, day time.Time, asCSV bool, w io.Writer) error {
	rep, err := BuildReport(ctx, b, day)
	if err != nil {
		return err
	}
	if asCSV {
		return rep.WriteCSV(w)
	}
	return rep.WriteText(w, p)
}
