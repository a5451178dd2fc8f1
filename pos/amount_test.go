package pos

import (
	"errors"
	"strings"
	"testing"
)

var (
	jpy = Currency{Code: "JPY", Exponent: 0}
	kwd = Currency{Code: "KWD", Exponent: 3}
)

// TestParseAmountStrict is issue 10 item 2: an amount field accepts only
// a well-formed amount; "SKU1006" must not become 1006.00 in cash.
func TestParseAmountStrict(t *testing.T) {
	tests := []struct {
		in     string
		cur    Currency
		want   Money
		reason error // nil: must parse
		words  string
	}{
		{"50", cny, 5000, nil, ""},
		{"71.90", cny, 7190, nil, ""},
		{"71.9", cny, 7190, nil, ""},
		{" 12.50 ", cny, 1250, nil, ""}, // spaces around are ignored
		{"１２．５０", cny, 1250, nil, ""},   // full-width digits from an input method
		{"1500", jpy, 1500, nil, ""},    // yen has no decimals
		{"1.234", kwd, 1234, nil, ""},   // dinar has three
		{"SKU1006", cny, 0, ErrAmountLetters, `invalid amount "SKU1006": letters are not part of an amount (was it a scan?)`},
		{"1006SKU", cny, 0, ErrAmountLetters, "letters"},
		{"12a", cny, 0, ErrAmountLetters, "letters"},
		{"abc", cny, 0, ErrAmountLetters, "letters"},
		{"1e3", cny, 0, ErrAmountLetters, "letters"},
		{"五十", cny, 0, ErrAmountLetters, "letters"},
		{"-5", cny, 0, ErrAmountSign, "sign"},
		{"+5", cny, 0, ErrAmountSign, "sign"},
		{"5-", cny, 0, ErrAmountSign, "sign"},
		{"1,000", cny, 0, ErrAmountSeparator, "separators"},
		{"1 000", cny, 0, ErrAmountSeparator, "separators"},
		{"12.505", cny, 0, ErrAmountDecimals, "more than 2 decimal places"},
		{"1.2345", kwd, 0, ErrAmountDecimals, "more than 3 decimal places"},
		{"1500.5", jpy, 0, ErrAmountDecimals, "no decimal places"},
		{"1500.", jpy, 0, ErrAmountDecimals, "no decimal places"},
		{"", cny, 0, ErrAmountEmpty, "empty"},
		{"   ", cny, 0, ErrAmountEmpty, "empty"},
		{".5", cny, 0, ErrAmountShape, "12.50"},
		{"12.", cny, 0, ErrAmountShape, "12.50"},
		{"1.2.3", cny, 0, ErrAmountShape, "12.50"},
		{"12$", cny, 0, ErrAmountShape, "12.50"},
		{"¥12", cny, 0, ErrAmountShape, "12.50"},
		{"99999999999999999999", cny, 0, ErrOverflow, "too large"},
	}
	for _, tc := range tests {
		got, err := ParseAmount(tc.in, tc.cur)
		if tc.reason == nil {
			if err != nil || got != tc.want {
				t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", tc.in, tc.cur.Code, got, err, tc.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseAmount(%q, %s) = %d, nil; want it refused (%v)", tc.in, tc.cur.Code, got, tc.reason)
			continue
		}
		if got != 0 {
			t.Errorf("ParseAmount(%q) returned %d with its error; want 0", tc.in, got)
		}
		if !errors.Is(err, tc.reason) || !errors.Is(err, ErrAmount) {
			t.Errorf("ParseAmount(%q, %s) error %v; want errors.Is %v and ErrAmount", tc.in, tc.cur.Code, err, tc.reason)
		}
		var ae *AmountError
		if !errors.As(err, &ae) || ae.Reason != tc.reason {
			t.Errorf("ParseAmount(%q) error %#v; want an *AmountError with reason %v", tc.in, err, tc.reason)
		}
		if !strings.Contains(err.Error(), tc.words) {
			t.Errorf("ParseAmount(%q) says %q; want it to mention %q", tc.in, err, tc.words)
		}
	}
}

