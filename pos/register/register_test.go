package register

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/mock"
)

var (
	_ Store = (*bolt.Store)(nil)
	_ Store = (*mock.Store)(nil)
)

// boltOf is the real store under a register built on one.
func boltOf(r *Register) *bolt.Store { return r.Store.(*bolt.Store) }

var (
	regNow = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	cny    = pos.Currency{Code: "CNY", Numeric: "156", Exponent: 2, CashStep: 10}
)

func fakeRegister(terminal string, st *mock.Store) *Register {
	st.IdentityFn = func() pos.Identity { return pos.Identity{Terminal: terminal, Shop: "S", Currency: "CNY", Exponent: 2} }
	r := New(st, cny, true, "ann")
	r.Now = func() time.Time { return regNow }
	return r
}

func TestCompleteChecksBeforeStoring(t *testing.T) {
	var stored []pos.Sale
	st := &mock.Store{CompleteSaleFn: func(s *pos.Sale) error {
		s.Receipt = uint64(len(stored) + 1)
		stored = append(stored, *s)
		return nil
	}}
	r := fakeRegister("T1", st)
	s, err := r.Complete(teaCart(2), time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 5000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].ID != s.ID || s.Receipt != 1 || s.Terminal != "T1" || !strings.HasSuffix(s.ID, "-T1") {
		t.Fatalf("sale %+v, stored %d", s, len(stored))
	}
	if err := s.Check(); err != nil {
		t.Fatalf("the stored sale fails its own check: %v", err)
	}

	// A terminal whose ID head office would refuse stores nothing: the
	// sale would only be set aside there.
	stored = nil
	r = fakeRegister("收银1", st)
	if _, err := r.Complete(teaCart(1), time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 5000}}); err == nil || !strings.Contains(err.Error(), "not ASCII") {
		t.Fatalf("sale on a non-ASCII terminal: %v", err)
	}
	if len(stored) != 0 {
		t.Fatalf("stored %d sales that head office refuses", len(stored))
	}
}

func TestRefundChecksWhatItBuilds(t *testing.T) {
	r := fakeRegister("T1", &mock.Store{CompleteSaleFn: func(*pos.Sale) error { return nil }})
	sale, err := r.Complete(teaCart(3), time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 5000}})
	if err != nil {
		t.Fatal(err)
	}
	var built []pos.Refund
	r.Store.(*mock.Store).RefundFn = func(id string, build func(pos.Sale, map[int]int64) (pos.Refund, error)) (pos.Refund, error) {
		if id != sale.ID {
			return pos.Refund{}, pos.ErrNotFound
		}
		f, err := build(sale, map[int]int64{0: 1})
		if err == nil {
			built = append(built, f)
		}
		return f, err
	}
	f, err := r.Refund(sale.ID, nil, pos.KindRefund, "broken")
	if err != nil {
		t.Fatal(err)
	}
	if len(built) != 1 || f.Lines[0].Qty != 2 || f.SaleID != sale.ID || f.Check() != nil {
		t.Fatalf("refund %+v", f)
	}
	if _, err := r.Refund(sale.ID, nil, pos.KindVoid, ""); err == nil || !strings.Contains(err.Error(), "partly refunded") {
		t.Fatalf("void of a partly refunded sale: %v", err)
	}
	// A sale the store holds for another terminal cannot be refunded here.
	sale.Terminal = "T2"
	if _, err := r.Refund(sale.ID, map[int]int64{0: 1}, pos.KindRefund, ""); err == nil || !strings.Contains(err.Error(), "not of terminal") {
		t.Fatalf("refund of a foreign sale: %v", err)
	}
	if len(built) != 1 {
		t.Fatalf("%d refunds built, want 1", len(built))
	}
}

func TestParkAndZGoThroughTheStore(t *testing.T) {
	var parked []pos.Parked
	st := &mock.Store{
		ParkFn: func(p pos.Parked) error { parked = append(parked, p); return nil },
		UnparkFn: func(id string) (pos.Parked, error) {
			if len(parked) == 0 || parked[0].ID != id {
				return pos.Parked{}, pos.ErrNotFound
			}
			return parked[0], nil
		},
		TakeZFn: func(now time.Time, loc *time.Location, counted *pos.Money) (pos.Report, error) {
			if !now.Equal(regNow) || counted == nil || *counted != 1200 {
				return pos.Report{}, errors.New("wrong arguments")
			}
			return pos.Report{Kind: pos.ZReport, Number: 4, TakenAt: now}, nil
		},
	}
	r := fakeRegister("T1", st)
	p, err := r.Park(teaCart(1), "back soon")
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].ID != p.ID || !strings.HasSuffix(p.ID, "-T1") || !p.At.Equal(regNow) || p.Note != "back soon" {
		t.Fatalf("parked %+v", parked)
	}
	if got, err := r.Unpark(p.ID); err != nil || got.ID != p.ID {
		t.Fatalf("unpark: %+v %v", got, err)
	}
	if _, err := r.Unpark("nope"); !errors.Is(err, pos.ErrNotFound) {
		t.Fatalf("unpark of nothing: %v", err)
	}
	counted := pos.Money(1200)
	z, err := r.TakeZ(time.UTC, &counted)
	if err != nil || z.Number != 4 {
		t.Fatalf("Z: %+v %v", z, err)
	}
}

func TestMockNamesAnUnexpectedCall(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "CompleteSale") {
			t.Fatalf("recovered %v", r)
		}
	}()
	r := fakeRegister("T1", &mock.Store{})
	_, _ = r.Complete(teaCart(1), time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 5000}})
}
