// Package scale reads the barcodes that supermarket scales print on
// labels: a prefix, the goods' PLU, and the weight, the price or both,
// in a layout the shop configures because every scale maker (and every
// shop's set-up of the scale) differs.
//
// A layout is a pattern of one character per digit:
//
//	0-9  a fixed digit (the prefix, GS1 20-29 or 02)
//	P    the PLU, looked up in the catalog
//	W    the weight, in Format.Unit with Format.WeightDecimals decimals
//	$    the label's amount, the line total, with Format.PriceDecimals
//	V    a GS1 price/weight verifier digit for the 4 or 5 digit $ or W
//	     field right after it (checked when PriceCheck is "gs1")
//	X    a digit that is ignored
//	C    the label's GS1 check digit, last (checked when Check is "ean13")
//
// for example 21PPPPPWWWWWC (13 digits: PLU and weight in grams),
// 20PPPPP$$$$$C (PLU and amount in fen) and the 18-digit Chinese
// 26PPPPP$$$$$WWWWWC (PLU, amount and weight). A code is matched on
// prefix and length, then its check digit, then a PLU that exists; only
// then is it goods. Everything is integers: grams (milligrams inside),
// fen, and the goods' own quantity steps.
package scale

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tillpos/till/pos"

	"github.com/tillpos/till/internal/errmsg"
)

// Format is one label layout as the config gives it:
//
//	[[scale]]
//	format = "26PPPPP$$$$$WWWWWC"
//	unit = "kg"        # what W counts: kg (default), 斤 (or jin), g
//	check = "ean13"    # the last digit: ean13 (default) or none
//	price_check = "none"
type Format struct {
	Format string `toml:"format"`
	// Unit is the unit of the weight field: "kg" (default), "斤"/"jin"
	// or "g". Scales print grams and 斤 alike, so it is configured,
	// never guessed.
	Unit string `toml:"unit"`
	// WeightDecimals is the weight field's decimals: default 3 for kg
	// and 斤, 0 for g.
	WeightDecimals *int `toml:"weight_decimals"`
	// PriceDecimals is the amount field's decimals: default the
	// currency's (2 for CNY: fen).
	PriceDecimals *int `toml:"price_decimals"`
	// Check is the policy for the final C digit: "ean13" (default)
	// checks it, "none" ignores it.
	Check string `toml:"check"`
	// PriceCheck is the policy for V digits: "none" (default; Chinese
	// scales are sloppy about them) ignores them, "gs1" checks them.
	PriceCheck string `toml:"price_check"`
}

// Errors of Parse. A router of scanned codes tries scale labels after
// exact barcodes: ErrNotLabel means the code is no scale label at all;
// ErrUnknownPLU means it has a label's shape but names no goods (an
// 18-digit 26... code may then be a wallet's payment code).
var (
	ErrNotLabel   = errors.New("not a scale label")
	ErrCheckDigit = errors.New("bad check digit")
	ErrUnknownPLU = errors.New("no goods with this PLU")
)

// Lookup finds goods by PLU, as the label prints it (leading zeros
// included: see NormalPLU).
type Lookup func(plu string) (pos.Product, bool)

// Label is a scanned scale label, read and checked.
type Label struct {
	Code    string      // as scanned
	Format  string      // the layout it matched
	PLU     string      // as printed
	Product pos.Product // the goods the PLU names
	// Qty is the line's quantity in the goods' unit: the weight, or the
	// weight worked out from the amount, or 1 for goods sold by the
	// piece.
	Qty int64
	// Grams and HasWeight: the weight printed, rounded to the gram.
	Grams     int64
	HasWeight bool
	// Amount is the printed total, the line's value; 0 when the label
	// carries no price (the line is then priced by weight).
	Amount pos.Money
	// Expected is unit price x weight when the label has both, and Diff
	// is Amount - Expected; Flagged says they differ by more than one
	// minor unit (the price changed since the label was printed, or the
	// scale is set up with another price). The label's amount is sold.
	Expected pos.Money
	Diff     pos.Money
	Flagged  bool
}

// AddTo puts the label in the cart as its own line (two identical labels
// are two parcels, never quantity 2).
func (l Label) AddTo(c *pos.Cart) (int, error) {
	return c.AddLabel(l.Product, l.Qty, l.Amount, l.Code)
}

