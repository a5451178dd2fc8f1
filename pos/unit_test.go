package pos

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseUnit(t *testing.T) {
	for in, want := range map[string]Unit{"": Each, "pc": Each, "个": Each, "KG": Kilogram, " kg ": Kilogram, "公斤": Kilogram,
		"g": Gram, "克": Gram, "斤": Jin, "jin": Jin, "m": Metre, "米": Metre} {
		if got, err := ParseUnit(in); err != nil || got != want {
			t.Errorf("ParseUnit(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"lb", "kgs", "litre", "两"} {
		if _, err := ParseUnit(in); err == nil {
			t.Errorf("ParseUnit(%q) accepted", in)
		}
	}
}

func TestParseQty(t *testing.T) {
	for _, c := range []struct {
		in   string
		u    Unit
		want int64
		err  string
	}{
		{"1.25", Kilogram, 1250, ""},
		{"1.255", Kilogram, 1255, ""},
		{"0.001", Kilogram, 1, ""},
		{" 2 ", Kilogram, 2000, ""},
		{"9999.999", Kilogram, MaxMeasure, ""},
		{"0", Kilogram, 0, ""},
		{"1.5", Jin, 1500, ""},
		{"3", Each, 3, ""},
		{"3.0", Each, 3, ""},
		{"9999", Each, 9999, ""},
		{"0", Each, 0, ""},
		{"1.2555", Kilogram, 0, "three decimals"},
		{"10000", Kilogram, 0, "at most 9999.999 kg"},
		{"10000", Each, 0, "at most 9999"},
		{"1.5", Each, 0, "whole number"},
		{"1.25", Each, 0, "whole number"},
		{"", Kilogram, 0, "like 1.25"},
		{".5", Kilogram, 0, "like 1.25"},
		{"1.", Kilogram, 0, "like 1.25"},
		{"3.", Each, 0, "like 3"},
		{"-1", Kilogram, 0, "like 1.25"},
		{"+1", Each, 0, "like 3"},
		{"1e3", Kilogram, 0, "like 1.25"},
		{"1,5", Kilogram, 0, "like 1.25"},
		{"1.2.3", Kilogram, 0, "like 1.25"},
		{"６", Each, 0, "like 3"},
		{"6900012345004", Each, 0, "at most"},
		{"99999999999999999999999", Kilogram, 0, "at most"},
	} {
		got, err := ParseQty(c.in, c.u)
		if c.err == "" {
			if err != nil || got != c.want {
				t.Errorf("ParseQty(%q, %q) = %d, %v; want %d", c.in, c.u, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) || !errors.Is(err, ErrQty) {
			t.Errorf("ParseQty(%q, %q) = %d, %v; want error %q", c.in, c.u, got, err, c.err)
		}
	}
}

func TestFormatQtyIsParseQtyInverse(t *testing.T) {
	for _, c := range []struct {
		q    int64
		u    Unit
		text string
		full string
	}{
		{1250, Kilogram, "1.250", "1.250 kg"},
		{1, Kilogram, "0.001", "0.001 kg"},
		{2500, Jin, "2.500", "2.500 斤"},
		{1500, Metre, "1.500", "1.500 m"},
		{3, Each, "3", "3"},
	} {
		if got := FormatQty(c.q, c.u); got != c.text {
			t.Errorf("FormatQty(%d, %q) = %q, want %q", c.q, c.u, got, c.text)
		}
		if got := FormatQtyUnit(c.q, c.u); got != c.full {
			t.Errorf("FormatQtyUnit(%d, %q) = %q, want %q", c.q, c.u, got, c.full)
		}
		if back, err := ParseQty(c.text, c.u); err != nil || back != c.q {
			t.Errorf("ParseQty(%q) = %d, %v", c.text, back, err)
		}
	}
}

func TestLineAmountRoundsOnceHalfAwayFromZero(t *testing.T) {
	for _, c := range []struct {
		price Money
		q     int64
		u     Unit
		want  Money
	}{
		{1280, 1250, Kilogram, 1600}, // 1.250 kg x 12.80 = 16.00
		{1280, 1255, Kilogram, 1606}, // 16.064 -> 16.06
		{698, 1005, Kilogram, 701},   // 7.0149 -> 7.01
		{698, 1075, Kilogram, 750},   // 7.5035 -> 7.50
		{1, 500, Kilogram, 1},        // 0.005 -> 0.01: half away from zero
		{1, 499, Kilogram, 0},        // 0.00499 -> 0.00
		{600, 1500, Jin, 900},        // 1.5 斤 x 6.00/斤
		{1200, 3, Each, 3600},        // counted goods: price x count
		{-1280, 1255, Kilogram, -1606},
	} {
		got, err := LineAmount(c.price, c.q, c.u)
		if err != nil || got != c.want {
			t.Errorf("LineAmount(%d, %d, %q) = %d, %v; want %d", c.price, c.q, c.u, got, err, c.want)
		}
	}
	if _, err := LineAmount(MaxAmount, MaxMeasure, Kilogram); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow: %v", err)
	}
}

func TestUnitConversions(t *testing.T) {
	for _, c := range []struct {
		u     Unit
		grams int64
		want  int64
	}{{Kilogram, 1250, 1250}, {Jin, 1250, 2500}, {Gram, 1250, 1_250_000}} {
		if got, err := c.u.FromGrams(c.grams); err != nil || got != c.want {
			t.Errorf("%q.FromGrams(%d) = %d, %v; want %d", c.u, c.grams, got, err, c.want)
		}
	}
	for _, u := range []Unit{Each, Metre} {
		if _, err := u.FromGrams(100); err == nil || !strings.Contains(err.Error(), "cannot be weighed") {
			t.Errorf("%q.FromGrams: %v", u, err)
		}
	}
	for _, c := range []struct {
		q        int64
		from, to Unit
		want     int64
		ok       bool
	}{
		{2500, Jin, Kilogram, 1250, true}, {1, Kilogram, Jin, 2, true}, {1250, Kilogram, Gram, 1_250_000, true},
		{1, Jin, Kilogram, 1, true}, // half a gram rounds to a gram
		{5, Each, Each, 5, true}, {1000, Kilogram, Metre, 0, false}, {1, Each, Kilogram, 0, false},
	} {
		got, ok := ConvertQty(c.q, c.from, c.to)
		if got != c.want || ok != c.ok {
			t.Errorf("ConvertQty(%d, %q, %q) = %d, %v; want %d, %v", c.q, c.from, c.to, got, ok, c.want, c.ok)
		}
	}
}

func TestQtyTimesPriceIsTheReceiptLine(t *testing.T) {
	for _, c := range []struct {
		q    int64
		u    Unit
		want string
	}{{1250, Kilogram, "1.250 kg x 12.80/kg"}, {800, Jin, "0.800 斤 x 12.80/斤"}, {3, Each, "3 x 12.80"}} {
		if got := QtyTimesPrice(c.q, c.u, "12.80"); got != c.want {
			t.Errorf("QtyTimesPrice(%d, %q) = %q, want %q", c.q, c.u, got, c.want)
		}
	}
}

var (
	apples = Product{SKU: "APPLE", Name: "Apple per kg", Price: 1280, TaxRate: 900, Unit: Kilogram}
	cola   = Product{SKU: "COLA", Name: "Cola", Price: 300, TaxRate: 1300}
)

func TestWeighedGoodsInTheCart(t *testing.T) {
	var c Cart
	if i, err := c.Add(apples, 1255); err != nil || i != 0 {
		t.Fatal(i, err)
	}
	// A second weighing is a second parcel: its own line, priced alone.
	if i, err := c.Add(apples, 500); err != nil || i != 1 {
		t.Fatal(i, err)
	}
	// Counted goods still merge.
	c.Add(cola, 1)
	if i, _ := c.Add(cola, 2); i != 2 || c.Lines[2].Qty != 3 {
		t.Fatalf("cola: %+v", c.Lines)
	}
	if _, err := c.Add(apples, MaxMeasure+1); err == nil {
		t.Error("over 9999.999 kg accepted")
	}
	if _, err := c.Add(apples, 0); err == nil {
		t.Error("zero weight accepted")
	}
	if n := c.Items(); n != 5 {
		t.Errorf("items %d, want 2 parcels + 3 tins", n)
	}
	if err := c.SetQty(1, 750); err != nil || c.Lines[1].Qty != 750 {
		t.Fatalf("set weight: %v %+v", err, c.Lines[1])
	}
	if err := c.SetQty(1, MaxMeasure+1); err == nil || !strings.Contains(err.Error(), "9999.999 kg") {
		t.Errorf("set over max: %v", err)
	}
	tot, err := Price(c, true)
	if err != nil {
		t.Fatal(err)
	}
	// 1.255 kg x 12.80 = 16.064 -> 16.06; 0.750 kg -> 9.60; 3 x 3.00.
	if g := []Money{tot.Lines[0].Gross, tot.Lines[1].Gross, tot.Lines[2].Gross}; g[0] != 1606 || g[1] != 960 || g[2] != 900 {
		t.Errorf("gross %v", g)
	}
	if tot.Total != 1606+960+900 {
		t.Errorf("total %d", tot.Total)
	}
	// 9% included in 25.66 of apples: round(2566*900/10900) = 212.
	if tot.Bands[0].Rate != 900 || tot.Bands[0].Tax != 212 {
		t.Errorf("bands %+v", tot.Bands)
	}
	if tot.Lines[0].Unit != Kilogram || tot.Lines[0].QtyText() != "1.255 kg" {
		t.Errorf("line unit %+v", tot.Lines[0].Line)
	}
}

func TestScaleLabelLines(t *testing.T) {
	var c Cart
	// Two identical labels are two parcels.
	for range 2 {
		if _, err := c.AddLabel(apples, 1255, 1610, "2600001016101255X"); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.Lines) != 2 || c.Lines[0].Qty != 1255 || c.Lines[1].Label == "" {
		t.Fatalf("lines %+v", c.Lines)
	}
	// Scanning apples by code after a label does not touch the label.
	c.Add(apples, 1000)
	if len(c.Lines) != 3 {
		t.Fatal("weighed goods merged into a label")
	}
	// A counted good from a price label stands alone too.
	c.AddLabel(cola, 1, 250, "2012345002509")
	c.Add(cola, 1)
	if len(c.Lines) != 5 || c.Lines[3].Qty != 1 || c.Lines[4].Qty != 1 {
		t.Fatalf("label merged with scans: %+v", c.Lines)
	}
	if err := c.SetQty(0, 1000); err == nil || !strings.Contains(err.Error(), "scale label") {
		t.Errorf("label weight changed: %v", err)
	}
	if _, err := c.AddLabel(apples, 0, 100, "X"); err == nil {
		t.Error("label without weight accepted")
	}
	if _, err := c.AddLabel(apples, 100, 100, ""); err == nil {
		t.Error("label line without its code accepted")
	}
	tot, err := Price(c, true)
	if err != nil {
		t.Fatal(err)
	}
	// The label's amount is the line's value: 16.10 printed, though
	// 1.255 kg x 12.80 is 16.06 (the price changed since the label).
	if tot.Lines[0].Gross != 1610 || tot.Lines[1].Gross != 1610 || tot.Lines[2].Gross != 1280 || tot.Lines[3].Gross != 250 {
		t.Errorf("gross %+v", tot.Lines)
	}
	if err := c.SetQty(0, 0); err != nil || len(c.Lines) != 4 {
		t.Errorf("remove label line: %v", err)
	}
}

func TestPartialRefundByWeightAddsUpExactly(t *testing.T) {
	var c Cart
	c.Add(apples, 1255)
	c.Discount = Discount{Kind: PercentDiscount, Percent: 1000}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s, err := NewSale("S1", "T1", "alice", Currency{Code: "CNY", Exponent: 2}, at, at, c, true, []Tender{{Kind: Cash, Given: 2000}})
	if err != nil {
		t.Fatal(err)
	}
	net := s.Lines[0].Net // 16.06 less 10% = 14.45
	if net != 1445 {
		t.Fatalf("net %d", net)
	}
	r1, err := NewRefund("R1", "alice", KindRefund, at, s, nil, map[int]int64{0: 500}, 0, "bruised")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Lines[0].Unit != Kilogram || r1.Lines[0].Qty != 500 {
		t.Errorf("refund line %+v", r1.Lines[0])
	}
	r2, err := NewRefund("R2", "alice", KindRefund, at, s, map[int]int64{0: 500}, map[int]int64{0: 755}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Total+r2.Total != net || r1.Tax+r2.Tax != s.Lines[0].Tax {
		t.Errorf("refunds %d + %d, sold %d; tax %d + %d of %d", r1.Total, r2.Total, net, r1.Tax, r2.Tax, s.Lines[0].Tax)
	}
	_, err = NewRefund("R3", "alice", KindRefund, at, s, map[int]int64{0: 1255}, map[int]int64{0: 1}, 0, "")
	if !errors.Is(err, ErrOverRefund) || !strings.Contains(err.Error(), "sold 1.255 kg, refunded 1.255 kg, asked 0.001 kg") {
		t.Errorf("over-refund: %v", err)
	}
	// Reports count grams in kg goods and take refunds off exactly.
	tl := NewTally(XReport, "T1", Shift{}, time.UTC)
	tl.AddSale(s)
	tl.AddRefund(r1)
	rep := tl.Report(at, 10)
	if g := rep.TopGoods[0]; g.Unit != Kilogram || g.Qty != 755 || g.Amount != net-r1.Total {
		t.Errorf("goods total %+v", g)
	}
}

func TestReportKeepsUnitsApart(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	sale := func(p Product, q int64) Sale {
		var c Cart
		c.Add(p, q)
		s, err := NewSale("S", "T1", "a", Currency{Code: "CNY", Exponent: 2}, at, at, c, true, []Tender{{Kind: Cash, Given: 100000}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	jin := apples
	jin.Unit = Jin
	tl := NewTally(XReport, "T1", Shift{}, time.UTC)
	tl.AddSale(sale(apples, 1000))
	tl.AddSale(sale(jin, 1000))
	tl.AddSale(sale(apples, 500))
	rep := tl.Report(at, 10)
	if len(rep.TopGoods) != 2 || rep.TopGoods[0].Qty != 1500 || rep.TopGoods[0].Unit != Kilogram || rep.TopGoods[1].Unit != Jin {
		t.Errorf("goods %+v", rep.TopGoods)
	}
}

func TestReorderLevel(t *testing.T) {
	three := int64(3)
	for _, c := range []struct {
		p    Product
		want int64
		low  bool
	}{
		{Product{TrackStock: true, Stock: 5}, LowStockAt, true},
		{Product{TrackStock: true, Stock: 6}, LowStockAt, false},
		{Product{TrackStock: true, Stock: 4, ReorderLevel: &three}, 3, false},
		{Product{TrackStock: true, Stock: 3, ReorderLevel: &three}, 3, true},
		{Product{TrackStock: true, Stock: 5000, Unit: Kilogram}, 5000, true}, // 5 kg
		{Product{TrackStock: true, Stock: 5001, Unit: Kilogram}, 5000, false},
		{Product{Stock: 0}, LowStockAt, false}, // not counted: never low
	} {
		if c.p.Reorder() != c.want || c.p.LowStock() != c.low {
			t.Errorf("%+v: reorder %d low %v, want %d %v", c.p, c.p.Reorder(), c.p.LowStock(), c.want, c.low)
		}
	}
	umbrella := Product{TrackStock: true, Stock: 10}
	if umbrella.StockShort(10) || !umbrella.StockShort(11) || (Product{}).StockShort(50) {
		t.Error("StockShort")
	}
}

func TestProductJSONKeepsNewFieldsAndOldFilesStillRead(t *testing.T) {
	lvl := int64(0)
	p := Product{SKU: "A", Name: "Apple", Price: 1280, Unit: Jin, Mnemonic: "PG", ReorderLevel: &lvl, TrackStock: true, Stock: 2500}
	data, _ := json.Marshal(p)
	var back Product
	if err := json.Unmarshal(data, &back); err != nil || back.Unit != Jin || back.Mnemonic != "PG" || back.ReorderLevel == nil || *back.ReorderLevel != 0 {
		t.Fatalf("%s -> %+v %v", data, back, err)
	}
	var old Product
	json.Unmarshal([]byte(`{"sku":"A","name":"Apple","price":100,"tax_rate":0,"track_stock":true,"stock":5}`), &old)
	if old.Unit != Each || old.ReorderLevel != nil || !old.LowStock() {
		t.Errorf("old record %+v", old)
	}
	bad := []Product{
		{SKU: "A", Name: "A", Unit: "lb"},
		{SKU: "A", Name: "A", Mnemonic: "\x1b[2J"},
		{SKU: "A", Name: "A", ReorderLevel: new(int64(-1))},
	}
	for _, b := range bad {
		if b.Validate() == nil {
			t.Errorf("%+v valid", b)
		}
	}
}
