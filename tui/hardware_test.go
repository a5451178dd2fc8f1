package tui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos/display"
	"github.com/tillpos/till/pos/escpos"
	"github.com/tillpos/till/pos/printer"
	"github.com/tillpos/till/pos/register"
)

// fakeHW is the counter's printer and customer display: it records every
// job, kick and snapshot, and fails jobs with err when set.
type fakeHW struct {
	st    *tilltest.Store
	docs  []escpos.Document
	kicks []string // "reason/cashier"
	snaps []display.Snapshot
	err   error
	// stored records, for each receipt printed, whether its sale was
	// already in the database when the job started.
	stored []bool
}

func (f *fakeHW) Print(_ context.Context, d escpos.Document) error {
	f.docs = append(f.docs, d)
	if d.Kind == escpos.KindReceipt {
		_, err := f.st.Sale(d.Code)
		f.stored = append(f.stored, err == nil)
	}
	return f.err
}

func (f *fakeHW) Kick(_ context.Context, why printer.Reason, who string) error {
	f.kicks = append(f.kicks, string(why)+"/"+who)
	return f.err
}

func (f *fakeHW) Publish(s display.Snapshot) { f.snaps = append(f.snaps, s) }

func (f *fakeHW) last() display.Snapshot {
	if len(f.snaps) == 0 {
		return display.Snapshot{}
	}
	return f.snaps[len(f.snaps)-1]
}

// newHWModel is newModel (or, with qr, newPayModel) with a printer and
// a customer display.
func newHWModel(t *testing.T, qr bool) (*Model, *tilltest.Store, *fakeHW) {
	t.Helper()
	st := newStore(t)
	hw := &fakeHW{st: st}
	c := &clock{t: testNow}
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now = c.now
	d := Deps{Lang: testLang, Store: st, Seller: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc, Now: c.now,
		ReceiptDir: filepath.Join(t.TempDir(), "receipts"), Printer: hw, Display: hw}
	if qr {
		reg.QR = &register.QR{Merchant: payMerchant, Expiry: 5 * time.Minute, Demo: true}
		d.QR, d.QRDemo, d.QROffline = reg, true, true
	}
	m := New(d)
	start(t, m)
	return m, st, hw
}

// A cash sale prints its receipt after the commit, with the sale ID as
// the code and the drawer kick; the customer display follows the cart,
// then shows paid and the change, then the shop again.
func TestCashSalePrintsAndKicks(t *testing.T) {
	m, st, hw := newHWModel(t, false)
	if s := hw.last(); s.State != display.Idle || s.Shop != "Corner Shop" {
		t.Fatalf("display at start: %+v", s)
	}
	scan(t, m, water)
	if s := hw.last(); s.State != display.Cart || len(s.Lines) != 1 || s.Lines[0].Name != "Mineral water 550ml" || s.Total != 226 {
		t.Fatalf("display after a scan: %+v", s)
	}
	scan(t, m, cola)
	n := len(hw.snaps)
	press(t, m, "up", "down") // moving the selection changes nothing the customer sees
	if len(hw.snaps) != n {
		t.Fatalf("published %d snapshots for no change", len(hw.snaps)-n)
	}
	if s := hw.last(); len(s.Lines) != 2 || s.Total != 565 || s.Due != 565 {
		t.Fatalf("display with two lines (tax added once): %+v", s)
	}
	if len(hw.docs) != 0 {
		t.Fatal("printed before the sale")
	}
	press(t, m, "f12")
	typ(t, m, "10")
	press(t, m, "enter")
	cur[*receiptScreen](t, m)
	sales := todaysSales(t, st)
	if len(sales) != 1 || len(hw.docs) != 1 {
		t.Fatalf("%d sales, %d documents", len(sales), len(hw.docs))
	}
	d := hw.docs[0]
	if d.Kind != escpos.KindReceipt || d.Code != sales[0].ID || !d.Kick || d.Copy || d.Title != "Corner Shop" || !hw.stored[0] {
		t.Fatalf("receipt %+v (stored first: %v)", d, hw.stored)
	}
	if body := strings.Join(d.Lines, "\n"); !strings.Contains(body, "Cola 330ml can") || !strings.Contains(body, "4.35") {
		t.Fatalf("receipt body:\n%s", body)
	}
	if len(hw.kicks) != 0 {
		t.Fatalf("a sale's kick goes with its receipt, not alone: %v", hw.kicks)
	}
	if s := hw.last(); s.State != display.Paid || s.Paid != 1000 || s.Change != 435 || len(s.Lines) != 2 {
		t.Fatalf("display after the sale: %+v", s)
	}
	if !strings.Contains(m.c.msg, "CHANGE ¥4.35") || m.c.msgErr {
		t.Fatalf("msg %q", m.c.msg)
	}
	// ctrl+p on the receipt prints a COPY, which never opens the drawer.
	press(t, m, "ctrl+p")
	if len(hw.docs) != 2 || !hw.docs[1].Copy || hw.docs[1].Kick || hw.docs[1].Code != sales[0].ID || m.c.msg != "Copy of 000001 printed." {
		t.Fatalf("ctrl+p: %+v, msg %q", hw.docs[1:], m.c.msg)
	}
	press(t, m, "esc")
	if s := hw.last(); s.State != display.Idle {
		t.Fatalf("display after the next sale began: %+v", s)
	}
}

