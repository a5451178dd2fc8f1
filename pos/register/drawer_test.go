package register

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/mock"
)

// TestDrawerDay is the drawer from the counter through the register the
// screen uses, on a real file: float, a cash sale, pay in, pay out, a
// no-sale, then a blind Z whose difference is against float + cash sales
// - cash refunds + paid in - paid out.
func TestDrawerDay(t *testing.T) {
	c := &clock{time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	st := boltOf(r)

	if err := r.CheckZ(time.UTC); !errors.Is(err, pos.ErrNothingToClose) {
		t.Fatalf("CheckZ of a new till: %v", err)
	}
	if _, err := r.BlindZ(time.UTC, 0); !errors.Is(err, pos.ErrNothingToClose) {
		t.Fatalf("blind Z of nothing: %v", err)
	}

	float, err := r.ParseAmount("200.00")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := r.OpenShift(float)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != pos.DrawerFloat || ev.Cashier != "ann" || !strings.HasSuffix(ev.ID, "-T1") || !ev.At.Equal(c.t) {
		t.Fatalf("float event %+v", ev)
	}
	if sh, _ := st.Shift(); sh != ev.Shift() {
		t.Fatalf("shift %+v, want %+v", sh, ev.Shift())
	}
	if _, err := r.OpenShift(100); err == nil || !strings.Contains(err.Error(), "already open") {
		t.Fatalf("second shift: %v", err)
	}
	if err := r.CheckZ(time.UTC); err != nil {
		t.Fatalf("CheckZ with a shift open: %v", err)
	}

	c.t = c.t.Add(time.Hour)
	sale, err := r.Complete(teaCart(2), time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 5000}}) // 25.00
	if err != nil {
		t.Fatal(err)
	}
	refund, err := r.Refund(sale.ID, map[int]int64{0: 1}, pos.KindRefund, "broken") // 12.50 back in cash
	if err != nil {
		t.Fatal(err)
	}
	in, err := r.PayIn(5000, "  change from the bank ")
	if err != nil {
		t.Fatal(err)
	}
	if in.Reason != "change from the bank" || in.Amount != 5000 || in.Kind != pos.DrawerPayIn {
		t.Fatalf("pay-in %+v", in)
	}
	if _, err := r.PayOut(1250, "milk delivery"); err != nil {
		t.Fatal(err)
	}
	ns, err := r.NoSale("customer wanted coins")
	if err != nil {
		t.Fatal(err)
	}
	if ns.Kind != pos.DrawerNoSale || ns.Amount != 0 || ns.Cashier != "ann" || !ns.At.Equal(c.t) || ns.Reason != "customer wanted coins" {
		t.Fatalf("no-sale %+v", ns)
	}

	// Refused: nothing is stored.
	for name, f := range map[string]func() error{
		"pay in of nothing":     func() error { _, err := r.PayIn(0, "x"); return err },
		"pay in without reason": func() error { _, err := r.PayIn(100, " "); return err },
		"no sale without why":   func() error { _, err := r.NoSale(""); return err },
		"pay out too much":      func() error { _, err := r.PayOut(1_000_000, "x"); return err },
		"negative pay out":      func() error { _, err := r.PayOut(-1, "x"); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := r.PayOut(1_000_000, "x"); !errors.Is(err, bolt.ErrDrawerShort) {
		t.Errorf("pay-out beyond the drawer: %v", err)
	}
	if evs, _ := st.DrawerEvents(); len(evs) != 4 {
		t.Fatalf("%d drawer events stored, want 4", len(evs))
	}

	// Blind count: the counted cash goes in, the expected comes back.
	want := pos.Money(20000 + 2500 - 1250 + 5000 - 1250)
	if refund.Tenders[0].Amount != 1250 {
		t.Fatalf("refund paid back %d", refund.Tenders[0].Amount)
	}
	if _, err := r.BlindZ(time.UTC, -1); err == nil {
		t.Fatal("a negative count was taken")
	}
	z, err := r.BlindZ(time.UTC, want+50)
	if err != nil {
		t.Fatal(err)
	}
	if z.Expected != want || z.Counted == nil || *z.Counted != want+50 || z.Difference != 50 || z.NoSales != 1 || z.PayIns != 1 || z.PayOuts != 1 {
		t.Fatalf("Z expected %d counted %v difference %d; want %d", z.Expected, z.Counted, z.Difference, want)
	}

	// A second Z right after: refused, nothing numbered or queued.
	_, before, _ := st.OutboxCounts()
	if err := r.CheckZ(time.UTC); !errors.Is(err, pos.ErrNothingToClose) {
		t.Fatalf("CheckZ after a Z: %v", err)
	}
	if _, err := r.BlindZ(time.UTC, 0); !errors.Is(err, pos.ErrNothingToClose) || !strings.Contains(err.Error(), "Z report 1 was taken 2026-12-02 09:00:00") {
		t.Fatalf("second Z: %v", err)
	}
	if zs, _ := st.ZReports(5); len(zs) != 1 {
		t.Fatalf("%d Z reports, want 1", len(zs))
	}
	if _, after, _ := st.OutboxCounts(); after != before {
		t.Fatalf("refused Z queued something: %d -> %d", before, after)
	}
}

func TestDrawerChecksBeforeStoring(t *testing.T) {
	var stored []pos.DrawerEvent
	st := &mock.Store{RecordDrawerFn: func(ev pos.DrawerEvent) error { stored = append(stored, ev); return nil }}
	r := fakeRegister("收银1", st) // head office would refuse this terminal's IDs
	if _, err := r.PayIn(100, "x"); err == nil || !strings.Contains(err.Error(), "not ASCII") {
		t.Fatalf("pay-in on a non-ASCII terminal: %v", err)
	}
	r = fakeRegister("T1", st)
	if _, err := r.PayIn(100, strings.Repeat("x", pos.MaxReason+1)); err == nil {
		t.Fatal("an over-long reason was taken")
	}
	if len(stored) != 0 {
		t.Fatalf("stored %+v", stored)
	}
	if _, err := r.ParseAmount("SKU1006"); !errors.Is(err, pos.ErrAmountLetters) {
		t.Fatalf("ParseAmount of a scanned code: %v", err)
	}
}
