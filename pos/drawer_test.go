package pos

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func drawerEvent(kind DrawerKind, amount Money, reason string) DrawerEvent {
	return DrawerEvent{ID: "01JDQ0000000000000000000AB-T1", Terminal: "T1", Kind: kind,
		At: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), Cashier: "ann", Amount: amount, Reason: reason}
}

func TestDrawerEventCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		ev   DrawerEvent
		want string // "" for valid
	}{
		{"pay in", drawerEvent(DrawerPayIn, 5000, "change from the bank"), ""},
		{"pay out", drawerEvent(DrawerPayOut, 1250, "milk delivery"), ""},
		{"no sale", drawerEvent(DrawerNoSale, 0, "customer wanted coins"), ""},
		{"float", drawerEvent(DrawerFloat, 20000, ""), ""},
		{"zero float", drawerEvent(DrawerFloat, 0, ""), ""},
		{"pay in of nothing", drawerEvent(DrawerPayIn, 0, "x"), "more than zero"},
		{"negative pay out", drawerEvent(DrawerPayOut, -5, "x"), "more than zero"},
		{"huge pay in", drawerEvent(DrawerPayIn, MaxAmount+1, "x"), "out of range"},
		{"pay in without reason", drawerEvent(DrawerPayIn, 100, ""), "reason"},
		{"pay out with blank reason", drawerEvent(DrawerPayOut, 100, "   "), "reason"},
		{"no sale without reason", drawerEvent(DrawerNoSale, 0, ""), "reason"},
		{"no sale with money", drawerEvent(DrawerNoSale, 100, "x"), "moves no money"},
		{"negative float", drawerEvent(DrawerFloat, -1, ""), "negative float"},
		{"unknown kind", drawerEvent("refill", 100, "x"), "unknown drawer event kind"},
		{"reason too long", drawerEvent(DrawerPayIn, 100, strings.Repeat("长", MaxReason+1)), "at most 120"},
		{"reason with a newline", drawerEvent(DrawerPayIn, 100, "a\nb"), "control"},
		{"reason untrimmed", drawerEvent(DrawerPayIn, 100, " a"), "spaces around"},
		{"other terminal's ID", func() DrawerEvent { e := drawerEvent(DrawerPayIn, 100, "x"); e.Terminal = "T2"; return e }(), "not of terminal"},
		{"zero time", func() DrawerEvent { e := drawerEvent(DrawerPayIn, 100, "x"); e.At = time.Time{}; return e }(), "out of range"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.ev.Check()
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want it to mention %q", err, c.want)
			}
		})
	}
	if err := drawerEvent(DrawerPayIn, 0, "x").Check(); !errors.Is(err, ErrNoAmount) {
		t.Errorf("zero pay-in: %v, want ErrNoAmount", err)
	}
	if err := drawerEvent(DrawerNoSale, 0, "").Check(); !errors.Is(err, ErrNoReason) {
		t.Errorf("no-sale without reason: %v, want ErrNoReason", err)
	}
}

func TestCleanReason(t *testing.T) {
	if r, err := CleanReason("  找零 \t"); err != nil || r != "找零" {
		t.Fatalf("CleanReason = %q, %v", r, err)
	}
	if _, err := CleanReason(strings.Repeat("x", MaxReason)); err != nil {
		t.Fatalf("a reason of exactly %d characters: %v", MaxReason, err)
	}
}

// TestTallyCountsTheDrawer: expected cash = float + cash sales - cash
// refunds + paid in - paid out; no-sales are counted, the float event is
// not added on top of the shift's float, and card money stays out.
func TestTallyCountsTheDrawer(t *testing.T) {
	sh := Shift{OpenedAt: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC), Cashier: "ann", Float: 20000}
	tl := NewTally(ZReport, "T1", sh, time.UTC)
	at := sh.OpenedAt.Add(time.Hour)
	tl.AddDrawer(DrawerEvent{Kind: DrawerFloat, Amount: 20000, At: sh.OpenedAt})
	tl.AddSale(Sale{Receipt: 1, At: at, Due: 1000, Tenders: []Tender{{Kind: Cash, Amount: 1000}}})
	tl.AddSale(Sale{Receipt: 2, At: at, Due: 700, Tenders: []Tender{{Kind: QR, Amount: 700}}})
	tl.AddRefund(Refund{Receipt: 3, At: at, Total: 300, Tenders: []Tender{{Kind: Cash, Amount: 300}}})
	tl.AddDrawer(DrawerEvent{Kind: DrawerPayIn, Amount: 5000})
	tl.AddDrawer(DrawerEvent{Kind: DrawerPayIn, Amount: 50})
	tl.AddDrawer(DrawerEvent{Kind: DrawerPayOut, Amount: 1250})
	tl.AddDrawer(DrawerEvent{Kind: DrawerNoSale})
	tl.AddDrawer(DrawerEvent{Kind: DrawerNoSale})
	r := tl.Report(at, 5)
	if r.PaidIn != 5050 || r.PayIns != 2 || r.PaidOut != 1250 || r.PayOuts != 1 || r.NoSales != 2 {
		t.Fatalf("paid in %d (%d), out %d (%d), no-sales %d", r.PaidIn, r.PayIns, r.PaidOut, r.PayOuts, r.NoSales)
	}
	if want := Money(20000 + 1000 - 300 + 5050 - 1250); r.Expected != want {
		t.Fatalf("expected cash %d, want %d", r.Expected, want)
	}
	r.CountCash(24000)
	if r.Difference != 24000-r.Expected {
		t.Fatalf("difference %d", r.Difference)
	}
}

func TestCheckCloseCountsDrawerEvents(t *testing.T) {
	for _, r := range []Report{{PayIns: 1}, {PayOuts: 1}, {NoSales: 1}, {Sales: 1}, {Refunds: 1}, {Shift: Shift{OpenedAt: time.Now()}}} {
		if err := r.CheckClose(); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
	if err := (Report{}).CheckClose(); !errors.Is(err, ErrNothingToClose) {
		t.Fatalf("empty period: %v", err)
	}
}

func TestCheckCounted(t *testing.T) {
	if CheckCounted(0) != nil || CheckCounted(MaxAmount) != nil || CheckCounted(-1) == nil || CheckCounted(MaxAmount+1) == nil {
		t.Fatal("CheckCounted bounds")
	}
}
