package tui

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/staff"
)

// The rest of issue 14 at the counter: QR sales and wallet refunds that
// carry approvals, price overrides, removed lines and reprints, through
// the real register and store with the shop's staff.

// staffQRModel is staffModel with offline QR payments set up.
func staffQRModel(t testing.TB, roles staff.Roles) (*Model, *tilltest.Store, *register.Register) {
	t.Helper()
	st := newStore(t)
	addStaff(t, st)
	c := &clock{t: testNow}
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now, reg.Roles = c.now, roles
	reg.QR = &register.QR{Merchant: payMerchant, Expiry: 5 * time.Minute, Demo: true}
	m := New(Deps{Lang: testLang, Store: st, Seller: reg, Staff: reg, QR: reg, QRDemo: true, QROffline: true, Shop: "Corner Shop",
		Currency: cny, Loc: testLoc, Now: c.now, ReceiptDir: filepath.Join(t.TempDir(), "receipts")})
	start(t, m)
	return m, st, reg
}

// A QR-paid cart whose discount a manager approved: the sale carries
// the approval, as a cash sale does; before, the register refused it.
func TestQRSaleCarriesTheCartsApproval(t *testing.T) {
	m, st, _ := staffQRModel(t, nil)
	login(t, m, "C1", "1111")
	scan(t, m, rice)
	press(t, m, "f4")
	typ(t, m, "25%")
	press(t, m, "enter")
	approve(t, m, "M1", "9999", "1")
	if len(m.c.people.approvals) != 1 {
		t.Fatalf("discount not approved: %q", m.c.msg)
	}
	press(t, m, "f12", "f2")
	cur[*payScreen](t, m)
	press(t, m, "p", "y")
	cur[*receiptScreen](t, m)
	r, err := st.ByReceipt(1)
	if err != nil || r.Sale == nil || r.Sale.CashierID != "C1" || len(r.Sale.Approvals) != 1 ||
		r.Sale.Approvals[0].Permission != staff.LineDiscount || r.Sale.Approvals[0].Approver != "M1" ||
		r.Sale.Tenders[0].Kind != pos.QR {
		t.Fatalf("QR sale: %+v %v", r.Sale, err)
	}
}

// A QR sale whose discount approval is missing (the cashier changed
// after it was approved): the register refuses it, the prompt opens on
// the pay screen and the sale is stored once a manager approves.
func TestQRSaleRefusedThenApproved(t *testing.T) {
	m, st, _ := staffQRModel(t, nil)
	login(t, m, "S1", "2222") // a supervisor may give 25% alone
	scan(t, m, rice)
	press(t, m, "f4")
	typ(t, m, "25%")
	press(t, m, "enter")
	if approving(m) != nil || m.c.cart.Lines[0].Discount.Percent != 2500 {
		t.Fatalf("supervisor's discount: %q", m.c.msg)
	}
	press(t, m, "ctrl+l")
	login(t, m, "C1", "1111") // the cashier takes over the cart
	press(t, m, "f12", "f2")
	cur[*payScreen](t, m)
	press(t, m, "p", "y")
	if approving(m) == nil || !strings.Contains(m.c.msg, "A line discount on Rice 5kg needs a manager's approval.") || !strings.Contains(viewText(m), "Needs approval") {
		t.Fatalf("no approval prompt on the pay screen: %q\n%s", m.c.msg, viewText(m))
	}
	if sales := todaysSales(t, st); len(sales) != 0 {
		t.Fatalf("sale stored before approval: %+v", sales)
	}
	approve(t, m, "M1", "9999", "2")
	cur[*receiptScreen](t, m)
	r, err := st.ByReceipt(1)
	if err != nil || r.Sale == nil || r.Sale.CashierID != "C1" || len(r.Sale.Approvals) != 1 || r.Sale.Approvals[0].Approver != "M1" {
		t.Fatalf("QR sale: %+v %v", r.Sale, err)
	}
}

