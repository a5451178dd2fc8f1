package pos

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func line(sku string, qty int64, price Money, rate Rate) Line {
	return Line{SKU: sku, Name: sku, Qty: qty, UnitPrice: price, TaxRate: rate}
}

func withDiscount(l Line, d Discount) Line {
	l.Discount = d
	return l
}

func amountOff(m Money) Discount { return Discount{Kind: AmountDiscount, Amount: m} }
func percentOff(r Rate) Discount { return Discount{Kind: PercentDiscount, Percent: r} }

type wantLine struct {
	gross, lineOff, cartOff, net, tax Money
}

func TestPrice(t *testing.T) {
	tests := []struct {
		name        string
		cart        Cart
		taxIncluded bool
		lines       []wantLine
		subtotal    Money
		discounts   Money
		tax         Money
		total       Money
		bands       []TaxBand
	}{
		{
			name:        "one line, no discount, 13% included",
			cart:        Cart{Lines: []Line{line("A", 1, 11300, 1300)}},
			taxIncluded: true,
			lines:       []wantLine{{11300, 0, 0, 11300, 1300}},
			subtotal:    11300, discounts: 0, tax: 1300, total: 11300,
			bands: []TaxBand{{Rate: 1300, Base: 10000, Tax: 1300}},
		},
		{
			// The classic one-cent case: 1.00 off three lines of 1.00 is
			// 0.34+0.33+0.33, and 2.00 at 13% carries 0.23 of tax, which
			// spreads 0.07+0.08+0.08 over the lines by largest remainder.
			name:        "three lines of 1.00 with 1.00 off the cart, 13% included",
			cart:        Cart{Lines: []Line{line("A", 1, 100, 1300), line("B", 1, 100, 1300), line("C", 1, 100, 1300)}, Discount: amountOff(100)},
			taxIncluded: true,
			lines:       []wantLine{{100, 0, 34, 66, 7}, {100, 0, 33, 67, 8}, {100, 0, 33, 67, 8}},
			subtotal:    300, discounts: 100, tax: 23, total: 200,
			bands: []TaxBand{{Rate: 1300, Base: 177, Tax: 23}},
		},
		{
			name:        "three lines of 1.00 with 1.00 off the cart, 13% excluded",
			cart:        Cart{Lines: []Line{line("A", 1, 100, 1300), line("B", 1, 100, 1300), line("C", 1, 100, 1300)}, Discount: amountOff(100)},
			taxIncluded: false,
			lines:       []wantLine{{100, 0, 34, 66, 8}, {100, 0, 33, 67, 9}, {100, 0, 33, 67, 9}},
			subtotal:    300, discounts: 100, tax: 26, total: 226,
			bands: []TaxBand{{Rate: 1300, Base: 200, Tax: 26}},
		},
		{
			// 9.99 less 10% (0.999 -> 1.00) is 8.99, which carries
			// 8.99*13/113 = 1.0342 -> 1.03 of tax.
			name:        "3 x 3.33 with 10% off the cart, 13% included",
			cart:        Cart{Lines: []Line{line("A", 3, 333, 1300)}, Discount: percentOff(1000)},
			taxIncluded: true,
			lines:       []wantLine{{999, 0, 100, 899, 103}},
			subtotal:    999, discounts: 100, tax: 103, total: 899,
			bands: []TaxBand{{Rate: 1300, Base: 796, Tax: 103}},
		},
		{
			// The same as three separate lines: 1.00 off spreads
			// 0.34+0.33+0.33, and 1.03 of tax spreads 0.34+0.35+0.34.
			name: "three lines of 3.33 with 10% off the cart, 13% included",
			cart: Cart{Lines: []Line{line("A", 1, 333, 1300), line("B", 1, 333, 1300), line("C", 1, 333, 1300)},
				Discount: percentOff(1000)},
			taxIncluded: true,
			lines:       []wantLine{{333, 0, 34, 299, 34}, {333, 0, 33, 300, 35}, {333, 0, 33, 300, 34}},
			subtotal:    999, discounts: 100, tax: 103, total: 899,
			bands: []TaxBand{{Rate: 1300, Base: 796, Tax: 103}},
		},
		{
			name:        "two rates, tax excluded, bands sorted by rate",
			cart:        Cart{Lines: []Line{line("A", 1, 1000, 1300), line("B", 2, 250, 600)}},
			taxIncluded: false,
			lines:       []wantLine{{1000, 0, 0, 1000, 130}, {500, 0, 0, 500, 30}},
			subtotal:    1500, discounts: 0, tax: 160, total: 1660,
			bands: []TaxBand{{Rate: 600, Base: 500, Tax: 30}, {Rate: 1300, Base: 1000, Tax: 130}},
		},
		{
			// 5.00 off splits 2.50/2.50 across a 13% and a 0% line; the 13%
			// band of 7.50 carries 7.50*13/113 = 0.8628 -> 0.86.
			name:        "cart discount across a taxed and an untaxed line, included",
			cart:        Cart{Lines: []Line{line("A", 1, 1000, 1300), line("B", 1, 1000, 0)}, Discount: amountOff(500)},
			taxIncluded: true,
			lines:       []wantLine{{1000, 0, 250, 750, 86}, {1000, 0, 250, 750, 0}},
			subtotal:    2000, discounts: 500, tax: 86, total: 1500,
			bands: []TaxBand{{Rate: 0, Base: 750, Tax: 0}, {Rate: 1300, Base: 664, Tax: 86}},
		},
		{
			// Line A: 4 x 2.50 less 25% = 7.50; line B: 1.00 less 0.30 =
			// 0.70; 10% off 8.20 = 0.82 splits 0.75/0.07 exactly; the band
			// of 7.38 carries 0.849 -> 0.85, spread 0.78/0.07.
			name: "line discounts and a cart discount, included",
			cart: Cart{Lines: []Line{
				withDiscount(line("A", 4, 250, 1300), percentOff(2500)),
				withDiscount(line("B", 1, 100, 1300), amountOff(30)),
			}, Discount: percentOff(1000)},
			taxIncluded: true,
			lines:       []wantLine{{1000, 250, 75, 675, 78}, {100, 30, 7, 63, 7}},
			subtotal:    1100, discounts: 362, tax: 85, total: 738,
			bands: []TaxBand{{Rate: 1300, Base: 653, Tax: 85}},
		},
		{
			// Four rates with a cart discount, prices excluding tax. 2.00 off
			// 40.00 spreads 0.50 over each line.
			name: "four rates with an amount off, excluded",
			cart: Cart{Lines: []Line{
				line("A", 1, 1000, 1300), line("B", 1, 1000, 900), line("C", 1, 1000, 600), line("D", 1, 1000, 0),
			}, Discount: amountOff(200)},
			taxIncluded: false,
			lines:       []wantLine{{1000, 0, 50, 950, 124}, {1000, 0, 50, 950, 86}, {1000, 0, 50, 950, 57}, {1000, 0, 50, 950, 0}},
			subtotal:    4000, discounts: 200, tax: 267, total: 4067,
			bands: []TaxBand{{Rate: 0, Base: 950, Tax: 0}, {Rate: 600, Base: 950, Tax: 57}, {Rate: 900, Base: 950, Tax: 86}, {Rate: 1300, Base: 950, Tax: 124}},
		},
		{
			// Tax on the band, not per line: two lines of 0.04 at 13%
			// carry 0.0052 each (0 each), but 0.08 together carry 0.0104 (0.01).
			name:        "tax is rounded once per band",
			cart:        Cart{Lines: []Line{line("A", 1, 4, 1300), line("B", 1, 4, 1300)}},
			taxIncluded: false,
			lines:       []wantLine{{4, 0, 0, 4, 1}, {4, 0, 0, 4, 0}},
			subtotal:    8, discounts: 0, tax: 1, total: 9,
			bands: []TaxBand{{Rate: 1300, Base: 8, Tax: 1}},
		},
		{
			name:        "half a cent of tax rounds up",
			cart:        Cart{Lines: []Line{line("A", 1, 5, 1000)}},
			taxIncluded: false,
			lines:       []wantLine{{5, 0, 0, 5, 1}},
			subtotal:    5, discounts: 0, tax: 1, total: 6,
			bands: []TaxBand{{Rate: 1000, Base: 5, Tax: 1}},
		},
		{
			name:        "line discount larger than the line is capped",
			cart:        Cart{Lines: []Line{withDiscount(line("A", 1, 100, 1300), amountOff(500)), line("B", 1, 226, 1300)}},
			taxIncluded: true,
			lines:       []wantLine{{100, 100, 0, 0, 0}, {226, 0, 0, 226, 26}},
			subtotal:    326, discounts: 100, tax: 26, total: 226,
			bands: []TaxBand{{Rate: 1300, Base: 200, Tax: 26}},
		},
		{
			name:        "cart discount larger than the cart is capped",
			cart:        Cart{Lines: []Line{line("A", 2, 150, 1300), line("B", 1, 100, 900)}, Discount: amountOff(10000)},
			taxIncluded: true,
			lines:       []wantLine{{300, 0, 300, 0, 0}, {100, 0, 100, 0, 0}},
			subtotal:    400, discounts: 400, tax: 0, total: 0,
			bands: []TaxBand{{Rate: 900, Base: 0, Tax: 0}, {Rate: 1300, Base: 0, Tax: 0}},
		},
		{
			name:        "100% off the cart",
			cart:        Cart{Lines: []Line{line("A", 3, 333, 1300)}, Discount: percentOff(RateScale)},
			taxIncluded: false,
			lines:       []wantLine{{999, 0, 999, 0, 0}},
			subtotal:    999, discounts: 999, tax: 0, total: 0,
			bands: []TaxBand{{Rate: 1300, Base: 0, Tax: 0}},
		},
		{
			name:        "free goods and a cart discount",
			cart:        Cart{Lines: []Line{line("A", 1, 0, 1300), line("B", 1, 1000, 1300)}, Discount: amountOff(100)},
			taxIncluded: true,
			lines:       []wantLine{{0, 0, 0, 0, 0}, {1000, 0, 100, 900, 104}},
			subtotal:    1000, discounts: 100, tax: 104, total: 900,
			bands: []TaxBand{{Rate: 1300, Base: 796, Tax: 104}},
		},
		{
			name:        "empty cart",
			cart:        Cart{},
			taxIncluded: true,
			lines:       []wantLine{},
			bands:       nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Price(tc.cart, tc.taxIncluded)
			if err != nil {
				t.Fatalf("Price: %v", err)
			}
			var lines []wantLine
			for _, l := range got.Lines {
				lines = append(lines, wantLine{l.Gross, l.LineDiscount, l.CartDiscount, l.Net, l.Tax})
			}
			if len(lines) != len(tc.lines) || (len(lines) > 0 && !slices.Equal(lines, tc.lines)) {
				t.Errorf("lines {gross lineOff cartOff net tax}:\n got %v\nwant %v", lines, tc.lines)
			}
			if got.Subtotal != tc.subtotal || got.Discounts != tc.discounts || got.Tax != tc.tax || got.Total != tc.total {
				t.Errorf("subtotal %d, discounts %d, tax %d, total %d; want %d, %d, %d, %d",
					got.Subtotal, got.Discounts, got.Tax, got.Total, tc.subtotal, tc.discounts, tc.tax, tc.total)
			}
			if !slices.Equal(got.Bands, tc.bands) {
				t.Errorf("bands %+v, want %+v", got.Bands, tc.bands)
			}
			if got.TaxIncluded != tc.taxIncluded || got.CartDiscount != tc.cart.Discount {
				t.Errorf("TaxIncluded %v, CartDiscount %+v; want %v, %+v", got.TaxIncluded, got.CartDiscount, tc.taxIncluded, tc.cart.Discount)
			}
			checkTotals(t, tc.cart, got)
		})
	}
}

