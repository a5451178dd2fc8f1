package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/staff"
)

// Issue 14 at the counter: login, lock, logout, a manager's approval of
// what the cashier's role leaves to one, and the Z with a section per
// cashier, through the real register and store with staff in it.

// The shop's three staff: a manager with a badge, a supervisor, a
// cashier.
var shopStaff = []struct{ id, name, role, pin, badge string }{
	{"M1", "Mia", "manager", "9999", "041001"},
	{"S1", "Sam", "supervisor", "2222", ""},
	{"C1", "Cat", "cashier", "1111", ""},
}

// addStaff puts the shop's staff in the store.
func addStaff(t testing.TB, st *tilltest.Store) {
	t.Helper()
	for _, s := range shopStaff {
		h, err := staff.HashPIN(s.pin)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.PutMember(staff.Member{ID: s.id, Name: s.name, Role: s.role, PINHash: h, Badge: s.badge, Active: true, Changed: testNow}); err != nil {
			t.Fatal(err)
		}
	}
}

// staffModel is a counter with the shop's staff on a real store; roles
// nil means the default roles.
func staffModel(t testing.TB, roles staff.Roles) (*Model, *tilltest.Store, *register.Register) {
	t.Helper()
	st := newStore(t)
	addStaff(t, st)
	c := &clock{t: testNow}
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now, reg.Roles = c.now, roles
	m := New(Deps{Lang: testLang, Store: st, Seller: reg, Staff: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc,
		Now: c.now, ReceiptDir: filepath.Join(t.TempDir(), "receipts")})
	start(t, m)
	return m, st, reg
}

// login types a staff ID and PIN on the login screen.
func login(t testing.TB, m *Model, id, pin string) {
	t.Helper()
	typ(t, m, id)
	press(t, m, "enter")
	typ(t, m, pin)
	press(t, m, "enter")
}

// approving returns the open approval prompt, or nil.
func approving(m *Model) *approval {
	d, _ := m.dialog.(*approval)
	return d
}

// approve answers the open approval prompt: ID or badge, PIN (empty for
// a badge), reason.
func approve(t testing.TB, m *Model, id, pin, reason string) {
	t.Helper()
	if approving(m) == nil {
		t.Fatalf("no approval prompt; msg %q", m.c.msg)
	}
	typ(t, m, id)
	press(t, m, "enter")
	typ(t, m, pin)
	press(t, m, "enter")
	typ(t, m, reason)
	press(t, m, "enter")
}

func TestNoStaffSellsAtOnce(t *testing.T) {
	st := newStore(t)
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now = func() time.Time { return testNow }
	m := New(Deps{Lang: testLang, Store: st, Seller: reg, Staff: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc,
		Now: reg.Now, ReceiptDir: t.TempDir()})
	start(t, m)
	cur[*sellScreen](t, m)
	sellCash(t, m, water)
	if strings.Contains(viewText(m), "ctrl+l") {
		t.Error("a till with no staff offers the lock")
	}
	r, err := st.ByReceipt(1)
	if err != nil || r.Sale == nil || r.Sale.Cashier != "alice" || r.Sale.CashierID != "" {
		t.Fatalf("sale on a till with no staff: %+v %v", r.Sale, err)
	}
}

