package register

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/pay/wechat"
)

// simProviders starts the payment simulator on loopback and returns
// clients for both of its providers, configured from the files it wrote.
func simProviders(t *testing.T, now func() time.Time) (map[string]pay.Provider, string) {
	t.Helper()
	provs, base, _ := simWith(t, now, now)
	return provs, base
}

// simWith is simProviders with the simulator on its own clock (the
// provider's), and the simulator itself for tests that play the customer.
func simWith(t *testing.T, simNow, tillNow func() time.Time) (map[string]pay.Provider, string, *paysim.Sim) {
	t.Helper()
	sim, err := paysim.New(paysim.Config{Now: simNow, Merchant: "Test Shop"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	cc, err := sim.WriteClientConfig(t.TempDir(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cc.Alipay.Now, cc.WeChat.Now = tillNow, tillNow
	a, err := alipay.New(cc.Alipay)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wechat.New(cc.WeChat)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]pay.Provider{"alipay": a, "wechat": w}, srv.URL, sim
}

var formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)

// phone opens the QR link as the customer's phone would and presses a
// button on the page.
func phone(t *testing.T, base, link, button string) int {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := formAction.FindSubmatch(page)
	if m == nil { // a final order shows no buttons: post anyway
		m = [][]byte{nil, []byte(strings.TrimPrefix(link, base))}
	}
	resp, err = http.PostForm(base+string(m[1]), url.Values{"action": {button}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestOnlinePaymentThroughTheSimulator(t *testing.T) {
	c := &clock{time.Now()}
	provs, base := simProviders(t, c.now)
	for name, prov := range provs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			r := qrRegister(t, path, c)
			r.QR.Online = prov
			ctx := context.Background()
			p, err := r.StartQR(ctx, teaCart(2), c.t, 2500, false)
			if err != nil {
				t.Fatal(err)
			}
			if p.Provider != name || !strings.HasPrefix(p.Payload, base+"/pay/"+name+"/") || p.OrderNo != pos.OrderNo(p.SaleID) {
				t.Fatalf("payment %+v", p)
			}
			if p, err = r.PollQR(ctx, p.ID); err != nil || p.State != pos.PaymentCreated {
				t.Fatalf("before paying: %s %v", p.State, err)
			}
			// The till crashes; a new register carries on with the same order.
			boltOf(r).Close()
			r = qrRegister(t, path, c)
			r.QR.Online = prov
			if code := phone(t, base, p.Payload, "pay"); code != http.StatusOK {
				t.Fatalf("phone got %d", code)
			}
			paid, err := r.PollQR(ctx, p.ID)
			if err != nil || paid.State != pos.PaymentPaid || paid.ConfirmedBy != pos.ByProvider || paid.Reference == "" {
				t.Fatalf("after paying: %+v %v", paid, err)
			}
			sale, err := r.CompleteQR(paid, 0)
			if err != nil || sale.Tenders[0].Reference != paid.Reference || sale.Tenders[0].Provider != name {
				t.Fatalf("sale %+v %v", sale, err)
			}
		})
	}
}

func TestOnlineDeclineCancelAndExpiry(t *testing.T) {
	c := &clock{time.Now()}
	provs, base := simProviders(t, c.now)
	ctx := context.Background()
	for name, prov := range provs {
		t.Run(name, func(t *testing.T) {
			r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
			r.QR.Online = prov
			// Declined on the phone: failed, and the sale stays open.
			p, _ := r.StartQR(ctx, teaCart(1), c.t, 1250, false)
			phone(t, base, p.Payload, "decline")
			// (WeChat says PAYERROR; Alipay closes the trade.)
			if got, err := r.PollQR(ctx, p.ID); err != nil || got.State != pos.PaymentFailed {
				t.Fatalf("declined: %s %v", got.State, err)
			}
			// Aborted by the cashier: closed at the provider, a late Pay refused.
			p, _ = r.StartQR(ctx, teaCart(1), c.t, 1250, false)
			if got, err := r.EndQR(ctx, p.ID, pos.PaymentCancelled, "customer left"); err != nil || got.State != pos.PaymentCancelled {
				t.Fatalf("cancel: %s %v", got.State, err)
			}
			if code := phone(t, base, p.Payload, "pay"); code == http.StatusOK {
				t.Fatal("a cancelled order took money")
			}
			// Paid just before the cashier cancels: the payment stands.
			p, _ = r.StartQR(ctx, teaCart(1), c.t, 1250, false)
			phone(t, base, p.Payload, "pay")
			got, err := r.EndQR(ctx, p.ID, pos.PaymentCancelled, "")
			if err != nil || got.State != pos.PaymentPaid {
				t.Fatalf("paid then cancelled: %s %v", got.State, err)
			}
			if n, _ := boltOf(r).LastReceipt(); n != 0 {
				t.Fatalf("receipts %d", n)
			}
		})
	}
}

func TestUnreachableProviderFallsBackAtOnce(t *testing.T) {
	c := &clock{time.Now()}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	sim, err := paysim.New(paysim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := sim.WriteClientConfig(t.TempDir(), "http://"+ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	cc.Alipay.Timeout = 500 * time.Millisecond
	prov, err := alipay.New(cc.Alipay)
	if err != nil {
		t.Fatal(err)
	}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR.Online = prov
	start := time.Now()
	_, err = r.StartQR(context.Background(), teaCart(1), c.t, 1250, false)
	if !errors.Is(err, pay.ErrUnreachable) || time.Since(start) > 3*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if open, _ := boltOf(r).OpenPayments(); len(open) != 0 {
		t.Fatalf("an order nobody saw is still open: %+v", open)
	}
	p, err := r.StartQR(context.Background(), teaCart(1), c.t, 1250, true)
	if err != nil || p.Provider != "emvqr" {
		t.Fatalf("offline fallback: %+v %v", p, err)
	}
}
