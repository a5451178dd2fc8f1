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
	SKU  string `json:"sku"`
	Name string `json:"name"`
	// Qty is in Unit: pieces, or thousandths of the unit for measured
	// goods (1250 is 1.250 kg).
	Qty       int64    `json:"qty"`
	UnitPrice Money    `json:"unit_price"` // per piece, or per Unit
	TaxRate   Rate     `json:"tax_rate"`
	Discount  Discount `json:"discount,omitzero"`
	Unit      Unit     `json:"unit,omitempty"`
	// Label is the scale label the line was scanned from. Such a line is
	// one parcel: never merged with another, its quantity fixed.
	Label string `json:"label,omitempty"`
	// LabelAmount is the amount printed on a price-embedded scale label:
	// it is the line's value (the customer saw it), whatever UnitPrice x
	// Qty gives. Zero when the line is priced by quantity.
	LabelAmount Money `json:"label_amount,omitempty"`
	// ListPrice is the catalog's unit price when the cashier set the
	// line's price by hand (a price override): UnitPrice is then the
	// price charged. Zero when the price is the catalog's.
	ListPrice Money `json:"list_price,omitempty"`
}

// Overridden reports whether the line's price was set by hand.
func (l Line) Overridden() bool { return l.ListPrice != 0 }

// SetPrice sets line i's unit price by hand (a price override), keeping
// the catalog's price as ListPrice; the catalog's price again clears the
// override. A price-embedded scale label's line has its amount printed
// on the label and cannot be repriced.
func (c *Cart) SetPrice(i int, price Money) error {
	if i < 0 || i >= len(c.Lines) {
		return fmt.Errorf("no line %d", i+1)
	}
	l := &c.Lines[i]
	if l.LabelAmount != 0 {
		return errors.New("the price of a scale label's line is the amount printed on its label")
	}
	if price < 0 || price > MaxAmount {
		return fmt.Errorf("price %d out of range", price)
	}
	list := l.UnitPrice
	if l.Overridden() {
		list = l.ListPrice
	}
	if list == 0 {
		return errors.New("goods the catalog gives away (price 0) cannot be repriced")
	}
	if price == list {
		l.UnitPrice, l.ListPrice = list, 0
		return nil
	}
	if _, err := (Line{Qty: l.Qty, UnitPrice: price, Unit: l.Unit}).Extended(); err != nil {
		return err
	}
	l.UnitPrice, l.ListPrice = price, list
	return nil
}

// CheckQty checks the line's quantity against its unit's range.
func (l Line) CheckQty() error { return l.Unit.CheckQty(l.Qty) }

// Extended is the line's value before discounts: the label's amount for
// a price-embedded scale label, else unit price x quantity rounded once
// (LineAmount).
func (l Line) Extended() (Money, error) {
	if l.LabelAmount != 0 {
		if l.LabelAmount < 0 || l.LabelAmount > MaxAmount {
			return 0, fmt.Errorf("label amount %d out of range", l.LabelAmount)
		}
		return l.LabelAmount, nil
	}
	return LineAmount(l.UnitPrice, l.Qty, l.Unit)
}

// QtyText is the line's quantity with its unit: "3", "1.250 kg".
func (l Line) QtyText() string { return FormatQtyUnit(l.Qty, l.Unit) }

// Parcel reports whether the line stands alone (weighed goods or a scale
// label) rather than counting pieces that a second scan adds to.
func (l Line) Parcel() bool { return l.Unit.Measured() || l.Label != "" }

// Cart is the goods being sold, before payment.
type Cart struct {
	Lines    []Line   `json:"lines"`
	Discount Discount `json:"discount,omitzero"`
}

// Add puts qty of p into the cart, in p's unit (pieces, or thousandths of
// a kg, 斤 or m: see ParseQty). Goods counted by the piece merge with an
// existing undiscounted line of the same goods and price so a second scan
// raises the quantity; weighed goods are a new line each time, since each
// weighing is its own parcel. It returns the index of the line touched.
func (c *Cart) Add(p Product, qty int64) (int, error) {
	if !p.Unit.Valid() {
		return -1, fmt.Errorf("%s: unknown unit %q", p.SKU, string(p.Unit))
	}
	if qty <= 0 || qty > p.Unit.MaxQty() {
		return -1, p.Unit.CheckQty(qty)
	}
	for i, l := range c.Lines {
		if !p.Unit.Measured() && !l.Parcel() && l.SKU == p.SKU && l.UnitPrice == p.Price && !l.Overridden() && l.TaxRate == p.TaxRate && l.Discount.Kind == NoDiscount {
			if l.Qty+qty > MaxQty {
				return i, fmt.Errorf("quantity %d: must be 1 to %d", l.Qty+qty, MaxQty)
			}
			c.Lines[i].Qty += qty
			return i, nil
		}
	}
	c.Lines = append(c.Lines, Line{SKU: p.SKU, Name: p.Name, Qty: qty, UnitPrice: p.Price, TaxRate: p.TaxRate, Unit: p.Unit})
	return len(c.Lines) - 1, nil
}

// AddLabel puts one scanned scale label into the cart as its own line:
// qty in p's unit (the label's weight, or 1 for goods counted by the
// piece), and amount the label's printed total, or 0 when the label
// carries no price and the line is priced by weight. Two identical labels
// are two parcels, so two lines, never quantity 2.
func (c *Cart) AddLabel(p Product, qty int64, amount Money, label string) (int, error) {
	if label == "" {
		return -1, errors.New("a scale label line needs its label")
	}
	if !p.Unit.Valid() {
		return -1, fmt.Errorf("%s: unknown unit %q", p.SKU, string(p.Unit))
	}
	if err := p.Unit.CheckQty(qty); err != nil {
		return -1, fmt.Errorf("label %s: %w", label, err)
	}
	if amount < 0 || amount > MaxAmount {
		return -1, fmt.Errorf("label %s: amount %d out of range", label, amount)
	}
	c.Lines = append(c.Lines, Line{SKU: p.SKU, Name: p.Name, Qty: qty, UnitPrice: p.Price, TaxRate: p.TaxRate,
		Unit: p.Unit, Label: label, LabelAmount: amount})
	return len(c.Lines) - 1, nil
}

// SetQty sets the quantity of line i in the line's unit (ParseQty reads
// it); zero removes the line. A scale label's quantity is what the scale
// weighed and cannot be changed, only removed.
func (c *Cart) SetQty(i int, qty int64) error {
	if i < 0 || i >= len(c.Lines) {
		return fmt.Errorf("no line %d", i+1)
	}
	l := c.Lines[i]
	if qty < 0 || qty > l.Unit.MaxQty() {
		if !l.Unit.Measured() {
			return fmt.Errorf("quantity %d: must be 0 to %d", qty, MaxQty)
		}
		return fmt.Errorf("quantity %s: must be 0 to %s", FormatQty(qty, l.Unit), FormatQtyUnit(l.Unit.MaxQty(), l.Unit))
	}
	if qty == 0 {
		c.Remove(i)
		return nil
	}
	if l.Label != "" && qty != l.Qty {
		return fmt.Errorf("line %d is a scale label: its quantity is what the scale weighed; remove the line and weigh again", i+1)
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

// Items counts the pieces in the cart; weighed or measured goods and
// scale labels count one per line (a parcel).
func (c *Cart) Items() int64 {
	var n int64
	for _, l := range c.Lines {
		if l.Unit.Measured() {
			n++
		} else {
			n += l.Qty
		}
	}
	return n
}

// Empty reports whether the cart holds nothing.
func (c *Cart) Empty() bool { return len(c.Lines) == 0 }
