package pos

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tillpos/till/internal/errmsg"
)

// Unit is how goods are sold and counted: by the piece (the zero value)
// or by a measure. A quantity of measured goods is an integer count of
// thousandths of the unit (grams for kg, millimetres for m), so a line,
// a refund and a stock count stay exact integers: no float anywhere.
type Unit string

const (
	Each     Unit = ""    // counted: a quantity is a number of pieces
	Kilogram Unit = "kg"  // quantity in grams
	Gram     Unit = "g"   // quantity in milligrams
	Jin      Unit = "jin" // 斤, 500 g: quantity in thousandths of a jin (0.5 g)
	Metre    Unit = "m"   // quantity in millimetres
)

// QtyScale is how many quantity steps make one measured unit.
const QtyScale = 1000

// MaxMeasure bounds the quantity of one measured line: 9,999.999 of the
// unit. Like MaxQty it stops a barcode typed into a quantity field from
// selling tonnes.
const MaxMeasure = 9_999_999

// ErrQty reports a malformed quantity string.
var ErrQty = errors.New("invalid quantity")

// ParseUnit reads a unit as a goods file or a head-office catalog writes
// it: "kg", "g", "斤" (or "jin"), "m", or nothing (also "pc", "个", "件")
// for goods counted by the piece. Chinese spellings 公斤/千克, 克 and 米
// are accepted too.
func ParseUnit(s string) (Unit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "pc", "pcs", "piece", "each", "ea", "个", "件":
		return Each, nil
	case "kg", "公斤", "千克":
		return Kilogram, nil
	case "g", "克":
		return Gram, nil
	case "jin", "斤":
		return Jin, nil
	case "m", "米":
		return Metre, nil
	}
	return Each, errmsg.Errorf("unit %q: want kg, g, 斤, m, or empty for goods counted by the piece", s)
}

// Valid reports whether u is one of the units Till knows.
func (u Unit) Valid() bool {
	switch u {
	case Each, Kilogram, Gram, Jin, Metre:
		return true
	}
	return false
}

// Measured reports whether quantities of u are thousandths (weighed or
// measured goods) rather than a count of pieces.
func (u Unit) Measured() bool { return u != Each }

// Scale is how many quantity steps make one unit: 1 for a count, 1000 for
// a measure.
func (u Unit) Scale() int64 {
	if u.Measured() {
		return QtyScale
	}
	return 1
}

// MaxQty is the largest quantity one line of goods in u may hold.
func (u Unit) MaxQty() int64 {
	if u.Measured() {
		return MaxMeasure
	}
	return MaxQty
}

// Symbol is the unit as a receipt prints it: "kg", "g", "斤", "m", or ""
// for a count.
func (u Unit) Symbol() string {
	if u == Jin {
		return "斤"
	}
	return string(u)
}

// CheckQty checks a line quantity of goods in u: at least one step and
// at most MaxQty.
func (u Unit) CheckQty(q int64) error {
	if !u.Valid() {
		return fmt.Errorf("unknown unit %q", string(u))
	}
	if q <= 0 || q > u.MaxQty() {
		return fmt.Errorf("quantity %s: must be %s to %s", FormatQty(q, u), FormatQty(1, u), FormatQty(u.MaxQty(), u))
	}
	return nil
}

// ParseQty reads a quantity as a cashier types it, in the goods' unit:
// "3" pieces, or "1.25" kg (up to three decimals) for measured goods. It
// returns the integer quantity (1250 for 1.25 kg). Zero is accepted (the
// caller decides whether it removes a line); signs, exponents, separators,
// fractions of a piece and quantities over the unit's maximum are not.
func ParseQty(s string, u Unit) (int64, error) {
	s = strings.TrimSpace(s)
	if !u.Valid() {
		return 0, fmt.Errorf("unknown unit %q", string(u))
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || dot && frac == "" {
		return 0, fmt.Errorf("%w %q: want a number like %s", ErrQty, s, qtyExample(u))
	}
	decimals := 0
	if u.Measured() {
		decimals = 3
	}
	if !u.Measured() && strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("%w %q: goods sold by the piece take a whole number", ErrQty, s)
	}
	if !u.Measured() {
		frac = ""
	}
	if len(frac) > decimals {
		return 0, fmt.Errorf("%w %q: at most three decimals", ErrQty, s)
	}
	digits := whole + frac + strings.Repeat("0", decimals-len(frac))
	var v int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w %q: want a number like %s", ErrQty, s, qtyExample(u))
		}
		v = v*10 + int64(c-'0')
		if v > u.MaxQty() {
			return 0, fmt.Errorf("%w %q: at most %s", ErrQty, s, FormatQtyUnit(u.MaxQty(), u))
		}
	}
	return v, nil
}

