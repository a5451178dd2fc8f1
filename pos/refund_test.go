package pos

import (
	"errors"
	"maps"
	"math/rand/v2"
	"testing"
	"time"
)

var saleAt = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// mustSale prices and settles a cart paid with exactly enough cash.
func mustSale(t *testing.T, id string, c Cart, taxIncluded bool, step Money) Sale {
	t.Helper()
	tot, err := Price(c, taxIncluded)
	if err != nil {
		t.Fatalf("Price: %v", err)
	}
	cur := Currency{Code: "CNY", Exponent: 2, CashStep: step}
	s, err := NewSale(id, "T01", "alice", cur, saleAt, saleAt, c, taxIncluded, []Tender{cash(RoundCash(tot.Total, step))})
	if err != nil {
		t.Fatalf("NewSale: %v", err)
	}
	return s
}

// refundSale is a sale of two lines, prices including tax:
// line 0: 3 x 4.00 less 2.00 = 10.00 at 13%, tax 1.15;
// line 1: 2 x 5.00 = 10.00 at 9%, tax 0.83.
func refundSale(t *testing.T) Sale {
	c := Cart{Lines: []Line{
		withDiscount(line("A", 3, 400, 1300), amountOff(200)),
		line("B", 2, 500, 900),
	}}
	s := mustSale(t, "S1-T01", c, true, 0)
	if s.Lines[0].Net != 1000 || s.Lines[0].Tax != 115 || s.Lines[1].Net != 1000 || s.Lines[1].Tax != 83 {
		t.Fatalf("unexpected sale lines %+v", s.Lines)
	}
	return s
}

func TestNewRefundInSteps(t *testing.T) {
	s := refundSale(t)
	already := map[int]int64{}
	var amounts, taxes []Money
	for step := range 3 {
		r, err := NewRefund("R", "bob", KindRefund, saleAt.Add(time.Hour), s, already, map[int]int64{0: 1}, 0, "broken")
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if len(r.Lines) != 1 || r.Lines[0].Line != 0 || r.Lines[0].Qty != 1 || r.Lines[0].SKU != "A" || r.Lines[0].TaxRate != 1300 {
			t.Fatalf("step %d: lines %+v", step, r.Lines)
		}
		if r.Total != r.Lines[0].Amount || r.Tax != r.Lines[0].Tax || r.Rounding != 0 {
			t.Errorf("step %d: total %d tax %d rounding %d, lines %+v", step, r.Total, r.Tax, r.Rounding, r.Lines)
		}
		if len(r.Tenders) != 1 || r.Tenders[0].Kind != Cash || r.Tenders[0].Amount != r.Total {
			t.Errorf("step %d: tenders %+v, want %d in cash", step, r.Tenders, r.Total)
		}
		amounts = append(amounts, r.Total)
		taxes = append(taxes, r.Tax)
		already[0]++
	}
	// 10.00 over three: 3.33 + 3.34 + 3.33; 1.15 of tax: 0.38 + 0.39 + 0.38.
	if want := []Money{333, 334, 333}; !equalMoney(amounts, want) {
		t.Errorf("amounts %v, want %v", amounts, want)
	}
	if want := []Money{38, 39, 38}; !equalMoney(taxes, want) {
		t.Errorf("taxes %v, want %v", taxes, want)
	}
	// Nothing left: one more is too many.
	_, err := NewRefund("R", "bob", KindRefund, saleAt, s, already, map[int]int64{0: 1}, 0, "")
	if !errors.Is(err, ErrOverRefund) {
		t.Errorf("refund of a fourth unit: %v, want ErrOverRefund", err)
	}
	if left := Remaining(s, already); !maps.Equal(left, map[int]int64{1: 2}) {
		t.Errorf("Remaining = %v, want line 1 x 2", left)
	}
}