func TestPriceErrors(t *testing.T) {
	tests := []struct {
		name     string
		cart     Cart
		overflow bool
	}{
		{"zero quantity", Cart{Lines: []Line{line("A", 0, 100, 1300)}}, false},
		{"negative quantity", Cart{Lines: []Line{line("A", -1, 100, 1300)}}, false},
		{"quantity over MaxQty", Cart{Lines: []Line{line("A", MaxQty+1, 100, 1300)}}, false},
		{"negative price", Cart{Lines: []Line{line("A", 1, -100, 1300)}}, false},
		{"line overflows", Cart{Lines: []Line{line("A", 2, MaxAmount, 1300)}}, true},
		{"cart overflows", Cart{Lines: []Line{line("A", 1, MaxAmount, 1300), line("B", 1, 1, 1300)}}, true},
		{"negative line discount", Cart{Lines: []Line{withDiscount(line("A", 1, 100, 1300), amountOff(-1))}}, false},
		{"line discount over 100%", Cart{Lines: []Line{withDiscount(line("A", 1, 100, 1300), percentOff(RateScale+1))}}, false},
		{"negative cart discount", Cart{Lines: []Line{line("A", 1, 100, 1300)}, Discount: amountOff(-5)}, false},
		{"cart discount of an unknown kind", Cart{Lines: []Line{line("A", 1, 100, 1300)}, Discount: Discount{Kind: "coupon"}}, false},
	}
	for _, tc := range tests {
		for _, incl := range []bool{true, false} {
			got, err := Price(tc.cart, incl)
			if err == nil {
				t.Errorf("%s (included %v): Price = %+v, nil; want an error", tc.name, incl, got)
				continue
			}
			if tc.overflow && !errors.Is(err, ErrOverflow) {
				t.Errorf("%s: error %v, want ErrOverflow", tc.name, err)
			}
		}
	}
}

