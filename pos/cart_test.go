package pos

import (
	"slices"
	"testing"
)

var (
	water = Product{SKU: "SKU1001", Name: "Mineral water 550ml", Price: 200, TaxRate: 1300}
	tea   = Product{SKU: "SKU1002", Name: "Green tea 500ml", Price: 350, TaxRate: 1300}
	bread = Product{SKU: "SKU1008", Name: "Bread", Price: 1290, TaxRate: 900}
)

func skus(c Cart) []string {
	var s []string
	for _, l := range c.Lines {
		s = append(s, l.SKU)
	}
	return s
}

func qtys(c Cart) []int64 {
	var q []int64
	for _, l := range c.Lines {
		q = append(q, l.Qty)
	}
	return q
}

func TestCartAdd(t *testing.T) {
	var c Cart
	if !c.Empty() {
		t.Fatal("new cart not empty")
	}
	steps := []struct {
		p        Product
		qty      int64
		wantLine int
		wantSKUs []string
		wantQtys []int64
	}{
		{water, 1, 0, []string{"SKU1001"}, []int64{1}},
		{tea, 2, 1, []string{"SKU1001", "SKU1002"}, []int64{1, 2}},
		{water, 1, 0, []string{"SKU1001", "SKU1002"}, []int64{2, 2}}, // second scan raises the quantity
		{water, 3, 0, []string{"SKU1001", "SKU1002"}, []int64{5, 2}},
		{bread, 1, 2, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{5, 2, 1}},
		{tea, 1, 1, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{5, 3, 1}},
	}
	for i, st := range steps {
		got, err := c.Add(st.p, st.qty)
		if err != nil || got != st.wantLine {
			t.Fatalf("step %d: Add(%s, %d) = %d, %v; want %d", i, st.p.SKU, st.qty, got, err, st.wantLine)
		}
		if !slices.Equal(skus(c), st.wantSKUs) || !slices.Equal(qtys(c), st.wantQtys) {
			t.Fatalf("step %d: cart %v x %v, want %v x %v", i, skus(c), qtys(c), st.wantSKUs, st.wantQtys)
		}
	}
	if c.Empty() {
		t.Fatal("cart with goods reports empty")
	}
	l := c.Lines[2]
	if l.Name != bread.Name || l.UnitPrice != bread.Price || l.TaxRate != bread.TaxRate {
		t.Errorf("line captured %+v, want the product's name, price and rate", l)
	}
}

func TestCartAddDoesNotMerge(t *testing.T) {
	// A price change during the sale, or a discounted line, starts a new line.
	var c Cart
	c.Add(water, 1)
	dearer := water
	dearer.Price = 250
	if i, err := c.Add(dearer, 1); err != nil || i != 1 {
		t.Fatalf("Add at a new price = %d, %v; want a new line 1", i, err)
	}
	c.Lines[0].Discount = Discount{Kind: PercentDiscount, Percent: 1000}
	if i, err := c.Add(water, 1); err != nil || i != 2 {
		t.Fatalf("Add next to a discounted line = %d, %v; want a new line 2", i, err)
	}
	if c.Lines[0].Qty != 1 {
		t.Errorf("discounted line qty = %d, want 1", c.Lines[0].Qty)
	}
	otherRate := water
	otherRate.TaxRate = 900
	if i, err := c.Add(otherRate, 1); err != nil || i != 3 {
		t.Fatalf("Add at a new tax rate = %d, %v; want a new line 3", i, err)
	}
}

func TestCartAddQuantityBounds(t *testing.T) {
	for _, q := range []int64{0, -1, MaxQty + 1, 1_000_000} {
		var c Cart
		if _, err := c.Add(water, q); err == nil {
			t.Errorf("Add(qty %d) accepted", q)
		}
		if !c.Empty() {
			t.Errorf("Add(qty %d) failed but left %v in the cart", q, c.Lines)
		}
	}
	var c Cart
	if _, err := c.Add(water, MaxQty); err != nil {
		t.Fatalf("Add(MaxQty): %v", err)
	}
	if _, err := c.Add(water, 1); err == nil {
		t.Error("merging beyond MaxQty accepted")
	}
	if c.Lines[0].Qty != MaxQty || len(c.Lines) != 1 {
		t.Errorf("failed merge changed the cart: %+v", c.Lines)
	}
	c = Cart{}
	c.Add(water, MaxQty-1)
	if _, err := c.Add(water, 1); err != nil || c.Lines[0].Qty != MaxQty {
		t.Errorf("merge up to exactly MaxQty: %v, qty %d", err, c.Lines[0].Qty)
	}
}

