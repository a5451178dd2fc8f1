package pos

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Check and its kin are the invariants of a record that need no other
// record: the terminal runs them before it stores a sale or refund, and
// head office runs the same ones on what it receives, so a terminal never
// keeps what head office would refuse.

// Check checks that a sale is whole: its ID is a ULID of its terminal,
// its time is plausible, and its amounts agree with each other the way
// Price and Settle make them.
func (s Sale) Check() error {
	if err := CheckOwnID(s.ID, s.Terminal); err != nil {
		return err
	}
	if err := plausible(s.At); err != nil {
		return err
	}
	if err := s.checkTotals(); err != nil {
		return fmt.Errorf("totals do not add up: %w", err)
	}
	return nil
}

// Check checks that a refund is whole: its own ID and its sale's are of
// its terminal, its kind is known, its time is plausible and its lines
// add up to what was paid back.
func (f Refund) Check() error {
	if err := CheckOwnID(f.ID, f.Terminal); err != nil {
		return err
	}
	if err := CheckOwnID(f.SaleID, f.Terminal); err != nil {
		return fmt.Errorf("refunded sale: %w", err)
	}
	if f.Kind != KindRefund && f.Kind != KindVoid {
		return fmt.Errorf("unknown refund kind %q", f.Kind)
	}
	if err := plausible(f.At); err != nil {
		return err
	}
	if err := f.checkTotals(); err != nil {
		return fmt.Errorf("totals do not add up: %w", err)
	}
	return nil
}

// plausible refuses a time a clock could not have given: the year 1 of a
// zero time, or one beyond what a ULID or RFC 3339 holds.
func plausible(at time.Time) error {
	if at.Year() < 2000 || at.Year() > 9999 {
		return fmt.Errorf("time %s out of range", at.Format(time.RFC3339))
	}
	return nil
}

// sum adds amounts, keeping the first that is out of range (beyond
// MaxAmount either way) or makes the sum overflow.
type sum struct {
	V   Money
	Err error
}

// Add adds m unless an earlier amount failed.
func (s *sum) Add(m Money) {
	if s.Err != nil {
		return
	}
	if err := InRange(m); err != nil {
		s.Err = err
		return
	}
	if (m > 0 && s.V > math.MaxInt64-m) || (m < 0 && s.V < math.MinInt64-m) {
		s.Err = errors.New("amounts overflow")
		return
	}
	s.V += m
}

// InRange checks that every amount is within MaxAmount either way.
func InRange(ms ...Money) error {
	for _, m := range ms {
		if m > MaxAmount || m < -MaxAmount {
			return fmt.Errorf("amount %d out of range", m)
		}
	}
	return nil
}

func firstErr(sums ...*sum) error {
	for _, x := range sums {
		if x.Err != nil {
			return x.Err
		}
	}
	return nil
}

// checkTotals: each line's gross is its quantity times its price and its
// net is the gross less its discounts; the lines add up to the subtotal,
// discounts, tax and total; the tax bands add up to the tax; the tenders
// cover exactly what was due.
func (s Sale) checkTotals() error {
	if len(s.Lines) == 0 {
		return errors.New("no lines")
	}
	if err := InRange(s.Subtotal, s.Discounts, s.Tax, s.Total, s.Rounding, s.Due, s.Change); err != nil {
		return err
	}
	var gross, disc, net, lineTax, bandTax, paid sum
	for i, l := range s.Lines {
		if err := l.CheckQty(); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
		if err := InRange(l.UnitPrice, l.Gross, l.LineDiscount, l.CartDiscount, l.Net, l.Tax); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
		if l.ListPrice < 0 || l.ListPrice > MaxAmount || (l.ListPrice != 0 && l.LabelAmount != 0) {
			return fmt.Errorf("line %d: list price %d out of place", i+1, l.ListPrice)
		}
		if g, err := l.Extended(); err != nil || g != l.Gross {
			return fmt.Errorf("line %d: gross %d is not %d x %d", i+1, l.Gross, l.Qty, l.UnitPrice)
		}
		if l.Net != l.Gross-l.LineDiscount-l.CartDiscount {
			return fmt.Errorf("line %d: net %d is not gross %d less discounts %d and %d", i+1, l.Net, l.Gross, l.LineDiscount, l.CartDiscount)
		}
		gross.Add(l.Gross)
		disc.Add(l.LineDiscount)
		disc.Add(l.CartDiscount)
		net.Add(l.Net)
		lineTax.Add(l.Tax)
	}
	for _, b := range s.Bands {
		bandTax.Add(b.Tax)
	}
	for _, t := range s.Tenders {
		if t.Amount < 0 {
			return errors.New("negative tender")
		}
		paid.Add(t.Amount)
	}
	if err := firstErr(&gross, &disc, &net, &lineTax, &bandTax, &paid); err != nil {
		return err
	}
	total := net.V
	if !s.TaxIncluded {
		total += s.Tax
	}
	switch {
	case gross.V != s.Subtotal:
		return fmt.Errorf("lines' gross add up to %d, subtotal is %d", gross.V, s.Subtotal)
	case disc.V != s.Discounts:
		return fmt.Errorf("lines' discounts add up to %d, discounts are %d", disc.V, s.Discounts)
	case lineTax.V != s.Tax || bandTax.V != s.Tax:
		return fmt.Errorf("tax is %d, lines add up to %d and bands to %d", s.Tax, lineTax.V, bandTax.V)
	case total != s.Total:
		return fmt.Errorf("lines add up to %d, total is %d", total, s.Total)
	case s.Total+s.Rounding != s.Due:
		return fmt.Errorf("due %d is not total %d plus rounding %d", s.Due, s.Total, s.Rounding)
	case paid.V != s.Due:
		return fmt.Errorf("tenders add up to %d, due is %d", paid.V, s.Due)
	}
	return nil
}

