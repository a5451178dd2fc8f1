// Package pos holds Till's domain: money, goods, carts, sales, refunds and
// reports. It is pure rules: no IO, no clocks, no randomness except what the
// caller passes in.
package pos

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"unicode"

	"github.com/tillpos/till/internal/errmsg"
)

// Money is an amount in the currency's minor unit (fen for CNY, cents for
// USD). It is never a float.
type Money int64

// Currency describes an ISO 4217 currency as the shop uses it.
type Currency struct {
	Code     string // ISO 4217 alphabetic code, e.g. "CNY"
	Numeric  string // ISO 4217 numeric code, e.g. "156"
	Exponent int    // digits after the decimal point, e.g. 2
	// CashStep is the smallest cash amount the drawer can pay out, in minor
	// units (5 for Swiss 0.05 rounding); 0 or 1 means no cash rounding.
	CashStep Money
}

// ErrOverflow reports an amount or quantity too large to compute with.
var ErrOverflow = errors.New("amount too large")

// ErrAmount reports a malformed amount string. Every amount error wraps
// it, and also one of the ErrAmount* reasons below, so a screen can say
// exactly what is wrong with what was typed.
var ErrAmount = errors.New("invalid amount")

// Why an amount is refused. Each is wrapped by the error ParseMoney,
// ParseAmount and CheckAmountTyping return, together with ErrAmount.
var (
	ErrAmountEmpty     = errors.New("nothing typed")
	ErrAmountLetters   = errors.New("letters are not part of an amount")
	ErrAmountSign      = errors.New("an amount has no sign")
	ErrAmountSeparator = errors.New("no thousands separators or spaces inside an amount")
	ErrAmountShape     = errors.New("want digits like 12.50")
	// ErrAmountDecimals is more decimal places than the currency has.
	ErrAmountDecimals = errors.New("too many decimal places")
)

// AmountError is a refused amount: the text as given and why.
type AmountError struct {
	Input    string
	Reason   error // one of the ErrAmount* reasons, or ErrOverflow
	Exponent int   // the currency's decimal places, for ErrAmountDecimals
	Typed    bool  // typed or scanned at the counter (ParseAmount), not read from a file
}

func (e *AmountError) Error() string { return e.Message().Error() }

// Message is the error's words as a message a translator says from its
// parts (package errmsg); Error is its English.
func (e *AmountError) Message() error {
	switch e.Reason {
	case ErrAmountEmpty:
		return errmsg.Errorf("invalid amount: empty")
	case ErrAmountDecimals:
		if e.Exponent == 0 {
			return errmsg.Errorf("invalid amount %q: this currency has no decimal places", e.Input)
		}
		return errmsg.Errorf("invalid amount %q: more than %d decimal places", e.Input, e.Exponent)
	case ErrAmountShape:
		return errmsg.Errorf("invalid amount %q: %v", e.Input, example(e.Exponent))
	case ErrAmountLetters:
		if e.Typed {
			return errmsg.Errorf("invalid amount %q: %v (was it a scan?)", e.Input, e.Reason)
		}
	}
	return errmsg.Errorf("invalid amount %q: %v", e.Input, e.Reason)
}

// Unwrap lets errors.Is find both ErrAmount and the reason.
func (e *AmountError) Unwrap() []error { return []error{ErrAmount, e.Reason} }

func example(exponent int) error {
	if exponent == 0 {
		return errmsg.Errorf("want whole digits like 1500")
	}
	return errmsg.Errorf("want digits like %s", "12.5"+strings.Repeat("0", exponent-1))
}

// MaxAmount bounds parsed amounts well below int64 so sums of many
// lines stay far from overflow: 10^15 minor units is ten trillion yuan.
const MaxAmount = Money(1_000_000_000_000_000)

// ParseMoney parses a non-negative decimal string such as "12.50" into minor
// units of a currency with the given exponent, exactly. It rejects signs,
// exponents, thousands separators, spaces, more decimals than the currency
// has, and absurdly large amounts, with an *AmountError saying which.
func ParseMoney(s string, exponent int) (Money, error) {
	if err := checkAmount(s, exponent, false); err != nil {
		return 0, err
	}
	whole, frac, _ := strings.Cut(s, ".")
	digits := whole + frac + strings.Repeat("0", exponent-len(frac))
	var v int64
	for _, c := range digits {
		if v > (int64(MaxAmount)-int64(c-'0'))/10 {
			return 0, &AmountError{Input: s, Reason: ErrOverflow, Exponent: exponent}
		}
		v = v*10 + int64(c-'0')
	}
	return Money(v), nil
}

// ParseAmount reads an amount a cashier typed into any amount field (cash
// given, float, discount, QR part, counted cash, paid in or out): digits
// with at most the currency's decimal places, surrounding spaces ignored
// and full-width digits (from a Chinese input method) read as digits.
// Anything else, letters above all, is refused: it never keeps the digits
// and drops the rest.
func ParseAmount(s string, cur Currency) (Money, error) {
	m, err := ParseMoney(normalizeAmount(s), cur.Exponent)
	var ae *AmountError
	if errors.As(err, &ae) {
		ae.Typed = true
	}
	return m, err
}

// CheckAmountTyping reports whether text typed so far into an amount field
// can still become a well-formed amount ("12." is fine while typing, "12a"
// is not). A screen keeps every character typed, shows this error at once
// and refuses Enter while it stands: letters are refused, never dropped.
func CheckAmountTyping(text string, exponent int) error {
	err := checkAmount(normalizeAmount(text), exponent, true)
	var ae *AmountError
	if errors.As(err, &ae) {
		ae.Typed = true
	}
	return err
}

