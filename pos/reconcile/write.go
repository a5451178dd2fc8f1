package reconcile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/table"
	"github.com/tillpos/till/pos"
)

// WriteText writes the result for a person, in p's language: the
// problems first, each in words saying what it means for the money, then
// the totals per provider and day.
func WriteText(w io.Writer, r Result, exponent int, loc *time.Location, p *i18n.Printer) error {
	if loc == nil {
		loc = time.UTC
	}
	amt := func(m pos.Money) string {
		if m < 0 {
			return "-" + (-m).Format(exponent)
		}
		return m.Format(exponent)
	}
	at := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04:05") }
	orderNo := func(e Entry) string {
		if e.OrderNo == "" {
			return ""
		}
		return p.T(" order %s", e.OrderNo)
	}
	p.Fprintf(w, "Matched: %d\n", len(r.Matched))
	if len(r.Mismatched) > 0 {
		p.Fprintf(w, "\nAmounts that differ (%d): the same order, another amount\n", len(r.Mismatched))
		for _, m := range r.Mismatched {
			p.Fprintf(w, "  %s order %s: Till %s, statement %s (line %d)\n", m.Till.Provider, m.Till.OrderNo, amt(m.Till.Amount), amt(m.Statement.Amount), m.Statement.Line)
		}
	}
	if len(r.TillOnly) > 0 {
		p.Fprintf(w, "\nIn Till only (%d): confirmed at the counter, never arrived\n", len(r.TillOnly))
		for _, e := range r.TillOnly {
			p.Fprintf(w, "  %s receipt %06d %s %s %s%s\n", at(e.At), e.Receipt, e.Provider, amt(e.Amount), e.SaleID, orderNo(e))
		}
	}
	if len(r.StatementOnly) > 0 {
		p.Fprintf(w, "\nIn the statement only (%d): paid at the provider but not sold, a refund is owed\n", len(r.StatementOnly))
		for _, e := range r.StatementOnly {
			p.Fprintf(w, "  line %d %s %s %s%s\n", e.Line, at(e.At), e.Provider, amt(e.Amount), orderNo(e))
		}
	}
	// Padded in display cells: the Chinese headings are two a character.
	row := func(day, provider, till, stmt, diff string) {
		fmt.Fprintf(w, "%s  %s  %s  %s  %s\n", table.Left(day, 10), table.Left(provider, 8), table.Right(till, 12), table.Right(stmt, 12), table.Right(diff, 12))
	}
	fmt.Fprintln(w)
	row(p.T("Day"), p.T("Provider"), "Till", p.T("Statement"), p.T("Difference"))
	for _, t := range r.Totals {
		row(t.Day, t.Provider, amt(t.Till), amt(t.Statement), amt(t.Till-t.Statement))
	}
	if r.Clean() {
		p.Fprintf(w, "\nEvery payment in Till is in the statement and every payment in the statement is in Till.\n")
	}
	return nil
}

// WriteCSV writes one row per entry for an accountant: its outcome
// (matched, mismatch, till_only, statement_only), both sides' amounts and
// identifiers. Amounts are decimal strings in major units.
func WriteCSV(w io.Writer, r Result, exponent int, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	cw := csv.NewWriter(w)
	amt := func(e *Entry) string {
		if e == nil {
			return ""
		}
		if e.Amount < 0 {
			return "-" + (-e.Amount).Format(exponent)
		}
		return e.Amount.Format(exponent)
	}
	row := func(outcome string, t, s *Entry) {
		var rec [11]string
		rec[0] = outcome
		if t != nil {
			rec[1], rec[2], rec[3], rec[4], rec[5] = t.Provider, t.At.In(loc).Format(time.RFC3339), t.SaleID, strconv.Itoa(t.Receipt), t.OrderNo
		}
		rec[6] = amt(t)
		if s != nil {
			if rec[1] == "" {
				rec[1] = s.Provider
			}
			rec[7], rec[8], rec[9] = s.At.In(loc).Format(time.RFC3339), s.Reference, strconv.Itoa(s.Line)
			if rec[5] == "" {
				rec[5] = s.OrderNo
			}
		}
		rec[10] = amt(s)
		cw.Write(rec[:])
	}
	cw.Write([]string{"outcome", "provider", "till_time", "sale_id", "receipt", "order_no", "till_amount", "statement_time", "reference", "statement_line", "statement_amount"})
	for _, m := range r.Matched {
		row("matched", &m.Till, &m.Statement)
	}
	for _, m := range r.Mismatched {
		row("mismatch", &m.Till, &m.Statement)
	}
	for _, e := range r.TillOnly {
		row("till_only", &e, nil)
	}
	for _, e := range r.StatementOnly {
		row("statement_only", nil, &e)
	}
	cw.Flush()
	return cw.Error()
}