// A refund to the wallet above the cashier's 100.00: the register
// refuses it before anything is stored or sent, the approval prompt
// opens on the sale, and once a supervisor approves the refund is stored
// with the approval and its wallet part sent to the provider.
func TestWalletRefundApproval(t *testing.T) {
	m, st, reg := staffQRModel(t, nil)
	clk := &clock{t: testNow}
	reg.Now, m.c.deps.Now = clk.now, clk.now
	sim, err := paysim.New(paysim.Config{Now: clk.now, Merchant: "Corner Shop"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	cc, err := sim.WriteClientConfig(t.TempDir(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cc.Alipay.Now = clk.now
	prov, err := alipay.New(cc.Alipay)
	if err != nil {
		t.Fatal(err)
	}
	reg.QR.Online = prov

	login(t, m, "C1", "1111")
	scan(t, m, rice)
	scan(t, m, rice) // 157.97
	press(t, m, "f12", "f2")
	ps := cur[*payScreen](t, m)
	phonePays(t, srv.URL, ps.p.Payload)
	clk.t = clk.t.Add(2 * time.Second)
	send(t, m, qrTickMsg{id: ps.p.ID})
	cur[*receiptScreen](t, m)
	press(t, m, "esc", "f8", "enter")
	d := cur[*detailScreen](t, m)
	if !d.toWallet() {
		t.Fatal("a wallet-paid sale does not go back to the wallet by default")
	}
	press(t, m, "a", "r", "y")
	if approving(m) == nil || !strings.Contains(viewText(m), "Refund above a cashier's limit needs a manager's approval") {
		t.Fatalf("wallet refund above the limit: %q\n%s", m.c.msg, viewText(m))
	}
	if rs, err := st.RefundsOf(d.sale.ID); err != nil || len(rs) != 0 {
		t.Fatalf("refund stored before approval: %+v %v", rs, err)
	}
	approve(t, m, "S1", "2222", "1")
	cur[*receiptScreen](t, m)
	got, err := st.ByReceipt(2)
	if err != nil || got.Refund == nil || got.Refund.CashierID != "C1" || got.Refund.Cashier != "Cat" ||
		len(got.Refund.Approvals) != 1 || got.Refund.Approvals[0].Approver != "S1" || got.Refund.Approvals[0].Permission != staff.Refund {
		t.Fatalf("wallet refund: %+v %v", got.Refund, err)
	}
	parts, err := reg.WalletRefundsOf(got.Refund.ID)
	if err != nil || len(parts) != 1 || parts[0].Amount != 15797 || parts[0].State != pos.WalletRefunded {
		t.Fatalf("wallet parts %+v %v", parts, err)
	}
}

// A price set by hand (ctrl+r): a cashier's needs a manager, the line
// shows its list price, and the sale keeps both prices, the approval,
// and totals worked out from the price charged.
func TestPriceOverrideApproval(t *testing.T) {
	m, st, _ := staffModel(t, nil)
	login(t, m, "C1", "1111")
	scan(t, m, rice)
	press(t, m, "ctrl+r")
	if !strings.Contains(viewText(m), "Price of Rice 5kg (list ¥69.90):") {
		t.Fatalf("no price prompt:\n%s", viewText(m))
	}
	typ(t, m, "49.90")
	press(t, m, "enter")
	if approving(m) == nil || !strings.Contains(viewText(m), "Needs approval: A price of ¥49.90 for Rice 5kg (list ¥69.90)") ||
		!strings.Contains(viewText(m), "Change a price needs a manager's approval") {
		t.Fatalf("no approval prompt: %q\n%s", m.c.msg, viewText(m))
	}
	press(t, m, "esc")
	if l := m.c.cart.Lines[0]; l.UnitPrice != 6990 || l.Overridden() {
		t.Fatalf("a price not approved was set: %+v", l)
	}
	press(t, m, "ctrl+r")
	typ(t, m, "49.90")
	press(t, m, "enter")
	approve(t, m, "M1", "9999", "1")
	if l := m.c.cart.Lines[0]; l.UnitPrice != 4990 || l.ListPrice != 6990 {
		t.Fatalf("approved price: %+v, msg %q", l, m.c.msg)
	}
	if !strings.Contains(m.c.msg, "Price of Rice 5kg: ¥49.90 (list ¥69.90).") || !strings.Contains(viewText(m), "5kg [list 69.90]") {
		t.Fatalf("msg %q\n%s", m.c.msg, viewText(m))
	}
	press(t, m, "f12", "f10")
	if rs := cur[*receiptScreen](t, m); !strings.Contains(rs.text, "  1 x 49.90") || !strings.Contains(rs.text, "  price set by hand, list 69.90") {
		t.Fatalf("receipt:\n%s", rs.text)
	}
	r, err := st.ByReceipt(1)
	if err != nil || r.Sale == nil {
		t.Fatal(err)
	}
	s := r.Sale
	if l := s.Lines[0]; l.UnitPrice != 4990 || l.ListPrice != 6990 || l.Gross != 4990 || s.Tax != 649 || s.Total != 5639 {
		t.Fatalf("sale line %+v tax %d total %d", s.Lines[0], s.Tax, s.Total) // 13% of 49.90 is 6.487
	}
	if len(s.Approvals) != 1 || s.Approvals[0].Permission != staff.PriceOverride || s.Approvals[0].Value != 2862 || s.Approvals[0].Approver != "M1" {
		t.Fatalf("approvals %+v", s.Approvals) // 20.00 of 69.90 is 28.62%
	}
}

// A supervisor may change a price by up to 30% alone; beyond needs a
// manager; a role that denies it says so and changes nothing; the list
// price again ends the override.
func TestPriceOverrideLimits(t *testing.T) {
	roles := staff.DefaultRoles(2)
	roles["cashier"].Rules[staff.PriceOverride] = staff.Rule{Decision: staff.Deny}
	m, _, _ := staffModel(t, roles)
	login(t, m, "S1", "2222")
	scan(t, m, rice)
	press(t, m, "ctrl+r")
	typ(t, m, "55.00") // 21.3% off
	press(t, m, "enter")
	if approving(m) != nil || m.c.cart.Lines[0].UnitPrice != 5500 {
		t.Fatalf("a supervisor's 21%%: %q", m.c.msg)
	}
	press(t, m, "ctrl+r")
	typ(t, m, "30")
	press(t, m, "enter")
	if approving(m) == nil || !strings.Contains(viewText(m), "Change a price above a supervisor's limit needs a manager's approval") {
		t.Fatalf("a supervisor's 57%%: %q", m.c.msg)
	}
	press(t, m, "esc")
	press(t, m, "ctrl+r")
	typ(t, m, "69.90")
	press(t, m, "enter")
	if l := m.c.cart.Lines[0]; l.Overridden() || l.UnitPrice != 6990 || !strings.Contains(m.c.msg, "back to the list price") {
		t.Fatalf("list price again: %+v %q", l, m.c.msg)
	}
	press(t, m, "ctrl+l")
	login(t, m, "C1", "1111")
	press(t, m, "ctrl+r")
	typ(t, m, "60")
	press(t, m, "enter")
	if approving(m) != nil || m.c.cart.Lines[0].Overridden() || !strings.Contains(m.c.msg, "Not allowed: a cashier may not change a price. Nothing was changed.") {
		t.Fatalf("denied override: %+v %q", m.c.cart.Lines[0], m.c.msg)
	}
}

// Removing a line, or reducing its quantity, when the role leaves it to
// a manager: the approval prompt opens, a cancel keeps the line, and each
// approval is stored with the sale.
func TestRemoveLineApproval(t *testing.T) {
	roles := staff.DefaultRoles(2)
	roles["cashier"].Rules[staff.RemoveLine] = staff.Rule{Decision: staff.Approve}
	m, st, _ := staffModel(t, roles)
	login(t, m, "C1", "1111")
	scan(t, m, water)
	scan(t, m, water)
	scan(t, m, rice)
	press(t, m, "delete", "y")
	if approving(m) == nil || !strings.Contains(viewText(m), "Needs approval: Removing Rice 5kg") {
		t.Fatalf("removal: %q\n%s", m.c.msg, viewText(m))
	}
	press(t, m, "esc")
	if len(m.c.cart.Lines) != 2 {
		t.Fatal("a removal not approved was done")
	}
	press(t, m, "-", "y") // one less of one: a removal
	approve(t, m, "M1", "9999", "1")
	if len(m.c.cart.Lines) != 1 || m.c.cart.Lines[0].Name != "Mineral water 550ml" || !strings.Contains(m.c.msg, "Removed Rice 5kg.") {
		t.Fatalf("approved removal: %+v %q", m.c.cart.Lines, m.c.msg)
	}
	press(t, m, "-")
	if approving(m) == nil || !strings.Contains(viewText(m), "Needs approval: Taking 1 off Mineral water 550ml") {
		t.Fatalf("one less: %q", m.c.msg)
	}
	approve(t, m, "S1", "2222", "2")
	if m.c.cart.Lines[0].Qty != 1 {
		t.Fatalf("approved one less: %+v", m.c.cart.Lines[0])
	}
	scan(t, m, water)
	press(t, m, "f2")
	typ(t, m, "1")
	press(t, m, "enter")
	if approving(m) == nil || !strings.Contains(viewText(m), "Taking 1 off Mineral water 550ml") {
		t.Fatalf("quantity typed lower: %q", m.c.msg)
	}
	press(t, m, "esc")
	if m.c.cart.Lines[0].Qty != 2 {
		t.Fatal("a reduction not approved was done")
	}
	press(t, m, "f12", "f10")
	cur[*receiptScreen](t, m)
	r, err := st.ByReceipt(1)
	if err != nil || r.Sale == nil || len(r.Sale.Approvals) != 2 {
		t.Fatalf("sale %+v %v", r.Sale, err)
	}
	for i, a := range r.Sale.Approvals {
		if a.Permission != staff.RemoveLine || a.Actor != "C1" {
			t.Fatalf("approval %d: %+v", i, a)
		}
	}
	if r.Sale.Approvals[0].Value != 6990 || r.Sale.Approvals[1].Value != 200 {
		t.Fatalf("values %d %d", r.Sale.Approvals[0].Value, r.Sale.Approvals[1].Value)
	}
}

// TestGoldenOverride draws a price override's approval prompt over the
// sell screen and the cart with the line repriced.
func TestGoldenOverride(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := "-" + itoa(size.w) + "x" + itoa(size.h)
		m, _, _ := staffModel(t, nil)
		send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		login(t, m, "C1", "1111")
		scan(t, m, water)
		scan(t, m, rice)
		press(t, m, "ctrl+r")
		typ(t, m, "49.90")
		press(t, m, "enter")
		golden(t, m, "override-approve"+suffix)
		approve(t, m, "M1", "9999", "1")
		golden(t, m, "override-sell"+suffix)
	}
}

// reprints lists the receipts whose copies are in the journal.
func reprints(t *testing.T, st *tilltest.Store) []string {
	t.Helper()
	var out []string
	if err := st.JournalEntries(1, func(e journal.Entry) error {
		if e.Type == "reprint" {
			out = append(out, e.Ref)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// A COPY of a stored sale (ctrl+s on its record) asks the register
// first, which journals it; a role that leaves reprints to a manager
// opens the approval prompt, and no copy is made until one approves.
func TestReprintIsJournalledAndGated(t *testing.T) {
	roles := staff.DefaultRoles(2)
	roles["cashier"].Rules[staff.Reprint] = staff.Rule{Decision: staff.Approve}
	m, st, _ := staffModel(t, roles)
	login(t, m, "S1", "2222")
	sellCash(t, m, water)
	press(t, m, "f8", "enter", "p")
	rec := cur[*recordScreen](t, m)
	press(t, m, "ctrl+s")
	if !rec.copied || !strings.Contains(rec.text, "COPY") {
		t.Fatalf("supervisor's copy not made: %q", m.c.msg)
	}
	if got := reprints(t, st); len(got) != 1 || got[0] != "000001" {
		t.Fatalf("journalled reprints %v", got)
	}
	press(t, m, "esc", "esc", "esc")
	press(t, m, "ctrl+l")
	login(t, m, "C1", "1111")
	press(t, m, "f8", "enter", "p")
	rec = cur[*recordScreen](t, m)
	press(t, m, "ctrl+s")
	if approving(m) == nil || rec.copied || !strings.Contains(viewText(m), "Needs approval: A copy of receipt 000001") {
		t.Fatalf("cashier's copy: copied %v, %q\n%s", rec.copied, m.c.msg, viewText(m))
	}
	if got := reprints(t, st); len(got) != 1 {
		t.Fatalf("a copy not approved was journalled: %v", got)
	}
	approve(t, m, "M1", "9999", "5")
	if !rec.copied || len(reprints(t, st)) != 2 {
		t.Fatalf("approved copy: copied %v, %v, %q", rec.copied, reprints(t, st), m.c.msg)
	}
}

// ctrl+p on a sale's receipt: the copy is printed only once the register
// allowed and journalled it; left to a manager, after the approval.
func TestReceiptCopyPrintsAfterTheRegister(t *testing.T) {
	roles := staff.DefaultRoles(2)
	roles["cashier"].Rules[staff.Reprint] = staff.Rule{Decision: staff.Approve}
	st := newStore(t)
	addStaff(t, st)
	hw := &fakeHW{st: st}
	c := &clock{t: testNow}
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now, reg.Roles = c.now, roles
	m := New(Deps{Lang: testLang, Store: st, Seller: reg, Staff: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc, Now: c.now,
		ReceiptDir: filepath.Join(t.TempDir(), "receipts"), Printer: hw, Display: hw})
	start(t, m)
	login(t, m, "C1", "1111")
	scan(t, m, water)
	press(t, m, "f12", "f10")
	cur[*receiptScreen](t, m)
	if len(hw.docs) != 1 {
		t.Fatalf("printed %d", len(hw.docs))
	}
	press(t, m, "ctrl+p")
	if approving(m) == nil || len(hw.docs) != 1 || len(reprints(t, st)) != 0 {
		t.Fatalf("copy before approval: %d printed, msg %q", len(hw.docs), m.c.msg)
	}
	approve(t, m, "M1", "9999", "5")
	if len(hw.docs) != 2 || !hw.docs[1].Copy || len(reprints(t, st)) != 1 || !strings.Contains(m.c.msg, "Copy of 000001 printed.") {
		t.Fatalf("approved copy: %d printed, %v, msg %q", len(hw.docs), reprints(t, st), m.c.msg)
	}
}