// checkTotals: the lines add up to the total and tax, and what was paid
// back is the total plus its cash rounding.
func (f Refund) checkTotals() error {
	if len(f.Lines) == 0 {
		return errors.New("no lines")
	}
	if err := InRange(f.Total, f.Tax, f.Rounding); err != nil {
		return err
	}
	var amount, tax, paid sum
	for i, l := range f.Lines {
		if l.Qty <= 0 {
			return fmt.Errorf("line %d: quantity %d", i+1, l.Qty)
		}
		amount.Add(l.Amount)
		tax.Add(l.Tax)
	}
	for _, t := range f.Tenders {
		paid.Add(t.Amount)
	}
	if err := firstErr(&amount, &tax, &paid); err != nil {
		return err
	}
	switch {
	case amount.V != f.Total:
		return fmt.Errorf("lines add up to %d, total is %d", amount.V, f.Total)
	case tax.V != f.Tax:
		return fmt.Errorf("lines' tax adds up to %d, tax is %d", tax.V, f.Tax)
	case paid.V != f.Total+f.Rounding:
		return fmt.Errorf("paid back %d, total %d plus rounding %d", paid.V, f.Total, f.Rounding)
	}
	return nil
}

// CheckZ checks a Z report as head office receives it: it is a Z, its
// time is plausible and its tax bands add up without overflow.
func (r Report) CheckZ() error {
	if r.Kind != ZReport {
		return fmt.Errorf("report kind %q, want Z", r.Kind)
	}
	if err := plausible(r.TakenAt); err != nil {
		return err
	}
	if err := r.checkCash(); err != nil {
		return fmt.Errorf("drawer cash does not add up: %w", err)
	}
	_, err := r.TaxTotal()
	return err
}

// checkCash: the drawer's figures are in range, the counts not negative,
// expected cash is float + cash in - cash out + paid in - paid out, and
// the difference is counted - expected.
func (r Report) checkCash() error {
	if r.PayIns < 0 || r.PayOuts < 0 || r.NoSales < 0 || r.PaidIn < 0 || r.PaidOut < 0 {
		return errors.New("negative pay-in, pay-out or no-sale figures")
	}
	var exp sum
	for _, m := range []Money{r.Shift.Float, r.CashIn, -r.CashOut, r.PaidIn, -r.PaidOut} {
		exp.Add(m)
	}
	if exp.Err != nil {
		return exp.Err
	}
	if exp.V != r.Expected {
		return fmt.Errorf("expected cash %d, float and cash in and out add up to %d", r.Expected, exp.V)
	}
	if r.Counted != nil {
		if err := CheckCounted(*r.Counted); err != nil {
			return err
		}
		if *r.Counted-r.Expected != r.Difference {
			return fmt.Errorf("difference %d is not counted %d less expected %d", r.Difference, *r.Counted, r.Expected)
		}
	}
	return nil
}

// TaxTotal adds up the tax of the report's bands.
func (r Report) TaxTotal() (Money, error) {
	var tax sum
	for _, b := range r.Taxes {
		tax.Add(b.Tax)
	}
	return tax.V, tax.Err
}