func TestLoginScreen(t *testing.T) {
	m, _, reg := staffModel(t, nil)
	cur[*loginScreen](t, m)
	scan(t, m, water) // a scan before anyone logged in sells nothing
	if len(m.c.cart.Lines) != 0 {
		t.Fatal("goods added before a login")
	}
	press(t, m, "esc")
	typ(t, m, "C1")
	press(t, m, "enter")
	typ(t, m, "1112")
	if v := viewText(m); strings.Contains(v, "1112") || !strings.Contains(v, "••••") {
		t.Fatalf("PIN not masked:\n%s", v)
	}
	press(t, m, "enter")
	if !strings.Contains(m.c.msg, "Wrong PIN (4 of 5 tries left).") {
		t.Fatalf("wrong PIN: %q", m.c.msg)
	}
	for i := 0; i < 3; i++ {
		typ(t, m, "0000")
		press(t, m, "enter")
	}
	typ(t, m, "0000")
	press(t, m, "enter")
	if !strings.Contains(m.c.msg, "Locked after too many wrong PINs until 10:35.") {
		t.Fatalf("fifth wrong PIN: %q", m.c.msg)
	}
	login(t, m, "C1", "1111")
	if !strings.Contains(m.c.msg, "Locked after too many wrong PINs") || !is[*loginScreen](m) {
		t.Fatalf("right PIN while locked: %q on %T", m.c.msg, m.screen)
	}
	login(t, m, "NOPE", "1234")
	if !strings.Contains(m.c.msg, "No staff member has that ID or badge.") {
		t.Fatalf("unknown ID: %q", m.c.msg)
	}
	login(t, m, "S1", "2222")
	cur[*sellScreen](t, m)
	if who, ok := reg.Current(); !ok || who.ID != "S1" {
		t.Fatalf("current %+v %v", who, ok)
	}
	if v := viewText(m); !strings.Contains(strings.Split(v, "\n")[0], "Corner Shop · Sam · Sell") || !strings.Contains(v, "ctrl+l lock") {
		t.Fatalf("status line or help:\n%s", v)
	}
	sellCash(t, m, water)
}

func TestLockKeepsTheCartAndSwitchesCashier(t *testing.T) {
	m, st, reg := staffModel(t, nil)
	login(t, m, "C1", "1111")
	scan(t, m, water)
	scan(t, m, rice)
	press(t, m, "ctrl+l")
	s := cur[*loginScreen](t, m)
	if !s.locked || strings.Contains(viewText(m), "Rice") || !strings.Contains(viewText(m), "Locked by Cat") {
		t.Fatalf("lock shows:\n%s", viewText(m))
	}
	press(t, m, "ctrl+o") // no logout from the lock screen: it is text
	login(t, m, "S1", "2222")
	cur[*sellScreen](t, m)
	if qtyOf(m, "SKU1001") != 1 || len(m.c.cart.Lines) != 2 || !strings.Contains(m.c.msg, "Sam took over from Cat; the cart is kept.") {
		t.Fatalf("after the switch: %d lines, msg %q", len(m.c.cart.Lines), m.c.msg)
	}
	press(t, m, "ctrl+o")
	if !strings.Contains(m.c.msg, "Finish or park the cart before logging out") || !is[*sellScreen](m) {
		t.Fatalf("logout with a cart: %q", m.c.msg)
	}
	press(t, m, "f12", "f10", "esc")
	r, err := st.ByReceipt(1)
	if err != nil || r.Sale.Cashier != "Sam" || r.Sale.CashierID != "S1" {
		t.Fatalf("sale after the switch: %+v %v", r.Sale, err)
	}
	press(t, m, "ctrl+o")
	cur[*loginScreen](t, m)
	if _, ok := reg.Current(); ok {
		t.Fatal("still logged in after ctrl+o")
	}
	if strings.Contains(strings.Split(viewText(m), "\n")[0], "Sam") {
		t.Fatal("the status line names a cashier after the logout")
	}
}

