package tui

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
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
	m := New(Deps{Store: st, Seller: reg, Staff: reg, QR: reg, QRDemo: true, QROffline: true, Shop: "Corner Shop",
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
