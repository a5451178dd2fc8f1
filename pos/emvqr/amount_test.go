package emvqr

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestFormatAmount(t *testing.T) {
	for _, tc := range []struct {
		minor int64
		exp   int
		want  string
	}{
		{1250, 2, "12.50"},
		{1250, 0, "1250"},
		{5, 2, "0.05"},
		{50, 2, "0.50"},
		{0, 2, "0.00"},
		{0, 0, "0"},
		{100, 3, "0.100"},
		{123456, 3, "123.456"},
		{1, 4, "0.0001"},
		{120000, 0, "120000"},
		{-1250, 2, "-12.50"},
		{-5, 2, "-0.05"},
		{math.MaxInt64, 2, "92233720368547758.07"},
		{math.MinInt64, 2, "-92233720368547758.08"},
		{math.MaxInt64, 18, "9.223372036854775807"},
		{1, 18, "0.000000000000000001"},
	} {
		eq(t, "FormatAmount", FormatAmount(tc.minor, tc.exp), tc.want)
	}
}

func TestFormatAmountPanics(t *testing.T) {
	for _, exp := range []int{-1, 19} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FormatAmount(1, %d) did not panic", exp)
				}
			}()
			FormatAmount(1, exp)
		}()
	}
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		s    string
		exp  int
		want int64
	}{
		{"12.50", 2, 1250},
		{"12.5", 2, 1250},
		{"12", 2, 1200},
		{"12.", 2, 1200},
		{".5", 2, 50},
		{"0", 2, 0},
		{"0.00", 2, 0},
		{"007", 2, 700},
		{"1250", 0, 1250},
		{"1250.", 0, 1250},
		{"23.72", 2, 2372},
		{"123.456", 3, 123456},
		{"9223372036854775807", 0, math.MaxInt64},
		{"92233720368547758.07", 2, math.MaxInt64},
		{"9.223372036854775807", 18, math.MaxInt64},
	} {
		got, err := ParseAmount(tc.s, tc.exp)
		if err != nil || got != tc.want {
			t.Errorf("ParseAmount(%q, %d) = %d, %v; want %d", tc.s, tc.exp, got, err, tc.want)
		}
	}
}

func TestParseAmountErrors(t *testing.T) {
	for _, tc := range []struct {
		s   string
		exp int
	}{
		{"", 2},
		{".", 2},
		{"..", 2},
		{"1.2.3", 2},
		{"12..5", 2},
		{"-1", 2},
		{"+1", 2},
		{"1e3", 2},
		{"1E3", 2},
		{" 1", 2},
		{"1 ", 2},
		{"1,00", 2},
		{"1_000", 2},
		{"0x10", 2},
		{"١٢", 2}, // Arabic-Indic digits
		{"NaN", 2},
		{"Inf", 2},
		{"12.345", 2}, // too many decimals
		{"12.5", 0},
		{"0.001", 2},
		{"9223372036854775808", 0}, // overflow
		{"92233720368547758.08", 2},
		{"99999999999999999999999", 0},
		{"10", 18},
		{"1", -1}, // bad exponent
		{"1", 19},
	} {
		if got, err := ParseAmount(tc.s, tc.exp); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseAmount(%q, %d) = %d, %v; want ErrAmount", tc.s, tc.exp, got, err)
		}
	}
}

func TestAmountRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		exp := r.IntN(5)
		v := r.Int64N(math.MaxInt64)
		if i%2 == 0 {
			v %= 1_000_000
		}
		s := FormatAmount(v, exp)
		got, err := ParseAmount(s, exp)
		if err != nil || got != v {
			t.Fatalf("ParseAmount(FormatAmount(%d, %d) = %q) = %d, %v", v, exp, s, got, err)
		}
	}
}
