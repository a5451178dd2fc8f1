package bolt_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// drawerAt builds a drawer event of the test terminal at a time.
func drawerAt(t testing.TB, at time.Time, kind pos.DrawerKind, amount pos.Money, reason string) pos.DrawerEvent {
	t.Helper()
	id, err := pos.NewSaleID(at, terminal, ulid.DefaultEntropy())
	if err != nil {
		t.Fatal(err)
	}
	return pos.DrawerEvent{ID: id, Terminal: terminal, Kind: kind, At: at, Cashier: "ann", Amount: amount, Reason: reason}
}

func TestDrawerEventsAreStoredQueuedAndCounted(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)

	float := drawerAt(t, clk.Now(), pos.DrawerFloat, 20000, "")
	if err := s.RecordDrawer(float); err != nil {
		t.Fatal(err)
	}
	if sh, _ := s.Shift(); sh.Float != 20000 || sh.Cashier != "ann" || !sh.OpenedAt.Equal(float.At) {
		t.Fatalf("the float event opened shift %+v", sh)
	}
	if err := s.RecordDrawer(drawerAt(t, clk.Now(), pos.DrawerFloat, 100, "")); err == nil || !strings.Contains(err.Error(), "already open") {
		t.Fatalf("a second float over an open shift: %v", err)
	}
	clk.Add(time.Minute)
	sale := sell(t, r, cart(t, "TEA", 2)) // 7.00 cash
	in := drawerAt(t, clk.Now(), pos.DrawerPayIn, 5000, "change from the bank")
	out := drawerAt(t, clk.Now(), pos.DrawerPayOut, 1250, "milk delivery")
	ns := drawerAt(t, clk.Now(), pos.DrawerNoSale, 0, "customer wanted coins")
	for _, ev := range []pos.DrawerEvent{in, out, ns} {
		if err := s.RecordDrawer(ev); err != nil {
			t.Fatalf("%s: %v", ev.Kind, err)
		}
	}
	if err := s.RecordDrawer(in); !errors.Is(err, bolt.ErrExists) {
		t.Fatalf("the same pay-in again: %v", err)
	}

	// Each event is one outbox entry whose body is the event as stored.
	var drawer []pos.DrawerEvent
	for _, e := range pending(t, s) {
		if e.Kind != pos.RecordDrawer {
			continue
		}
		var ev pos.DrawerEvent
		if err := json.Unmarshal(e.Body, &ev); err != nil || ev.ID != e.ID {
			t.Fatalf("outbox body %s (%v)", e.Body, err)
		}
		drawer = append(drawer, ev)
	}
	if len(drawer) != 4 || drawer[0].Kind != pos.DrawerFloat || !reflect.DeepEqual(drawer[1], in) || !reflect.DeepEqual(drawer[2], out) || !reflect.DeepEqual(drawer[3], ns) {
		t.Fatalf("queued drawer events %+v", drawer)
	}
	var c pos.OutboxCount
	if st, err := s.SyncStatus(); err != nil {
		t.Fatal(err)
	} else {
		c = st.Waiting
	}
	if c.Drawer != 4 || c.Sales != 1 || c.Total() != 5 {
		t.Fatalf("outbox count %+v", c)
	}

	x, err := s.XReport(clk.Now(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := 20000 + sale.Due + 5000 - 1250
	if x.Expected != want || x.PaidIn != 5000 || x.PaidOut != 1250 || x.PayIns != 1 || x.PayOuts != 1 || x.NoSales != 1 {
		t.Fatalf("X: expected %d (want %d) paid in %d out %d no-sales %d", x.Expected, want, x.PaidIn, x.PaidOut, x.NoSales)
	}

	// A restart keeps them; the Z counts them and the next period starts
	// empty.
	s = reopen(t, s)
	r.Store = s
	if evs, err := s.DrawerEvents(); err != nil || len(evs) != 4 {
		t.Fatalf("after reopening: %d events, %v", len(evs), err)
	}
	negative := pos.Money(-1)
	if _, err := s.TakeZ(clk.Now(), time.UTC, &negative); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Fatalf("Z with a negative count: %v", err)
	}
	if zs, _ := s.ZReports(1); len(zs) != 0 {
		t.Fatal("a refused Z was stored")
	}
	counted := want - 100
	z, err := s.TakeZ(clk.Now(), time.UTC, &counted)
	if err != nil {
		t.Fatal(err)
	}
	if z.Expected != want || z.Difference != -100 || z.NoSales != 1 || z.PaidIn != 5000 {
		t.Fatalf("Z: %+v", z)
	}
	if evs, _ := s.DrawerEvents(); len(evs) != 0 {
		t.Fatalf("%d drawer events after the Z", len(evs))
	}
	if err := s.CheckZ(clk.Now(), time.UTC); !errors.Is(err, pos.ErrNothingToClose) {
		t.Fatalf("CheckZ right after a Z: %v", err)
	}

	// A no-sale alone is a period worth closing: it is on the Z.
	if err := s.RecordDrawer(drawerAt(t, clk.Now(), pos.DrawerNoSale, 0, "checked the float")); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckZ(clk.Now(), time.UTC); err != nil {
		t.Fatalf("CheckZ with a no-sale: %v", err)
	}
	x, _ = s.XReport(clk.Now(), time.UTC)
	if x.NoSales != 1 || x.PaidIn != 0 || x.Expected != 0 {
		t.Fatalf("X of period 2: %+v", x)
	}
}