// A discount above the cashier's 10% needs a manager: a wrong PIN is
// refused and asked again, the manager's PIN approves it, and the sale
// carries the approval.
func TestDiscountApproval(t *testing.T) {
	m, st, _ := staffModel(t, nil)
	login(t, m, "C1", "1111")
	scan(t, m, rice)
	press(t, m, "f4")
	typ(t, m, "10%")
	press(t, m, "enter")
	if approving(m) != nil || m.c.cart.Lines[0].Discount.Kind != pos.PercentDiscount {
		t.Fatal("10% is within the cashier's limit")
	}
	press(t, m, "f4")
	typ(t, m, "25%")
	press(t, m, "enter")
	d := approving(m)
	if d == nil || !strings.Contains(viewText(m), "Needs approval: A line discount of 25%") ||
		!strings.Contains(viewText(m), "Discount a line above a cashier's limit needs a manager's approval") {
		t.Fatalf("no approval prompt:\n%s", viewText(m))
	}
	press(t, m, "esc")
	if approving(m) != nil || m.c.cart.Lines[0].Discount.Percent != 1000 {
		t.Fatalf("cancelled approval changed the discount: %+v", m.c.cart.Lines[0].Discount)
	}
	press(t, m, "f4")
	typ(t, m, "25%")
	press(t, m, "enter")
	approve(t, m, "M1", "1234", "3")
	if approving(m) == nil || !strings.Contains(m.c.msg, "Not approved: Wrong PIN (4 of 5 tries left).") {
		t.Fatalf("wrong manager PIN: %q", m.c.msg)
	}
	if approving(m).step != 1 || m.c.cart.Lines[0].Discount.Percent != 1000 {
		t.Fatalf("after a wrong PIN: step %d", approving(m).step)
	}
	typ(t, m, "9999")
	press(t, m, "enter", "enter") // the reason chosen stays: 3
	if approving(m) != nil || m.c.cart.Lines[0].Discount.Percent != 2500 || len(m.c.people.approvals) != 1 {
		t.Fatalf("approved: %+v, msg %q", m.c.cart.Lines[0].Discount, m.c.msg)
	}
	press(t, m, "f12", "f10")
	cur[*receiptScreen](t, m)
	r, err := st.ByReceipt(1)
	if err != nil || len(r.Sale.Approvals) != 1 {
		t.Fatalf("sale: %+v %v", r.Sale, err)
	}
	a := r.Sale.Approvals[0]
	if a.Approver != "M1" || a.Actor != "C1" || a.Permission != staff.LineDiscount || a.Reason != "price match" || a.Value != 2501 { // 17.48 of 69.90, rounded up
		t.Fatalf("approval %+v", a)
	}
	if len(m.c.people.approvals) != 0 {
		t.Fatal("the approval outlived its sale")
	}
	// The journal excerpt is on the receipt.
	if !strings.Contains(viewText(m), "Journal ") {
		t.Fatalf("receipt without its journal entry:\n%s", viewText(m))
	}
}

// A discount approved, then changed back within the limit: the approval
// no longer belongs to the sale, which stores without it.
func TestDiscountApprovalDroppedWhenChanged(t *testing.T) {
	m, st, _ := staffModel(t, nil)
	login(t, m, "C1", "1111")
	scan(t, m, rice)
	press(t, m, "f5")
	typ(t, m, "20%")
	press(t, m, "enter")
	typ(t, m, "041001") // the manager's badge, no PIN
	press(t, m, "enter", "enter", "enter")
	if approving(m) == nil || !strings.Contains(m.c.msg, "Pick a reason") {
		t.Fatalf("empty reason: %q", m.c.msg)
	}
	typ(t, m, "staff error")
	press(t, m, "enter")
	if m.c.cart.Discount.Percent != 2000 {
		t.Fatalf("cart discount %+v, msg %q", m.c.cart.Discount, m.c.msg)
	}
	press(t, m, "f5")
	typ(t, m, "5%")
	press(t, m, "enter")
	press(t, m, "f12", "f10")
	cur[*receiptScreen](t, m)
	r, err := st.ByReceipt(1)
	if err != nil || len(r.Sale.Approvals) != 0 {
		t.Fatalf("sale: %+v %v", r.Sale.Approvals, err)
	}
}

// A refund above the cashier's 100.00 needs approval: the cashier's own
// PIN does not approve it, the supervisor's does; a role that denies
// voids says so and does nothing.
func TestRefundApproval(t *testing.T) {
	roles := staff.DefaultRoles(2)
	r := roles["cashier"]
	r.Rules[staff.Void] = staff.Rule{Decision: staff.Deny}
	m, st, _ := staffModel(t, roles)
	login(t, m, "C1", "1111")
	sellCash(t, m, rice, rice) // 157.97
	press(t, m, "f8", "enter")
	press(t, m, "v", "y")
	if approving(m) != nil || !strings.Contains(m.c.msg, "Not allowed: a cashier may not void a sale. Nothing was done.") {
		t.Fatalf("denied void: %q", m.c.msg)
	}
	press(t, m, "a", "r", "y")
	if approving(m) == nil || !strings.Contains(viewText(m), "Refund above a cashier's limit needs a manager's approval") {
		t.Fatalf("refund above the limit:\n%s\n%q", viewText(m), m.c.msg)
	}
	approve(t, m, "C1", "1111", "1")
	if approving(m) == nil || !strings.Contains(m.c.msg, "Not approved: Someone else must approve your own action.") {
		t.Fatalf("self approval: %q", m.c.msg)
	}
	typ(t, m, "S1")
	press(t, m, "enter")
	typ(t, m, "2222")
	press(t, m, "enter", "enter") // the reason chosen stays: 1
	cur[*receiptScreen](t, m)
	got, err := st.ByReceipt(2)
	if err != nil || got.Refund == nil || len(got.Refund.Approvals) != 1 || got.Refund.Approvals[0].Approver != "S1" ||
		got.Refund.CashierID != "C1" || got.Refund.Approvals[0].Reason != "damaged goods" {
		t.Fatalf("refund: %+v %v", got.Refund, err)
	}
}

