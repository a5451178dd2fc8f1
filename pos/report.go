package pos

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/tillpos/till/pos/journal"
)

// ReportKind is X (a look at the day so far) or Z (closes the day).
type ReportKind string

const (
	XReport ReportKind = "X"
	ZReport ReportKind = "Z"
)

// GoodsTotal is how much of one product sold, Qty in Unit (pieces, or
// thousandths of a kg, 斤 or m).
type GoodsTotal struct {
	SKU    string `json:"sku"`
	Name   string `json:"name"`
	Qty    int64  `json:"qty"`
	Unit   Unit   `json:"unit,omitempty"`
	Amount Money  `json:"amount"`
}

// goodsKey keys the goods totals of a report: the same SKU sold in two
// units (re-described during the day) is two totals, never a sum of
// grams and pieces.
func goodsKey(sku string, u Unit) string {
	if u == Each {
		return sku
	}
	return sku + "\x00" + string(u)
}

// TenderTotal is the money taken by one kind of tender.
type TenderTotal struct {
	Kind   TenderKind `json:"kind"`
	Amount Money      `json:"amount"`
}

// Shift is the drawer's session: opened with a counted float of cash.
type Shift struct {
	OpenedAt time.Time `json:"opened_at"`
	Cashier  string    `json:"cashier"`
	// CashierID is the staff member who opened the drawer, if staff exist.
	CashierID string `json:"cashier_id,omitempty"`
	Float     Money  `json:"float"`
}

// Report sums sales and refunds over a period. A Z report covers exactly
// the receipts after the previous Z report's last one.
type Report struct {
	Kind         ReportKind `json:"kind"`
	Number       uint64     `json:"number,omitempty"` // Z only
	Terminal     string     `json:"terminal"`
	TakenAt      time.Time  `json:"taken_at"`
	FirstReceipt uint64     `json:"first_receipt,omitempty"`
	LastReceipt  uint64     `json:"last_receipt,omitempty"`
	Sales        int        `json:"sales"`
	Refunds      int        `json:"refunds"`
	// Gross is the goods' value before discounts (before tax when prices
	// exclude it); Net is the money kept: what sales took less what refunds
	// paid back, cash rounding included.
	Gross       Money         `json:"gross"`
	Discounts   Money         `json:"discounts"`
	RefundTotal Money         `json:"refund_total"`
	Rounding    Money         `json:"rounding"`
	Net         Money         `json:"net"`
	Taxes       []TaxBand     `json:"taxes"` // net of refunds
	Tenders     []TenderTotal `json:"tenders"`
	Shift       Shift         `json:"shift"`
	CashIn      Money         `json:"cash_in"`
	CashOut     Money         `json:"cash_out"`
	Expected    Money         `json:"expected_cash"` // float + cash in - cash out + paid in - paid out
	Counted     *Money        `json:"counted_cash,omitempty"`
	Difference  Money         `json:"difference,omitempty"` // counted - expected
	TopGoods    []GoodsTotal  `json:"top_goods"`
	ByHour      [24]Money     `json:"by_hour"`
	// TaxIncluded says whether the shop's prices include tax: when they
	// do not, Gross and the goods' amounts exclude it. Net always includes
	// it, being money taken.
	TaxIncluded bool `json:"tax_included"`

	// CashIn is the cash sales took and CashOut the cash refunds paid
	// back. PaidIn and PaidOut are cash put in and taken out outside
	// sales (DrawerPayIn, DrawerPayOut), PayIns and PayOuts how many times;
	// NoSales counts the drawer opened with no sale.
	PaidIn  Money `json:"paid_in,omitempty"`
	PaidOut Money `json:"paid_out,omitempty"`
	PayIns  int   `json:"pay_ins,omitempty"`
	PayOuts int   `json:"pay_outs,omitempty"`
	NoSales int   `json:"no_sales,omitempty"`
	// Cashiers is a section per cashier who worked the period, by name.
	Cashiers []CashierTotal `json:"cashiers,omitempty"`
	// GrandTotal (Z only) is the net of every period since the terminal
	// began: it never resets. Seal is the signed journal seal.
	GrandTotal Money         `json:"grand_total,omitempty"`
	Seal       *journal.Seal `json:"seal,omitempty"`
}