// TestCheckAmountTyping: the filter a screen runs on every key. It lets
// the start of an amount through and refuses (not drops) the rest.
func TestCheckAmountTyping(t *testing.T) {
	tests := []struct {
		in     string
		exp    int
		reason error
	}{
		{"", 2, nil},
		{"1", 2, nil},
		{"12.", 2, nil}, // about to type the decimals
		{"12.5", 2, nil},
		{"12.50", 2, nil},
		{"１２．", 2, nil},
		{"S", 2, ErrAmountLetters},
		{"SKU1006", 2, ErrAmountLetters},
		{"50a", 2, ErrAmountLetters},
		{"12.505", 2, ErrAmountDecimals},
		{"12.", 0, ErrAmountDecimals},
		{"-", 2, ErrAmountSign},
		{"1,", 2, ErrAmountSeparator},
		{".", 2, ErrAmountShape},
		{"1..", 2, ErrAmountShape},
		{"12%", 2, ErrAmountShape},
	}
	for _, tc := range tests {
		err := CheckAmountTyping(tc.in, tc.exp)
		if tc.reason == nil {
			if err != nil {
				t.Errorf("CheckAmountTyping(%q, %d) = %v; want nil", tc.in, tc.exp, err)
			}
			continue
		}
		if !errors.Is(err, tc.reason) || !errors.Is(err, ErrAmount) {
			t.Errorf("CheckAmountTyping(%q, %d) = %v; want %v", tc.in, tc.exp, err, tc.reason)
		}
	}
	// Whatever CheckAmountTyping accepts as complete, ParseAmount parses,
	// and whatever it refuses, ParseAmount refuses too.
	for _, s := range []string{"0", "7", "12.5", "SKU1", "1,5", "-1", "1.234"} {
		typingErr := CheckAmountTyping(s, 2)
		_, parseErr := ParseAmount(s, cny)
		if (typingErr == nil) != (parseErr == nil) {
			t.Errorf("%q: typing check %v but parse %v", s, typingErr, parseErr)
		}
	}
}

// TestParseMoneyReasons: the wire and file parser gives the same reasons.
func TestParseMoneyReasons(t *testing.T) {
	for in, reason := range map[string]error{"SKU1006": ErrAmountLetters, "-1": ErrAmountSign, "1,000": ErrAmountSeparator, "1.234": ErrAmountDecimals, " 1": ErrAmountSeparator} {
		if _, err := ParseMoney(in, 2); !errors.Is(err, reason) {
			t.Errorf("ParseMoney(%q) = %v; want %v", in, err, reason)
		}
	}
}

// TestParseDiscountRefusesLetters: a discount field is an amount field.
func TestParseDiscountRefusesLetters(t *testing.T) {
	for _, in := range []string{"5a", "a5%", "SKU1006", "-5", "5.555", "1,5%"} {
		if d, err := ParseDiscount(in, 2); err == nil {
			t.Errorf("ParseDiscount(%q) = %+v, nil; want it refused", in, d)
		}
	}
	if d, err := ParseDiscount("１０%", 2); err != nil || d.Percent != 1000 {
		t.Errorf("ParseDiscount(full-width 10%%) = %+v, %v", d, err)
	}
}

// TestAmountErrorWords: a file's bad price is not asked whether it was a
// scan; a typed one is.
func TestAmountErrorWords(t *testing.T) {
	_, err := ParseMoney("abc", 2)
	if err == nil || strings.Contains(err.Error(), "scan") {
		t.Errorf("file amount error %v", err)
	}
	if err := CheckAmountTyping("12a", 2); err == nil || !strings.Contains(err.Error(), "was it a scan?") {
		t.Errorf("typed amount error %v", err)
	}
}
