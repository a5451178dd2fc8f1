package register

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/emvqr"
)

var testMerchant = emvqr.Merchant{AccountID: "26", GUID: "cn.till.demo", AccountFields: []emvqr.Field{{ID: "01", Value: "DEMO0001"}},
	Name: "Till Demo Shop", City: "Shanghai", Country: "CN", MCC: "5411", Currency: "156"}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func qrRegister(t *testing.T, path string, c *clock) *Register {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{NoSync: true, Identity: pos.Identity{Terminal: "T1", Shop: "S", Currency: "CNY", Exponent: 2}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.PutProducts([]pos.Product{{SKU: "A", Name: "Tea", Price: 1250, TaxRate: 1300, TrackStock: true, Stock: 9}}); err != nil {
		t.Fatal(err)
	}
	r := New(s, pos.Currency{Code: "CNY", Numeric: "156", Exponent: 2}, true, "ann")
	r.Now = c.now
	r.QR = &QR{Merchant: testMerchant, Expiry: 5 * time.Minute}
	return r
}

func teaCart(qty int64) pos.Cart {
	return pos.Cart{Lines: []pos.Line{{SKU: "A", Name: "Tea", Qty: qty, UnitPrice: 1250, TaxRate: 1300}}}
}

func TestQRPaymentOfflineEndToEnd(t *testing.T) {
	c := &clock{time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "t.db")
	r := qrRegister(t, path, c)
	p, err := r.StartQR(context.Background(), teaCart(2), c.t, 2500, false)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := emvqr.Decode(p.Payload)
	if err != nil {
		t.Fatalf("payload %q: %v", p.Payload, err)
	}
	if decoded.Amount != "25.00" || decoded.Currency != "156" || decoded.PointOfInitiation != "12" ||
		decoded.AdditionalData == nil || decoded.AdditionalData.BillNumber != p.SaleID[1:26] || decoded.AdditionalData.TerminalLabel != "T1" {
		t.Fatalf("payload fields: %+v", decoded)
	}
	if _, err := r.MoveQR(p.ID, pos.PaymentShown, ""); err != nil {
		t.Fatal(err)
	}
	// The terminal is killed while the customer pays; on restart the
	// payment is still there with its cart.
	boltOf(r).Close()
	r = qrRegister(t, path, c)
	open, err := boltOf(r).OpenPayments()
	if err != nil || len(open) != 1 || open[0].ID != p.ID || open[0].State != pos.PaymentShown {
		t.Fatalf("open after restart: %+v %v", open, err)
	}
	c.t = c.t.Add(time.Minute)
	paid, err := r.MoveQR(p.ID, pos.PaymentPaid, "")
	if err != nil {
		t.Fatal(err)
	}
	sale, err := r.CompleteQR(paid, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sale.ID != p.SaleID || sale.Receipt != 1 || len(sale.Tenders) != 1 || sale.Tenders[0].ConfirmedBy != pos.ByCashier ||
		!sale.Tenders[0].ConfirmedAt.Equal(c.t) || sale.Tenders[0].PaymentID != p.ID {
		t.Fatalf("sale: %+v", sale)
	}
	if _, err := r.CompleteQR(paid, 0); err == nil {
		t.Fatal("the same payment completed a second sale")
	}
	if prod, _ := boltOf(r).Product("A"); prod.Stock != 7 {
		t.Fatalf("stock %d", prod.Stock)
	}
}

func TestQRSplitTenderAndLimits(t *testing.T) {
	c := &clock{time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	if _, err := r.StartQR(context.Background(), teaCart(1), c.t, 1251, false); err == nil {
		t.Fatal("QR for more than the total")
	}
	if _, err := r.StartQR(context.Background(), teaCart(1), c.t, 0, false); err == nil {
		t.Fatal("QR for nothing")
	}
	p, err := r.StartQR(context.Background(), teaCart(2), c.t, 2000, false) // 20.00 by QR, 5.00 in cash
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.CompleteQR(p, 500); err == nil {
		t.Fatal("completed before the payment was confirmed")
	}
	p, _ = r.MoveQR(p.ID, pos.PaymentPaid, "")
	if _, err := r.CompleteQR(p, 100); err == nil || !strings.Contains(err.Error(), "not enough paid") {
		t.Fatalf("cash short: %v", err)
	}
	sale, err := r.CompleteQR(p, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(sale.Tenders) != 2 || sale.Tenders[1].Amount != 500 || sale.Change != 500 {
		t.Fatalf("split: %+v", sale.Tenders)
	}
}

func TestQRExpiryAndCancel(t *testing.T) {
	c := &clock{time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	p, _ := r.StartQR(context.Background(), teaCart(1), c.t, 1250, false)
	r.MoveQR(p.ID, pos.PaymentShown, "")
	c.t = c.t.Add(4 * time.Minute)
	if _, err := r.MoveQR(p.ID, pos.PaymentExpired, ""); err == nil {
		t.Fatal("expired early")
	}
	c.t = c.t.Add(time.Minute)
	if _, err := r.MoveQR(p.ID, pos.PaymentExpired, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.MoveQR(p.ID, pos.PaymentPaid, ""); err == nil {
		t.Fatal("an expired payment was paid")
	}
	q, _ := r.StartQR(context.Background(), teaCart(1), c.t, 1250, false)
	if _, err := r.MoveQR(q.ID, pos.PaymentCancelled, "customer paid cash"); err != nil {
		t.Fatal(err)
	}
	if open, _ := boltOf(r).OpenPayments(); len(open) != 0 {
		t.Fatalf("still open: %+v", open)
	}
	if n, _ := boltOf(r).LastReceipt(); n != 0 {
		t.Fatalf("a cancelled payment made a sale: receipt %d", n)
	}
}

func TestNoQRConfigured(t *testing.T) {
	c := &clock{time.Now()}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR = nil
	if _, err := r.StartQR(context.Background(), teaCart(1), c.t, 1250, false); err != ErrNoQR {
		t.Fatalf("err %v", err)
	}
}
