package pos

import (
	"errors"
	"fmt"
	"strings"
)

// MaxQty bounds the quantity of one line: a scanner's digits typed into a
// quantity field must not sell a million tins.
const MaxQty = 9999

// DiscountKind says how a discount is expressed.
type DiscountKind string

const (
	NoDiscount      DiscountKind = ""
	AmountDiscount  DiscountKind = "amount"
	PercentDiscount DiscountKind = "percent"
)

// Discount is a reduction of a line or of the whole cart.
type Discount struct {
	Kind    DiscountKind `json:"kind,omitempty"`
	Amount  Money        `json:"amount,omitempty"`  // for AmountDiscount
	Percent Rate         `json:"percent,omitempty"` // for PercentDiscount, in basis points
}

// ParseDiscount reads a discount as a cashier or a script types it:
// "10%" is a percentage, "5.00" an amount, "" or "0" no discount.
func ParseDiscount(s string, exponent int) (Discount, error) {
	s = normalizeAmount(s)
	if s == "" || s == "0" {
		return Discount{}, nil
	}
	if strings.HasSuffix(s, "%") {
		r, err := ParseRate(s)
		if err != nil {
			return Discount{}, err
		}
		return Discount{Kind: PercentDiscount, Percent: r}, nil
	}
	a, err := ParseMoney(s, exponent)
	if err != nil {
		return Discount{}, fmt.Errorf("discount: %w (or a percentage like 10%%)", err)
	}
	return Discount{Kind: AmountDiscount, Amount: a}, nil
}

// Of returns the discount off an amount, never more than the amount.
func (d Discount) Of(m Money) (Money, error) {
	var off Money
	switch d.Kind {
	case NoDiscount:
		return 0, nil
	case AmountDiscount:
		if d.Amount < 0 {
			return 0, errors.New("negative discount")
		}
		off = d.Amount
	case PercentDiscount:
		if d.Percent < 0 || d.Percent > RateScale {
			return 0, fmt.Errorf("discount %s out of range", d.Percent)
		}
		var err error
		if off, err = d.Percent.Percent(m); err != nil {
			return 0, err
		}
	default:
		return 0, fmt.Errorf("unknown discount kind %q", d.Kind)
	}
	return min(off, m), nil
}

// Line is one line of a cart: goods, quantity, and the price and tax rate
// captured when the goods were added.
type Line struct {
	SKU       string   `json:"sku"`
	Name      string   `json:"name"`
	Qty       int64    `json:"qty"`
	UnitPrice Money    `json:"unit_price"`
	TaxRate   Rate     `json:"tax_rate"`
	Discount  Discount `json:"discount,omitzero"`
}

// Cart is the goods being sold, before payment.
type Cart struct {
	Lines    []Line   `json:"lines"`
	Discount Discount `json:"discount,omitzero"`
}

// Add puts qty of p into the cart, merging with an existing undiscounted
// line of the same goods and price so a second scan raises the quantity.
// It returns the index of the line touched.
func (c *Cart) Add(p Product, qty int64) (int, error) {
	if qty <= 0 || qty > MaxQty {
		return -1, fmt.Errorf("quantity %d: must be 1 to %d", qty, MaxQty)
	}
	for i, l := range c.Lines {
		if l.SKU == p.SKU && l.UnitPrice == p.Price && l.TaxRate == p.TaxRate && l.Discount.Kind == NoDiscount {
			if l.Qty+qty > MaxQty {
				return i, fmt.Errorf("quantity %d: must be 1 to %d", l.Qty+qty, MaxQty)
			}
			c.Lines[i].Qty += qty
			return i, nil
		}
	}
	c.Lines = append(c.Lines, Line{SKU: p.SKU, Name: p.Name, Qty: qty, UnitPrice: p.Price, TaxRate: p.TaxRate})
	return len(c.Lines) - 1, nil
}

// SetQty sets the quantity of line i; zero removes the line.
func (c *Cart) SetQty(i int, qty int64) error {
	if i < 0 || i >= len(c.Lines) {
		return fmt.Errorf("no line %d", i+1)
	}
	if qty < 0 || qty > MaxQty {
		return fmt.Errorf("quantity %d: must be 0 to %d", qty, MaxQty)
	}
	if qty == 0 {
		c.Remove(i)
		return nil
	}
	c.Lines[i].Qty = qty
	return nil
}

// Remove drops line i.
func (c *Cart) Remove(i int) {
	if i >= 0 && i < len(c.Lines) {
		c.Lines = append(c.Lines[:i], c.Lines[i+1:]...)
	}
}

// Items counts the units in the cart.
func (c *Cart) Items() int64 {
	var n int64
	for _, l := range c.Lines {
		n += l.Qty
	}
	return n
}

// Empty reports whether the cart holds nothing.
func (c *Cart) Empty() bool { return len(c.Lines) == 0 }
