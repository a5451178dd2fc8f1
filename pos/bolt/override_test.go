package bolt_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/staff"
)

// A price set by hand: the register checks the override against the
// cashier's role (a cashier's needs approval, a supervisor may go to
// 30%), the sale keeps the list price beside the price charged, its
// totals come from the price charged, and the approval is stored with it.
func TestPriceOverrideIsGatedAndRecorded(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, _ := newRegister(t, s)
	for _, m := range []staff.Member{member(t, "1", "Ann", "manager", "1111", ""), member(t, "2", "Bob", "cashier", "2222", ""), member(t, "3", "Sue", "supervisor", "3333", "")} {
		if err := s.PutMember(m); err != nil {
			t.Fatal(err)
		}
	}
	c := cart(t, "RICE", 2)
	list := c.Lines[0].UnitPrice
	price := list * 6 / 10 // 40% off
	if err := c.SetPrice(0, price); err != nil {
		t.Fatal(err)
	}
	if c.Lines[0].ListPrice != list || c.Lines[0].UnitPrice != price {
		t.Fatalf("line %+v", c.Lines[0])
	}
	if _, err := r.Login("3", "3333"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.CompleteWith(c, time.Time{}, cash(), nil); !errors.Is(err, register.ErrNeedsApproval) {
		t.Fatalf("a supervisor's 40%% override: %v, want ErrNeedsApproval", err)
	}
	if _, err := r.Login("2", "2222"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.CompleteWith(c, time.Time{}, cash(), nil); !errors.Is(err, register.ErrNeedsApproval) {
		t.Fatalf("a cashier's override: %v, want ErrNeedsApproval", err)
	}
	ap, err := r.Approve("1", "1111", staff.PriceOverride, 4000, "price match")
	if err != nil {
		t.Fatal(err)
	}
	sale, err := r.CompleteWith(c, time.Time{}, cash(), []staff.Approval{ap})
	if err != nil {
		t.Fatal(err)
	}
	l := sale.Lines[0]
	if l.ListPrice != list || l.UnitPrice != price || l.Gross != 2*price || len(sale.Approvals) != 1 || sale.Approvals[0].Permission != staff.PriceOverride {
		t.Fatalf("sale line %+v approvals %+v", l, sale.Approvals)
	}
	want, err := pos.Price(c, true)
	if err != nil || sale.Total != want.Total || sale.Tax != want.Tax {
		t.Fatalf("total %d tax %d, priced %d %d (%v)", sale.Total, sale.Tax, want.Total, want.Tax, err)
	}
	got, err := s.ByReceipt(sale.Receipt)
	if err != nil || got.Sale == nil || got.Sale.Lines[0].ListPrice != list || len(got.Sale.Approvals) != 1 {
		t.Fatalf("stored %+v %v", got.Sale, err)
	}
	// Back to the list price: no override, no approval needed.
	if err := c.SetPrice(0, list); err != nil || c.Lines[0].Overridden() {
		t.Fatalf("reset %+v %v", c.Lines[0], err)
	}
	if _, err := r.CompleteWith(c, time.Time{}, cash(), nil); err != nil {
		t.Fatal(err)
	}
	// A removed line's approval goes with the sale; one for another
	// cashier does not.
	rm, err := r.Approve("1", "1111", staff.RemoveLine, 0, "customer changed mind")
	if err != nil {
		t.Fatal(err)
	}
	if sale, err = r.CompleteWith(cart(t, "TEA", 1), time.Time{}, cash(), []staff.Approval{rm}); err != nil || len(sale.Approvals) != 1 {
		t.Fatalf("sale with a removal's approval: %+v %v", sale.Approvals, err)
	}
	// A reprint is journalled through the register.
	if err := r.Reprint(sale.Receipt, nil); err != nil {
		t.Fatal(err)
	}
}

func TestSetPriceRefusesWhatItCannot(t *testing.T) {
	c := cart(t, "RICE", 1)
	if err := c.SetPrice(0, -1); err == nil {
		t.Error("a negative price was set")
	}
	if err := c.SetPrice(3, 100); err == nil {
		t.Error("a line that does not exist was repriced")
	}
	if err := c.SetPrice(0, pos.MaxAmount+1); err == nil {
		t.Error("a price out of range was set")
	}
	if c.Lines[0].Overridden() {
		t.Errorf("a refused price changed the line: %+v", c.Lines[0])
	}
	// A repriced line is not merged with the next scan of its goods.
	if err := c.SetPrice(0, 4000); err != nil {
		t.Fatal(err)
	}
	p := pos.Product{SKU: "RICE", Name: "Rice 5kg", Price: c.Lines[0].ListPrice, TaxRate: c.Lines[0].TaxRate}
	if i, err := c.Add(p, 1); err != nil || i != 1 || len(c.Lines) != 2 || c.Lines[1].UnitPrice != p.Price || c.Lines[1].Overridden() {
		t.Fatalf("scan after a reprice: line %d %v %+v", i, err, c.Lines)
	}
}
