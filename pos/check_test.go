package pos

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const checkID = "01JNKX0000000000000000000A-T01"

// checkedSale is a whole sale of two lines at two rates, paid partly by QR
// and the rest in cash with change.
func checkedSale(t *testing.T, taxIncluded bool) Sale {
	t.Helper()
	c := Cart{Lines: []Line{
		withDiscount(line("A", 3, 400, 1300), amountOff(200)),
		line("B", 2, 500, 900),
	}}
	s, err := NewSale(checkID, "T01", "alice", chf, saleAt, saleAt, c, taxIncluded, []Tender{qr(500), cash(5000)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSaleCheck(t *testing.T) {
	for _, taxIncluded := range []bool{true, false} {
		if err := checkedSale(t, taxIncluded).Check(); err != nil {
			t.Fatalf("a sale NewSale made fails its check (tax included %v): %v", taxIncluded, err)
		}
	}
	tests := []struct {
		name   string
		change func(s *Sale)
		want   string
	}{
		{"another terminal's ID", func(s *Sale) { s.ID = strings.TrimSuffix(s.ID, "T01") + "T02" }, "not of terminal T01"},
		{"not a ULID", func(s *Sale) { s.ID = "S1-T01" }, "not a ULID"},
		{"non-ASCII terminal", func(s *Sale) { s.Terminal = "收银1"; s.ID = checkID[:27] + "收银1" }, "not ASCII"},
		{"zero time", func(s *Sale) { s.At = time.Time{} }, "out of range"},
		{"no lines", func(s *Sale) { s.Lines = nil }, "no lines"},
		{"zero quantity", func(s *Sale) { s.Lines[0].Qty = 0 }, "line 1: quantity 0"},
		{"quantity over the bound", func(s *Sale) { s.Lines[1].Qty = MaxQty + 1 }, "line 2: quantity"},
		{"gross is not qty x price", func(s *Sale) { s.Lines[0].Gross++; s.Lines[0].Net++ }, "line 1: gross"},
		{"net is not gross less discounts", func(s *Sale) { s.Lines[0].Net-- }, "line 1: net"},
		{"subtotal", func(s *Sale) { s.Subtotal++ }, "subtotal"},
		{"discounts", func(s *Sale) { s.Discounts++ }, "discounts are"},
		{"tax against the lines", func(s *Sale) { s.Tax++ }, "tax is"},
		{"tax against the bands", func(s *Sale) { s.Bands[0].Tax++ }, "bands to"},
		{"total", func(s *Sale) { s.Total++; s.Due++; s.Tenders[1].Amount++ }, "total is"},
		{"due is not total plus rounding", func(s *Sale) { s.Rounding++ }, "due"},
		{"tenders short", func(s *Sale) { s.Tenders[1].Amount-- }, "tenders add up"},
		{"negative tender", func(s *Sale) { s.Tenders[0].Amount = -s.Tenders[0].Amount }, "negative tender"},
		{"amount out of range", func(s *Sale) { s.Change = MaxAmount + 1 }, "out of range"},
		{"line amount out of range", func(s *Sale) { s.Lines[0].UnitPrice = -MaxAmount - 1 }, "line 1: amount"},
	}
	for _, tt := range tests {
		s := checkedSale(t, true)
		s.Lines = append([]PricedLine(nil), s.Lines...)
		s.Bands = append([]TaxBand(nil), s.Bands...)
		s.Tenders = append([]Tender(nil), s.Tenders...)
		tt.change(&s)
		err := s.Check()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

func checkedRefund(t *testing.T) Refund {
	t.Helper()
	s := checkedSale(t, false)
	f, err := NewRefund("01JNKX0000000000000000000B-T01", "bob", KindRefund, saleAt.Add(time.Hour), s, nil, map[int]int64{0: 2, 1: 1}, chf.CashStep, "")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRefundCheck(t *testing.T) {
	if err := checkedRefund(t).Check(); err != nil {
		t.Fatalf("a refund NewRefund made fails its check: %v", err)
	}
	tests := []struct {
		name   string
		change func(f *Refund)
		want   string
	}{
		{"another terminal's ID", func(f *Refund) { f.ID = f.ID[:27] + "T9" }, "not of terminal T01"},
		{"sale of another terminal", func(f *Refund) { f.SaleID = f.SaleID[:27] + "T9" }, "refunded sale"},
		{"unknown kind", func(f *Refund) { f.Kind = "gift" }, "unknown refund kind"},
		{"zero time", func(f *Refund) { f.At = time.Time{} }, "out of range"},
		{"no lines", func(f *Refund) { f.Lines = nil }, "no lines"},
		{"negative quantity", func(f *Refund) { f.Lines[0].Qty = -1 }, "line 1: quantity -1"},
		{"total", func(f *Refund) { f.Total++ }, "total is"},
		{"tax", func(f *Refund) { f.Tax-- }, "tax adds up"},
		{"paid back", func(f *Refund) { f.Tenders[0].Amount++ }, "paid back"},
		{"amount out of range", func(f *Refund) { f.Lines[1].Amount = MaxAmount * 2 }, "out of range"},
	}
	for _, tt := range tests {
		f := checkedRefund(t)
		f.Lines = append([]RefundLine(nil), f.Lines...)
		f.Tenders = append([]Tender(nil), f.Tenders...)
		tt.change(&f)
		err := f.Check()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

func TestReportCheckZ(t *testing.T) {
	z := Report{Kind: ZReport, Number: 1, Terminal: "T01", TakenAt: saleAt,
		Taxes: []TaxBand{{Rate: 1300, Tax: 115}, {Rate: 900, Tax: -83}}}
	if err := z.CheckZ(); err != nil {
		t.Fatal(err)
	}
	cash := z
	cash.Shift.Float, cash.CashIn, cash.CashOut, cash.PaidIn, cash.PaidOut, cash.Expected = 20000, 6990, 200, 5000, 1250, 30540
	if cash.CountCash(30500); cash.CheckZ() != nil {
		t.Fatalf("a Z whose drawer adds up: %v", cash.CheckZ())
	}
	if tax, err := z.TaxTotal(); err != nil || tax != 32 {
		t.Fatalf("tax %d %v", tax, err)
	}
	tests := []struct {
		name   string
		change func(r *Report)
		want   string
	}{
		{"an X report", func(r *Report) { r.Kind = XReport }, "want Z"},
		{"zero time", func(r *Report) { r.TakenAt = time.Time{} }, "out of range"},
		{"tax out of range", func(r *Report) { r.Taxes[1].Tax = -MaxAmount - 1 }, "out of range"},
		{"tax overflows", func(r *Report) {
			r.Taxes = nil
			for range 10_000 { // 10,000 x 10^15 > 2^63
				r.Taxes = append(r.Taxes, TaxBand{Tax: MaxAmount})
			}
		}, "overflow"},
		{"expected without the pay-out", func(r *Report) { r.Shift.Float, r.PaidOut, r.PayOuts, r.Expected = 1000, 100, 1, 1000 }, "expected cash 1000"},
		{"negative paid in", func(r *Report) { r.PaidIn, r.Expected = -5, -5 }, "negative"},
		{"difference off", func(r *Report) { c := Money(50); r.Counted, r.Difference = &c, 49 }, "difference 49"},
	}
	for _, tt := range tests {
		r := z
		r.Taxes = append([]TaxBand(nil), z.Taxes...)
		tt.change(&r)
		if err := r.CheckZ(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestShiftCheckOpen(t *testing.T) {
	open := Shift{OpenedAt: saleAt, Cashier: "ann", Float: 10000}
	tests := []struct {
		name     string
		next     Shift
		current  Shift
		want     string
		accepted bool
	}{
		{"a counted float", Shift{OpenedAt: saleAt, Float: 20000}, Shift{}, "", true},
		{"an empty drawer", Shift{OpenedAt: saleAt}, Shift{}, "", true},
		{"negative float", Shift{OpenedAt: saleAt, Float: -1}, Shift{}, "negative float", false},
		{"float out of range", Shift{OpenedAt: saleAt, Float: MaxAmount + 1}, Shift{}, "out of range", false},
		{"already open", Shift{OpenedAt: saleAt.Add(time.Hour), Float: 1}, open, "already open since 2026-03-14 09:30:00", false},
	}
	for _, tt := range tests {
		err := tt.next.CheckOpen(tt.current)
		if tt.accepted != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestReportCheckClose(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    Report
		ok   bool
	}{
		{"nothing", Report{Kind: ZReport}, false},
		{"a sale", Report{Kind: ZReport, Sales: 1}, true},
		{"only a refund", Report{Kind: ZReport, Refunds: 1}, true},
		{"only an opened shift", Report{Kind: ZReport, Shift: Shift{OpenedAt: saleAt}}, true},
	} {
		err := tt.r.CheckClose()
		if tt.ok != (err == nil) || (err != nil && err != ErrNothingToClose) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestRefundCheckAgainst(t *testing.T) {
	s := checkedSale(t, true) // line 0: 3 x A, line 1: 2 x B
	refund := func(lines ...RefundLine) Refund {
		return Refund{ID: "01JNKX0000000000000000000B-T01", SaleID: s.ID, Lines: lines}
	}
	a := func(qty int64) RefundLine { return RefundLine{Line: 0, SKU: "A", Qty: qty} }
	tests := []struct {
		name    string
		f       Refund
		already map[int]int64
		after   map[int]int64
		want    string
	}{
		{"all of one line", refund(a(3)), nil, map[int]int64{0: 3}, ""},
		{"the rest after an earlier refund", refund(a(1), RefundLine{Line: 1, SKU: "B", Qty: 2}), map[int]int64{0: 2}, map[int]int64{0: 3, 1: 2}, ""},
		{"another sale", Refund{SaleID: "01JNKX0000000000000000000C-T01", Lines: []RefundLine{a(1)}}, nil, nil, "not " + s.ID},
		{"nothing", refund(), nil, nil, "gives nothing back"},
		{"past the last line", refund(RefundLine{Line: 2, SKU: "A", Qty: 1}), nil, nil, "has no line 3"},
		{"negative line", refund(RefundLine{Line: -1, SKU: "A", Qty: 1}), nil, nil, "has no line 0"},
		{"zero quantity", refund(a(0)), nil, nil, "cannot refund 0 of A"},
		{"other goods", refund(RefundLine{Line: 0, SKU: "B", Qty: 1}), nil, nil, "cannot refund 1 of B"},
		{"more than sold", refund(a(4)), nil, nil, "refund exceeds"},
		{"more than is left", refund(a(2)), map[int]int64{0: 2}, nil, "refund exceeds"},
		{"one line twice, over in sum", refund(a(2), a(2)), nil, nil, "refund exceeds"},
	}
	for _, tt := range tests {
		var before map[int]int64
		if tt.already != nil {
			before = map[int]int64{}
			for k, v := range tt.already {
				before[k] = v
			}
		}
		after, err := tt.f.CheckAgainst(s, tt.already)
		switch {
		case tt.want == "" && (err != nil || !reflect.DeepEqual(after, tt.after)):
			t.Errorf("%s: %v %v, want %v", tt.name, after, err, tt.after)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		if tt.already != nil && !reflect.DeepEqual(tt.already, before) {
			t.Errorf("%s: changed what was already refunded: %v", tt.name, tt.already)
		}
	}
}