// normalizeAmount trims spaces and maps full-width digits, full stop and
// percent sign to ASCII.
func normalizeAmount(s string) string {
	s = strings.TrimSpace(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．':
			return '.'
		case r == '％':
			return '%'
		}
		return r
	}, s)
}

// checkAmount classifies what is wrong with s as an amount; with prefix
// it accepts text that is the start of an amount ("", "12.").
func checkAmount(s string, exponent int, prefix bool) error {
	bad := func(reason error) error { return &AmountError{Input: s, Reason: reason, Exponent: exponent} }
	if s == "" {
		if prefix {
			return nil
		}
		return bad(ErrAmountEmpty)
	}
	// The worst problem first: letters mean a scan or a slip, not money.
	var letters, sign, sep, other bool
	dots := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.':
			dots++
		case r == '-' || r == '+':
			sign = true
		case r == ',' || r == ' ' || r == '\'' || r == '_' || r == '\u00a0':
			sep = true
		case unicode.IsLetter(r):
			letters = true
		default:
			other = true
		}
	}
	switch {
	case letters:
		return bad(ErrAmountLetters)
	case sign:
		return bad(ErrAmountSign)
	case sep:
		return bad(ErrAmountSeparator)
	case other || dots > 1:
		return bad(ErrAmountShape)
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if hasDot && exponent == 0 || len(frac) > exponent {
		return bad(ErrAmountDecimals)
	}
	if whole == "" && hasDot || !prefix && hasDot && frac == "" {
		return bad(ErrAmountShape)
	}
	if len(strings.TrimLeft(whole, "0")) > 16 {
		return bad(ErrOverflow)
	}
	return nil
}

// Format renders m as a plain decimal string with the currency's exponent,
// e.g. 1250 -> "12.50". It is the inverse of ParseMoney and is meant for
// files and wire formats; display formatting lives in the UI.
func (m Money) Format(exponent int) string {
	neg := m < 0
	u := uint64(m)
	if neg {
		u = uint64(-m)
	}
	s := fmt.Sprintf("%0*d", exponent+1, u)
	if exponent > 0 {
		s = s[:len(s)-exponent] + "." + s[len(s)-exponent:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MulDivRound returns round(a*b/d) with halves rounded away from zero, the
// one rounding rule Till uses for tax, percentages and proportions. It
// computes the product in 128 bits so it never overflows silently.
func MulDivRound(a, b, d int64) (int64, error) {
	if d <= 0 {
		return 0, fmt.Errorf("divide by %d", d)
	}
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(a), abs64(b)
	hi, lo := bits.Mul64(ua, ub)
	if hi >= uint64(d) {
		return 0, ErrOverflow
	}
	q, r := bits.Div64(hi, lo, uint64(d))
	if r >= uint64(d)-r { // r >= d/2, halves away from zero
		q++
	}
	if q > math.MaxInt64 {
		return 0, ErrOverflow
	}
	if neg {
		return -int64(q), nil
	}
	return int64(q), nil
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// MulQty multiplies a unit price by a quantity, reporting overflow.
func MulQty(price Money, qty int64) (Money, error) {
	v, err := MulDivRound(int64(price), qty, 1)
	if err != nil || Money(v) > MaxAmount || Money(v) < -MaxAmount {
		return 0, fmt.Errorf("%d x %s: %w", qty, price.Format(0), ErrOverflow)
	}
	return Money(v), nil
}

// RoundCash rounds an amount to the nearest multiple of step (halves away
// from zero), as a drawer that has no smaller coins must.
func RoundCash(m, step Money) Money {
	if step <= 1 {
		return m
	}
	v, _ := MulDivRound(int64(m), 1, int64(step))
	return Money(v) * step
}

// Allocate splits total into parts proportional to weights using the
// largest-remainder method, so the parts always add up to total exactly.
// Zero weights get zero; if all weights are zero the split is even.
func Allocate(total Money, weights []int64) ([]Money, error) {
	n := len(weights)
	parts := make([]Money, n)
	if n == 0 {
		if total != 0 {
			return nil, errors.New("allocate a non-zero amount over nothing")
		}
		return parts, nil
	}
	var sum int64
	for _, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("negative weight %d", w)
		}
		if sum > math.MaxInt64-w {
			return nil, ErrOverflow
		}
		sum += w
	}
	if sum == 0 {
		weights = make([]int64, n)
		for i := range weights {
			weights[i] = 1
		}
		sum = int64(n)
	}
	sign := int64(1)
	t := int64(total)
	if t < 0 {
		sign, t = -1, -t
	}
	rems := make([]uint64, n)
	var given int64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(t), uint64(w))
		q, r := bits.Div64(hi, lo, uint64(sum))
		parts[i] = Money(q)
		rems[i] = r
		given += int64(q)
	}
	// Hand the leftover units to the largest remainders, ties to the
	// earliest line so the result is deterministic.
	for left := t - given; left > 0; left-- {
		best := -1
		for i := range rems {
			if weights[i] > 0 && (best < 0 || rems[i] > rems[best]) {
				best = i
			}
		}
		parts[best]++
		rems[best] = 0
	}
	if sign < 0 {
		for i := range parts {
			parts[i] = -parts[i]
		}
	}
	return parts, nil
}