// Warning is what the cashier and the log should see about a label whose
// amount does not agree with the catalog price, or "".
func (l Label) Warning(exponent int) string {
	if !l.Flagged {
		return ""
	}
	return fmt.Sprintf("label %s says %s, but %s x %s is %s: sold at the label's %s", l.Code, l.Amount.Format(exponent),
		pos.FormatQtyUnit(l.Qty, l.Product.Unit), l.Product.Price.Format(exponent), l.Expected.Format(exponent), l.Amount.Format(exponent))
}

// field is a run of one letter in a pattern.
type field struct{ at, n int }

type layout struct {
	src                        string
	prefix                     string
	plu, weight, price, verify field
	verifies                   byte // 'W' or '$': the field the V digit checks
	check                      bool // C present and checked
	gs1Verify                  bool
	mgPerStep                  int64 // milligrams per step of the weight field
	priceMul                   int64 // minor units per step of the amount field
}

// Scanner reads labels of the configured layouts, tried in order.
type Scanner struct {
	layouts []layout
}

// New checks the layouts and prepares them for a currency with the given
// minor-unit exponent. An empty list gives a Scanner that reads nothing.
func New(formats []Format, exponent int) (*Scanner, error) {
	s := &Scanner{}
	for i, f := range formats {
		l, err := compile(f, exponent)
		if err != nil {
			return nil, errmsg.Errorf("scale format %d %q: %w", i+1, f.Format, err)
		}
		s.layouts = append(s.layouts, l)
	}
	return s, nil
}

func compile(f Format, exponent int) (layout, error) {
	p := strings.TrimSpace(f.Format)
	l := layout{src: p}
	if len(p) < 8 || len(p) > 20 {
		return l, errmsg.Errorf("want 8 to 20 characters, one per digit")
	}
	for l.prefix = ""; len(l.prefix) < len(p) && p[len(l.prefix)] >= '0' && p[len(l.prefix)] <= '9'; {
		l.prefix = p[:len(l.prefix)+1]
	}
	if l.prefix == "" {
		return l, errmsg.Errorf("want a fixed prefix first, e.g. 21 or 26")
	}
	seen := map[byte]bool{}
	for i := len(l.prefix); i < len(p); {
		c := p[i]
		j := i
		for j < len(p) && p[j] == c {
			j++
		}
		if seen[c] && c != 'X' {
			return l, errmsg.Errorf("%c in two places", c)
		}
		seen[c] = true
		fd := field{i, j - i}
		switch c {
		case 'P':
			l.plu = fd
		case 'W':
			l.weight = fd
		case '$':
			l.price = fd
		case 'V':
			if fd.n != 1 || j >= len(p) || p[j] != 'W' && p[j] != '$' {
				return l, errmsg.Errorf("V is one digit right before the W or $ field it verifies")
			}
			l.verify, l.verifies = fd, p[j]
		case 'C':
			if j != len(p) || fd.n != 1 {
				return l, errmsg.Errorf("C is the last digit, once")
			}
		case 'X':
		default:
			if c >= '0' && c <= '9' {
				return l, errmsg.Errorf("fixed digits go first, as the prefix")
			}
			return l, errmsg.Errorf("%q: use P (PLU), W (weight), $ (amount), V (verifier), X (ignored), C (check) and digits", c)
		}
		i = j
	}
	if l.plu.n == 0 {
		return l, errmsg.Errorf("no P: a label must carry the PLU")
	}
	if l.weight.n == 0 && l.price.n == 0 {
		return l, errmsg.Errorf("no W or $: a label must carry the weight or the amount")
	}
	if l.weight.n > 9 || l.price.n > 12 || l.plu.n > 12 {
		return l, errmsg.Errorf("field too long")
	}
	switch strings.ToLower(strings.TrimSpace(f.Check)) {
	case "", "ean13", "gs1":
		if !seen['C'] {
			return l, errmsg.Errorf(`check = "ean13" needs a C digit last; say check = "none" if the layout has none`)
		}
		l.check = true
	case "none":
	default:
		return l, errmsg.Errorf("check %q: want ean13 or none", f.Check)
	}
	switch strings.ToLower(strings.TrimSpace(f.PriceCheck)) {
	case "", "none":
	case "gs1":
		if !seen['V'] {
			return l, errmsg.Errorf(`price_check = "gs1" needs a V digit`)
		}
		if n := l.verified().n; n != 4 && n != 5 {
			return l, errmsg.Errorf("a GS1 verifier digit checks a 4 or 5 digit field")
		}
		l.gs1Verify = true
	default:
		return l, errmsg.Errorf("price_check %q: want none or gs1", f.PriceCheck)
	}
	unit, err := pos.ParseUnit(f.Unit)
	if err != nil || f.Unit == "" {
		unit = pos.Kilogram
	}
	if err != nil && strings.TrimSpace(f.Unit) != "" || !unit.IsMass() {
		return l, errmsg.Errorf("unit %q: want kg, 斤 or g", f.Unit)
	}
	mgPerUnit := map[pos.Unit]int64{pos.Kilogram: 1_000_000, pos.Jin: 500_000, pos.Gram: 1000}[unit]
	wd := 3
	if unit == pos.Gram {
		wd = 0
	}
	if f.WeightDecimals != nil {
		wd = *f.WeightDecimals
	}
	div := pow10(wd)
	if wd < 0 || div == 0 || mgPerUnit%div != 0 {
		return l, fmt.Errorf("weight_decimals %d: too many for %s", wd, unit.Symbol())
	}
	l.mgPerStep = mgPerUnit / div
	pd := exponent
	if f.PriceDecimals != nil {
		pd = *f.PriceDecimals
	}
	if pd < 0 || pd > exponent {
		return l, fmt.Errorf("price_decimals %d: want 0 to the currency's %d", pd, exponent)
	}
	l.priceMul = pow10(exponent - pd)
	return l, nil
}