// A no-sale needs approval for a cashier (the manager's badge is
// enough); the Z asks the count first, then shows a section per cashier.
func TestNoSaleAndZPerCashier(t *testing.T) {
	m, st, _ := staffModel(t, nil)
	login(t, m, "C1", "1111")
	press(t, m, "f9", "o")
	typ(t, m, "100")
	press(t, m, "enter", "esc")
	sellCash(t, m, water)
	press(t, m, "f9", "d")
	typ(t, m, "change for a customer")
	press(t, m, "enter")
	if approving(m) == nil || !strings.Contains(viewText(m), "Open the drawer without a sale needs a manager's approval") {
		t.Fatalf("no-sale:\n%s", viewText(m))
	}
	approve(t, m, "041001", "", "2")
	if !strings.Contains(m.c.msg, "No sale logged (change for a customer)") {
		t.Fatalf("no-sale approved: %q", m.c.msg)
	}
	evs, err := st.DrawerEvents()
	if err != nil || len(evs) != 2 || len(evs[1].Approvals) != 1 || evs[1].Approvals[0].Approver != "M1" || evs[1].CashierID != "C1" {
		t.Fatalf("drawer events %+v %v", evs, err)
	}
	press(t, m, "ctrl+l")
	login(t, m, "S1", "2222")
	press(t, m, "esc")
	sellCash(t, m, cola)
	press(t, m, "f9", "z")
	if p := prompting(m); p == nil || strings.Contains(viewText(m), "Expected") {
		t.Fatalf("the Z shows expected before the count:\n%s", viewText(m))
	}
	typ(t, m, "105.65")
	press(t, m, "enter", "y")
	send(t, m, tea.WindowSizeMsg{Width: 120, Height: 80})
	v := viewText(m)
	for _, want := range []string{"Z REPORT 1", "Cashier Cat (C1)", "Cashier Sam (S1)", "Cashier Mia (M1)", "Approvals needed / given"} {
		if !strings.Contains(v, want) {
			t.Errorf("Z lacks %q:\n%s", want, v)
		}
	}
	zs, err := st.ZReports(1)
	if err != nil || len(zs) != 1 || len(zs[0].Cashiers) != 3 || zs[0].Counted == nil {
		t.Fatalf("stored Z: %+v %v", zs, err)
	}
}

// TestGoldenStaff draws the login screen (a PIN half typed), the lock
// over a cart, the approval prompt over the sell screen, and a Z report
// with a section per cashier.
func TestGoldenStaff(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := "-" + itoa(size.w) + "x" + itoa(size.h)
		m, _, _ := staffModel(t, nil)
		send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		typ(t, m, "C1")
		press(t, m, "enter")
		typ(t, m, "11")
		golden(t, m, "login"+suffix)
		typ(t, m, "11")
		press(t, m, "enter")

		scan(t, m, rice)
		press(t, m, "f4")
		typ(t, m, "25%")
		press(t, m, "enter")
		typ(t, m, "M1")
		press(t, m, "enter")
		typ(t, m, "99")
		golden(t, m, "approve"+suffix)
		typ(t, m, "99")
		press(t, m, "enter")
		typ(t, m, "3")
		press(t, m, "enter", "f12", "f10", "esc")
		scan(t, m, water)

		press(t, m, "ctrl+l")
		golden(t, m, "lock"+suffix)
		login(t, m, "S1", "2222")
		press(t, m, "f12", "f10", "esc", "f9", "z")
		typ(t, m, "52.00")
		press(t, m, "enter", "y")
		for range 22 { // to the cashiers' sections
			press(t, m, "down")
		}
		golden(t, m, "z-cashiers"+suffix)
	}
}

