package bolt_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// BenchmarkStockPages answers whether moving stock counters out of the
// product records into their own bucket would make a sale write fewer
// pages: it counts the pages (bbolt TxStats) a commit writes that
// updates five of 100,000 keys drawn at random, with 8-byte values
// (a counter bucket) and 250-byte ones (product records), at bbolt's
// default fill and at full pages. One op is one commit (fsync off: only
// the page count is of interest).
func BenchmarkStockPages(b *testing.B) {
	for _, size := range []int{8, 250} {
		for _, fill := range []float64{0.5, 1.0} {
			b.Run(fmt.Sprintf("value=%dB/fill=%.1f", size, fill), func(b *testing.B) {
				db, err := bbolt.Open(filepath.Join(b.TempDir(), "x.db"), 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true})
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				v := make([]byte, size)
				rng := rand.New(rand.NewPCG(1, 2))
				update := func() error {
					return db.Update(func(tx *bbolt.Tx) error {
						bk, err := tx.CreateBucketIfNotExists([]byte("b"))
						if err != nil {
							return err
						}
						bk.FillPercent = fill
						for range 5 {
							if err := bk.Put(fmt.Appendf(nil, "G%06d", rng.IntN(100_000)), v); err != nil {
								return err
							}
						}
						return nil
					})
				}
				if err := db.Update(func(tx *bbolt.Tx) error {
					bk, err := tx.CreateBucket([]byte("b"))
					if err != nil {
						return err
					}
					bk.FillPercent = fill
					for i := range 100_000 {
						if err := bk.Put(fmt.Appendf(nil, "G%06d", i), v); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
				for range 2000 { // let random updates settle the page fill
					if err := update(); err != nil {
						b.Fatal(err)
					}
				}
				s0 := db.Stats()
				b.ResetTimer()
				for range b.N {
					if err := update(); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				s1 := db.Stats()
				b.ReportMetric(float64(s1.TxStats.GetWrite()-s0.TxStats.GetWrite())/float64(b.N), "pages/commit")
			})
		}
	}
}