// A printer out of paper neither blocks nor loses the sale: it is
// stored, the message keeps the change and names the problem, and the
// receipt prints again as a COPY (no kick) from the sale's record.
func TestDeadPrinterSaleIsSafe(t *testing.T) {
	m, st, hw := newHWModel(t, false)
	hw.err = &printer.Error{Problem: printer.Off, Where: "127.0.0.1:9100", Err: syscall.ECONNREFUSED}
	scan(t, m, water)
	press(t, m, "f12")
	typ(t, m, "5")
	press(t, m, "enter")
	cur[*receiptScreen](t, m)
	sales := todaysSales(t, st)
	if len(sales) != 1 || len(hw.docs) != 1 {
		t.Fatalf("%d sales, %d documents", len(sales), len(hw.docs))
	}
	want := "Sale 1 saved. CHANGE ¥2.74 NOT PRINTED: printer is off or not reachable (ctrl+p prints it again)."
	if !m.c.msgErr || m.c.msg != want {
		t.Fatalf("msg %q", m.c.msg)
	}
	if !strings.Contains(viewText(m), "ctrl+p print again") {
		t.Fatalf("no ctrl+p on the receipt:\n%s", viewText(m))
	}
	// Still off: ctrl+p says so again, naming the copy.
	press(t, m, "ctrl+p")
	if len(hw.docs) != 2 || !hw.docs[1].Copy || hw.docs[1].Kick {
		t.Fatalf("ctrl+p printed %+v", hw.docs)
	}
	if m.c.msg != "Copy of 000001 NOT printed: printer is off or not reachable (ctrl+p prints it again)." {
		t.Fatalf("msg %q", m.c.msg)
	}
	press(t, m, "esc")
	hw.docs = hw.docs[:1]

	// Back on: print it again from the sale (f8, enter, p, ctrl+s).
	hw.err = nil
	press(t, m, "f8", "enter", "p")
	rec := cur[*recordScreen](t, m)
	if k := rec.keys().save; k.Help().Desc != "print a COPY" {
		t.Fatalf("COPY key says %q", k.Help().Desc)
	}
	press(t, m, "ctrl+s")
	if len(hw.docs) != 2 {
		t.Fatalf("%d documents", len(hw.docs))
	}
	c := hw.docs[1]
	if !c.Copy || !c.CopyAt.Equal(testNow) || c.Kick || c.Code != sales[0].ID || c.Kind != escpos.KindReceipt {
		t.Fatalf("copy %+v", c)
	}
	if m.c.msgErr || !strings.Contains(m.c.msg, "Copy of 000001 printed.") && !strings.Contains(m.c.msg, "Saved to") {
		t.Fatalf("copy printed but msg %q", m.c.msg)
	}
}