// An approval is the cashier's own: after a switch of cashier, the new
// cashier's sale of the same cart asks again at the checkout, and stores
// only the new approval.
func TestApprovalAfterASwitchOfCashier(t *testing.T) {
	m, st, _ := staffModel(t, nil)
	h, _ := staff.HashPIN("3333")
	if err := st.PutMember(staff.Member{ID: "C2", Name: "Dan", Role: "cashier", PINHash: h, Active: true}); err != nil {
		t.Fatal(err)
	}
	login(t, m, "C1", "1111")
	scan(t, m, rice)
	press(t, m, "f4")
	typ(t, m, "25%")
	press(t, m, "enter")
	approve(t, m, "M1", "9999", "3")
	press(t, m, "ctrl+l")
	login(t, m, "C2", "3333")
	press(t, m, "f12", "f10")
	if approving(m) == nil || !strings.Contains(viewText(m), "Needs approval: A line discount on Rice 5kg") {
		t.Fatalf("the new cashier's sale:\n%s\n%q", viewText(m), m.c.msg)
	}
	approve(t, m, "S1", "2222", "1")
	cur[*receiptScreen](t, m)
	r, err := st.ByReceipt(1)
	if err != nil || r.Sale.CashierID != "C2" || len(r.Sale.Approvals) != 1 || r.Sale.Approvals[0].Actor != "C2" || r.Sale.Approvals[0].Approver != "S1" {
		t.Fatalf("sale %+v %v", r.Sale, err)
	}
}

// A pay out needs approval for a cashier; a Z the shop's roles leave to a
// manager keeps the count hidden while the manager approves, then shows
// the difference.
func TestPayOutAndZApproval(t *testing.T) {
	roles := staff.DefaultRoles(2)
	r := roles["cashier"]
	r.Rules[staff.ZReport] = staff.Rule{Decision: staff.Approve}
	m, st, _ := staffModel(t, roles)
	login(t, m, "C1", "1111")
	press(t, m, "f9", "o")
	typ(t, m, "100")
	press(t, m, "enter", "u")
	typ(t, m, "30")
	press(t, m, "enter")
	typ(t, m, "milk delivery")
	press(t, m, "enter")
	if approving(m) == nil || !strings.Contains(viewText(m), "Needs approval: Pay out of ¥30.00") {
		t.Fatalf("pay out:\n%s", viewText(m))
	}
	approve(t, m, "M1", "9999", "manager's decision")
	if !strings.Contains(m.c.msg, "Paid out ¥30.00 (milk delivery)") {
		t.Fatalf("pay out approved: %q", m.c.msg)
	}
	if evs, err := st.DrawerEvents(); err != nil || len(evs) != 2 || len(evs[1].Approvals) != 1 || evs[1].Approvals[0].Value != 3000 {
		t.Fatalf("pay out stored: %+v %v", evs, err)
	}
	press(t, m, "z")
	typ(t, m, "70")
	press(t, m, "enter", "y")
	if approving(m) == nil || !strings.Contains(viewText(m), "Needs approval: Closing the day (Z report)") ||
		strings.Contains(viewText(m), "Expected") {
		t.Fatalf("Z needing approval:\n%s", viewText(m))
	}
	approve(t, m, "S1", "2222", "4")
	if !strings.Contains(m.c.msg, "Counted ¥70.00, expected ¥70.00: the drawer is right.") {
		t.Fatalf("Z approved: %q", m.c.msg)
	}
	evs, _ := st.DrawerEvents()
	zs, err := st.ZReports(1)
	if err != nil || len(zs) != 1 || len(evs) != 0 {
		t.Fatalf("Z %v, events left %d", err, len(evs))
	}
}

// fakeStaff says what its decide function says of every action; the
// rest of the port is unused by the screens under test.
type fakeStaff struct {
	Staff
	decide func(perm staff.Permission, value int64) register.Verdict
}

func (f *fakeStaff) AuthorizeCurrent(perm staff.Permission, value int64) register.Verdict {
	return f.decide(perm, value)
}
