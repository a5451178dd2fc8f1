package hq

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/wire"
)

// A record head office refuses is answered with a reason and never stored;
// the terminal sets it aside and carries on with the rest. The checks are
// the ones that need no other record: the body is what its kind says, it
// belongs to the pushing terminal, and its amounts add up.

// record checks one pushed record and turns it into what storage keeps.
func record(t storage.Terminal, currency string, r wire.Record) (storage.Record, error) {
	if !validID(r.ID) {
		return storage.Record{}, fmt.Errorf("bad record id %q", r.ID)
	}
	out := storage.Record{Kind: r.Kind, ID: r.ID, Store: t.Store, Terminal: t.ID, Currency: currency, Body: r.Body}
	var err error
	switch r.Kind {
	case pos.RecordSale:
		err = saleRecord(t.ID, currency, r, &out)
	case pos.RecordRefund:
		err = refundRecord(t.ID, r, &out)
	case pos.RecordZReport:
		err = zRecord(t.ID, r, &out)
	default:
		err = fmt.Errorf("unknown kind %q", r.Kind)
	}
	return out, err
}

func validID(id string) bool {
	return id != "" && len(id) <= 128 && strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r >= 0x7f }) < 0
}

// ownID checks a sale or refund ID: a ULID followed by "-TERMINAL".
func ownID(id, terminal string) error {
	if !strings.HasSuffix(id, "-"+terminal) {
		return fmt.Errorf("id %s is not of terminal %s", id, terminal)
	}
	if _, err := pos.SaleTime(id); err != nil || len(id) != 26+1+len(terminal) {
		return fmt.Errorf("id %s is not a ULID followed by the terminal", id)
	}
	return nil
}

func decodeBody(r wire.Record, v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("body is not a %s: %v", r.Kind, err)
	}
	return nil
}

func plausible(at time.Time) error {
	if at.Year() < 2000 || at.Year() > 9999 {
		return fmt.Errorf("time %s out of range", at.Format(time.RFC3339))
	}
	return nil
}

func saleRecord(terminal, currency string, r wire.Record, out *storage.Record) error {
	var s pos.Sale
	if err := decodeBody(r, &s); err != nil {
		return err
	}
	if s.ID != r.ID {
		return fmt.Errorf("body is sale %s, record says %s", s.ID, r.ID)
	}
	if s.Terminal != terminal {
		return fmt.Errorf("sale of terminal %q, credential is for %s", s.Terminal, terminal)
	}
	if err := ownID(s.ID, terminal); err != nil {
		return err
	}
	if s.Currency != currency {
		return fmt.Errorf("sale in %q, terminal sells in %s", s.Currency, currency)
	}
	if err := plausible(s.At); err != nil {
		return err
	}
	if err := checkSale(s); err != nil {
		return fmt.Errorf("totals do not add up: %w", err)
	}
	out.At, out.Total, out.Tax = s.At, s.Due, s.Tax
	return nil
}

func refundRecord(terminal string, r wire.Record, out *storage.Record) error {
	var f pos.Refund
	if err := decodeBody(r, &f); err != nil {
		return err
	}
	if f.ID != r.ID {
		return fmt.Errorf("body is refund %s, record says %s", f.ID, r.ID)
	}
	if f.Terminal != terminal {
		return fmt.Errorf("refund of terminal %q, credential is for %s", f.Terminal, terminal)
	}
	if err := ownID(f.ID, terminal); err != nil {
		return err
	}
	if err := ownID(f.SaleID, terminal); err != nil {
		return fmt.Errorf("refunded sale: %w", err)
	}
	if f.Kind != pos.KindRefund && f.Kind != pos.KindVoid {
		return fmt.Errorf("unknown refund kind %q", f.Kind)
	}
	if err := plausible(f.At); err != nil {
		return err
	}
	if err := checkRefund(f); err != nil {
		return fmt.Errorf("totals do not add up: %w", err)
	}
	out.At, out.Total, out.Tax = f.At, f.Total+f.Rounding, f.Tax
	return nil
}

func zRecord(terminal string, r wire.Record, out *storage.Record) error {
	var z pos.Report
	if err := decodeBody(r, &z); err != nil {
		return err
	}
	if z.Kind != pos.ZReport {
		return fmt.Errorf("report kind %q, want Z", z.Kind)
	}
	if z.Terminal != terminal {
		return fmt.Errorf("report of terminal %q, credential is for %s", z.Terminal, terminal)
	}
	if want := fmt.Sprintf("Z%d-%s", z.Number, terminal); r.ID != want {
		return fmt.Errorf("Z report %d has id %s, want %s", z.Number, r.ID, want)
	}
	if err := plausible(z.TakenAt); err != nil {
		return err
	}
	var tax sum
	for _, b := range z.Taxes {
		tax.add(b.Tax)
	}
	if tax.err != nil {
		return tax.err
	}
	out.At, out.Total, out.Tax = z.TakenAt, z.Net, tax.v
	return nil
}