// checkTotals asserts every invariant a priced cart must hold.
func checkTotals(t *testing.T, c Cart, got Totals) {
	t.Helper()
	if len(got.Lines) != len(c.Lines) {
		t.Fatalf("%d priced lines for %d cart lines", len(got.Lines), len(c.Lines))
	}
	var subtotal, discounts, netSum, lineTaxSum, afterSum, cartOffSum Money
	bandNet := map[Rate]Money{}
	bandLineTax := map[Rate]Money{}
	for i, pl := range got.Lines {
		if pl.Line != c.Lines[i] {
			t.Errorf("line %d: %+v, want the cart's %+v", i, pl.Line, c.Lines[i])
		}
		if pl.Gross != pl.UnitPrice*Money(pl.Qty) {
			t.Errorf("line %d: gross %d != %d x %d", i, pl.Gross, pl.Qty, pl.UnitPrice)
		}
		wantOff, _ := pl.Discount.Of(pl.Gross)
		if pl.LineDiscount != wantOff {
			t.Errorf("line %d: line discount %d, want %d", i, pl.LineDiscount, wantOff)
		}
		if pl.LineDiscount < 0 || pl.LineDiscount > pl.Gross {
			t.Errorf("line %d: line discount %d outside 0..%d", i, pl.LineDiscount, pl.Gross)
		}
		after := pl.Gross - pl.LineDiscount
		if pl.CartDiscount < 0 || pl.CartDiscount > after {
			t.Errorf("line %d: cart discount share %d outside 0..%d", i, pl.CartDiscount, after)
		}
		if pl.Net != after-pl.CartDiscount {
			t.Errorf("line %d: net %d != %d - %d - %d", i, pl.Net, pl.Gross, pl.LineDiscount, pl.CartDiscount)
		}
		if pl.Net < 0 {
			t.Errorf("line %d: negative net %d", i, pl.Net)
		}
		if pl.Tax < 0 || (got.TaxIncluded && pl.Tax > pl.Net) {
			t.Errorf("line %d: tax %d outside 0..net %d", i, pl.Tax, pl.Net)
		}
		subtotal += pl.Gross
		discounts += pl.LineDiscount + pl.CartDiscount
		afterSum += after
		cartOffSum += pl.CartDiscount
		netSum += pl.Net
		lineTaxSum += pl.Tax
		bandNet[pl.TaxRate] += pl.Net
		bandLineTax[pl.TaxRate] += pl.Tax
	}
	wantCartOff, _ := c.Discount.Of(afterSum)
	if cartOffSum != wantCartOff {
		t.Errorf("cart discount shares add up to %d, want %d", cartOffSum, wantCartOff)
	}
	if got.Subtotal != subtotal {
		t.Errorf("subtotal %d, lines' gross add up to %d", got.Subtotal, subtotal)
	}
	if got.Discounts != discounts || got.Discounts > got.Subtotal || got.Discounts < 0 {
		t.Errorf("discounts %d, lines' discounts add up to %d (subtotal %d)", got.Discounts, discounts, got.Subtotal)
	}
	if got.Subtotal-got.Discounts != netSum {
		t.Errorf("subtotal %d - discounts %d != lines' net %d", got.Subtotal, got.Discounts, netSum)
	}
	if got.TaxIncluded && got.Total != netSum {
		t.Errorf("tax included: total %d != lines' net %d", got.Total, netSum)
	}
	if !got.TaxIncluded && got.Total != netSum+got.Tax {
		t.Errorf("tax excluded: total %d != lines' net %d + tax %d", got.Total, netSum, got.Tax)
	}
	if lineTaxSum != got.Tax {
		t.Errorf("lines' tax adds up to %d, want %d", lineTaxSum, got.Tax)
	}
	if len(got.Bands) != len(bandNet) {
		t.Errorf("%d bands for %d rates", len(got.Bands), len(bandNet))
	}
	var bandTax Money
	for k, b := range got.Bands {
		if k > 0 && got.Bands[k-1].Rate >= b.Rate {
			t.Errorf("bands not sorted by rate: %+v", got.Bands)
		}
		bandTax += b.Tax
		n, ok := bandNet[b.Rate]
		if !ok {
			t.Errorf("band %s has no lines", b.Rate)
			continue
		}
		if bandLineTax[b.Rate] != b.Tax {
			t.Errorf("band %s: lines' tax adds up to %d, band says %d", b.Rate, bandLineTax[b.Rate], b.Tax)
		}
		var want Money
		if got.TaxIncluded {
			want, _ = b.Rate.TaxIncluded(n)
			if b.Base+b.Tax != n {
				t.Errorf("band %s: base %d + tax %d != lines' net %d", b.Rate, b.Base, b.Tax, n)
			}
		} else {
			want, _ = b.Rate.TaxOn(n)
			if b.Base != n {
				t.Errorf("band %s: base %d != lines' net %d", b.Rate, b.Base, n)
			}
		}
		if b.Tax != want {
			t.Errorf("band %s: tax %d, want the rate of the band's amount %d = %d", b.Rate, b.Tax, n, want)
		}
		// Each line carries its share of the band's tax, rounded down or up.
		for i, pl := range got.Lines {
			if pl.TaxRate != b.Rate || n == 0 {
				continue
			}
			diff := new(big.Int).Sub(
				new(big.Int).Mul(big.NewInt(int64(pl.Tax)), big.NewInt(int64(n))),
				new(big.Int).Mul(big.NewInt(int64(b.Tax)), big.NewInt(int64(pl.Net))))
			if diff.Abs(diff).Cmp(big.NewInt(int64(n))) >= 0 {
				t.Errorf("line %d: tax %d is not its share of the band's %d (net %d of %d)", i, pl.Tax, b.Tax, pl.Net, n)
			}
		}
	}
	if bandTax != got.Tax {
		t.Errorf("bands' tax adds up to %d, want %d", bandTax, got.Tax)
	}
	if got.Total < 0 {
		t.Errorf("negative total %d", got.Total)
	}
}