func qtyExample(u Unit) string {
	if u.Measured() {
		return "1.25"
	}
	return "3"
}

// FormatQty renders a quantity in its unit without the unit's symbol:
// "3" pieces, "1.250" kg. It is the inverse of ParseQty.
func FormatQty(q int64, u Unit) string {
	if !u.Measured() {
		return fmt.Sprint(q)
	}
	return Money(q).Format(3)
}

// FormatQtyUnit renders a quantity with its unit: "3", "1.250 kg", "0.500 斤".
func FormatQtyUnit(q int64, u Unit) string {
	if !u.Measured() {
		return FormatQty(q, u)
	}
	return FormatQty(q, u) + " " + u.Symbol()
}

// QtyTimesPrice is the quantity-and-price part of a receipt line, given
// the unit price already formatted by the caller: "3 x 2.00" for counted
// goods, "1.250 kg x 12.80/kg" for weighed goods.
func QtyTimesPrice(q int64, u Unit, price string) string {
	if !u.Measured() {
		return fmt.Sprintf("%d x %s", q, price)
	}
	return fmt.Sprintf("%s x %s/%s", FormatQtyUnit(q, u), price, u.Symbol())
}

// LineAmount is the value of a quantity of goods at a unit price: price x
// quantity, rounded once, halves away from zero (MulDivRound), so 1.255 kg
// at 12.80/kg is 16.06.
func LineAmount(price Money, q int64, u Unit) (Money, error) {
	v, err := MulDivRound(int64(price), q, u.Scale())
	if err != nil || Money(v) > MaxAmount || Money(v) < -MaxAmount {
		return 0, fmt.Errorf("%s x %s: %w", FormatQtyUnit(q, u), price.Format(0), ErrOverflow)
	}
	return Money(v), nil
}

// mgPerStep is the milligrams in one quantity step of each mass unit:
// a gram for kg, a milligram for g, half a gram for 斤.
var mgPerStep = map[Unit]int64{Kilogram: 1000, Gram: 1, Jin: 500}

// IsMass reports whether u is a weight (kg, g, 斤).
func (u Unit) IsMass() bool { _, ok := mgPerStep[u]; return ok }

// FromGrams converts a weight in grams, as a scale label carries it, to a
// quantity of goods in u: 1250 g is 1250 for kg, 1250000 for g, 2500 for 斤.
func (u Unit) FromGrams(g int64) (int64, error) {
	if !u.IsMass() {
		if u == Each {
			return 0, errors.New("goods sold by the piece cannot be weighed")
		}
		return 0, fmt.Errorf("goods sold by the %s cannot be weighed", u.Symbol())
	}
	v, err := MulDivRound(g, 1000, mgPerStep[u])
	if err != nil {
		return 0, err
	}
	return v, nil
}

// ConvertQty converts a quantity between units of the same kind (kg, g
// and 斤 between each other, rounded to the nearest step), for stock kept
// in a unit the goods were later re-described in. It reports false when
// the units measure different things.
func ConvertQty(q int64, from, to Unit) (int64, bool) {
	if from == to {
		return q, true
	}
	a, okA := mgPerStep[from]
	b, okB := mgPerStep[to]
	if !okA || !okB {
		return 0, false
	}
	v, err := MulDivRound(q, a, b)
	return v, err == nil
}
