package bolt_test

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
	bbolt "go.etcd.io/bbolt"
)

// BenchmarkSale compares completing a five-line sale (stock tracked,
// fsync on) with the least any durable bbolt write costs: one Update
// putting one 500-byte value, in the same directory. The README quotes
// the two medians; the target is sale within 1.5x of the bare update.
func BenchmarkSale(b *testing.B) {
	dir := b.TempDir()
	var medians [2]time.Duration

	b.Run("sale5lines", func(b *testing.B) {
		sale := newSaleBench(b, dir)
		times := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for range b.N {
			times = append(times, sale())
		}
		b.StopTimer()
		medians[0] = reportQuantiles(b, times, "")
	})

	b.Run("bareUpdate", func(b *testing.B) {
		put := newBareBench(b, dir)
		times := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for range b.N {
			times = append(times, put())
		}
		b.StopTimer()
		medians[1] = reportQuantiles(b, times, "")
	})

	if medians[0] > 0 && medians[1] > 0 {
		b.Logf("sale median / bare update median = %.2f (target <= 1.5)", float64(medians[0])/float64(medians[1]))
	}

	// The two alternating, so that both see the same load from whatever
	// else the machine is doing; one op is one sale plus one bare update.
	b.Run("interleaved", func(b *testing.B) {
		sale, put := newSaleBench(b, dir), newBareBench(b, dir)
		ts := make([]time.Duration, 0, b.N)
		tb := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for range b.N {
			ts = append(ts, sale())
			tb = append(tb, put())
		}
		b.StopTimer()
		ms := reportQuantiles(b, ts, "sale-")
		mb := reportQuantiles(b, tb, "bare-")
		b.ReportMetric(float64(ms)/float64(mb), "sale/bare")
	})
}

// newSaleBench opens a fresh store in dir with five tracked goods and
// returns a function that sells them all in one sale and times it.
func newSaleBench(b *testing.B, dir string) func() time.Duration {
	f, err := os.CreateTemp(dir, "till-*.db")
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	os.Remove(f.Name())
	s, err := bolt.Open(f.Name(), bolt.Options{Identity: testID})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	var goods []pos.Product
	var c pos.Cart
	for i := range 5 {
		p := pos.Product{SKU: fmt.Sprintf("SKU%d", i), Name: fmt.Sprintf("Goods %d", i), Price: pos.Money(100 + 37*i),
			TaxRate: 1300, TrackStock: true, Stock: 1 << 40}
		goods = append(goods, p)
		if _, err := c.Add(p, int64(1+i%3)); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.PutProducts(goods); err != nil {
		b.Fatal(err)
	}
	r := register.New(s, cny(b), true, "bench")
	return func() time.Duration {
		start := time.Now()
		if _, err := r.Complete(c, time.Time{}, cash()); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
}

// newBareBench opens a fresh bbolt file in dir and returns a function
// that times one Update putting one new 500-byte value.
func newBareBench(b *testing.B, dir string) func() time.Duration {
	f, err := os.CreateTemp(dir, "bare-*.db")
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	os.Remove(f.Name())
	db, err := bbolt.Open(f.Name(), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err }); err != nil {
		b.Fatal(err)
	}
	value := make([]byte, 500)
	_, _ = rand.Read(value)
	var i uint64
	return func() time.Duration {
		i++
		start := time.Now()
		err := db.Update(func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("b")).Put(binary.BigEndian.AppendUint64(nil, i), value)
		})
		if err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
}

// reportQuantiles reports the median and 99th percentile of one run's
// iteration times in microseconds and returns the median. It sorts times.
func reportQuantiles(b *testing.B, times []time.Duration, prefix string) time.Duration {
	if len(times) == 0 {
		return 0
	}
	slices.Sort(times)
	q := func(p float64) time.Duration { return times[min(len(times)-1, int(p*float64(len(times))))] }
	med := q(0.5)
	b.ReportMetric(float64(med.Nanoseconds())/1e3, prefix+"median-µs")
	b.ReportMetric(float64(q(0.99).Nanoseconds())/1e3, prefix+"p99-µs")
	return med
}

// daySales is the open period every BenchmarkOpenAndZ fixture ends with.
const daySales = 10_000

