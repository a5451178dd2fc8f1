package pos

import (
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos/staff"
)

// RefundKind distinguishes a refund (goods come back) from a void (the
// sale is cancelled in full).
type RefundKind string

const (
	KindRefund RefundKind = "refund"
	KindVoid   RefundKind = "void"
)

// RefundLine gives back Qty of one line of the original sale, in that
// line's unit (a partial refund of weighed goods gives back grams).
type RefundLine struct {
	Line    int    `json:"line"` // index into the sale's Lines
	SKU     string `json:"sku"`
	Name    string `json:"name"`
	Qty     int64  `json:"qty"`
	Unit    Unit   `json:"unit,omitempty"`
	TaxRate Rate   `json:"tax_rate"`
	Amount  Money  `json:"amount"` // what the customer gets back for the line
	Tax     Money  `json:"tax"`
}

// Refund returns goods of one sale and pays the customer back.
type Refund struct {
	ID        string       `json:"id"`
	Kind      RefundKind   `json:"kind"`
	SaleID    string       `json:"sale_id"`
	Receipt   uint64       `json:"receipt"` // same gapless sequence as sales
	Terminal  string       `json:"terminal"`
	Cashier   string       `json:"cashier"`
	CashierID string       `json:"cashier_id,omitempty"` // see Sale.CashierID
	At        time.Time    `json:"at"`
	Reason    string       `json:"reason,omitempty"`
	Lines     []RefundLine `json:"lines"`
	Total     Money        `json:"total"`
	Tax       Money        `json:"tax"`
	// TaxIncluded is copied from the sale: it says whether the lines'
	// Amount includes their Tax (it always does when prices exclude tax,
	// since the tax was paid on top and goes back too).
	TaxIncluded bool `json:"tax_included"`
	// Rounding is the cash rounding of the money paid back.
	Rounding Money    `json:"rounding,omitempty"`
	Tenders  []Tender `json:"tenders"`
	// Approvals are the managers' yeses this refund or void needed.
	Approvals []staff.Approval `json:"approvals,omitempty"`
	Journal   JournalMark      `json:"-"` // set by the store, see Sale.Journal
}

// ErrOverRefund reports a refund of more than was sold.
var ErrOverRefund = errors.New("refund exceeds what was sold")

// proportion returns the part of whole that qty of sold units carry,
// rounded. Refunds are priced by the cumulative quantity refunded so the
// parts of several partial refunds add up to the whole exactly.
func proportion(whole Money, qty, sold int64) Money {
	v, _ := MulDivRound(int64(whole), qty, sold)
	return Money(v)
}

// NewRefund builds a refund of want (sale line index -> quantity) given
// what earlier refunds already took back (line index -> quantity). Money
// goes back in cash, rounded to the cash step.
func NewRefund(id, cashier string, kind RefundKind, at time.Time, s Sale, already, want map[int]int64, cashStep Money, reason string) (Refund, error) {
	r := Refund{ID: id, Kind: kind, SaleID: s.ID, Terminal: s.Terminal, Cashier: cashier, At: at, Reason: reason, TaxIncluded: s.TaxIncluded}
	for i, l := range s.Lines {
		q := want[i]
		if q == 0 {
			continue
		}
		if q < 0 {
			return Refund{}, fmt.Errorf("line %d: negative quantity", i+1)
		}
		prev := already[i]
		if prev+q > l.Qty {
			if l.Unit.Measured() {
				return Refund{}, fmt.Errorf("line %d (%s): %w: sold %s, refunded %s, asked %s", i+1, l.Name, ErrOverRefund,
					l.QtyText(), FormatQtyUnit(prev, l.Unit), FormatQtyUnit(q, l.Unit))
			}
			return Refund{}, fmt.Errorf("line %d (%s): %w: sold %d, refunded %d, asked %d", i+1, l.Name, ErrOverRefund, l.Qty, prev, q)
		}
		amount := proportion(l.Net, prev+q, l.Qty) - proportion(l.Net, prev, l.Qty)
		tax := proportion(l.Tax, prev+q, l.Qty) - proportion(l.Tax, prev, l.Qty)
		if !s.TaxIncluded {
			amount += tax
		}
		r.Lines = append(r.Lines, RefundLine{Line: i, SKU: l.SKU, Name: l.Name, Qty: q, Unit: l.Unit, TaxRate: l.TaxRate, Amount: amount, Tax: tax})
		r.Total += amount
		r.Tax += tax
	}
	for i := range want {
		if i < 0 || i >= len(s.Lines) {
			return Refund{}, fmt.Errorf("sale %s has no line %d", s.ID, i+1)
		}
	}
	if len(r.Lines) == 0 {
		return Refund{}, errors.New("nothing to refund")
	}
	back := RoundCash(r.Total, cashStep)
	r.Rounding = back - r.Total
	r.Tenders = []Tender{{Kind: Cash, Amount: back}}
	return r, nil
}

// Remaining returns, per line, the quantity not yet refunded.
func Remaining(s Sale, already map[int]int64) map[int]int64 {
	left := map[int]int64{}
	for i, l := range s.Lines {
		if q := l.Qty - already[i]; q > 0 {
			left[i] = q
		}
	}
	return left
}

// CheckAgainst checks a refund against the sale it gives back and what
// earlier refunds of it already took (line index -> quantity): it names
// the sale, gives something back, each line is a line of the sale with
// its goods, and no line goes back more than was sold. It returns the
// quantities refunded with this refund included; already is not changed.
func (f Refund) CheckAgainst(s Sale, already map[int]int64) (map[int]int64, error) {
	if f.SaleID != s.ID {
		return nil, fmt.Errorf("refund %s is for sale %q, not %s", f.ID, f.SaleID, s.ID)
	}
	if len(f.Lines) == 0 {
		return nil, fmt.Errorf("refund %s gives nothing back", f.ID)
	}
	after := make(map[int]int64, len(already)+len(f.Lines))
	for i, q := range already {
		after[i] = q
	}
	for _, l := range f.Lines {
		if l.Line < 0 || l.Line >= len(s.Lines) {
			return nil, fmt.Errorf("sale %s has no line %d", s.ID, l.Line+1)
		}
		if l.Qty <= 0 || l.SKU != s.Lines[l.Line].SKU {
			return nil, fmt.Errorf("line %d: cannot refund %d of %s", l.Line+1, l.Qty, l.SKU)
		}
		after[l.Line] += l.Qty
		if after[l.Line] > s.Lines[l.Line].Qty {
			return nil, fmt.Errorf("line %d: %w", l.Line+1, ErrOverRefund)
		}
	}
	return after, nil
}
