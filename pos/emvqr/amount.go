package emvqr

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tillpos/till/internal/errmsg"
)

// maxExponent is the largest currency exponent FormatAmount and ParseAmount
// accept: 10^18 is the largest power of ten an int64 holds.
const maxExponent = 18

// FormatAmount formats an amount given in integer minor units as an EMV
// amount string with exponent digits after the decimal point:
// FormatAmount(1250, 2) is "12.50", FormatAmount(5, 2) is "0.05" and
// FormatAmount(1250, 0) is "1250". A negative amount gets a leading '-', which
// is not a valid EMV amount. It panics if exponent is outside 0-18.
func FormatAmount(minor int64, exponent int) string {
	if exponent < 0 || exponent > maxExponent {
		panic(fmt.Sprintf("emvqr: FormatAmount: exponent %d outside 0-%d", exponent, maxExponent))
	}
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	if exponent > 0 {
		if len(digits) <= exponent {
			digits = strings.Repeat("0", exponent-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-exponent] + "." + digits[len(digits)-exponent:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// ParseAmount parses an EMV amount string into integer minor units for a
// currency with the given exponent: ParseAmount("12.5", 2) is 1250. The string
// must consist of digits with at most one '.' and at least one digit (as in
// "98.73", "98" or "98."); signs, exponents, spaces and separators are
// rejected, as are more decimals than exponent and values that overflow an
// int64. Errors wrap ErrAmount.
func ParseAmount(s string, exponent int) (int64, error) {
	if exponent < 0 || exponent > maxExponent {
		return 0, newErr(ErrAmount, "", -1, errmsg.Errorf("exponent %d outside 0-%d", exponent, maxExponent))
	}
	if !isNumber(s) {
		return 0, newErr(ErrAmount, "", -1, errmsg.Errorf("%q is not a number: use digits and at most one '.'", s))
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) > exponent {
		return 0, newErr(ErrAmount, "", -1, errmsg.Errorf("%q has %d decimals, the currency has %d", s, len(frac), exponent))
	}
	var v int64
	for _, part := range []string{intPart, frac + strings.Repeat("0", exponent-len(frac))} {
		for i := 0; i < len(part); i++ {
			d := int64(part[i] - '0')
			if v > (math.MaxInt64-d)/10 {
				return 0, newErr(ErrAmount, "", -1, errmsg.Errorf("%q is too large", s))
			}
			v = v*10 + d
		}
	}
	return v, nil
}

// isNumber reports whether s is digits with at most one '.' and at least one
// digit.
func isNumber(s string) bool {
	dots, digits := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dots++
		case '0' <= c && c <= '9':
			digits++
		default:
			return false
		}
	}
	return dots <= 1 && digits > 0
}