func (l layout) verified() field {
	if l.verifies == 'W' {
		return l.weight
	}
	return l.price
}

func pow10(n int) int64 {
	v := int64(1)
	for range n {
		v *= 10
		if v > 1e12 {
			return 0
		}
	}
	return v
}

// Formats lists the configured layouts, for messages.
func (s *Scanner) Formats() []string {
	var out []string
	for _, l := range s.layouts {
		out = append(out, l.src)
	}
	return out
}

// Parse reads a scanned code as a scale label: the first configured
// layout whose prefix and length match, whose check digits agree and
// whose PLU names goods wins. An optional AIM symbology identifier
// (]E0, ]C0...) that scanners send first is dropped. Errors wrap
// ErrNotLabel, ErrCheckDigit or ErrUnknownPLU and say what to do.
func (s *Scanner) Parse(code string, lookup Lookup) (Label, error) {
	code = strings.TrimSpace(code)
	if len(code) > 3 && code[0] == ']' {
		code = code[3:]
	}
	var firstErr error
	stage := -1
	for _, l := range s.layouts {
		if len(code) != len(l.src) || !strings.HasPrefix(code, l.prefix) || !digits(code) {
			continue
		}
		lb, st, err := l.read(code, lookup)
		if err == nil {
			return lb, nil
		}
		// Keep the error of the layout that got furthest: a bad PLU
		// says more than another layout's check digit.
		if st > stage {
			firstErr, stage = err, st
		}
	}
	if firstErr != nil {
		return Label{}, firstErr
	}
	if len(s.layouts) == 0 {
		return Label{}, fmt.Errorf("%s: %w (no scale label formats configured)", code, ErrNotLabel)
	}
	return Label{}, fmt.Errorf("%s: %w (configured formats: %s)", code, ErrNotLabel, strings.Join(s.Formats(), ", "))
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func num(s string) int64 {
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	return v
}

func (f field) of(code string) string { return code[f.at : f.at+f.n] }

// read checks a code of the layout's shape; stage says how far it got:
// 0 check digits, 1 PLU, 2 the goods and the values.
func (l layout) read(code string, lookup Lookup) (Label, int, error) {
	if l.check {
		if want := pos.GTINCheckDigit(code[:len(code)-1]); code[len(code)-1] != want {
			return Label{}, 0, fmt.Errorf("scale label %s: %w (want %c): scan it again, or key the weight by hand", code, ErrCheckDigit, want)
		}
	}
	if l.gs1Verify {
		v := l.verified().of(code)
		if want := PriceCheckDigit(v); code[l.verify.at] != want {
			return Label{}, 0, fmt.Errorf("scale label %s: %w in the price/weight verifier (want %c): scan it again", code, ErrCheckDigit, want)
		}
	}
	plu := l.plu.of(code)
	p, ok := lookup(plu)
	if !ok {
		return Label{}, 1, fmt.Errorf("scale label %s: %w %s: add the PLU to the goods, or check the scale's set-up", code, ErrUnknownPLU, plu)
	}
	lb := Label{Code: code, Format: l.src, PLU: plu, Product: p}
	if l.price.n > 0 {
		lb.Amount = pos.Money(num(l.price.of(code)) * l.priceMul)
		if lb.Amount <= 0 {
			return Label{}, 2, fmt.Errorf("scale label %s: the amount is zero", code)
		}
	}
	var mg int64
	if l.weight.n > 0 {
		mg = num(l.weight.of(code)) * l.mgPerStep
		if mg <= 0 {
			return Label{}, 2, fmt.Errorf("scale label %s: the weight is zero: weigh again", code)
		}
		lb.HasWeight = true
		lb.Grams, _ = pos.ConvertQty(mg, pos.Gram, pos.Kilogram) // mg to g
	}
	switch u := p.Unit; {
	case !u.Measured():
		// Goods by the piece: a price label sells one at its amount.
		if l.price.n == 0 {
			return Label{}, 2, fmt.Errorf("scale label %s: %s is sold by the piece, and the label has no amount", code, p.Name)
		}
		lb.Qty = 1
	case lb.HasWeight && u.IsMass():
		q, _ := pos.ConvertQty(mg, pos.Gram, u) // mg are Gram's steps
		lb.Qty = q
	case lb.HasWeight:
		return Label{}, 2, fmt.Errorf("scale label %s: %s is sold by the %s and cannot be weighed", code, p.Name, u.Symbol())
	default:
		// An amount only: the quantity for stock is worked out from it.
		if p.Price <= 0 {
			return Label{}, 2, fmt.Errorf("scale label %s: %s has no unit price to work out the weight from", code, p.Name)
		}
		q, err := pos.MulDivRound(int64(lb.Amount), u.Scale(), int64(p.Price))
		if err != nil {
			return Label{}, 2, fmt.Errorf("scale label %s: %w", code, err)
		}
		lb.Qty = max(q, 1)
	}
	if err := p.Unit.CheckQty(lb.Qty); err != nil {
		return Label{}, 2, fmt.Errorf("scale label %s: %w", code, err)
	}
	if lb.HasWeight && lb.Amount > 0 && p.Unit.Measured() {
		exp, err := pos.LineAmount(p.Price, lb.Qty, p.Unit)
		if err != nil {
			return Label{}, 2, fmt.Errorf("scale label %s: %w", code, err)
		}
		lb.Expected, lb.Diff = exp, lb.Amount-exp
		lb.Flagged = lb.Diff > 1 || lb.Diff < -1
	}
	return lb, 2, nil
}

// NormalPLU is a PLU without leading zeros ("00123" and "123" are the
// same goods; "0" stays "0"), for catalogs keyed by it.
func NormalPLU(plu string) string {
	t := strings.TrimLeft(strings.TrimSpace(plu), "0")
	if t == "" && plu != "" {
		return "0"
	}
	return t
}

// PriceCheckDigit is the GS1 price/weight verifier digit of a 4 or 5
// digit field (GS1 General Specifications 7.9.3): 2875 gives 9 and 14685
// gives 6. Other lengths give 0.
func PriceCheckDigit(field string) byte {
	twoMinus := [10]int{0, 2, 4, 6, 8, 9, 1, 3, 5, 7}
	three := [10]int{0, 3, 6, 9, 2, 5, 8, 1, 4, 7}
	fivePlus := [10]int{0, 5, 1, 6, 2, 7, 3, 8, 4, 9}
	fiveMinus := [10]int{0, 5, 9, 4, 8, 3, 7, 2, 6, 1}
	d := func(i int) int { return int(field[i] - '0') }
	switch len(field) {
	case 4:
		sum := twoMinus[d(0)] + twoMinus[d(1)] + three[d(2)] + fiveMinus[d(3)]
		return byte('0' + sum*3%10)
	case 5:
		sum := fivePlus[d(0)] + twoMinus[d(1)] + fiveMinus[d(2)] + fivePlus[d(3)] + twoMinus[d(4)]
		want := (10 - sum%10) % 10
		for c, v := range fiveMinus {
			if v == want {
				return byte('0' + c)
			}
		}
	}
	return '0'
}