// BenchmarkOpenAndZ shows that opening the store and reporting on the
// open day cost the same whatever the history: 1,000 or 1,000,000 older
// sales, closed by earlier Z reports, then a day of 10,000 sales. The
// fixtures are built once and kept in the system temp directory; -short
// skips the million.
func BenchmarkOpenAndZ(b *testing.B) {
	sizes := []int{1_000, 1_000_000}
	if testing.Short() || os.Getenv("TILL_BENCH_SMALL") != "" {
		sizes = sizes[:1]
	}
	paths := map[int]string{}
	for _, n := range sizes {
		paths[n] = benchFixture(b, n)
	}
	for _, n := range sizes {
		b.Run("open/hist="+strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				s, err := bolt.Open(paths[n], bolt.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, n := range sizes {
		b.Run("report/hist="+strconv.Itoa(n), func(b *testing.B) {
			s, err := bolt.Open(paths[n], bolt.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ResetTimer()
			for range b.N {
				x, err := s.XReport(time.Now(), time.UTC)
				if err != nil {
					b.Fatal(err)
				}
				if x.Sales != daySales {
					b.Fatalf("X report of the day counts %d sales, want %d", x.Sales, daySales)
				}
			}
		})
	}
}

// closeDay takes a fixture's Z report at at and acknowledges what is
// pending (the Z reports went to head office too; the sales were built
// synced).
func closeDay(b *testing.B, s *bolt.Store, at time.Time) {
	if _, err := s.TakeZ(at, time.UTC, nil); err != nil {
		b.Fatal(err)
	}
	es, err := s.Pending(0, 10)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range es {
		if err := s.Ack(e.Seq); err != nil {
			b.Fatal(err)
		}
	}
}

// benchFixture returns a store file with hist sales closed by Z reports
// (one per 10,000, as daily Z reports would be, and synced to head office)
// followed by daySales unsynced sales of the open day. It is built once
// per size, with big NoSync transactions, and reused by later runs.
func benchFixture(b *testing.B, hist int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("till-bench-v1-hist%d.db", hist))
	if fixtureOK(path, hist) {
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

	const nGoods = 500
	goods := make([]pos.Product, nGoods)
	for i := range goods {
		goods[i] = pos.Product{SKU: fmt.Sprintf("G%04d", i), Name: fmt.Sprintf("Goods %d", i), Price: pos.Money(100 + i),
			TaxRate: pos.Rate([]int{0, 900, 1300}[i%3]), TrackStock: i%4 != 0, Stock: 1 << 40}
	}
	if _, err := s.PutProducts(goods); err != nil {
		b.Fatal(err)
	}
	cur := cny(b)
	entropy := ulid.Monotonic(rand.Reader, 0)
	const perTx = 10_000
	day := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	histDays := (hist + perTx - 1) / perTx
	at := day.AddDate(0, 0, -histDays)
	step := 10 * time.Hour / perTx
	batch := make([]pos.Sale, 0, perTx)
	flush := func(synced bool) {
		if err := bolt.BulkComplete(s, batch, synced); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	sale := func(i int) pos.Sale {
		g := goods[i%nGoods]
		var c pos.Cart
		if _, err := c.Add(g, int64(1+i%3)); err != nil {
			b.Fatal(err)
		}
		id, err := pos.NewSaleID(at, terminal, entropy)
		if err != nil {
			b.Fatal(err)
		}
		sl, err := pos.NewSale(id, terminal, "bench", cur, at.Add(-time.Minute), at, c, true, cash())
		if err != nil {
			b.Fatal(err)
		}
		return sl
	}
	for i := range hist {
		batch = append(batch, sale(i))
		at = at.Add(step)
		if len(batch) == perTx || i == hist-1 {
			flush(true)
			closeDay(b, s, at)
			at = at.Add(14 * time.Hour)
		}
	}
	at = day
	for i := range daySales {
		batch = append(batch, sale(i))
		at = at.Add(step)
	}
	flush(false)
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
	b.Logf("built %s: %d + %d sales, %d MB, in %v", path, hist, daySales, fi.Size()>>20, time.Since(start).Round(time.Millisecond))
	if !fixtureOK(path, hist) {
		b.Fatal("the fixture just built does not check out")
	}
	return path
}

// fixtureOK reports whether path is a complete fixture of hist sales.
func fixtureOK(path string, hist int) bool {
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return false
	}
	defer s.Close()
	last, err := s.LastReceipt()
	if err != nil || last != uint64(hist+daySales) {
		return false
	}
	sales, total, err := s.OutboxCounts()
	return err == nil && sales == daySales && total == daySales
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