// Tally accumulates sales and refunds into a report in one pass.
type Tally struct {
	r       Report
	loc     *time.Location
	taxes   map[Rate]*TaxBand
	tenders map[TenderKind]Money
	goods   map[string]*GoodsTotal
	people  map[string]*CashierTotal
	// approvedBy counts approvals given, by approver's staff ID.
	approvedBy map[string]int
	staffName  func(id string) string
}

// NewTally starts a report for a shift; hours are counted in loc.
func NewTally(kind ReportKind, terminal string, shift Shift, loc *time.Location) *Tally {
	if loc == nil {
		loc = time.UTC
	}
	return &Tally{r: Report{Kind: kind, Terminal: terminal, Shift: shift}, loc: loc,
		taxes: map[Rate]*TaxBand{}, tenders: map[TenderKind]Money{}, goods: map[string]*GoodsTotal{}, people: map[string]*CashierTotal{}, approvedBy: map[string]int{}}
}

func (t *Tally) receipt(n uint64) {
	if t.r.FirstReceipt == 0 || n < t.r.FirstReceipt {
		t.r.FirstReceipt = n
	}
	t.r.LastReceipt = max(t.r.LastReceipt, n)
}

func (t *Tally) band(r Rate) *TaxBand {
	b := t.taxes[r]
	if b == nil {
		b = &TaxBand{Rate: r}
		t.taxes[r] = b
	}
	return b
}

// AddSale counts a sale.
func (t *Tally) AddSale(s Sale) {
	t.receipt(s.Receipt)
	t.r.TaxIncluded = s.TaxIncluded
	t.r.Sales++
	t.r.Gross += s.Subtotal
	t.r.Discounts += s.Discounts
	t.r.Rounding += s.Rounding
	t.r.Net += s.Due
	for _, b := range s.Bands {
		tb := t.band(b.Rate)
		tb.Base += b.Base
		tb.Tax += b.Tax
	}
	for _, td := range s.Tenders {
		t.tenders[td.Kind] += td.Amount
		if td.Kind == Cash {
			t.r.CashIn += td.Amount
		}
	}
	for _, l := range s.Lines {
		k := goodsKey(l.SKU, l.Unit)
		g := t.goods[k]
		if g == nil {
			g = &GoodsTotal{SKU: l.SKU, Name: l.Name, Unit: l.Unit}
			t.goods[k] = g
		}
		g.Qty += l.Qty
		g.Amount += l.Net
	}
	t.r.ByHour[s.At.In(t.loc).Hour()] += s.Due
	t.cashierSale(s)
}

// AddRefund counts a refund.
func (t *Tally) AddRefund(r Refund) {
	t.receipt(r.Receipt)
	t.r.Refunds++
	t.r.RefundTotal += r.Total
	t.r.Rounding -= r.Rounding
	t.r.Net -= r.Total + r.Rounding
	for _, l := range r.Lines {
		tb := t.band(l.TaxRate)
		tb.Tax -= l.Tax
		tb.Base -= l.Amount - l.Tax
		if g := t.goods[goodsKey(l.SKU, l.Unit)]; g != nil {
			// Goods are counted at their Net, which excludes tax when
			// prices exclude it; such a refund line's Amount includes it.
			net := l.Amount
			if !r.TaxIncluded {
				net -= l.Tax
			}
			g.Qty -= l.Qty
			g.Amount -= net
		}
	}
	for _, td := range r.Tenders {
		t.tenders[td.Kind] -= td.Amount
		if td.Kind == Cash {
			t.r.CashOut += td.Amount
		}
	}
	t.r.ByHour[r.At.In(t.loc).Hour()] -= r.Total + r.Rounding
	t.cashierRefund(r)
}

