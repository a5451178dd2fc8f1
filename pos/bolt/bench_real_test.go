package bolt_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
)

// Realistic store sizes for BenchmarkSaleRealStore.
// realLayout names the page layout the fixture was built with, so a
// change to it builds a new one: "v2" fills the append-only buckets'
// pages; "v3" commits every 100 sales (a till commits every sale), so
// the file has the few free pages a till's has, not the thousands a
// 10,000-sale transaction leaves (bbolt writes its whole free list
// with every commit: 20,000 free pages make a bare update 1.6x slower).
const realLayout = "v3"

const (
	realGoods = 100_000
	realHist  = 1_000_000
)

// BenchmarkSaleRealStore is BenchmarkSale's interleaved run on a store
// the size of a busy shop's: 100,000 goods and 1,000,000 past sales,
// each sale five lines of different goods drawn at random, so stock
// updates land on product pages all over the file. It reports the sale
// and bare-update medians and p99s, their ratio, and the pages each
// commit writes (bbolt's TxStats). The fixture is built once (several
// minutes) and cached in the temp directory; each run sells on a copy.
// -short skips it.
func BenchmarkSaleRealStore(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: the 1,000,000-sale fixture takes minutes to build")
	}
	src := realFixture(b)
	dir := b.TempDir()
	work := filepath.Join(dir, "till.db")
	if err := copyFile(src, work); err != nil {
		b.Fatal(err)
	}
	s, err := bolt.Open(work, bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	r := register.New(s, cny(b), true, "bench")
	put := newBareBench(b, dir)
	// The counter sells from the catalog it loaded at start-up, not from
	// the store: so does the benchmark.
	all, err := s.Products()
	if err != nil {
		b.Fatal(err)
	}
	goods := make(map[string]pos.Product, len(all))
	for _, p := range all {
		goods[p.SKU] = p
	}
	// tracked: five goods whose stock is counted (the fixture's usual
	// goods); untracked: five whose stock is not (every tenth), so the
	// difference is what the stock updates cost.
	for _, kind := range []struct {
		name string
		sku  func(*rand.Rand) int
	}{
		{"tracked", func(rng *rand.Rand) int { return 1 + rng.IntN(realGoods-1) | 1 }},
		{"untracked", func(rng *rand.Rand) int { return 10 * rng.IntN(realGoods/10) }},
	} {
		// idle: the store folds the staged sale between customers, as a
		// counter's idle timer does, timed on its own (fold-); busy: sales
		// back to back with no pause, so staged sales pile up until one
		// sale finds bStaged full and folds them first.
		for _, idle := range []bool{true, false} {
			name := kind.name + "/idle"
			if !idle {
				name = kind.name + "/busy"
			}
			b.Run(name, func(b *testing.B) {
				benchRealSales(b, s, r, goods, kind.sku, idle, put)
			})
		}
	}
}

func benchRealSales(b *testing.B, s *bolt.Store, r *register.Register, goods map[string]pos.Product, sku func(*rand.Rand) int, idle bool, put func() time.Duration) {
	rng := rand.New(rand.NewPCG(1, 2))
	if err := bolt.Fold(s); err != nil {
		b.Fatal(err)
	}
	var folds []time.Duration
	var foldPages int64
	sale := func() (time.Duration, int64) {
		var c pos.Cart
		for range 5 {
			if _, err := c.Add(goods[fmt.Sprintf("G%06d", sku(rng))], 1); err != nil {
				b.Fatal(err)
			}
		}
		before := bolt.TxStats(s)
		start := time.Now()
		if _, err := r.Complete(c, time.Time{}, cash()); err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		after := bolt.TxStats(s)
		if idle {
			start := time.Now()
			if err := bolt.Fold(s); err != nil {
				b.Fatal(err)
			}
			folds = append(folds, time.Since(start))
			done := bolt.TxStats(s)
			foldPages += done.GetWrite() - after.GetWrite()
		}
		return d, after.GetWrite() - before.GetWrite()
	}
	for range 50 { // warm the page cache the way a till that has been selling has
		sale()
		put()
	}
	folds, foldPages = folds[:0], 0
	ts := make([]time.Duration, 0, b.N)
	tb := make([]time.Duration, 0, b.N)
	var pages int64
	b.ResetTimer()
	for range b.N {
		d, n := sale()
		ts = append(ts, d)
		pages += n
		tb = append(tb, put())
	}
	b.StopTimer()
	ps := append([]time.Duration(nil), ts...)
	pb := append([]time.Duration(nil), tb...)
	ms := reportQuantiles(b, ts, "sale-")
	mb := reportQuantiles(b, tb, "bare-")
	b.ReportMetric(float64(ms)/float64(mb), "sale/bare")
	b.ReportMetric(float64(p99(ps))/float64(p99(pb)), "p99-sale/bare")
	b.ReportMetric(float64(slices.Max(ps).Microseconds()), "sale-max-µs")
	b.ReportMetric(float64(pages)/float64(b.N), "pages/sale")
	b.ReportMetric(float64(bolt.FreePages(s)), "free-pages")
	if idle {
		reportQuantiles(b, folds, "fold-")
		b.ReportMetric(float64(foldPages)/float64(b.N), "fold-pages/sale")
	}
}

