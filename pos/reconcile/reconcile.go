// Package reconcile compares the electronic payments Till recorded with
// the provider's statement for the same day, so a shop learns that every
// payment in Till is in the statement and every payment in the statement
// is in Till.
//
// Offline EMV and static codes are confirmed by a cashier looking at a
// phone, and online orders can be paid after the till gave up: both kinds
// of mistake show up here, as a payment in Till only (confirmed but never
// arrived) or in the statement only (paid at the provider but not sold: a
// refund is owed).
package reconcile

import (
	"cmp"
	"slices"
	"time"

	"github.com/tillpos/till/pos"
)

// Entry is one payment or refund, on either side. Amount is positive for
// money the shop received and negative for money it gave back.
type Entry struct {
	Provider  string    // "alipay", "wechat", "emvqr", "static", or a scheme's name
	OrderNo   string    // the merchant's order (or refund request) number; "" when unknown
	Reference string    // the provider's transaction ID, if known
	Amount    pos.Money // minor units; negative for a refund
	At        time.Time
	SaleID    string // Till's side: the sale or refund the payment belongs to
	Receipt   int    // Till's side: its receipt number
	Line      int    // statement side: its line number in the file
}

// Refund reports whether the entry gives money back.
func (e Entry) Refund() bool { return e.Amount < 0 }

// Pair is a Till entry and the statement entry it matched.
type Pair struct {
	Till, Statement Entry
	ByOrder         bool // matched by order number; else by amount and time
}

// Total is one provider's sums for one day, on both sides.
type Total struct {
	Day             string // YYYY-MM-DD in the shop's time zone
	Provider        string
	Till, Statement pos.Money
	TillCount       int
	StatementCount  int
}

// Result is the outcome of a reconciliation.
type Result struct {
	Matched []Pair
	// Mismatched pairs share an order number but not an amount.
	Mismatched []Pair
	// TillOnly are payments Till recorded that the statement lacks.
	TillOnly []Entry
	// StatementOnly are payments the provider took that Till never sold.
	StatementOnly []Entry
	Totals        []Total
}

// Clean reports whether both sides agree entirely.
func (r Result) Clean() bool {
	return len(r.Mismatched) == 0 && len(r.TillOnly) == 0 && len(r.StatementOnly) == 0
}

// Options tune the matching.
type Options struct {
	// Window is how far apart in time a payment without an order number may
	// be from its statement line; 0 means 10 minutes (a cashier confirms a
	// payment some time after the customer paid, and clocks differ).
	Window time.Duration
	// Loc is the shop's time zone for the per-day totals; nil means UTC.
	Loc *time.Location
}

// anyProvider are Till's providers whose payments reach the shop through a
// wallet or bank the till does not know: a static or offline EMV code may
// be paid from any app, so such a payment matches a statement line of any
// provider.
var anyProvider = map[string]bool{"emvqr": true, "static": true, "": true}

// Match reconciles Till's entries with the statement's. It matches first
// by order number (and provider), then the rest by equal amount within the
// time window, nearest first. Neither input is changed.
func Match(till, statement []Entry, o Options) Result {
	if o.Window <= 0 {
		o.Window = 10 * time.Minute
	}
	if o.Loc == nil {
		o.Loc = time.UTC
	}
	var r Result
	used := make([]bool, len(statement))
	byOrder := map[string][]int{}
	for i, s := range statement {
		if s.OrderNo != "" {
			byOrder[s.OrderNo] = append(byOrder[s.OrderNo], i)
		}
	}
	var rest []Entry
	for _, t := range till {
		found := -1
		if t.OrderNo != "" {
			for _, i := range byOrder[t.OrderNo] {
				if !used[i] && (anyProvider[t.Provider] || statement[i].Provider == t.Provider) && sameSign(t, statement[i]) {
					found = i
					break
				}
			}
		}
		if found < 0 {
			rest = append(rest, t)
			continue
		}
		used[found] = true
		p := Pair{Till: t, Statement: statement[found], ByOrder: true}
		if t.Amount == statement[found].Amount {
			r.Matched = append(r.Matched, p)
		} else {
			r.Mismatched = append(r.Mismatched, p)
		}
	}
	// By amount and time: the closest unused line of the same amount.
	slices.SortStableFunc(rest, func(a, b Entry) int { return a.At.Compare(b.At) })
	for _, t := range rest {
		best, bestGap := -1, o.Window+1
		for i, s := range statement {
			if used[i] || s.Amount != t.Amount || !(anyProvider[t.Provider] || s.Provider == t.Provider) {
				continue
			}
			if t.OrderNo != "" && s.OrderNo != "" {
				continue // both have order numbers that differ: not the same payment
			}
			gap := t.At.Sub(s.At)
			if gap < 0 {
				gap = -gap
			}
			if gap <= o.Window && gap < bestGap {
				best, bestGap = i, gap
			}
		}
		if best < 0 {
			r.TillOnly = append(r.TillOnly, t)
			continue
		}
		used[best] = true
		r.Matched = append(r.Matched, Pair{Till: t, Statement: statement[best]})
	}
	for i, s := range statement {
		if !used[i] {
			r.StatementOnly = append(r.StatementOnly, s)
		}
	}
	r.Totals = totals(till, statement, o.Loc)
	return r
}

func sameSign(a, b Entry) bool { return (a.Amount < 0) == (b.Amount < 0) }

func totals(till, statement []Entry, loc *time.Location) []Total {
	type key struct{ day, provider string }
	m := map[key]*Total{}
	get := func(e Entry) *Total {
		k := key{e.At.In(loc).Format(time.DateOnly), e.Provider}
		if m[k] == nil {
			m[k] = &Total{Day: k.day, Provider: k.provider}
		}
		return m[k]
	}
	for _, e := range till {
		t := get(e)
		t.Till += e.Amount
		t.TillCount++
	}
	for _, e := range statement {
		t := get(e)
		t.Statement += e.Amount
		t.StatementCount++
	}
	out := make([]Total, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Total) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Provider, b.Provider))
	})
	return out
}
