package bolt_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
)

const terminal = "T01"

var testID = pos.Identity{Terminal: terminal, Shop: "Corner Shop", Currency: "CNY", Exponent: 2,
	Created: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}

// t0 is when the fake clock starts: a Monday morning.
var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func cny(t testing.TB) pos.Currency {
	t.Helper()
	c, err := pos.LookupCurrency("CNY")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openNew creates a store in a fresh file of the test's temp dir.
func openNew(t testing.TB) *bolt.Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "till.db"))
}

func openAt(t testing.TB, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{Identity: testID})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// reopen closes s and opens its file again.
func reopen(t testing.TB, s *bolt.Store) *bolt.Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return openAt(t, s.Path())
}

// catalog is the test shop: two tracked goods with stock, one sold by
// weight (not tracked), one with a tax-free rate.
func catalog() []pos.Product {
	return []pos.Product{
		{SKU: "TEA", Barcodes: []string{"6901234567892"}, Name: "Green tea", Price: 350, TaxRate: 1300, TrackStock: true, Stock: 100},
		{SKU: "RICE", Barcodes: []string{"RICE-5KG"}, Name: "Rice 5kg", Price: 4990, TaxRate: 900, TrackStock: true, Stock: 40},
		{SKU: "APPLE", Name: "Apples per kg", Price: 1200, TaxRate: 900, Stock: 7}, // not tracked: Stock never moves
		{SKU: "STAMP", Name: "Stamp", Price: 120},
	}
}

func seed(t testing.TB, s *bolt.Store) {
	t.Helper()
	if _, err := s.PutProducts(catalog()); err != nil {
		t.Fatal(err)
	}
}

// clock is a fake time source that moves only when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newRegister sells through s on a fake clock starting at t0.
func newRegister(t testing.TB, s *bolt.Store) (*register.Register, *clock) {
	t.Helper()
	clk := &clock{t: t0}
	r := register.New(s, cny(t), true, "ann")
	r.Now = clk.Now
	return r, clk
}

// cart builds a cart of SKU/qty pairs from the test catalog.
func cart(t testing.TB, items ...any) pos.Cart {
	t.Helper()
	bySKU := map[string]pos.Product{}
	for _, p := range catalog() {
		bySKU[p.SKU] = p
	}
	var c pos.Cart
	for i := 0; i+1 < len(items); i += 2 {
		p, ok := bySKU[items[i].(string)]
		if !ok {
			t.Fatalf("no SKU %v in the test catalog", items[i])
		}
		if _, err := c.Add(p, int64(items[i+1].(int))); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// cash is a cash tender large enough for any test cart.
func cash() []pos.Tender { return []pos.Tender{{Kind: pos.Cash, Given: 1_000_000}} }

// sell completes a cart at the clock's time and fails the test on error.
func sell(t testing.TB, r *register.Register, c pos.Cart) pos.Sale {
	t.Helper()
	s, err := r.Complete(c, time.Time{}, cash())
	if err != nil {
		t.Fatalf("complete sale: %v", err)
	}
	return s
}

func stock(t testing.TB, s *bolt.Store, sku string) int64 {
	t.Helper()
	p, err := s.Product(sku)
	if err != nil {
		t.Fatal(err)
	}
	return p.Stock
}

// allSales returns every stored sale, in ID (time) order.
func allSales(t testing.TB, s *bolt.Store) []pos.Sale {
	t.Helper()
	sales, err := s.SalesBetween(time.UnixMilli(0), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return sales
}

func pending(t testing.TB, s *bolt.Store) []pos.OutboxEntry {
	t.Helper()
	es, err := s.Pending(0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return es
}