func TestPayOutCannotEmptyMoreThanTheDrawer(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	// No shift: the drawer should hold nothing.
	if err := s.RecordDrawer(drawerAt(t, clk.Now(), pos.DrawerPayOut, 1, "x")); !errors.Is(err, bolt.ErrDrawerShort) {
		t.Fatalf("pay-out from an empty drawer: %v", err)
	}
	if err := s.OpenShift(pos.Shift{OpenedAt: clk.Now(), Cashier: "ann", Float: 1000}); err != nil {
		t.Fatal(err)
	}
	sale := sell(t, r, cart(t, "TEA", 1)) // 3.50
	if err := s.RecordDrawer(drawerAt(t, clk.Now(), pos.DrawerPayOut, 1000+sale.Due+1, "x")); !errors.Is(err, bolt.ErrDrawerShort) {
		t.Fatalf("pay-out a cent over: %v", err)
	}
	if strings.Contains(bolt.ErrDrawerShort.Error(), "13.50") {
		t.Fatal("the refusal names the expected cash")
	}
	if err := s.RecordDrawer(drawerAt(t, clk.Now(), pos.DrawerPayOut, 1000+sale.Due, "bank")); err != nil {
		t.Fatalf("pay-out of all of it: %v", err)
	}
	if x, _ := s.XReport(clk.Now(), time.UTC); x.Expected != 0 || x.PayOuts != 1 {
		t.Fatalf("X after emptying: %+v", x)
	}
	if _, total, _ := s.OutboxCounts(); total != 3 { // float, sale, pay-out
		t.Fatalf("outbox %d, refused pay-outs were queued", total)
	}
}

func TestDrawerEventsAreChecked(t *testing.T) {
	s := openNew(t)
	at := t0
	bad := drawerAt(t, at, pos.DrawerPayIn, 100, "")
	if err := s.RecordDrawer(bad); !errors.Is(err, pos.ErrNoReason) {
		t.Fatalf("pay-in without reason: %v", err)
	}
	other := drawerAt(t, at, pos.DrawerPayIn, 100, "x")
	other.Terminal = "T99"
	if err := s.RecordDrawer(other); err == nil || !strings.Contains(err.Error(), "terminal") {
		t.Fatalf("another terminal's event: %v", err)
	}
	if evs, _ := s.DrawerEvents(); len(evs) != 0 {
		t.Fatalf("refused events were stored: %+v", evs)
	}
	if es := pending(t, s); len(es) != 0 {
		t.Fatalf("refused events were queued: %+v", es)
	}
}