var testRates = []Rate{0, 600, 900, 1300}

func randomDiscount(rng *rand.Rand, scale Money) Discount {
	switch rng.IntN(4) {
	case 0:
		amount := Money(rng.Int64N(int64(scale)/2 + 2))
		if rng.IntN(10) == 0 {
			amount = scale + Money(rng.Int64N(100)) // more than the amount
		}
		return amountOff(amount)
	case 1:
		common := []Rate{500, 1000, 1250, 3333, 5000, RateScale}
		if rng.IntN(2) == 0 {
			return percentOff(common[rng.IntN(len(common))])
		}
		return percentOff(Rate(rng.Int64N(RateScale + 1)))
	default:
		return Discount{}
	}
}

func randomCart(rng *rand.Rand) Cart {
	var c Cart
	n := 1 + rng.IntN(8)
	var sum Money
	for i := range n {
		var price Money
		switch rng.IntN(6) {
		case 0:
			price = Money(rng.Int64N(100)) // small prices make rounding matter
		case 1:
			price = Money(rng.Int64N(1_000_000))
		default:
			price = Money(rng.Int64N(10_000))
		}
		qty := 1 + rng.Int64N(5)
		if rng.IntN(20) == 0 {
			qty = 1 + rng.Int64N(MaxQty)
		}
		l := line(string(rune('A'+i)), qty, price, testRates[rng.IntN(len(testRates))])
		if rng.IntN(3) == 0 {
			l.Discount = randomDiscount(rng, price*Money(qty))
		}
		c.Lines = append(c.Lines, l)
		sum += price * Money(qty)
	}
	if rng.IntN(2) == 0 {
		c.Discount = randomDiscount(rng, sum)
	}
	return c
}

// TestPriceProperties prices thousands of pseudo-random carts, with and
// without tax in the prices, and checks that no cent goes missing anywhere.
func TestPriceProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for iter := range 5000 {
		c := randomCart(rng)
		before := slices.Clone(c.Lines)
		for _, incl := range []bool{true, false} {
			got, err := Price(c, incl)
			if err != nil {
				t.Fatalf("cart %d %+v: %v", iter, c, err)
			}
			if got.TaxIncluded != incl {
				t.Fatalf("cart %d: TaxIncluded %v, want %v", iter, got.TaxIncluded, incl)
			}
			checkTotals(t, c, got)
			if t.Failed() {
				t.Fatalf("cart %d (tax included %v): %+v", iter, incl, c)
			}
			again, _ := Price(c, incl)
			if !reflect.DeepEqual(got, again) {
				t.Fatalf("cart %d: Price not deterministic", iter)
			}
			if !slices.Equal(c.Lines, before) {
				t.Fatalf("cart %d: Price changed the cart", iter)
			}
		}
	}
}
