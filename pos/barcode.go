package pos

import (
	"errors"

	"github.com/tillpos/till/internal/errmsg"
)

// ErrCheckDigit reports a GTIN barcode whose check digit is wrong.
var ErrCheckDigit = errors.New("bad check digit")

// ValidateBarcode checks a barcode. All-digit codes of GTIN length (EAN-8,
// UPC-A, EAN-13, GTIN-14) must carry a correct check digit, since a
// mistyped one would otherwise sell the wrong goods. Other codes (in-store
// codes, Code 128 labels) are accepted as plain strings of printable ASCII.
func ValidateBarcode(code string) error {
	if code == "" {
		return errmsg.Errorf("empty barcode")
	}
	if len(code) > 64 {
		return errmsg.Errorf("barcode %.20q...: longer than 64 characters", code)
	}
	digits := true
	for _, c := range []byte(code) {
		if c < 0x21 || c > 0x7e {
			return errmsg.Errorf("barcode %q: only printable ASCII without spaces", code)
		}
		if c < '0' || c > '9' {
			digits = false
		}
	}
	if !digits {
		return nil
	}
	switch len(code) {
	case 8, 12, 13, 14:
		want := GTINCheckDigit(code[:len(code)-1])
		if code[len(code)-1] != want {
			return errmsg.Errorf("barcode %s: %w (want %c)", code, ErrCheckDigit, want)
		}
	}
	return nil
}

// GTINCheckDigit computes the GS1 check digit for the digits before it:
// weights 3,1,3,... from the right.
func GTINCheckDigit(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
