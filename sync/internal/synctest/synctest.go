// Package synctest has what the sync tests share: terminals that sell
// through the real register into real bbolt files, head-office servers on
// loopback, and the checks that head office holds exactly what the
// terminals committed.
package synctest

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
)

// Catalog is the test shop's goods.
func Catalog() []pos.Product {
	return []pos.Product{
		{SKU: "TEA", Barcodes: []string{"6901234567892"}, Name: "Green tea 绿茶", Price: 350, TaxRate: 1300, TrackStock: true, Stock: 1_000_000},
		{SKU: "RICE", Barcodes: []string{"RICE-5KG"}, Name: "Rice 5kg", Price: 4990, TaxRate: 900, TrackStock: true, Stock: 1_000_000},
		{SKU: "APPLE", Name: "Apples per kg", Price: 1199, TaxRate: 900},
		{SKU: "STAMP", Name: "Stamp", Price: 120},
		{SKU: "SOAP", Name: "Soap", Price: 733, TaxRate: 1300},
	}
}

// CNY is the test shop's currency, with no cash rounding.
var CNY = pos.Currency{Code: "CNY", Numeric: "156", Exponent: 2}

// Terminal is a till: its bbolt file and the register that sells into it.
type Terminal struct {
	ID    string
	Store *bolt.Store
	Reg   *register.Register
}

// OpenTerminal opens (creating if needed) a terminal file at path and
// stocks it with the test catalog if it is empty. It is closed when the
// test ends unless closed before.
func OpenTerminal(t testing.TB, path, id, shop string, noSync bool) *Terminal {
	t.Helper()
	st, err := bolt.Open(path, bolt.Options{NoSync: noSync, LockTimeout: 5 * time.Second,
		Identity: pos.Identity{Terminal: id, Shop: shop, Currency: CNY.Code, Exponent: CNY.Exponent, Created: time.Now()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if empty, err := st.CatalogEmpty(); err != nil {
		t.Fatal(err)
	} else if empty {
		if _, err := st.PutProducts(Catalog()); err != nil {
			t.Fatal(err)
		}
	}
	return &Terminal{ID: id, Store: st, Reg: register.New(st, CNY, true, "ann")}
}

// NewTerminal opens a fresh terminal in the test's temporary directory.
func NewTerminal(t testing.TB, id, shop string) *Terminal {
	t.Helper()
	return OpenTerminal(t, filepath.Join(t.TempDir(), id+".db"), id, shop, true)
}

// RandomCart picks one to four lines of the catalog, now and then with a
// cart discount.
func RandomCart(rng *rand.Rand) pos.Cart {
	cat := Catalog()
	var c pos.Cart
	for range 1 + rng.IntN(4) {
		if _, err := c.Add(cat[rng.IntN(len(cat))], int64(1+rng.IntN(3))); err != nil {
			panic(err)
		}
	}
	if rng.IntN(4) == 0 {
		c.Discount = pos.Discount{Kind: pos.PercentDiscount, Percent: pos.Rate(500 * (1 + rng.IntN(3)))}
	}
	return c
}

// Sell completes a random cash sale.
func (tm *Terminal) Sell(rng *rand.Rand) (pos.Sale, error) {
	return tm.Reg.Complete(RandomCart(rng), time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 10_000_000}})
}

// MustSell sells n random sales and fails the test on error.
func (tm *Terminal) MustSell(t testing.TB, rng *rand.Rand, n int) []pos.Sale {
	t.Helper()
	out := make([]pos.Sale, n)
	for i := range out {
		s, err := tm.Sell(rng)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = s
	}
	return out
}

// Enrol enrols a terminal and returns its credential.
func Enrol(t testing.TB, b storage.Backend, store, terminal string) string {
	t.Helper()
	tok, err := hq.Enrol(context.Background(), b, nil, store, terminal, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// StartHQ serves head office on a loopback port for the test.
func StartHQ(t testing.TB, b storage.Backend) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(hq.NewServer(b, hq.Options{}))
	t.Cleanup(srv.Close)
	return srv
}

var (
	epoch = time.Unix(0, 0)
	never = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// HQRecords returns what head office holds of a kind for a terminal, by
// ID, and fails if any ID is there twice.
func HQRecords(t testing.TB, b storage.Backend, kind, terminal string) map[string]storage.Record {
	t.Helper()
	out := map[string]storage.Record{}
	err := b.Records(context.Background(), epoch, never, func(r storage.Record) error {
		if r.Kind != kind || r.Terminal != terminal {
			return nil
		}
		if _, dup := out[r.ID]; dup {
			t.Errorf("head office holds %s %s twice", kind, r.ID)
		}
		out[r.ID] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// CheckExactlyOnce fails the test unless head office holds exactly the
// sales and refunds the terminal committed, none lost and none doubled,
// compared by ID and by summed amounts. It returns the number of sales.
func CheckExactlyOnce(t testing.TB, b storage.Backend, st *bolt.Store) int {
	t.Helper()
	term := st.Identity().Terminal
	sales, err := st.SalesBetween(epoch, never)
	if err != nil {
		t.Fatal(err)
	}
	refunds, err := st.RefundsBetween(epoch, never)
	if err != nil {
		t.Fatal(err)
	}
	hs, hr := HQRecords(t, b, pos.RecordSale, term), HQRecords(t, b, pos.RecordRefund, term)
	var want, got, wantTax, gotTax pos.Money
	var missing []string
	for _, s := range sales {
		want += s.Due
		wantTax += s.Tax
		if _, ok := hs[s.ID]; !ok {
			missing = append(missing, s.ID)
		}
	}
	for _, r := range hs {
		got += r.Total
		gotTax += r.Tax
	}
	if len(missing) > 0 || len(hs) != len(sales) {
		t.Errorf("terminal %s: %d sales committed, head office holds %d; missing %v", term, len(sales), len(hs), missing)
	}
	if want != got || wantTax != gotTax {
		t.Errorf("terminal %s: sales total %d tax %d, head office sums %d tax %d", term, want, wantTax, got, gotTax)
	}
	var wantR, gotR pos.Money
	for _, r := range refunds {
		wantR += r.Total + r.Rounding
		if _, ok := hr[r.ID]; !ok {
			t.Errorf("terminal %s: refund %s missing at head office", term, r.ID)
		}
	}
	for _, r := range hr {
		gotR += r.Total
	}
	if len(hr) != len(refunds) || wantR != gotR {
		t.Errorf("terminal %s: %d refunds of %d, head office holds %d of %d", term, len(refunds), wantR, len(hr), gotR)
	}
	st2, err := st.SyncStatus()
	if err != nil {
		t.Fatal(err)
	}
	if st2.Unsynced != 0 || st2.SetAside != 0 {
		t.Errorf("terminal %s: %d unsynced and %d set aside after the final sync", term, st2.Unsynced, st2.SetAside)
	}
	return len(sales)
}

// Seed returns a random seed, logged so that a failure can be replayed
// with TILL_TEST_SEED.
func Seed(t testing.TB) uint64 {
	t.Helper()
	seed, _ := strconv.ParseUint(os.Getenv("TILL_TEST_SEED"), 10, 64)
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d (set TILL_TEST_SEED to replay)", seed)
	return seed
}
