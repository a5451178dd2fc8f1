package register

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

// TestPaidPartRefundedWithoutASale: the customer paid part of a cart by
// QR and cannot pay the rest. The paid part goes back to the wallet (at
// the provider, once), the payment can then pay no sale, and a restart
// does not offer it again; the cart can be paid another way.
func TestPaidPartRefundedWithoutASale(t *testing.T) {
	c := &clock{time.Now()}
	provs, base, sim := simWith(t, c.now, c.now)
	ctx := context.Background()
	for name, prov := range provs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			r := qrRegister(t, path, c)
			r.QR.Online = prov
			p := shownQR(t, r, c)
			if code := phone(t, base, p.Payload, "pay"); code != 200 {
				t.Fatalf("phone: %d", code)
			}
			c.t = c.t.Add(2 * time.Second)
			if p, err := r.PollQR(ctx, p.ID); err != nil || p.State != pos.PaymentPaid {
				t.Fatalf("poll: %s %v", p.State, err)
			}
			w, err := r.RefundLate(ctx, p.ID, "")
			if err != nil || w.State != pos.WalletRefunded || w.Amount != 1250 || w.Reason != "paid part of a sale that was not made" {
				t.Fatalf("refund the paid part: %+v %v", w, err)
			}
			if back, n := sim.Refunds(name, p.OrderNo); back != 1250 || n != 1 {
				t.Fatalf("simulator refunded %d in %d refunds", back, n)
			}
			// Never twice, and the payment pays no sale.
			if _, err := r.RefundLate(ctx, p.ID, ""); err == nil {
				t.Fatal("the paid part was refunded twice")
			}
			got, _ := r.Store.Payment(p.ID)
			if _, err := r.CompleteQR(got, 0); err == nil {
				t.Fatal("a refunded payment paid a sale")
			}
			if back, n := sim.Refunds(name, p.OrderNo); back != 1250 || n != 1 {
				t.Fatalf("after the retries the simulator refunded %d in %d refunds", back, n)
			}
			// A restart does not resume it.
			boltOf(r).Close()
			r = qrRegister(t, path, c)
			if open, _ := r.Store.OpenPayments(); len(open) != 0 {
				t.Fatalf("open after restart: %+v", open)
			}
			// The cart is paid in cash instead.
			if _, err := r.Complete(teaCart(1), c.t, []pos.Tender{{Kind: pos.Cash, Given: 2000}}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// An offline payment a cashier confirmed has no provider to refund it:
// it is refused, and nothing changes.
func TestOfflinePaidPartIsNotRefundable(t *testing.T) {
	c := &clock{time.Now()}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	p, err := r.StartQR(context.Background(), teaCart(1), c.t, 1250, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = r.MoveQR(p.ID, pos.PaymentShown, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = r.MoveQR(p.ID, pos.PaymentPaid, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RefundLate(context.Background(), p.ID, ""); err == nil {
		t.Fatal("an offline payment was sent to a wallet")
	}
	if open, _ := r.Store.OpenPayments(); len(open) != 1 {
		t.Fatalf("open %d, want the paid payment still waiting for its sale", len(open))
	}
}
