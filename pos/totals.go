package pos

import (
	"fmt"
	"sort"
)

// PricedLine is a cart line with every amount worked out. Net is what the
// customer pays for the line after both discounts; it includes tax when
// prices include tax and excludes it otherwise.
type PricedLine struct {
	Line
	Gross        Money `json:"gross"`         // Qty x UnitPrice (Line.Extended)
	LineDiscount Money `json:"line_discount"` // from the line's own discount
	CartDiscount Money `json:"cart_discount"` // the line's share of the cart discount
	Net          Money `json:"net"`
	Tax          Money `json:"tax"` // the line's share of its rate's tax
}

// TaxBand is the tax of all lines at one rate.
type TaxBand struct {
	Rate Rate  `json:"rate"`
	Base Money `json:"base"` // amount before tax
	Tax  Money `json:"tax"`
}

// Totals is a priced cart. The sums always agree: the lines' Net add up to
// the total (plus Tax when prices exclude it), the bands' Tax add up to Tax,
// and each band's lines' Tax add up to the band's.
type Totals struct {
	TaxIncluded  bool         `json:"tax_included"`
	Lines        []PricedLine `json:"lines"`
	CartDiscount Discount     `json:"cart_discount,omitzero"`
	Subtotal     Money        `json:"subtotal"`  // sum of Gross
	Discounts    Money        `json:"discounts"` // line and cart discounts
	Tax          Money        `json:"tax"`
	Total        Money        `json:"total"`
	Bands        []TaxBand    `json:"bands"`
}

// Price works out a cart's totals. Tax is computed once per rate on the sum
// of that rate's lines (as a receipt shows it), then spread back over the
// lines by largest remainder, so no cent goes missing between lines, tax
// breakdown and total.
func Price(c Cart, taxIncluded bool) (Totals, error) {
	t := Totals{TaxIncluded: taxIncluded, CartDiscount: c.Discount, Lines: make([]PricedLine, len(c.Lines))}
	after := make([]int64, len(c.Lines))
	var afterSum Money
	for i, l := range c.Lines {
		if !l.Unit.Measured() && (l.Qty <= 0 || l.Qty > MaxQty) {
			return Totals{}, fmt.Errorf("line %d: quantity %d must be 1 to %d", i+1, l.Qty, MaxQty)
		}
		if err := l.CheckQty(); err != nil {
			return Totals{}, fmt.Errorf("line %d: %w", i+1, err)
		}
		if l.UnitPrice < 0 {
			return Totals{}, fmt.Errorf("line %d: negative price", i+1)
		}
		gross, err := l.Extended()
		if err != nil {
			return Totals{}, fmt.Errorf("line %d: %w", i+1, err)
		}
		off, err := l.Discount.Of(gross)
		if err != nil {
			return Totals{}, fmt.Errorf("line %d: %w", i+1, err)
		}
		t.Lines[i] = PricedLine{Line: l, Gross: gross, LineDiscount: off}
		after[i] = int64(gross - off)
		afterSum += gross - off
		t.Subtotal += gross
		if t.Subtotal > MaxAmount {
			return Totals{}, fmt.Errorf("cart total: %w", ErrOverflow)
		}
	}
	cartOff, err := c.Discount.Of(afterSum)
	if err != nil {
		return Totals{}, fmt.Errorf("cart discount: %w", err)
	}
	shares, err := Allocate(cartOff, after)
	if err != nil {
		return Totals{}, err
	}
	byRate := map[Rate][]int{}
	for i := range t.Lines {
		pl := &t.Lines[i]
		pl.CartDiscount = shares[i]
		pl.Net = Money(after[i]) - shares[i]
		t.Discounts += pl.LineDiscount + pl.CartDiscount
		byRate[pl.TaxRate] = append(byRate[pl.TaxRate], i)
	}
	rates := make([]Rate, 0, len(byRate))
	for r := range byRate {
		rates = append(rates, r)
	}
	sort.Slice(rates, func(a, b int) bool { return rates[a] < rates[b] })
	var netSum Money
	for _, r := range rates {
		idx := byRate[r]
		var amount Money
		weights := make([]int64, len(idx))
		for k, i := range idx {
			amount += t.Lines[i].Net
			weights[k] = int64(t.Lines[i].Net)
		}
		var tax Money
		if taxIncluded {
			tax, err = r.TaxIncluded(amount)
		} else {
			tax, err = r.TaxOn(amount)
		}
		if err != nil {
			return Totals{}, err
		}
		lineTax, err := Allocate(tax, weights)
		if err != nil {
			return Totals{}, err
		}
		for k, i := range idx {
			t.Lines[i].Tax = lineTax[k]
		}
		base := amount
		if taxIncluded {
			base = amount - tax
		}
		t.Bands = append(t.Bands, TaxBand{Rate: r, Base: base, Tax: tax})
		t.Tax += tax
		netSum += amount
	}
	t.Total = netSum
	if !taxIncluded {
		t.Total += t.Tax
	}
	return t, nil
}