// A QR-only sale prints its receipt without opening the drawer; the
// customer display shows the QR payload while it can be paid.
func TestQRSaleNoKickDisplayShowsCode(t *testing.T) {
	m, st, hw := newHWModel(t, true)
	scan(t, m, rice)
	press(t, m, "f12", "f2")
	cur[*payScreen](t, m)
	p := openPayment(t, st)
	s := hw.last()
	if s.State != display.Pay || s.QR != p.Payload || s.QR == "" || s.Due != p.Amount || s.QRLabel != "QR" || len(s.Lines) != 1 {
		t.Fatalf("display while paying: %+v", s)
	}
	press(t, m, "p", "y")
	cur[*receiptScreen](t, m)
	if len(hw.docs) != 1 || hw.docs[0].Kick || hw.docs[0].Code != p.SaleID {
		t.Fatalf("documents %+v", hw.docs)
	}
	if s := hw.last(); s.State != display.Paid || s.QR != "" || s.Change != 0 || s.Paid != p.Amount {
		t.Fatalf("display after: %+v", s)
	}
}

// A cash refund prints its slip with the kick; a Z prints; ctrl+s
// prints the X report; paid in, paid out and no-sale kick the drawer
// alone with their reason and cashier, the float does not.
func TestRefundsReportsAndDrawerPrint(t *testing.T) {
	m, st, hw := newHWModel(t, false)
	sellCash(t, m, water, cola)
	press(t, m, "f8", "enter", "+", "r", "y")
	cur[*receiptScreen](t, m)
	if len(hw.docs) != 2 {
		t.Fatalf("%d documents", len(hw.docs))
	}
	r := hw.docs[1]
	sales := todaysSales(t, st)
	if r.Kind != escpos.KindRefund || !r.Kick || r.Code != sales[0].ID || !strings.Contains(strings.Join(r.Lines, "\n"), "REFUND") {
		t.Fatalf("refund slip %+v", r)
	}

	press(t, m, "esc", "f9", "o")
	typ(t, m, "100")
	press(t, m, "enter", "i")
	typ(t, m, "50")
	press(t, m, "enter")
	typ(t, m, "coins")
	press(t, m, "enter", "u")
	typ(t, m, "20")
	press(t, m, "enter")
	typ(t, m, "milk")
	press(t, m, "enter", "d")
	typ(t, m, "change")
	press(t, m, "enter")
	if got := strings.Join(hw.kicks, ","); got != "paid in/alice,paid out/alice,no sale/alice" {
		t.Fatalf("kicks %q", got)
	}
	press(t, m, "ctrl+s")
	if d := hw.docs[len(hw.docs)-1]; d.Kind != escpos.KindX || d.Kick {
		t.Fatalf("X report %+v", d)
	}
	press(t, m, "z", "enter", "y")
	if d := hw.docs[len(hw.docs)-1]; d.Kind != escpos.KindZ || !strings.Contains(strings.Join(d.Lines, "\n"), "Z REPORT") {
		t.Fatalf("Z report %+v", d)
	}
	if !strings.Contains(m.c.msg, "Z report 1 stored") {
		t.Fatalf("msg %q", m.c.msg)
	}

	// A drawer that cannot be opened says so in words.
	hw.err = &printer.Error{Problem: printer.Unplugged, Err: errors.New("open /dev/usb/lp0: no such device")}
	press(t, m, "d")
	typ(t, m, "change")
	press(t, m, "enter")
	if !m.c.msgErr || m.c.msg != "The drawer did not open: printer is unplugged. Open it with its key." {
		t.Fatalf("msg %q", m.c.msg)
	}
}

// Without a printer nothing prints and the COPY key only saves.
func TestNoPrinterSavesOnly(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	sellCash(t, m, water)
	press(t, m, "f8", "enter", "p")
	if d := cur[*recordScreen](t, m).keys().save.Help().Desc; d != "save a COPY" {
		t.Fatalf("COPY key says %q", d)
	}
}