// sum adds amounts, noting the first that is out of range or overflows.
type sum struct {
	v   pos.Money
	err error
}

func (s *sum) add(m pos.Money) {
	if s.err != nil {
		return
	}
	if m > pos.MaxAmount || m < -pos.MaxAmount {
		s.err = fmt.Errorf("amount %d out of range", m)
		return
	}
	if (m > 0 && s.v > math.MaxInt64-m) || (m < 0 && s.v < math.MinInt64-m) {
		s.err = errors.New("amounts overflow")
		return
	}
	s.v += m
}

func inRange(ms ...pos.Money) error {
	for _, m := range ms {
		if m > pos.MaxAmount || m < -pos.MaxAmount {
			return fmt.Errorf("amount %d out of range", m)
		}
	}
	return nil
}

// checkSale checks that a sale's amounts agree with each other the way
// pos.Price and pos.Settle make them: each line's gross is its quantity
// times its price and its net is the gross less its discounts; the lines
// add up to the subtotal, discounts, tax and total; the tax bands add up
// to the tax; the tenders cover exactly what was due.
func checkSale(s pos.Sale) error {
	if len(s.Lines) == 0 {
		return errors.New("no lines")
	}
	if err := inRange(s.Subtotal, s.Discounts, s.Tax, s.Total, s.Rounding, s.Due, s.Change); err != nil {
		return err
	}
	var gross, disc, net, lineTax, bandTax, paid sum
	for i, l := range s.Lines {
		if err := l.CheckQty(); err != nil {
			return fmt.Errorf("line %d: quantity %d: %w", i+1, l.Qty, err)
		}
		if err := inRange(l.UnitPrice, l.Gross, l.LineDiscount, l.CartDiscount, l.Net, l.Tax); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
		if g, err := l.Extended(); err != nil || g != l.Gross {
			return fmt.Errorf("line %d: gross %d is not %s x %d", i+1, l.Gross, l.QtyText(), l.UnitPrice)
		}
		if l.Net != l.Gross-l.LineDiscount-l.CartDiscount {
			return fmt.Errorf("line %d: net %d is not gross %d less discounts %d and %d", i+1, l.Net, l.Gross, l.LineDiscount, l.CartDiscount)
		}
		gross.add(l.Gross)
		disc.add(l.LineDiscount)
		disc.add(l.CartDiscount)
		net.add(l.Net)
		lineTax.add(l.Tax)
	}
	for _, b := range s.Bands {
		bandTax.add(b.Tax)
	}
	for _, t := range s.Tenders {
		if t.Amount < 0 {
			return errors.New("negative tender")
		}
		paid.add(t.Amount)
	}
	for _, x := range []*sum{&gross, &disc, &net, &lineTax, &bandTax, &paid} {
		if x.err != nil {
			return x.err
		}
	}
	total := net.v
	if !s.TaxIncluded {
		total += s.Tax
	}
	switch {
	case gross.v != s.Subtotal:
		return fmt.Errorf("lines' gross add up to %d, subtotal is %d", gross.v, s.Subtotal)
	case disc.v != s.Discounts:
		return fmt.Errorf("lines' discounts add up to %d, discounts are %d", disc.v, s.Discounts)
	case lineTax.v != s.Tax || bandTax.v != s.Tax:
		return fmt.Errorf("tax is %d, lines add up to %d and bands to %d", s.Tax, lineTax.v, bandTax.v)
	case total != s.Total:
		return fmt.Errorf("lines add up to %d, total is %d", total, s.Total)
	case s.Total+s.Rounding != s.Due:
		return fmt.Errorf("due %d is not total %d plus rounding %d", s.Due, s.Total, s.Rounding)
	case paid.v != s.Due:
		return fmt.Errorf("tenders add up to %d, due is %d", paid.v, s.Due)
	}
	return nil
}

// checkRefund checks that a refund's lines add up to its total and tax
// and that what was paid back is the total plus its cash rounding.
func checkRefund(f pos.Refund) error {
	if len(f.Lines) == 0 {
		return errors.New("no lines")
	}
	if err := inRange(f.Total, f.Tax, f.Rounding); err != nil {
		return err
	}
	var amount, tax, paid sum
	for i, l := range f.Lines {
		if l.Qty <= 0 {
			return fmt.Errorf("line %d: quantity %d", i+1, l.Qty)
		}
		amount.add(l.Amount)
		tax.add(l.Tax)
	}
	for _, t := range f.Tenders {
		paid.add(t.Amount)
	}
	for _, x := range []*sum{&amount, &tax, &paid} {
		if x.err != nil {
			return x.err
		}
	}
	switch {
	case amount.v != f.Total:
		return fmt.Errorf("lines add up to %d, total is %d", amount.v, f.Total)
	case tax.v != f.Tax:
		return fmt.Errorf("lines' tax adds up to %d, tax is %d", tax.v, f.Tax)
	case paid.v != f.Total+f.Rounding:
		return fmt.Errorf("paid back %d, total %d plus rounding %d", paid.v, f.Total, f.Rounding)
	}
	return nil
}
