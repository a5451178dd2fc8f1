package bolt_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

func TestXAndZReports(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)

	if _, err := s.TakeZ(clk.Now(), time.UTC, nil); err == nil {
		t.Fatal("took a Z report of nothing")
	}
	float := pos.Money(20000)
	if err := s.OpenShift(pos.Shift{OpenedAt: clk.Now(), Cashier: "ann", Float: float}); err != nil {
		t.Fatal(err)
	}
	if err := s.OpenShift(pos.Shift{OpenedAt: clk.Now(), Cashier: "bob", Float: 1}); err == nil {
		t.Error("opened a second shift over an open one")
	}
	if err := s.OpenShift(pos.Shift{OpenedAt: clk.Now(), Float: -1}); err == nil {
		t.Error("opened a shift with a negative float")
	}

	// Period 1: three cash sales, one partly refunded.
	var period1 []pos.Sale
	for i := range 3 {
		clk.Add(10 * time.Minute)
		period1 = append(period1, sell(t, r, cart(t, "TEA", i+1, "RICE", 1)))
	}
	clk.Add(time.Minute)
	ref, err := r.Refund(period1[0].ID, map[int]int64{1: 1}, pos.KindRefund, "")
	if err != nil {
		t.Fatal(err)
	}
	var cashIn, net pos.Money
	for _, sale := range period1 {
		cashIn += sale.Due
		net += sale.Due
	}
	net -= ref.Tenders[0].Amount

	x, err := s.XReport(clk.Now(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if x.Kind != pos.XReport || x.Number != 0 || x.Sales != 3 || x.Refunds != 1 || x.FirstReceipt != 1 || x.LastReceipt != 4 {
		t.Errorf("X = kind %s number %d sales %d refunds %d receipts %d-%d; want X 0 3 1 1-4",
			x.Kind, x.Number, x.Sales, x.Refunds, x.FirstReceipt, x.LastReceipt)
	}
	if x.Net != net {
		t.Errorf("X net %d, want %d", x.Net, net)
	}
	if want := float + cashIn - ref.Tenders[0].Amount; x.Expected != want {
		t.Errorf("expected cash %d, want float %d + in %d - out %d = %d", x.Expected, float, cashIn, ref.Tenders[0].Amount, want)
	}
	if x.Shift.Float != float {
		t.Errorf("X shift float %d, want %d", x.Shift.Float, float)
	}
	// An X report closes nothing: a second one is the same, no Z exists,
	// nothing is queued for head office, and the shift stays open.
	x2, err := s.XReport(clk.Now(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, x, x2) {
		t.Error("a second X report differs from the first")
	}
	if zs, _ := s.ZReports(10); len(zs) != 0 {
		t.Errorf("%d Z reports after X reports", len(zs))
	}
	if _, total, _ := s.OutboxCounts(); total != 5 {
		t.Errorf("outbox holds %d entries, want the float and the 4 receipts", total)
	}
	if sh, _ := s.Shift(); sh.OpenedAt.IsZero() {
		t.Error("X report closed the shift")
	}

	clk.Add(time.Hour)
	counted := x.Expected - 150 // 1.50 short
	z1, err := s.TakeZ(clk.Now(), time.UTC, &counted)
	if err != nil {
		t.Fatal(err)
	}
	if z1.Kind != pos.ZReport || z1.Number != 1 || z1.Sales != 3 || z1.Refunds != 1 || z1.LastReceipt != 4 || z1.Net != net {
		t.Errorf("Z1 = kind %s number %d sales %d refunds %d last %d net %d", z1.Kind, z1.Number, z1.Sales, z1.Refunds, z1.LastReceipt, z1.Net)
	}
	if z1.Counted == nil || *z1.Counted != counted || z1.Difference != -150 || z1.Expected != x.Expected {
		t.Errorf("Z1 cash: expected %d counted %v difference %d; want %d, %d, -150", z1.Expected, z1.Counted, z1.Difference, x.Expected, counted)
	}
	if sh, _ := s.Shift(); !sh.OpenedAt.IsZero() {
		t.Error("Z report left the shift open")
	}
	es := pending(t, s)
	last := es[len(es)-1]
	if last.Kind != pos.RecordZReport || last.ID != "Z1-"+terminal {
		t.Errorf("last outbox entry %s %s, want the Z report", last.Kind, last.ID)
	}
	var queued pos.Report
	if err := json.Unmarshal(last.Body, &queued); err != nil || !sameJSON(t, queued, z1) {
		t.Errorf("queued Z report differs from the one returned (%v)", err)
	}

	if _, err := s.TakeZ(clk.Now(), time.UTC, nil); err == nil {
		t.Error("took a second Z report with nothing since the first")
	}
	if x, _ := s.XReport(clk.Now(), time.UTC); x.Sales != 0 || x.Refunds != 0 || x.Net != 0 {
		t.Errorf("X after Z: %d sales %d refunds net %d, want nothing", x.Sales, x.Refunds, x.Net)
	}

	// Period 2, after a restart: only its own receipts, including a refund
	// of a sale from period 1.
	s = reopen(t, s)
	r.Store = s
	if err := s.OpenShift(pos.Shift{OpenedAt: clk.Now(), Cashier: "bob", Float: 5000}); err != nil {
		t.Fatalf("opening a shift after the Z: %v", err)
	}
	clk.Add(time.Hour)
	a := sell(t, r, cart(t, "STAMP", 2))
	b := sell(t, r, cart(t, "APPLE", 1))
	ref2, err := r.Refund(period1[2].ID, map[int]int64{0: 1}, pos.KindRefund, "")
	if err != nil {
		t.Fatal(err)
	}
	z2, err := s.TakeZ(clk.Now(), time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantNet := a.Due + b.Due - ref2.Tenders[0].Amount
	if z2.Number != 2 || z2.Sales != 2 || z2.Refunds != 1 || z2.FirstReceipt != 5 || z2.LastReceipt != 7 || z2.Net != wantNet {
		t.Errorf("Z2 = number %d sales %d refunds %d receipts %d-%d net %d; want 2 2 1 5-7 %d",
			z2.Number, z2.Sales, z2.Refunds, z2.FirstReceipt, z2.LastReceipt, z2.Net, wantNet)
	}
	if z2.Counted != nil || z2.Expected != 5000+a.Due+b.Due-ref2.Tenders[0].Amount {
		t.Errorf("Z2 cash: expected %d counted %v", z2.Expected, z2.Counted)
	}
	for _, g := range z2.TopGoods {
		if g.SKU == "RICE" {
			t.Errorf("Z2 lists %s, sold only before Z1", g.SKU)
		}
	}

	zs, err := s.ZReports(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(zs) != 2 || zs[0].Number != 2 || zs[1].Number != 1 || !sameJSON(t, zs[1], z1) || !sameJSON(t, zs[0], z2) {
		t.Errorf("ZReports = %d reports %v, want Z2 then Z1 as taken", len(zs), numbers(zs))
	}
	if zs, _ := s.ZReports(1); len(zs) != 1 || zs[0].Number != 2 {
		t.Errorf("ZReports(1) = %v, want [2]", numbers(zs))
	}
	var zq []string
	for _, e := range pending(t, s) {
		if e.Kind == pos.RecordZReport {
			zq = append(zq, e.ID)
		}
	}
	if !reflect.DeepEqual(zq, []string{"Z1-T01", "Z2-T01"}) {
		t.Errorf("queued Z reports %v", zq)
	}
}

// TestZShiftOnly: a shift opened and closed without a sale still gets its
// Z report, so the float is accounted for.
func TestZShiftOnly(t *testing.T) {
	s := openNew(t)
	if err := s.OpenShift(pos.Shift{OpenedAt: t0, Cashier: "ann", Float: 10000}); err != nil {
		t.Fatal(err)
	}
	z, err := s.TakeZ(t0.Add(time.Hour), time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	if z.Number != 1 || z.Sales != 0 || z.Expected != 10000 {
		t.Errorf("Z = number %d sales %d expected %d", z.Number, z.Sales, z.Expected)
	}
	if _, err := s.TakeZ(t0.Add(2*time.Hour), time.UTC, nil); err == nil {
		t.Error("took a Z report with no shift and no sales")
	}
}

func numbers(rs []pos.Report) []uint64 {
	var out []uint64
	for _, r := range rs {
		out = append(out, r.Number)
	}
	return out
}

// TestXReportNilLocation: a caller that forgets the time zone gets a
// report, not a "database is corrupt" from a recovered panic.
func TestXReportNilLocation(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, _ := newRegister(t, s)
	sell(t, r, cart(t, "TEA", 1))
	x, err := s.XReport(t0, nil)
	if err != nil || x.Sales != 1 {
		t.Fatalf("XReport(nil location) = %d sales, %v", x.Sales, err)
	}
}
