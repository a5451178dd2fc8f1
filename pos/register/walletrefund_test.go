package register

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

// paidQRSale sells qty teas, qrAmount of it paid online through the
// simulator's phone page and the rest in cash.
func paidQRSale(t *testing.T, r *Register, c *clock, base string, qty int64, qrAmount pos.Money) pos.Sale {
	t.Helper()
	ctx := context.Background()
	p, err := r.StartQR(ctx, teaCart(qty), c.t, qrAmount, false)
	if err != nil {
		t.Fatal(err)
	}
	if code := phone(t, base, p.Payload, "pay"); code != http.StatusOK {
		t.Fatalf("phone %d", code)
	}
	if p, err = r.PollQR(ctx, p.ID); err != nil || p.State != pos.PaymentPaid {
		t.Fatalf("poll %s %v", p.State, err)
	}
	cash := pos.Money(0)
	if rest := 1250*pos.Money(qty) - qrAmount; rest > 0 {
		cash = rest
	}
	s, err := r.CompleteQR(p, cash)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRefundToWallet(t *testing.T) {
	c := &clock{time.Now()}
	provs, base, sim := simWith(t, c.now, c.now)
	ctx := context.Background()
	for name, prov := range provs {
		t.Run(name, func(t *testing.T) {
			r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
			r.QR.Online = prov
			s := paidQRSale(t, r, c, base, 2, 2500)
			orderNo := pos.OrderNo(s.ID)
			// One of two teas back: to the wallet, stock back.
			ref, parts, err := r.RefundToWallet(ctx, s.ID, map[int]int64{0: 1}, pos.KindRefund, "too sweet")
			if err != nil || len(parts) != 1 || parts[0].State != pos.WalletRefunded || parts[0].Amount != 1250 || parts[0].Reference == "" {
				t.Fatalf("refund: %+v %+v %v", ref, parts, err)
			}
			if len(ref.Tenders) != 1 || ref.Tenders[0].Kind != pos.QR || ref.Tenders[0].Reference != parts[0].RequestNo || ref.Tenders[0].Provider != name {
				t.Fatalf("refund tenders %+v", ref.Tenders)
			}
			if back, n := sim.Refunds(name, orderNo); back != 1250 || n != 1 {
				t.Fatalf("simulator refunded %d in %d", back, n)
			}
			if p, _ := boltOf(r).Product("A"); p.Stock != 9-2+1 {
				t.Fatalf("stock %d", p.Stock)
			}
			// Sending it again (a retry) refunds nothing more.
			if w, err := r.SendWalletRefund(ctx, parts[0].RequestNo); err != nil || w.State != pos.WalletRefunded {
				t.Fatalf("again: %+v %v", w, err)
			}
			rf := prov.(pay.Refunder)
			ro := pay.RefundOrder{OrderNo: orderNo, RequestNo: parts[0].RequestNo, Amount: 1250, Total: 2500}
			if st, err := rf.Refund(ctx, ro); err != nil || st.State != pos.WalletRefunded {
				t.Fatalf("provider retry: %+v %v", st, err)
			}
			if back, n := sim.Refunds(name, orderNo); back != 1250 || n != 1 {
				t.Fatalf("a retry refunded again: %d in %d", back, n)
			}
			if st, err := rf.QueryRefund(ctx, ro); err != nil || st.State != pos.WalletRefunded {
				t.Fatalf("query: %+v %v", st, err)
			}
			// The provider is down for the rest: it stays pending, and goes
			// when the provider is back.
			sim.SetDown(true)
			_, parts, err = r.RefundToWallet(ctx, s.ID, nil, pos.KindRefund, "")
			sim.SetDown(false)
			if err != nil || len(parts) != 1 || parts[0].State != pos.WalletPending || parts[0].Problem == "" {
				t.Fatalf("offline refund: %+v %v", parts, err)
			}
			if pending, _ := r.PendingWalletRefunds(); len(pending) != 1 {
				t.Fatalf("pending %+v", pending)
			}
			chk, err := r.CheckPayments(ctx)
			if err != nil || len(chk.Refunds) != 0 {
				t.Fatalf("check: %+v %v", chk, err)
			}
			if back, n := sim.Refunds(name, orderNo); back != 2500 || n != 2 {
				t.Fatalf("simulator refunded %d in %d", back, n)
			}
			if pending, _ := r.PendingWalletRefunds(); len(pending) != 0 {
				t.Fatalf("still pending %+v", pending)
			}
			if _, _, err := r.RefundToWallet(ctx, s.ID, nil, pos.KindRefund, ""); err == nil {
				t.Fatal("refunded more than was sold")
			}
		})
	}
}

// A split sale refunds each part to its own tender: the wallet part to
// the wallet, the cash part in cash.
func TestRefundSplitSale(t *testing.T) {
	c := &clock{time.Now()}
	provs, base, sim := simWith(t, c.now, c.now)
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR.Online = provs["wechat"]
	s := paidQRSale(t, r, c, base, 2, 1000) // 10.00 by WeChat, 15.00 cash
	ref, parts, err := r.RefundToWallet(context.Background(), s.ID, nil, pos.KindRefund, "")
	if err != nil || len(parts) != 1 || parts[0].Amount != 1000 || parts[0].State != pos.WalletRefunded {
		t.Fatalf("%+v %v", parts, err)
	}
	var cash pos.Money
	for _, td := range ref.Tenders {
		if td.Kind == pos.Cash {
			cash += td.Amount
		}
	}
	if cash != 1500 {
		t.Fatalf("cash back %d, tenders %+v", cash, ref.Tenders)
	}
	if back, _ := sim.Refunds("wechat", pos.OrderNo(s.ID)); back != 1000 {
		t.Fatalf("wallet got %d", back)
	}
	if got, _ := r.WalletRefundsOf(ref.ID); len(got) != 1 || got[0].RequestNo != parts[0].RequestNo {
		t.Fatalf("refund's wallet parts %+v", got)
	}
	// A cash-only sale has no wallet to refund to.
	cs, err := r.Complete(teaCart(1), c.t, []pos.Tender{{Kind: pos.Cash, Given: 1250}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.RefundToWallet(context.Background(), cs.ID, nil, pos.KindRefund, ""); err == nil {
		t.Fatal("a cash sale refunded to a wallet")
	}
}

// The store refuses wallet parts that would give a payment back more
// than it paid, whatever the builder says.
func TestWalletRefundsNeverExceedThePayment(t *testing.T) {
	c := &clock{time.Now()}
	provs, base, _ := simWith(t, c.now, c.now)
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR.Online = provs["alipay"]
	s := paidQRSale(t, r, c, base, 2, 2500)
	if _, _, err := r.RefundToWallet(context.Background(), s.ID, map[int]int64{0: 1}, pos.KindRefund, ""); err != nil {
		t.Fatal(err)
	}
	_, _, err := r.Store.RefundToWallets(s.ID, func(sale pos.Sale, already map[int]int64) (pos.Refund, []pos.WalletRefund, error) {
		ref, err := pos.NewRefund("01JGREEDY-T1", "ann", pos.KindRefund, c.t, sale, already, map[int]int64{0: 1}, 1, "")
		if err != nil {
			return ref, nil, err
		}
		parts := ref.ToWallets(sale, already, 1, c.t)
		parts[0].Amount += 50
		return ref, parts, nil
	})
	if !errors.Is(err, pos.ErrOverRefund) {
		t.Fatalf("err = %v, want ErrOverRefund", err)
	}
	if p, _ := boltOf(r).Product("A"); p.Stock != 9-2+1 {
		t.Fatalf("a refused refund moved stock: %d", p.Stock)
	}
}
