package pos

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in       string
		exponent int
		want     Money
		err      error // nil: must parse; ErrAmount or ErrOverflow: errors.Is must hold
	}{
		{"0", 2, 0, nil},
		{"12", 2, 1200, nil},
		{"12.5", 2, 1250, nil},
		{"12.50", 2, 1250, nil},
		{"0.01", 2, 1, nil},
		{"0.00", 2, 0, nil},
		{"007.10", 2, 710, nil},
		{"10000000000000.00", 2, MaxAmount, nil}, // the largest amount allowed
		{"", 2, 0, ErrAmount},
		{".", 2, 0, ErrAmount},
		{"12.", 2, 0, ErrAmount},
		{".5", 2, 0, ErrAmount},
		{"-1", 2, 0, ErrAmount},
		{"+1", 2, 0, ErrAmount},
		{"1e3", 2, 0, ErrAmount},
		{"1,000", 2, 0, ErrAmount},
		{"1,5", 2, 0, ErrAmount},
		{"12.505", 2, 0, ErrAmount},
		{" 1", 2, 0, ErrAmount},
		{"1 ", 2, 0, ErrAmount},
		{"1.2.3", 2, 0, ErrAmount},
		{"1.2.3", 3, 0, ErrAmount},
		{"0x10", 2, 0, ErrAmount},
		{"١٢", 2, 0, ErrAmount}, // Arabic-Indic digits are not ASCII digits
		{"12.5a", 2, 0, ErrAmount},
		{"99999999999999999999", 2, 0, ErrOverflow},
		{"10000000000000.01", 2, 0, ErrOverflow},
		{"9223372036854775807", 0, 0, ErrOverflow},
		// exponent 0 (JPY, KRW): no decimals at all.
		{"0", 0, 0, nil},
		{"1500", 0, 1500, nil},
		{"1500.0", 0, 0, ErrAmount},
		{"1500.", 0, 0, ErrAmount},
		{"1000000000000000", 0, MaxAmount, nil},
		{"1000000000000001", 0, 0, ErrOverflow},
		// exponent 3 (KWD, BHD).
		{"1.234", 3, 1234, nil},
		{"1.2", 3, 1200, nil},
		{"0.001", 3, 1, nil},
		{"1", 3, 1000, nil},
		{"1.2345", 3, 0, ErrAmount},
	}
	for _, tc := range tests {
		got, err := ParseMoney(tc.in, tc.exponent)
		if tc.err == nil {
			if err != nil || got != tc.want {
				t.Errorf("ParseMoney(%q, %d) = %d, %v; want %d, nil", tc.in, tc.exponent, got, err, tc.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseMoney(%q, %d) = %d, nil; want error %v", tc.in, tc.exponent, got, tc.err)
			continue
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("ParseMoney(%q, %d) error %v; want errors.Is %v", tc.in, tc.exponent, err, tc.err)
		}
		if !errors.Is(err, ErrAmount) {
			t.Errorf("ParseMoney(%q, %d) error %v; want it to wrap ErrAmount too", tc.in, tc.exponent, err)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		m        Money
		exponent int
		want     string
	}{
		{0, 2, "0.00"},
		{1, 2, "0.01"},
		{10, 2, "0.10"},
		{1250, 2, "12.50"},
		{-1250, 2, "-12.50"},
		{-1, 2, "-0.01"},
		{0, 0, "0"},
		{1500, 0, "1500"},
		{-1500, 0, "-1500"},
		{5, 3, "0.005"},
		{1234, 3, "1.234"},
		{-1234, 3, "-1.234"},
		{math.MaxInt64, 2, "92233720368547758.07"},
		{math.MinInt64, 2, "-92233720368547758.08"},
	}
	for _, tc := range tests {
		if got := tc.m.Format(tc.exponent); got != tc.want {
			t.Errorf("Money(%d).Format(%d) = %q, want %q", tc.m, tc.exponent, got, tc.want)
		}
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := []Money{0, 1, 9, 10, 99, 100, 101, 1250, 123456789, MaxAmount}
	for range 2000 {
		values = append(values, Money(rng.Int64N(int64(MaxAmount)+1)))
	}
	for _, exp := range []int{0, 2, 3} {
		for _, v := range values {
			for _, m := range []Money{v, -v} {
				s := m.Format(exp)
				if m < 0 && !strings.HasPrefix(s, "-") {
					t.Fatalf("Money(%d).Format(%d) = %q: want a minus sign", m, exp, s)
				}
				// ParseMoney takes no sign: parse the magnitude.
				got, err := ParseMoney(strings.TrimPrefix(s, "-"), exp)
				if err != nil {
					t.Fatalf("ParseMoney(Format(%d, %d) = %q): %v", m, exp, s, err)
				}
				if m < 0 {
					got = -got
				}
				if got != m {
					t.Fatalf("round trip of %d at exponent %d via %q gave %d", m, exp, s, got)
				}
			}
		}
	}
}

func TestMulDivRound(t *testing.T) {
	tests := []struct {
		a, b, d int64
		want    int64
		err     bool
	}{
		{0, 5, 3, 0, false},
		{10, 3, 5, 6, false},  // exact
		{5, 1, 2, 3, false},   // 2.5 -> 3
		{-5, 1, 2, -3, false}, // -2.5 -> -3
		{5, -1, 2, -3, false},
		{-5, -1, 2, 3, false},
		{3, 1, 2, 2, false},   // 1.5 -> 2
		{-3, 1, 2, -2, false}, // -1.5 -> -2
		{1, 1, 2, 1, false},   // 0.5 -> 1
		{-1, 1, 2, -1, false},
		{1, 1, 3, 0, false},   // 0.33 -> 0
		{2, 1, 3, 1, false},   // 0.67 -> 1
		{-2, 1, 3, -1, false}, // -0.67 -> -1
		{-1, 1, 3, 0, false},
		{7, 1, 4, 2, false},            // 1.75 -> 2
		{999, 1000, 10000, 100, false}, // 99.9 -> 100
		{994, 1000, 10000, 99, false},  // 99.4 -> 99
		{995, 1000, 10000, 100, false}, // 99.5 -> 100
		// The product overflows int64 but the quotient does not.
		{1 << 62, 4, 8, 1 << 61, false},
		{math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64, false},
		{math.MaxInt64, 3, 3, math.MaxInt64, false},
		{-math.MaxInt64, math.MaxInt64, math.MaxInt64, -math.MaxInt64, false},
		// Results beyond int64.
		{math.MaxInt64, 2, 1, 0, true},
		{math.MaxInt64, math.MaxInt64, 1, 0, true},
		{math.MaxInt64, 3, 2, 0, true},
		{math.MinInt64, math.MinInt64, 1, 0, true},
		{-math.MaxInt64, 2, 1, 0, true},
		// Bad divisors.
		{1, 1, 0, 0, true},
		{1, 1, -1, 0, true},
	}
	for _, tc := range tests {
		got, err := MulDivRound(tc.a, tc.b, tc.d)
		if tc.err {
			if err == nil {
				t.Errorf("MulDivRound(%d, %d, %d) = %d, nil; want an error", tc.a, tc.b, tc.d, got)
			}
			if tc.d > 0 && !errors.Is(err, ErrOverflow) {
				t.Errorf("MulDivRound(%d, %d, %d) error %v; want ErrOverflow", tc.a, tc.b, tc.d, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("MulDivRound(%d, %d, %d) = %d, %v; want %d", tc.a, tc.b, tc.d, got, err, tc.want)
		}
	}
}

// bigRound is the reference: round(a*b/d), halves away from zero, in
// arbitrary precision.
func bigRound(a, b, d int64) *big.Int {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	neg := p.Sign() < 0
	p.Abs(p)
	q, r := new(big.Int).QuoRem(p, big.NewInt(d), new(big.Int))
	if new(big.Int).Lsh(r, 1).Cmp(big.NewInt(d)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q
}

func TestMulDivRoundMatchesBigInt(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	operand := func() int64 {
		switch rng.IntN(4) {
		case 0:
			return rng.Int64N(1000) - 500
		case 1:
			return rng.Int64N(1<<40) - 1<<39
		default:
			return int64(rng.Uint64())
		}
	}
	for range 20000 {
		a, b := operand(), operand()
		d := rng.Int64N(math.MaxInt64) + 1
		if rng.IntN(2) == 0 {
			d = rng.Int64N(20000) + 1
		}
		want := bigRound(a, b, d)
		got, err := MulDivRound(a, b, d)
		if !want.IsInt64() || want.Int64() == math.MinInt64 {
			if err == nil {
				t.Fatalf("MulDivRound(%d, %d, %d) = %d; want overflow (exact %s)", a, b, d, got, want)
			}
			continue
		}
		if err != nil || got != want.Int64() {
			t.Fatalf("MulDivRound(%d, %d, %d) = %d, %v; want %s", a, b, d, got, err, want)
		}
	}
}

func TestMulQty(t *testing.T) {
	tests := []struct {
		price Money
		qty   int64
		want  Money
		err   bool
	}{
		{333, 3, 999, false},
		{0, MaxQty, 0, false},
		{MaxAmount, 1, MaxAmount, false},
		{MaxAmount, 2, 0, true},
		{math.MaxInt64, 2, 0, true},
		{-MaxAmount, 2, 0, true},
	}
	for _, tc := range tests {
		got, err := MulQty(tc.price, tc.qty)
		if tc.err {
			if !errors.Is(err, ErrOverflow) {
				t.Errorf("MulQty(%d, %d) = %d, %v; want ErrOverflow", tc.price, tc.qty, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("MulQty(%d, %d) = %d, %v; want %d", tc.price, tc.qty, got, err, tc.want)
		}
	}
}

func TestRoundCash(t *testing.T) {
	tests := []struct {
		m, step, want Money
	}{
		{1253, 5, 1255},
		{1252, 5, 1250},
		{1250, 5, 1250},
		{1257, 5, 1255},
		{1258, 5, 1260},
		{2, 5, 0},
		{3, 5, 5},
		{0, 5, 0},
		{-1253, 5, -1255},
		{-1252, 5, -1250},
		{1254, 10, 1250},
		{1255, 10, 1260}, // half away from zero
		{1256, 10, 1260},
		{-1255, 10, -1260},
		{-1254, 10, -1250},
		{50, 100, 100},
		{49, 100, 0},
		{-50, 100, -100},
		{1253, 1, 1253}, // no rounding
		{1253, 0, 1253},
		{-7, 0, -7},
		{-7, 1, -7},
		{1253, -5, 1253},
	}
	for _, tc := range tests {
		if got := RoundCash(tc.m, tc.step); got != tc.want {
			t.Errorf("RoundCash(%d, %d) = %d, want %d", tc.m, tc.step, got, tc.want)
		}
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		name    string
		total   Money
		weights []int64
		want    []Money
	}{
		{"even thirds, tie to the first", 100, []int64{1, 1, 1}, []Money{34, 33, 33}},
		{"two left over, ties in order", 2, []int64{1, 1, 1}, []Money{1, 1, 0}},
		{"one unit between equals", 1, []int64{3, 3}, []Money{1, 0}},
		{"proportional exact", 100, []int64{1, 2, 1}, []Money{25, 50, 25}},
		{"largest remainder wins", 7, []int64{2, 3, 5}, []Money{1, 2, 4}},
		{"largest remainder not first", 10, []int64{1, 1, 8}, []Money{1, 1, 8}},
		{"remainder goes to 0.9 not 0.1", 2, []int64{1, 9, 10}, []Money{0, 1, 1}},
		{"zero weights get nothing", 10, []int64{0, 5, 5}, []Money{0, 5, 5}},
		{"zero weight skipped for leftover", 1, []int64{0, 0, 1}, []Money{0, 0, 1}},
		{"zero weight first with leftover", 3, []int64{0, 1, 1}, []Money{0, 2, 1}},
		{"all zero weights split evenly", 10, []int64{0, 0, 0}, []Money{4, 3, 3}},
		{"negative total", -100, []int64{1, 1, 1}, []Money{-34, -33, -33}},
		{"negative total weighted", -7, []int64{2, 3, 5}, []Money{-1, -2, -4}},
		{"zero total", 0, []int64{3, 4}, []Money{0, 0}},
		{"one part", 999, []int64{17}, []Money{999}},
		{"nothing over nothing", 0, nil, []Money{}},
		{"huge weights", MaxAmount, []int64{math.MaxInt64 / 2, math.MaxInt64 / 2}, []Money{MaxAmount / 2, MaxAmount / 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := slices.Clone(tc.weights)
			got, err := Allocate(tc.total, w)
			if err != nil {
				t.Fatalf("Allocate(%d, %v): %v", tc.total, tc.weights, err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Allocate(%d, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
			}
			if !slices.Equal(w, tc.weights) {
				t.Errorf("Allocate changed its weights to %v", w)
			}
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	tests := []struct {
		name     string
		total    Money
		weights  []int64
		overflow bool
	}{
		{"negative weight", 10, []int64{1, -1, 2}, false},
		{"non-zero over nothing", 5, nil, false},
		{"weights overflow", 10, []int64{math.MaxInt64, 1}, true},
	}
	for _, tc := range tests {
		got, err := Allocate(tc.total, tc.weights)
		if err == nil {
			t.Errorf("%s: Allocate(%d, %v) = %v, nil; want an error", tc.name, tc.total, tc.weights, got)
			continue
		}
		if tc.overflow && !errors.Is(err, ErrOverflow) {
			t.Errorf("%s: error %v; want ErrOverflow", tc.name, err)
		}
	}
}

// TestAllocateProperties checks, over many pseudo-random inputs, that parts
// add up to the total, that each part is its exact share rounded down or up,
// that zero weights get nothing, and that the result is deterministic.
func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := range 20000 {
		n := 1 + rng.IntN(12)
		weights := make([]int64, n)
		var sum int64
		for i := range weights {
			switch rng.IntN(5) {
			case 0: // zero weight
			case 1:
				weights[i] = rng.Int64N(1 << 50)
			default:
				weights[i] = rng.Int64N(100000)
			}
			sum += weights[i]
		}
		total := Money(rng.Int64N(2*int64(MaxAmount)+1) - int64(MaxAmount))
		if iter%2 == 0 {
			total = Money(rng.Int64N(2001) - 1000)
		}
		parts, err := Allocate(total, weights)
		if err != nil {
			t.Fatalf("Allocate(%d, %v): %v", total, weights, err)
		}
		if len(parts) != n {
			t.Fatalf("Allocate(%d, %v) gave %d parts", total, weights, len(parts))
		}
		// With all weights zero the split is even: every weight counts as 1.
		allZero := sum == 0
		esum := sum
		if allZero {
			esum = int64(n)
		}
		var got Money
		for i, p := range parts {
			got += p
			if p != 0 && (p < 0) != (total < 0) {
				t.Fatalf("Allocate(%d, %v): part %d = %d has the wrong sign", total, weights, i, p)
			}
			w := weights[i]
			if allZero {
				w = 1
			} else if w == 0 && p != 0 {
				t.Fatalf("Allocate(%d, %v): zero weight %d got %d", total, weights, i, p)
			}
			// |p*esum - total*w| < esum: p is the exact share rounded down or up.
			diff := new(big.Int).Sub(
				new(big.Int).Mul(big.NewInt(int64(p)), big.NewInt(esum)),
				new(big.Int).Mul(big.NewInt(int64(total)), big.NewInt(w)))
			if diff.Abs(diff).Cmp(big.NewInt(esum)) >= 0 {
				t.Fatalf("Allocate(%d, %v): part %d = %d is more than one unit off its share", total, weights, i, p)
			}
		}
		if got != total {
			t.Fatalf("Allocate(%d, %v) = %v sums to %d", total, weights, parts, got)
		}
		again, _ := Allocate(total, weights)
		if !slices.Equal(parts, again) {
			t.Fatalf("Allocate(%d, %v) not deterministic: %v then %v", total, weights, parts, again)
		}
	}
}
