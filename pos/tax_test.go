package pos

import (
	"math/rand/v2"
	"testing"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"13%", 1300, true},
		{"13", 1300, true},
		{"9.5%", 950, true},
		{"9.55%", 955, true},
		{"6%", 600, true},
		{"0", 0, true},
		{"0%", 0, true},
		{"100%", 10000, true},
		{"100.00%", 10000, true},
		{"0.01%", 1, true},
		{" 13 % ", 1300, true},
		{"abc", 0, false},
		{"", 0, false},
		{"%", 0, false},
		{"101%", 0, false},
		{"100.01%", 0, false},
		{"-1%", 0, false},
		{"+1%", 0, false},
		{"9.555%", 0, false},
		{"13%%", 0, false},
		{"%13", 0, false},
		{"1e2%", 0, false},
		{"13,5%", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseRate(tc.in)
		if !tc.ok {
			if err == nil {
				t.Errorf("ParseRate(%q) = %d, nil; want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestRateString(t *testing.T) {
	tests := []struct {
		r    Rate
		want string
	}{
		{0, "0%"},
		{1, "0.01%"},
		{5, "0.05%"},
		{50, "0.5%"},
		{100, "1%"},
		{600, "6%"},
		{950, "9.5%"},
		{955, "9.55%"},
		{1000, "10%"},
		{1300, "13%"},
		{10000, "100%"},
	}
	for _, tc := range tests {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("Rate(%d).String() = %q, want %q", tc.r, got, tc.want)
		}
	}
	// Every rate a shop can configure survives String and ParseRate.
	for r := Rate(0); r <= RateScale; r++ {
		got, err := ParseRate(r.String())
		if err != nil || got != r {
			t.Fatalf("ParseRate(Rate(%d).String() = %q) = %d, %v", r, r.String(), got, err)
		}
	}
}

func TestRatePercent(t *testing.T) {
	tests := []struct {
		r    Rate
		m    Money
		want Money
	}{
		{1000, 999, 100}, // 99.9 -> 100
		{1000, 994, 99},  // 99.4 -> 99
		{1000, 995, 100}, // 99.5 -> 100
		{1000, 5, 1},     // 0.5 -> 1
		{1000, 4, 0},
		{10000, 1234, 1234},
		{0, 1234, 0},
		{2500, 1000, 250},
	}
	for _, tc := range tests {
		got, err := tc.r.Percent(tc.m)
		if err != nil || got != tc.want {
			t.Errorf("Rate(%d).Percent(%d) = %d, %v; want %d", tc.r, tc.m, got, err, tc.want)
		}
	}
}

func TestTaxIncluded(t *testing.T) {
	tests := []struct {
		r     Rate
		gross Money
		want  Money
	}{
		{1300, 11300, 1300}, // 113.00 at 13% carries 13.00
		{1300, 113, 13},
		{1300, 100, 12},  // 11.504 -> 12
		{1300, 200, 23},  // 23.008 -> 23
		{1300, 899, 103}, // 103.42 -> 103
		{1300, 1, 0},     // 0.115 -> 0
		{1300, 5, 1},     // 0.575 -> 1
		{1300, 4, 0},     // 0.46 -> 0
		{900, 109, 9},
		{600, 106, 6},
		{0, 12345, 0},
		{2000, 3, 1},  // 0.5 -> 1, half away from zero
		{2000, 9, 2},  // 1.5 -> 2
		{2000, 15, 3}, // 2.5 -> 3
		{10000, 1, 1}, // 0.5 -> 1
		{10000, 3, 2}, // 1.5 -> 2
		{1300, 0, 0},
		{1300, -11300, -1300}, // a negative amount mirrors the positive one
		{2000, -3, -1},
	}
	for _, tc := range tests {
		got, err := tc.r.TaxIncluded(tc.gross)
		if err != nil || got != tc.want {
			t.Errorf("Rate(%s).TaxIncluded(%d) = %d, %v; want %d", tc.r, tc.gross, got, err, tc.want)
		}
	}
}

func TestTaxOn(t *testing.T) {
	tests := []struct {
		r    Rate
		net  Money
		want Money
	}{
		{1300, 10000, 1300},
		{1300, 1000, 130},
		{1300, 1, 0},  // 0.13 -> 0
		{1300, 4, 1},  // 0.52 -> 1
		{1000, 5, 1},  // 0.5 -> 1
		{1000, 15, 2}, // 1.5 -> 2
		{1000, 14, 1},
		{950, 100, 10}, // 9.5 -> 10
		{950, 300, 29}, // 28.5 -> 29
		{600, 250, 15},
		{0, 999, 0},
		{1000, -5, -1},
	}
	for _, tc := range tests {
		got, err := tc.r.TaxOn(tc.net)
		if err != nil || got != tc.want {
			t.Errorf("Rate(%s).TaxOn(%d) = %d, %v; want %d", tc.r, tc.net, got, err, tc.want)
		}
	}
}

// TestTaxOnThenIncluded checks that the two tax rules agree: the tax
// contained in net+TaxOn(net) is TaxOn(net) again, for any rate up to 100%.
func TestTaxOnThenIncluded(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 50000 {
		r := Rate(rng.Int64N(RateScale + 1))
		net := Money(rng.Int64N(10_000_000))
		tax, err := r.TaxOn(net)
		if err != nil {
			t.Fatal(err)
		}
		back, err := r.TaxIncluded(net + tax)
		if err != nil || back != tax {
			t.Fatalf("rate %s: TaxOn(%d) = %d but TaxIncluded(%d) = %d, %v", r, net, tax, net+tax, back, err)
		}
	}
}
