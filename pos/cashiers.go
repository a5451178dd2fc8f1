package pos

import (
	"fmt"
	"sort"

	"github.com/tillpos/till/pos/staff"
)

// Shifts belong to the drawer: one float is counted in when the drawer
// opens and one count closes it at the Z, however many cashiers took
// turns. Each cashier's section shows what they took and paid out, so
// the expected cash per cashier is their share of the drawer's movement
// (the float is the share of whoever opened the shift); a drawer-wide
// difference is then traced to the cashier whose own count, when one is
// taken at a cashier change, does not match.

// CashierTotal is one cashier's section of an X or Z report.
type CashierTotal struct {
	Cashier      string `json:"cashier"`
	CashierID    string `json:"cashier_id,omitempty"`
	Sales        int    `json:"sales"`
	SalesAmount  Money  `json:"sales_amount"`
	Refunds      int    `json:"refunds"` // refunds, not voids
	RefundAmount Money  `json:"refund_amount"`
	Voids        int    `json:"voids"`
	VoidAmount   Money  `json:"void_amount"`
	Discounts    Money  `json:"discounts"`
	NoSales      int    `json:"no_sales"`
	PaidOut      Money  `json:"paid_out"`
	// Approvals counts the managers' approvals this cashier's actions
	// needed; Approved the approvals this cashier gave others.
	Approvals int    `json:"approvals"`
	Approved  int    `json:"approved"`
	Float     Money  `json:"float,omitempty"`
	CashIn    Money  `json:"cash_in"`
	CashOut   Money  `json:"cash_out"` // cash refunds and paid outs
	Expected  Money  `json:"expected_cash"`
	Counted   *Money `json:"counted_cash,omitempty"`
	// Difference is counted - expected, when counted.
	Difference Money `json:"difference,omitempty"`
}

func (t *Tally) person(name, id string) *CashierTotal {
	k := id + "\x00" + name
	c := t.people[k]
	if c == nil {
		c = &CashierTotal{Cashier: name, CashierID: id}
		t.people[k] = c
	}
	return c
}

func (t *Tally) approvals(as []staff.Approval) {
	for _, a := range as {
		t.approvedBy[a.Approver]++
	}
}

func (t *Tally) cashierSale(s Sale) {
	c := t.person(s.Cashier, s.CashierID)
	c.Sales++
	c.SalesAmount += s.Due
	c.Discounts += s.Discounts
	c.Approvals += len(s.Approvals)
	t.approvals(s.Approvals)
	for _, td := range s.Tenders {
		if td.Kind == Cash {
			c.CashIn += td.Amount
		}
	}
}

func (t *Tally) cashierRefund(r Refund) {
	c := t.person(r.Cashier, r.CashierID)
	if r.Kind == KindVoid {
		c.Voids++
		c.VoidAmount += r.Total + r.Rounding
	} else {
		c.Refunds++
		c.RefundAmount += r.Total + r.Rounding
	}
	c.Approvals += len(r.Approvals)
	t.approvals(r.Approvals)
	for _, td := range r.Tenders {
		if td.Kind == Cash {
			c.CashOut += td.Amount
		}
	}
}

// cashierDrawer counts a drawer event in its cashier's section. A float
// is the shift's, credited to whoever opened it in cashiers.
func (t *Tally) cashierDrawer(d DrawerEvent) {
	if d.Kind == DrawerFloat {
		return
	}
	c := t.person(d.Cashier, d.CashierID)
	c.Approvals += len(d.Approvals)
	t.approvals(d.Approvals)
	switch d.Kind {
	case DrawerNoSale:
		c.NoSales++
	case DrawerPayOut:
		c.PaidOut += d.Amount
		c.CashOut += d.Amount
	case DrawerPayIn:
		c.CashIn += d.Amount
	}
}

// cashiers finishes the sections, sorted by name then ID: the float goes
// to whoever opened the shift, approvals given to the approver's section
// (approvers are named by staff ID).
func (t *Tally) cashiers() []CashierTotal {
	if t.r.Shift.Cashier != "" || t.r.Shift.Float != 0 {
		t.person(t.r.Shift.Cashier, t.r.Shift.CashierID).Float = t.r.Shift.Float
	}
	for id := range t.approvedBy {
		found := false
		for _, c := range t.people {
			found = found || c.CashierID == id
		}
		if !found {
			name := id
			if t.staffName != nil {
				if n := t.staffName(id); n != "" {
					name = n
				}
			}
			t.person(name, id)
		}
	}
	out := make([]CashierTotal, 0, len(t.people))
	for _, c := range t.people {
		if c.CashierID != "" {
			c.Approved = t.approvedBy[c.CashierID]
		}
		c.Expected = c.Float + c.CashIn - c.CashOut
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Cashier != out[j].Cashier {
			return out[i].Cashier < out[j].Cashier
		}
		return out[i].CashierID < out[j].CashierID
	})
	return out
}

// Count is the cash counted at a close: the drawer's total and, when
// each cashier counted their own takings at a change of cashier, theirs
// by staff ID (or by name on a till without staff).
type Count struct {
	Drawer    *Money
	ByCashier map[string]Money
}

// ApplyCount records a count on the report: the drawer's difference and
// each counted cashier's. A count for a cashier with no section in the
// report is refused, so a typo does not vanish.
func (r *Report) ApplyCount(c Count) error {
	for who, m := range c.ByCashier {
		found := false
		for i := range r.Cashiers {
			s := &r.Cashiers[i]
			if s.CashierID == who || (s.CashierID == "" && s.Cashier == who) {
				v := m
				s.Counted = &v
				s.Difference = v - s.Expected
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("counted cash for %q, who took nothing this period", who)
		}
	}
	if c.Drawer != nil {
		r.CountCash(*c.Drawer)
	}
	return nil
}

// NameStaff gives the tally a way to name approvers by staff ID, for the
// section of one who approved but did not sell.
func (t *Tally) NameStaff(name func(id string) string) { t.staffName = name }
