package pos

import (
	"errors"
	"strings"
	"testing"
)

func TestGTINCheckDigit(t *testing.T) {
	tests := []struct {
		body string
		want byte
	}{
		{"690001234500", '4'},  // EAN-13 from the demo catalog
		{"400638133393", '1'},  // EAN-13
		{"9638507", '4'},       // EAN-8
		{"03600029145", '2'},   // UPC-A
		{"1001234567890", '2'}, // GTIN-14
		{"1061414100041", '5'}, // GTIN-14
		{"0000000", '0'},       // sum 0 -> 0, not 10
		{"", '0'},              // nothing to weigh
	}
	for _, tc := range tests {
		if got := GTINCheckDigit(tc.body); got != tc.want {
			t.Errorf("GTINCheckDigit(%q) = %c, want %c", tc.body, got, tc.want)
		}
	}
}

func TestValidateBarcode(t *testing.T) {
	valid := []string{
		// EAN-13 from /work/shared/data/demo-catalog.csv.
		"6900012345004", "6900012345370", "6900012345745", "6900012347596", "6900012354990", "6900012355737",
		"4006381333931",                                      // EAN-13
		"96385074",                                           // EAN-8
		"036000291452",                                       // UPC-A
		"10012345678902", "00614141000418", "10614141000415", // GTIN-14
		// Not GTIN lengths or not all digits: accepted as they are.
		"12345", "123456789", "1234567890123456", "SKU-1001", "ABC123", "A", "~!#$%",
		"6900012345005X", // would be a bad EAN-13 but is not all digits
		strings.Repeat("7", 64),
	}
	for _, code := range valid {
		if err := ValidateBarcode(code); err != nil {
			t.Errorf("ValidateBarcode(%q) = %v, want nil", code, err)
		}
	}
	badCheck := []string{
		"6900012345005",  // EAN-13, last digit off by one
		"6900012345040",  // two digits swapped
		"96385075",       // EAN-8
		"036000291453",   // UPC-A
		"10012345678903", // GTIN-14
		"00000001",
	}
	for _, code := range badCheck {
		err := ValidateBarcode(code)
		if !errors.Is(err, ErrCheckDigit) {
			t.Errorf("ValidateBarcode(%q) = %v, want ErrCheckDigit", code, err)
		}
	}
	invalid := []string{
		"",
		" ",
		"6900012345004 ",
		" 6900012345004",
		"690001 2345004",
		"ABC\t123",
		"ABC\n",
		"ABC\r",
		"\x00123",
		"123\x7f",
		"条码123",
		"café",
		strings.Repeat("7", 65),
	}
	for _, code := range invalid {
		err := ValidateBarcode(code)
		if err == nil {
			t.Errorf("ValidateBarcode(%q) = nil, want an error", code)
		} else if errors.Is(err, ErrCheckDigit) {
			t.Errorf("ValidateBarcode(%q) = %v, want an error other than ErrCheckDigit", code, err)
		}
	}
}

// TestValidateBarcodeEveryCheckDigit checks that of the ten possible last
// digits exactly one is accepted, for every GTIN length.
func TestValidateBarcodeEveryCheckDigit(t *testing.T) {
	for _, body := range []string{"690001234500", "9638507", "03600029145", "1001234567890"} {
		accepted := 0
		for d := byte('0'); d <= '9'; d++ {
			err := ValidateBarcode(body + string(d))
			switch {
			case err == nil:
				accepted++
				if d != GTINCheckDigit(body) {
					t.Errorf("%s%c accepted, but its check digit is %c", body, d, GTINCheckDigit(body))
				}
			case !errors.Is(err, ErrCheckDigit):
				t.Errorf("%s%c: %v, want ErrCheckDigit", body, d, err)
			}
		}
		if accepted != 1 {
			t.Errorf("%s?: %d check digits accepted, want 1", body, accepted)
		}
	}
}
