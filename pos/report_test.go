package pos

import (
	"slices"
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

// newTestSale prices and settles a cart at a given time and receipt.
func newTestSale(t *testing.T, receipt uint64, at time.Time, c Cart, taxIncluded bool, cur Currency, tenders ...Tender) Sale {
	t.Helper()
	s, err := NewSale("S", "T01", "alice", cur, at, at, c, taxIncluded, tenders)
	if err != nil {
		t.Fatalf("NewSale: %v", err)
	}
	s.Receipt = receipt
	return s
}

func TestTallyReport(t *testing.T) {
	day := func(h, m int) time.Time { return time.Date(2026, 3, 14, h, m, 0, 0, time.UTC) }
	shift := Shift{OpenedAt: day(0, 55), Cashier: "alice", Float: 50000}

	// Sale 1 at 09:30 CST: 2 water + 1 tea = 7.50 in cash, 13% band 6.64 + 0.86.
	var c1 Cart
	c1.Add(water, 2)
	c1.Add(tea, 1)
	s1 := newTestSale(t, 1, day(1, 30), c1, true, cny, cash(1000))

	// Sale 2 at 10:10 CST: bread 12.90 at 9% and water 2.00 at 13%, 10% off
	// the cart (1.29 + 0.20), 13.41 by QR. 9%: 10.65 + 0.96; 13%: 1.59 + 0.21.
	var c2 Cart
	c2.Add(bread, 1)
	c2.Add(water, 1)
	c2.Discount = percentOff(1000)
	s2 := newTestSale(t, 2, day(2, 10), c2, true, cny, qr(1341))

	// Sale 3 at 10:50 CST: 3 tea = 10.50, 5.00 by QR and 5.50 in cash
	// (6.00 given); 13%: 9.29 + 1.21.
	var c3 Cart
	c3.Add(tea, 3)
	s3 := newTestSale(t, 3, day(2, 50), c3, true, cny, qr(500), cash(600))

	// Refund at 13:00 CST: one tea of sale 3, 3.50 back in cash, tax 0.40.
	r1, err := NewRefund("R", "alice", KindRefund, day(5, 0), s3, nil, map[int]int64{0: 1}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	r1.Receipt = 4
	if r1.Total != 350 || r1.Tax != 40 {
		t.Fatalf("refund %d tax %d, want 350 tax 40", r1.Total, r1.Tax)
	}

	tally := NewTally(ZReport, "T01", shift, cst)
	tally.AddSale(s1)
	tally.AddSale(s2)
	tally.AddSale(s3)
	tally.AddRefund(r1)
	taken := day(12, 0)
	r := tally.Report(taken, 2)

	if r.Kind != ZReport || r.Terminal != "T01" || !r.TakenAt.Equal(taken) || r.Shift != shift || !r.TaxIncluded {
		t.Errorf("report header %+v", r)
	}
	if r.FirstReceipt != 1 || r.LastReceipt != 4 || r.Sales != 3 || r.Refunds != 1 {
		t.Errorf("receipts %d..%d, %d sales, %d refunds; want 1..4, 3, 1", r.FirstReceipt, r.LastReceipt, r.Sales, r.Refunds)
	}
	if r.Gross != 3290 || r.Discounts != 149 || r.RefundTotal != 350 || r.Rounding != 0 {
		t.Errorf("gross %d, discounts %d, refunds %d, rounding %d; want 3290, 149, 350, 0", r.Gross, r.Discounts, r.RefundTotal, r.Rounding)
	}
	if wantNet := s1.Due + s2.Due + s3.Due - r1.Tenders[0].Amount; r.Net != 2791 || r.Net != wantNet {
		t.Errorf("net %d, want 2791 (= %d)", r.Net, wantNet)
	}
	wantTaxes := []TaxBand{{Rate: 900, Base: 1065, Tax: 96}, {Rate: 1300, Base: 1442, Tax: 188}}
	if !slices.Equal(r.Taxes, wantTaxes) {
		t.Errorf("taxes %+v, want %+v", r.Taxes, wantTaxes)
	}
	wantTenders := []TenderTotal{{Kind: Cash, Amount: 950}, {Kind: QR, Amount: 1841}}
	if !slices.Equal(r.Tenders, wantTenders) {
		t.Errorf("tenders %+v, want %+v", r.Tenders, wantTenders)
	}
	var tendered Money
	for _, td := range r.Tenders {
		tendered += td.Amount
	}
	if tendered != r.Net {
		t.Errorf("tenders add up to %d, net is %d", tendered, r.Net)
	}
	if r.CashIn != 1300 || r.CashOut != 350 || r.Expected != 50950 {
		t.Errorf("cash in %d, out %d, expected %d; want 1300, 350, 50950", r.CashIn, r.CashOut, r.Expected)
	}
	wantTop := []GoodsTotal{
		{SKU: "SKU1008", Name: "Bread", Qty: 1, Amount: 1161},
		{SKU: "SKU1002", Name: "Green tea 500ml", Qty: 3, Amount: 1050},
	}
	if !slices.Equal(r.TopGoods, wantTop) {
		t.Errorf("top goods %+v, want %+v", r.TopGoods, wantTop)
	}
	var hours [24]Money
	hours[9] = 750
	hours[10] = 1341 + 1050
	hours[13] = -350
	if r.ByHour != hours {
		t.Errorf("by hour %v, want %v", r.ByHour, hours)
	}
	var hourSum Money
	for _, v := range r.ByHour {
		hourSum += v
	}
	if hourSum != r.Net {
		t.Errorf("hours add up to %d, net is %d", hourSum, r.Net)
	}
	if r.Counted != nil || r.Difference != 0 {
		t.Errorf("uncounted report has counted %v, difference %d", r.Counted, r.Difference)
	}

	// The whole list, and the drawer counted short then over.
	all := tally.Report(taken, 10)
	if len(all.TopGoods) != 3 || all.TopGoods[2] != (GoodsTotal{SKU: "SKU1001", Name: "Mineral water 550ml", Qty: 3, Amount: 580}) {
		t.Errorf("all goods %+v", all.TopGoods)
	}
	all.CountCash(50900)
	if all.Counted == nil || *all.Counted != 50900 || all.Difference != -50 {
		t.Errorf("counted %v, difference %d; want 50900, -50", all.Counted, all.Difference)
	}
	all.CountCash(51000)
	if *all.Counted != 51000 || all.Difference != 50 {
		t.Errorf("recount: counted %d, difference %d; want 51000, 50", *all.Counted, all.Difference)
	}
	// Counting one report does not touch another.
	if r.Counted != nil {
		t.Error("CountCash on one report changed another")
	}
}

func TestTallyTaxExcludedWithRounding(t *testing.T) {
	// 3 x 10.01 plus 13% tax: net 30.03, tax 3.90, total 33.93, due 33.95
	// in cash. One comes back: 10.01 + 1.30 = 11.31, paid back as 11.30.
	at := time.Date(2026, 3, 14, 18, 5, 0, 0, time.UTC)
	p := Product{SKU: "X", Name: "Wine", Price: 1001, TaxRate: 1300}
	var c Cart
	c.Add(p, 3)
	s := newTestSale(t, 7, at, c, false, chf, cash(5000))
	if s.Total != 3393 || s.Due != 3395 || s.Rounding != 2 || s.Change != 1605 {
		t.Fatalf("sale total %d due %d rounding %d change %d", s.Total, s.Due, s.Rounding, s.Change)
	}
	ref, err := NewRefund("R", "alice", KindRefund, at.Add(time.Hour), s, nil, map[int]int64{0: 1}, chf.CashStep, "")
	if err != nil {
		t.Fatal(err)
	}
	ref.Receipt = 8
	if ref.Total != 1131 || ref.Tax != 130 || ref.Rounding != -1 || ref.Tenders[0].Amount != 1130 {
		t.Fatalf("refund total %d tax %d rounding %d tenders %+v", ref.Total, ref.Tax, ref.Rounding, ref.Tenders)
	}

	tally := NewTally(XReport, "T01", Shift{Float: 10000}, time.UTC)
	tally.AddSale(s)
	tally.AddRefund(ref)
	r := tally.Report(at.Add(2*time.Hour), 5)

	if r.Net != 3395-1130 || r.Rounding != 3 || r.RefundTotal != 1131 || r.Gross != 3003 || r.TaxIncluded {
		t.Errorf("net %d, rounding %d, refunds %d, gross %d, included %v; want 2265, 3, 1131, 3003, false",
			r.Net, r.Rounding, r.RefundTotal, r.Gross, r.TaxIncluded)
	}
	// Net is the sales' totals less the refunds' totals plus all rounding.
	if r.Net != s.Total-r.RefundTotal+r.Rounding {
		t.Errorf("net %d != totals %d - refunds %d + rounding %d", r.Net, s.Total, r.RefundTotal, r.Rounding)
	}
	if want := []TaxBand{{Rate: 1300, Base: 2002, Tax: 260}}; !slices.Equal(r.Taxes, want) {
		t.Errorf("taxes %+v, want %+v", r.Taxes, want)
	}
	// Goods are counted at their net, before tax, refunds included.
	if want := []GoodsTotal{{SKU: "X", Name: "Wine", Qty: 2, Amount: 2002}}; !slices.Equal(r.TopGoods, want) {
		t.Errorf("top goods %+v, want %+v", r.TopGoods, want)
	}
	if r.CashIn != 3395 || r.CashOut != 1130 || r.Expected != 10000+3395-1130 {
		t.Errorf("cash in %d, out %d, expected %d", r.CashIn, r.CashOut, r.Expected)
	}
	if want := []TenderTotal{{Kind: Cash, Amount: 2265}}; !slices.Equal(r.Tenders, want) {
		t.Errorf("tenders %+v, want %+v", r.Tenders, want)
	}
	if r.ByHour[18] != 3395 || r.ByHour[19] != -1130 {
		t.Errorf("by hour %v", r.ByHour)
	}
}

func TestTallyByHourInLocation(t *testing.T) {
	// The same instant falls in different hours in different places, and
	// a sale just before midnight UTC is next morning in Shanghai.
	at := time.Date(2026, 3, 14, 23, 59, 59, 0, time.UTC)
	var c Cart
	c.Add(water, 1)
	s := newTestSale(t, 1, at, c, true, cny, cash(200))
	for _, tc := range []struct {
		loc  *time.Location
		hour int
	}{
		{time.UTC, 23},
		{cst, 7},
		{time.FixedZone("EST", -5*3600), 18},
		{time.FixedZone("IST", 5*3600+1800), 5},
	} {
		tally := NewTally(XReport, "T01", Shift{}, tc.loc)
		tally.AddSale(s)
		r := tally.Report(at, 5)
		for h, v := range r.ByHour {
			want := Money(0)
			if h == tc.hour {
				want = 200
			}
			if v != want {
				t.Errorf("%s: hour %d = %d, want %d", tc.loc, h, v, want)
			}
		}
	}
}

func TestTallyTopGoods(t *testing.T) {
	at := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	goods := []Product{
		{SKU: "D", Name: "d", Price: 300},
		{SKU: "B", Name: "b", Price: 500},
		{SKU: "C", Name: "c", Price: 500},
		{SKU: "A", Name: "a", Price: 100},
		{SKU: "E", Name: "e", Price: 500},
	}
	tally := NewTally(XReport, "T01", Shift{}, time.UTC)
	for i, p := range goods {
		var c Cart
		c.Add(p, 1)
		tally.AddSale(newTestSale(t, uint64(10-i), at, c, true, cny, cash(p.Price)))
	}
	r := tally.Report(at, 10)
	if r.FirstReceipt != 6 || r.LastReceipt != 10 {
		t.Errorf("receipts %d..%d, want 6..10", r.FirstReceipt, r.LastReceipt)
	}
	var got []string
	for _, g := range r.TopGoods {
		got = append(got, g.SKU)
	}
	// By amount, largest first; equal amounts by SKU.
	if want := []string{"B", "C", "E", "D", "A"}; !slices.Equal(got, want) {
		t.Errorf("top goods %v, want %v", got, want)
	}
	for _, tc := range []struct {
		n    int
		want []string
	}{
		{5, []string{"B", "C", "E", "D", "A"}},
		{3, []string{"B", "C", "E"}},
		{1, []string{"B"}},
		{0, nil},
		{-1, nil},
	} {
		r := tally.Report(at, tc.n)
		var got []string
		for _, g := range r.TopGoods {
			got = append(got, g.SKU)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("top %d: %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestTallyEmpty(t *testing.T) {
	shift := Shift{Float: 20000, Cashier: "alice"}
	r := NewTally(XReport, "T01", shift, time.UTC).Report(time.Time{}, 5)
	if r.Sales != 0 || r.Refunds != 0 || r.Net != 0 || r.FirstReceipt != 0 || r.LastReceipt != 0 ||
		len(r.Taxes) != 0 || len(r.Tenders) != 0 || len(r.TopGoods) != 0 || r.Expected != 20000 {
		t.Errorf("empty report %+v", r)
	}
	r.CountCash(19990)
	if r.Difference != -10 {
		t.Errorf("difference %d, want -10", r.Difference)
	}
}
