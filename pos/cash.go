package pos

import (
	"errors"
	"fmt"
	"strings"
)

// Why cash typed at checkout is refused even though it is an amount.
var (
	// ErrLooksLikeBarcode: digits of a GTIN length with a valid check
	// digit, or more whole digits than any banknote pile: a scan that
	// landed in the cash field.
	ErrLooksLikeBarcode = errors.New("looks like a scanned barcode, not cash")
	// ErrImplausibleCash: far more than the amount due.
	ErrImplausibleCash = errors.New("far more than the amount due")
)

// MaxCashWholeDigits is the most digits before the decimal point that
// cash given may have: more is a scanner, not a banknote.
const MaxCashWholeDigits = 8

// MaxOverpay bounds cash given as a multiple of the amount due.
const MaxOverpay = 100

// ParseCashGiven reads the cash a customer handed over, as typed at
// checkout, against what is due in cash. It refuses, with a specific
// error and never a guess:
//   - anything ParseAmount refuses (letters, signs, separators, too many
//     decimals), and an empty field (ErrAmountEmpty): "exact money" is a
//     deliberate choice the screen offers, never what a blank Enter means;
//   - what a scan would type (ErrLooksLikeBarcode);
//   - more than MaxOverpay times the amount due (ErrImplausibleCash);
//   - less than due: a *ShortError saying how much is missing.
func ParseCashGiven(text string, due Money, cur Currency) (Money, error) {
	given, err := ParseAmount(text, cur)
	if err != nil {
		return 0, err
	}
	digits := normalizeAmount(text)
	whole, _, _ := strings.Cut(digits, ".")
	if looksLikeGTIN(digits) || len(whole) > MaxCashWholeDigits {
		return 0, fmt.Errorf("%q %w", digits, ErrLooksLikeBarcode)
	}
	if due > 0 && due <= MaxAmount && given > due*MaxOverpay {
		return 0, fmt.Errorf("%s is %w (%s)", given.Format(cur.Exponent), ErrImplausibleCash, due.Format(cur.Exponent))
	}
	if given < due {
		return 0, &ShortError{Short: due - given, Exponent: cur.Exponent}
	}
	return given, nil
}

// looksLikeGTIN reports digits of a GTIN length (8, 12, 13, 14) ending in
// a valid check digit.
func looksLikeGTIN(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
		return strings.Trim(s, "0123456789") == "" && GTINCheckDigit(s[:len(s)-1]) == s[len(s)-1]
	}
	return false
}