func equalMoney(a, b []Money) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNewRefund(t *testing.T) {
	s := refundSale(t)
	tests := []struct {
		name    string
		already map[int]int64
		want    map[int]int64
		step    Money
		total   Money
		tax     Money
		back    Money
		err     error // ErrOverRefund, or errAny
	}{
		{name: "one line in full", want: map[int]int64{1: 2}, total: 1000, tax: 83, back: 1000},
		{name: "everything", want: map[int]int64{0: 3, 1: 2}, total: 2000, tax: 198, back: 2000},
		{name: "two of three", want: map[int]int64{0: 2}, total: 667, tax: 77, back: 667},
		{name: "the rest after one", already: map[int]int64{0: 1}, want: map[int]int64{0: 2}, total: 667, tax: 77, back: 667},
		{name: "the last after two", already: map[int]int64{0: 2}, want: map[int]int64{0: 1}, total: 333, tax: 38, back: 333},
		{name: "cash rounding up", want: map[int]int64{0: 1}, step: 5, total: 333, tax: 38, back: 335},
		{name: "cash rounding down", want: map[int]int64{0: 2}, step: 5, total: 667, tax: 77, back: 665},
		{name: "cash rounding to 0.10", want: map[int]int64{0: 1, 1: 1}, step: 10, total: 833, tax: 80, back: 830},
		{name: "zero quantities are skipped", want: map[int]int64{0: 0, 1: 1}, total: 500, tax: 42, back: 500},
		{name: "more than sold", want: map[int]int64{0: 4}, err: ErrOverRefund},
		{name: "more than left", already: map[int]int64{1: 1}, want: map[int]int64{1: 2}, err: ErrOverRefund},
		{name: "all already refunded", already: map[int]int64{0: 3}, want: map[int]int64{0: 1}, err: ErrOverRefund},
		{name: "negative quantity", want: map[int]int64{0: -1}, err: errAny},
		{name: "unknown line", want: map[int]int64{2: 1}, err: errAny},
		{name: "negative line", want: map[int]int64{-1: 1}, err: errAny},
		{name: "unknown line beside a good one", want: map[int]int64{0: 1, 7: 1}, err: errAny},
		{name: "nothing to refund", want: map[int]int64{}, err: errAny},
		{name: "only zeros", want: map[int]int64{0: 0}, err: errAny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := saleAt.Add(2 * time.Hour)
			r, err := NewRefund("R1-T01", "bob", KindRefund, at, s, tc.already, tc.want, tc.step, "reason")
			if tc.err != nil {
				if err == nil {
					t.Fatalf("NewRefund = %+v, want an error", r)
				}
				if tc.err != errAny && !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				if tc.err == errAny && errors.Is(err, ErrOverRefund) {
					t.Fatalf("error %v, want one other than ErrOverRefund", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewRefund: %v", err)
			}
			if r.Total != tc.total || r.Tax != tc.tax || r.Rounding != tc.back-tc.total {
				t.Errorf("total %d, tax %d, rounding %d; want %d, %d, %d", r.Total, r.Tax, r.Rounding, tc.total, tc.tax, tc.back-tc.total)
			}
			if len(r.Tenders) != 1 || r.Tenders[0].Kind != Cash || r.Tenders[0].Amount != tc.back {
				t.Errorf("tenders %+v, want %d back in cash", r.Tenders, tc.back)
			}
			if r.ID != "R1-T01" || r.SaleID != s.ID || r.Terminal != "T01" || r.Cashier != "bob" || r.Kind != KindRefund ||
				!r.At.Equal(at) || r.Reason != "reason" || !r.TaxIncluded {
				t.Errorf("refund header %+v", r)
			}
			var sum, tax Money
			for k, l := range r.Lines {
				if k > 0 && r.Lines[k-1].Line >= l.Line {
					t.Errorf("refund lines out of order: %+v", r.Lines)
				}
				if l.Qty != tc.want[l.Line] || l.SKU != s.Lines[l.Line].SKU || l.TaxRate != s.Lines[l.Line].TaxRate {
					t.Errorf("refund line %+v does not match the request %v", l, tc.want)
				}
				sum += l.Amount
				tax += l.Tax
			}
			if sum != r.Total || tax != r.Tax {
				t.Errorf("lines add up to %d (tax %d), refund says %d (tax %d)", sum, tax, r.Total, r.Tax)
			}
		})
	}
}

func TestNewRefundTaxExcluded(t *testing.T) {
	// 2 x 5.00 at 13% plus tax: net 10.00, tax 1.30, total 11.30.
	s := mustSale(t, "S2-T01", Cart{Lines: []Line{line("A", 2, 500, 1300)}}, false, 0)
	if s.Total != 1130 {
		t.Fatalf("sale total %d, want 1130", s.Total)
	}
	r, err := NewRefund("R", "bob", KindRefund, saleAt, s, nil, map[int]int64{0: 1}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	// The customer gets back the net and the tax paid on it.
	if r.Total != 565 || r.Tax != 65 || r.Lines[0].Amount != 565 || r.TaxIncluded {
		t.Errorf("refund total %d, tax %d, line %+v, included %v; want 565, 65", r.Total, r.Tax, r.Lines[0], r.TaxIncluded)
	}
	r2, err := NewRefund("R", "bob", KindRefund, saleAt, s, map[int]int64{0: 1}, map[int]int64{0: 1}, 0, "")
	if err != nil || r.Total+r2.Total != s.Total || r.Tax+r2.Tax != s.Tax {
		t.Errorf("two refunds give back %d + %d (tax %d + %d), %v; want the sale's %d (tax %d)", r.Total, r2.Total, r.Tax, r2.Tax, err, s.Total, s.Tax)
	}
}

// TestNewRefundAddsUp refunds random sales in random steps and checks that
// refunding everything gives back exactly what each line took.
func TestNewRefundAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for iter := range 500 {
		c := randomCart(rng)
		for i := range c.Lines {
			c.Lines[i].Qty = 1 + rng.Int64N(12)
		}
		incl := rng.IntN(2) == 0
		s := mustSale(t, "S", c, incl, 0)
		already := map[int]int64{}
		got := make([]Money, len(s.Lines))
		gotTax := make([]Money, len(s.Lines))
		var total Money
		for len(Remaining(s, already)) > 0 {
			want := map[int]int64{}
			for i, left := range Remaining(s, already) {
				if rng.IntN(2) == 0 {
					want[i] = 1 + rng.Int64N(left)
				}
			}
			if len(want) == 0 {
				continue
			}
			r, err := NewRefund("R", "bob", KindRefund, saleAt, s, already, want, 0, "")
			if err != nil {
				t.Fatalf("sale %d: %v", iter, err)
			}
			for _, l := range r.Lines {
				got[l.Line] += l.Amount
				gotTax[l.Line] += l.Tax
				already[l.Line] += l.Qty
				if l.Amount < 0 || l.Tax < 0 {
					t.Fatalf("sale %d: negative refund line %+v", iter, l)
				}
			}
			total += r.Total
		}
		for i, l := range s.Lines {
			want := l.Net
			if !incl {
				want += l.Tax
			}
			if got[i] != want || gotTax[i] != l.Tax {
				t.Fatalf("sale %d line %d: refunds gave back %d (tax %d), the line took %d (tax %d)", iter, i, got[i], gotTax[i], want, l.Tax)
			}
		}
		if total != s.Total {
			t.Fatalf("sale %d: refunds total %d, sale total %d", iter, total, s.Total)
		}
	}
}

func TestRemaining(t *testing.T) {
	s := refundSale(t)
	tests := []struct {
		already, want map[int]int64
	}{
		{nil, map[int]int64{0: 3, 1: 2}},
		{map[int]int64{0: 1}, map[int]int64{0: 2, 1: 2}},
		{map[int]int64{0: 3, 1: 1}, map[int]int64{1: 1}},
		{map[int]int64{0: 3, 1: 2}, map[int]int64{}},
	}
	for _, tc := range tests {
		if got := Remaining(s, tc.already); !maps.Equal(got, tc.want) {
			t.Errorf("Remaining(%v) = %v, want %v", tc.already, got, tc.want)
		}
	}
}
