package pos

import (
	"errors"
	"testing"
)

// TestParseCashGiven is issue 10 items 2 and 3 for the checkout's cash
// field: only a well-formed, plausible amount that covers what is due
// is taken; nothing else ever completes a sale.
func TestParseCashGiven(t *testing.T) {
	const due = Money(7190) // ¥71.90
	tests := []struct {
		in   string
		want Money
		err  error
	}{
		{"71.90", 7190, nil},
		{"100", 10000, nil},
		{" 80 ", 8000, nil},
		{"SKU1006", 0, ErrAmountLetters}, // was: cash 1006.00, change 934.10
		{"abc", 0, ErrAmountLetters},
		{"", 0, ErrAmountEmpty}, // never "exact money"
		{"50", 0, ErrUnderpaid},
		{"6901234567892", 0, ErrLooksLikeBarcode}, // EAN-13 with its check digit
		{"96385074", 0, ErrLooksLikeBarcode},      // EAN-8
		{"123456789", 0, ErrLooksLikeBarcode},     // nine whole digits
		{"7190.01", 0, ErrImplausibleCash},
		{"7190", 719000, nil}, // exactly 100 times: a big note on a small sale is allowed
		{"-100", 0, ErrAmountSign},
		{"71.905", 0, ErrAmountDecimals},
	}
	for _, tc := range tests {
		got, err := ParseCashGiven(tc.in, due, cny)
		if tc.err == nil {
			if err != nil || got != tc.want {
				t.Errorf("ParseCashGiven(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
			continue
		}
		if !errors.Is(err, tc.err) || got != 0 {
			t.Errorf("ParseCashGiven(%q) = %d, %v; want 0 and %v", tc.in, got, err, tc.err)
		}
	}
	var se *ShortError
	if _, err := ParseCashGiven("50", due, cny); !errors.As(err, &se) || se.Short != 2190 || err.Error() != "not enough paid: 21.90 short" {
		t.Fatalf("short: %v", err)
	}
}