func p99(ts []time.Duration) time.Duration {
	slices.Sort(ts)
	return ts[min(len(ts)-1, int(0.99*float64(len(ts))))]
}

// realFixture returns a store with realGoods tracked goods and realHist
// synced past sales of one to three lines each, built with the store's
// own sale path (so stock updates rewrote the goods as a till's do).
func realFixture(b *testing.B) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("till-bench-real-g%d-h%d-%s.db", realGoods, realHist, realLayout))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	b.Logf("building %s ...", path)
	start := time.Now()
	tmp := path + ".building"
	_ = os.Remove(tmp)
	s, err := bolt.Open(tmp, bolt.Options{Identity: testID, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(tmp)
	defer s.Close()
	rng := rand.New(rand.NewPCG(3, 4))
	goods := make([]pos.Product, realGoods)
	for i := range goods {
		body := fmt.Sprintf("69%010d", i)
		goods[i] = pos.Product{SKU: fmt.Sprintf("G%06d", i), Barcodes: []string{body + string(pos.GTINCheckDigit(body))},
			Name: fmt.Sprintf("Goods number %d, %dg pack", i, 50*(1+i%20)), AltName: "商品名称",
			Category: []string{"Drinks", "Snacks", "Dairy", "Household"}[i%4],
			Price:    pos.Money(100 + rng.IntN(10000)), TaxRate: pos.Rate([]int{0, 900, 1300}[i%3]),
			TrackStock: i%10 != 0, Stock: 1 << 40}
	}
	for i := 0; i < len(goods); i += 10_000 {
		if _, err := s.PutProducts(goods[i:min(i+10_000, len(goods))]); err != nil {
			b.Fatal(err)
		}
	}
	cur := cny(b)
	entropy := ulid.Monotonic(rand.NewChaCha8([32]byte{}), 0)
	const perDay, perTx = 10_000, 100
	at := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	step := 10 * time.Hour / perDay
	batch := make([]pos.Sale, 0, perTx)
	for i := range realHist {
		var c pos.Cart
		for range 1 + i%3 {
			if _, err := c.Add(goods[rng.IntN(realGoods)], int64(1+rng.IntN(3))); err != nil {
				b.Fatal(err)
			}
		}
		id, err := pos.NewSaleID(at, terminal, entropy)
		if err != nil {
			b.Fatal(err)
		}
		sl, err := pos.NewSale(id, terminal, "bench", cur, at.Add(-time.Minute), at, c, true, cash())
		if err != nil {
			b.Fatal(err)
		}
		batch = append(batch, sl)
		at = at.Add(step)
		if len(batch) == perTx {
			if err := bolt.BulkComplete(s, batch, true); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
		if (i+1)%perDay == 0 {
			closeDay(b, s, at)
			at = at.Add(14 * time.Hour)
		}
	}
	free := bolt.FreePages(s)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if err := syncFile(tmp); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	b.Logf("built %s: %d goods, %d sales, %d MB, %d free pages, in %v", path, realGoods, realHist, fi.Size()>>20, free, time.Since(start).Round(time.Second))
	return path
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