func TestCartSetQtyAndRemove(t *testing.T) {
	newCart := func() Cart {
		var c Cart
		c.Add(water, 1)
		c.Add(tea, 2)
		c.Add(bread, 3)
		return c
	}
	tests := []struct {
		name     string
		op       func(*Cart) error
		wantErr  bool
		wantSKUs []string
		wantQtys []int64
	}{
		{"set", func(c *Cart) error { return c.SetQty(1, 7) }, false, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{1, 7, 3}},
		{"set MaxQty", func(c *Cart) error { return c.SetQty(0, MaxQty) }, false, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{MaxQty, 2, 3}},
		{"set 0 removes", func(c *Cart) error { return c.SetQty(1, 0) }, false, []string{"SKU1001", "SKU1008"}, []int64{1, 3}},
		{"set over MaxQty", func(c *Cart) error { return c.SetQty(1, MaxQty+1) }, true, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{1, 2, 3}},
		{"set negative", func(c *Cart) error { return c.SetQty(1, -1) }, true, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{1, 2, 3}},
		{"set no such line", func(c *Cart) error { return c.SetQty(3, 1) }, true, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{1, 2, 3}},
		{"set line -1", func(c *Cart) error { return c.SetQty(-1, 1) }, true, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{1, 2, 3}},
		{"remove first", func(c *Cart) error { c.Remove(0); return nil }, false, []string{"SKU1002", "SKU1008"}, []int64{2, 3}},
		{"remove middle", func(c *Cart) error { c.Remove(1); return nil }, false, []string{"SKU1001", "SKU1008"}, []int64{1, 3}},
		{"remove last", func(c *Cart) error { c.Remove(2); return nil }, false, []string{"SKU1001", "SKU1002"}, []int64{1, 2}},
		{"remove out of range", func(c *Cart) error { c.Remove(3); c.Remove(-1); return nil }, false, []string{"SKU1001", "SKU1002", "SKU1008"}, []int64{1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCart()
			err := tc.op(&c)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error = %v, want error: %v", err, tc.wantErr)
			}
			if !slices.Equal(skus(c), tc.wantSKUs) || !slices.Equal(qtys(c), tc.wantQtys) {
				t.Errorf("cart %v x %v, want %v x %v", skus(c), qtys(c), tc.wantSKUs, tc.wantQtys)
			}
		})
	}
	var c Cart
	c.Add(water, 1)
	c.Remove(0)
	if !c.Empty() {
		t.Error("cart not empty after removing its only line")
	}
}

func TestDiscountOf(t *testing.T) {
	tests := []struct {
		name string
		d    Discount
		m    Money
		want Money
		err  bool
	}{
		{"none", Discount{}, 1000, 0, false},
		{"none ignores stray fields", Discount{Amount: 500, Percent: 5000}, 1000, 0, false},
		{"amount", Discount{Kind: AmountDiscount, Amount: 150}, 1000, 150, false},
		{"amount all", Discount{Kind: AmountDiscount, Amount: 1000}, 1000, 1000, false},
		{"amount capped at the amount", Discount{Kind: AmountDiscount, Amount: 5000}, 1000, 1000, false},
		{"amount of nothing", Discount{Kind: AmountDiscount, Amount: 100}, 0, 0, false},
		{"negative amount", Discount{Kind: AmountDiscount, Amount: -1}, 1000, 0, true},
		{"10% of 9.99 rounds to 1.00", Discount{Kind: PercentDiscount, Percent: 1000}, 999, 100, false},
		{"10% of 9.94 rounds to 0.99", Discount{Kind: PercentDiscount, Percent: 1000}, 994, 99, false},
		{"12.5% of 0.04 is a half", Discount{Kind: PercentDiscount, Percent: 1250}, 4, 1, false},
		{"100%", Discount{Kind: PercentDiscount, Percent: RateScale}, 1234, 1234, false},
		{"0%", Discount{Kind: PercentDiscount}, 1234, 0, false},
		{"over 100%", Discount{Kind: PercentDiscount, Percent: RateScale + 1}, 1000, 0, true},
		{"negative percent", Discount{Kind: PercentDiscount, Percent: -100}, 1000, 0, true},
		{"unknown kind", Discount{Kind: "bogof"}, 1000, 0, true},
	}
	for _, tc := range tests {
		got, err := tc.d.Of(tc.m)
		if tc.err {
			if err == nil {
				t.Errorf("%s: Of(%d) = %d, nil; want an error", tc.name, tc.m, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: Of(%d) = %d, %v; want %d", tc.name, tc.m, got, err, tc.want)
		}
	}
}

func TestParseDiscount(t *testing.T) {
	cases := []struct {
		in   string
		want Discount
		ok   bool
	}{
		{"", Discount{}, true},
		{"0", Discount{}, true},
		{" 10% ", Discount{Kind: PercentDiscount, Percent: 1000}, true},
		{"2.5%", Discount{Kind: PercentDiscount, Percent: 250}, true},
		{"5.00", Discount{Kind: AmountDiscount, Amount: 500}, true},
		{"5", Discount{Kind: AmountDiscount, Amount: 500}, true},
		{"150%", Discount{}, false},
		{"-5", Discount{}, false},
		{"5.001", Discount{}, false},
		{"five", Discount{}, false},
	}
	for _, c := range cases {
		got, err := ParseDiscount(c.in, 2)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseDiscount(%q) = %+v, %v; want %+v ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestCartItems(t *testing.T) {
	c := Cart{Lines: []Line{{Qty: 2}, {Qty: 3}}}
	if c.Items() != 5 {
		t.Fatalf("items %d", c.Items())
	}
}
