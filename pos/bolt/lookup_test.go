package bolt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

// TestFindByReceipt is issue 10 item 8: a stored sale is found by its
// receipt number or its sale ID, and a refund's receipt number says what
// it is rather than opening the wrong record.
func TestFindByReceipt(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	first := sell(t, r, cart(t, "TEA", 2, "RICE", 1))
	clk.Add(time.Minute)
	second := sell(t, r, cart(t, "STAMP", 1))
	clk.Add(time.Minute)
	ref, err := r.Refund(first.ID, map[int]int64{0: 1}, pos.KindRefund, "broken")
	if err != nil {
		t.Fatal(err)
	}
	if first.Receipt != 1 || second.Receipt != 2 || ref.Receipt != 3 {
		t.Fatalf("receipts %d %d %d", first.Receipt, second.Receipt, ref.Receipt)
	}
	for in, want := range map[string]string{
		"1":      first.ID,
		"000002": second.ID,
		"#2":     second.ID,
		" 2 ":    second.ID,
		first.ID: first.ID,
		strings.ToLower(first.ID[:26]) + first.ID[26:]: first.ID, // a scanner in lower case
	} {
		got, err := s.FindSale(in)
		if err != nil || got.ID != want {
			t.Errorf("FindSale(%q) = %s, %v; want %s", in, got.ID, err, want)
		}
	}
	got, err := s.FindSale("1")
	if err != nil || len(got.Lines) != 2 || got.Total != first.Total {
		t.Fatalf("sale by receipt lost its contents: %+v %v", got, err)
	}

	rec, err := s.ByReceipt(3)
	if err != nil || rec.Refund == nil || rec.Sale != nil || rec.Refund.ID != ref.ID || rec.Refund.Total != ref.Total {
		t.Fatalf("ByReceipt(3) = %+v, %v; want the refund", rec, err)
	}
	if _, err := s.SaleByReceipt(3); !errors.Is(err, pos.ErrNotASale) || !strings.Contains(err.Error(), first.ID) {
		t.Fatalf("sale by a refund's receipt: %v; want ErrNotASale naming the sale", err)
	}
	for _, in := range []string{"4", "99", "01ZZZZZZZZZZZZZZZZZZZZZZZZ-T01"} {
		if _, err := s.FindSale(in); !errors.Is(err, pos.ErrNotFound) {
			t.Errorf("FindSale(%q) = %v; want ErrNotFound", in, err)
		}
	}
	for _, in := range []string{"", "0", "abc", "SKU1006", "6901234567892"} {
		if _, err := s.FindSale(in); err == nil || errors.Is(err, pos.ErrNotFound) {
			t.Errorf("FindSale(%q) = %v; want it refused as no reference", in, err)
		}
	}

	rs, err := s.RefundsOf(first.ID)
	if err != nil || len(rs) != 1 || rs[0].ID != ref.ID {
		t.Fatalf("RefundsOf(first) = %+v, %v", rs, err)
	}
	if rs, err := s.RefundsOf(second.ID); err != nil || len(rs) != 0 {
		t.Fatalf("RefundsOf(second) = %+v, %v", rs, err)
	}
	if got, err := s.RefundByID(ref.ID); err != nil || got.SaleID != first.ID {
		t.Fatalf("RefundByID = %+v, %v", got, err)
	}
	if _, err := s.RefundByID("nope"); !errors.Is(err, pos.ErrNotFound) {
		t.Fatalf("RefundByID(nope) = %v", err)
	}
}

// TestRefundsOfSales: what a list of sales needs to mark refunded and
// voided sales and show each one's net (issue 10 item 12).
func TestRefundsOfSales(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	a := sell(t, r, cart(t, "TEA", 3))
	clk.Add(time.Minute)
	b := sell(t, r, cart(t, "RICE", 1))
	clk.Add(time.Minute)
	c := sell(t, r, cart(t, "STAMP", 1))
	for i := 0; i < 2; i++ {
		clk.Add(time.Minute)
		if _, err := r.Refund(a.ID, map[int]int64{0: 1}, pos.KindRefund, ""); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(time.Minute)
	if _, err := r.Refund(b.ID, nil, pos.KindVoid, "mistake"); err != nil {
		t.Fatal(err)
	}
	m, err := s.RefundsOfSales([]string{a.ID, b.ID, c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(m[a.ID]) != 2 || len(m[b.ID]) != 1 || len(m[c.ID]) != 0 || m[b.ID][0].Kind != pos.KindVoid {
		t.Fatalf("refunds by sale: %d %d %d", len(m[a.ID]), len(m[b.ID]), len(m[c.ID]))
	}
	var back pos.Money
	for _, rf := range m[a.ID] {
		back += rf.Total
	}
	if back != a.Total*2/3 {
		t.Fatalf("two of three teas gave back %d of %d", back, a.Total)
	}
}