// AddDrawer counts a drawer event. A float is the shift's, which the
// tally was started with, so it is not added again.
func (t *Tally) AddDrawer(e DrawerEvent) {
	switch e.Kind {
	case DrawerPayIn:
		t.r.PayIns++
		t.r.PaidIn += e.Amount
	case DrawerPayOut:
		t.r.PayOuts++
		t.r.PaidOut += e.Amount
	case DrawerNoSale:
		t.r.NoSales++
	}
	t.cashierDrawer(e)
}

// Report finishes the report with the top n goods by amount.
func (t *Tally) Report(at time.Time, topN int) Report {
	r := t.r
	r.TakenAt = at
	r.Taxes = make([]TaxBand, 0, len(t.taxes))
	for _, b := range t.taxes {
		r.Taxes = append(r.Taxes, *b)
	}
	sort.Slice(r.Taxes, func(i, j int) bool { return r.Taxes[i].Rate < r.Taxes[j].Rate })
	r.Tenders = make([]TenderTotal, 0, len(t.tenders))
	for k, v := range t.tenders {
		r.Tenders = append(r.Tenders, TenderTotal{Kind: k, Amount: v})
	}
	sort.Slice(r.Tenders, func(i, j int) bool { return r.Tenders[i].Kind < r.Tenders[j].Kind })
	r.TopGoods = make([]GoodsTotal, 0, len(t.goods))
	for _, g := range t.goods {
		r.TopGoods = append(r.TopGoods, *g)
	}
	sort.Slice(r.TopGoods, func(i, j int) bool {
		a, b := r.TopGoods[i], r.TopGoods[j]
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		if a.SKU != b.SKU {
			return a.SKU < b.SKU
		}
		return a.Unit < b.Unit
	})
	if topN = max(topN, 0); len(r.TopGoods) > topN {
		r.TopGoods = r.TopGoods[:topN]
	}
	r.Expected = r.Shift.Float + r.CashIn - r.CashOut + r.PaidIn - r.PaidOut
	r.Cashiers = t.cashiers()
	return r
}

// CheckCounted checks cash counted in the drawer: not negative, in range.
func CheckCounted(counted Money) error {
	if counted < 0 {
		return errors.New("counted cash cannot be negative")
	}
	if counted > MaxAmount {
		return fmt.Errorf("counted cash %d out of range", counted)
	}
	return nil
}

// CountCash records the cash the cashier counted in the drawer.
func (r *Report) CountCash(counted Money) {
	r.Counted = &counted
	r.Difference = counted - r.Expected
}

// ErrNothingToClose says a Z report would close an empty period.
var ErrNothingToClose = errors.New("nothing to close: no sales, refunds, drawer events or open shift since the last Z report")

// CheckOpen checks that sh may open the drawer while current is the
// shift on record: the float is counted money (not negative, in range),
// and a shift opens once per Z period, before another is open.
func (sh Shift) CheckOpen(current Shift) error {
	if sh.Float < 0 {
		return errors.New("negative float")
	}
	if sh.Float > MaxAmount {
		return fmt.Errorf("float %d out of range", sh.Float)
	}
	if !current.OpenedAt.IsZero() {
		return fmt.Errorf("a shift is already open since %s; take the Z report to close it", current.OpenedAt.Format(time.DateTime))
	}
	return nil
}

// CheckClose checks that a tallied Z report closes something: a sale, a
// refund, a drawer event or an opened shift. Otherwise it returns
// ErrNothingToClose: an empty Z is refused rather than numbered, so a
// second Z pressed right after one takes nothing.
func (r Report) CheckClose() error {
	if r.Sales == 0 && r.Refunds == 0 && r.PayIns == 0 && r.PayOuts == 0 && r.NoSales == 0 && r.Shift.OpenedAt.IsZero() {
		return ErrNothingToClose
	}
	return nil
}
