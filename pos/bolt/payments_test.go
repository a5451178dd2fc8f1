package bolt

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

func payStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "pay.db"), Options{Identity: pos.Identity{Terminal: "T1", Shop: "S", Currency: "CNY", Exponent: 2}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.PutProducts([]pos.Product{{SKU: "A", Name: "Tea", Price: 1000, TaxRate: 1300, TrackStock: true, Stock: 10}}); err != nil {
		t.Fatal(err)
	}
	return s
}

func paySale(t *testing.T, s *Store, saleID string, tenders []pos.Tender) (pos.Sale, error) {
	t.Helper()
	cart := pos.Cart{Lines: []pos.Line{{SKU: "A", Name: "Tea", Qty: 2, UnitPrice: 1000, TaxRate: 1300}}}
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	sale, err := pos.NewSale(saleID, "T1", "c", pos.Currency{Code: "CNY", Exponent: 2}, at, at, cart, true, tenders)
	if err != nil {
		t.Fatal(err)
	}
	return sale, s.CompleteSale(&sale)
}

func TestPaymentSurvivesRestartAndAppliesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pay.db")
	s, err := Open(path, Options{Identity: pos.Identity{Terminal: "T1", Shop: "S", Currency: "CNY", Exponent: 2}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	p := pos.Payment{ID: "P1", SaleID: "S1-T1", Provider: "emvqr", OrderNo: "S1T1", Amount: 1500, State: pos.PaymentCreated,
		Cart: pos.Cart{Lines: []pos.Line{{SKU: "A", Name: "Tea", Qty: 2, UnitPrice: 1000}}}, Created: at, ExpiresAt: at.Add(5 * time.Minute)}
	if err := s.CreatePayment(p); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePayment(p); err == nil {
		t.Fatal("the same payment stored twice")
	}
	p2 := p
	p2.ID = "P2"
	if err := s.CreatePayment(p2); err == nil || !strings.Contains(err.Error(), "already has payment") {
		t.Fatalf("second waiting payment for one sale: %v", err)
	}
	if _, err := s.UpdatePayment("P1", func(p *pos.Payment) error { return p.To(pos.PaymentShown, at) }); err != nil {
		t.Fatal(err)
	}
	s.Close() // the terminal dies while the customer scans

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	open, err := s.OpenPayments()
	if err != nil || len(open) != 1 || open[0].State != pos.PaymentShown || len(open[0].Cart.Lines) != 1 {
		t.Fatalf("after restart: %+v, %v", open, err)
	}
	if _, err := s.UpdatePayment("P1", func(p *pos.Payment) error { return p.To(pos.PaymentCreated, at) }); err == nil {
		t.Fatal("a shown payment went back to created")
	}
	paid, err := s.UpdatePayment("P1", func(p *pos.Payment) error {
		p.ConfirmedBy = pos.ByCashier
		return p.To(pos.PaymentPaid, at.Add(time.Minute))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutProducts([]pos.Product{{SKU: "A", Name: "Tea", Price: 1000, TaxRate: 1300}}); err != nil {
		t.Fatal(err)
	}
	// Split tender: 15.00 by QR, the rest in cash.
	tenders := []pos.Tender{paid.Tender(), {Kind: pos.Cash, Given: 1000}}
	sale, err := paySale(t, s, "S1-T1", tenders)
	if err != nil {
		t.Fatal(err)
	}
	if sale.Change != 500 || sale.Tenders[0].ConfirmedBy != pos.ByCashier {
		t.Fatalf("split sale: %+v", sale)
	}
	if open, _ := s.OpenPayments(); len(open) != 0 {
		t.Fatalf("applied payment still open: %+v", open)
	}
	// The payment can never pay for a second sale.
	if _, err := paySale(t, s, "S2-T1", tenders); err == nil || !strings.Contains(err.Error(), "already applied") {
		t.Fatalf("payment applied twice: %v", err)
	}
	if _, err := s.UpdatePayment("P1", func(p *pos.Payment) error { return nil }); err == nil {
		t.Fatal("an applied payment was changed")
	}
	if n, _ := s.LastReceipt(); n != 1 {
		t.Fatalf("receipts: %d, want 1", n)
	}
}

func TestSaleRefusesUnpaidOrForeignPayment(t *testing.T) {
	s := payStore(t)
	at := time.Now()
	for _, p := range []pos.Payment{
		{ID: "W", SaleID: "S1-T1", Amount: 2000, State: pos.PaymentCreated, Created: at},
		{ID: "X", SaleID: "OTHER-T1", Amount: 2000, State: pos.PaymentCreated, Created: at},
	} {
		if err := s.CreatePayment(p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.UpdatePayment("X", func(p *pos.Payment) error { return p.To(pos.PaymentPaid, at) }); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"W": "not paid", "X": "belongs to sale OTHER-T1", "nope": "not found"} {
		_, err := paySale(t, s, "S1-T1", []pos.Tender{{Kind: pos.QR, Amount: 2000, PaymentID: id, Provider: "emvqr"}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("payment %s: %v, want %q", id, err, want)
		}
	}
	if n, _ := s.LastReceipt(); n != 0 {
		t.Fatalf("a refused sale took receipt %d", n)
	}
	p, _ := s.Product("A")
	if p.Stock != 10 {
		t.Fatalf("a refused sale moved stock to %d", p.Stock)
	}
}

func TestCancelledPaymentLeavesOpenList(t *testing.T) {
	s := payStore(t)
	at := time.Now()
	if err := s.CreatePayment(pos.Payment{ID: "C", SaleID: "S9-T1", Amount: 100, State: pos.PaymentCreated, Created: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdatePayment("C", func(p *pos.Payment) error { p.Reason = "customer left"; return p.To(pos.PaymentCancelled, at) }); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.OpenPayments(); len(open) != 0 {
		t.Fatalf("cancelled payment still open: %+v", open)
	}
	// A new payment for the same sale may start after a cancel.
	if err := s.CreatePayment(pos.Payment{ID: "C2", SaleID: "S9-T1", Amount: 100, State: pos.PaymentCreated, Created: at}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Payment("C")
	if got.State != pos.PaymentCancelled || got.Reason != "customer left" {
		t.Fatalf("stored: %+v", got)
	}
}
