package tui

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/register"
)

// benchFixture returns the path of a store holding goods goods and sales
// past sales (all synced, as on a till that has been selling for years).
// It is built once and cached in os.TempDir() across benchmark runs.
func benchFixture(b *testing.B, goods, sales int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("till-bench-g%d-s%d.db", goods, sales))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	t0 := time.Now()
	tmp := path + ".tmp"
	os.Remove(tmp)
	st := openStore(b, tmp)
	ps := genGoods(goods)
	for i := 0; i < len(ps); i += 10_000 {
		if _, err := st.PutProducts(ps[i:min(i+10_000, len(ps))]); err != nil {
			b.Fatal(err)
		}
	}
	// Past sales, one a minute going back from a year ago.
	start := testNow.AddDate(-1, 0, 0).Add(-time.Duration(sales) * time.Minute)
	entropy := ulid.Monotonic(rand.NewChaCha8([32]byte{}), 0) // endless and deterministic
	for i := 0; i < sales; i++ {
		at := start.Add(time.Duration(i) * time.Minute)
		id, err := pos.NewSaleID(at, "T1", entropy)
		if err != nil {
			b.Fatal(err)
		}
		p := ps[i%len(ps)]
		cart := pos.Cart{Lines: []pos.Line{{SKU: p.SKU, Name: p.Name, Qty: 1 + int64(i%3), UnitPrice: p.Price, TaxRate: p.TaxRate}}}
		s, err := pos.NewSale(id, "T1", "alice", cny, at, at, cart, false, []pos.Tender{{Kind: pos.Cash, Given: 1_000_000}})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.CompleteSale(&s); err != nil {
			b.Fatal(err)
		}
		if (i+1)%10_000 == 0 || i == sales-1 {
			ackAll(b, st)
		}
	}
	st.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s in %v", path, time.Since(t0))
	return path
}

func ackAll(b *testing.B, st *tilltest.Store) {
	for {
		env, err := st.Pending(0, 5000)
		if err != nil {
			b.Fatal(err)
		}
		if len(env) == 0 {
			return
		}
		seqs := make([]uint64, len(env))
		for i, e := range env {
			seqs[i] = e.Seq
		}
		if err := st.Ack(seqs...); err != nil {
			b.Fatal(err)
		}
	}
}

// firstFrame opens the store, builds the counter, runs its Init commands
// and renders an 80x24 frame: what a cashier waits for at start-up.
// It also returns how long the very first frame took, drawn before the
// catalog is in (keys typed meanwhile are queued).
func firstFrame(b *testing.B, path string) (*Model, *tilltest.Store, string, time.Duration) {
	t0 := time.Now()
	st := tilltest.OpenFile(b, path)
	reg := register.New(st.Store, cny, false, "alice")
	mp := New(Deps{Store: st, Seller: reg, Shop: "Bench", Currency: cny, Loc: testLoc, Now: func() time.Time { return testNow }})
	init := mp.Init()
	_ = mp.View()
	first := time.Since(t0)
	run(b, mp, init)
	send(b, mp, tea.WindowSizeMsg{Width: 80, Height: 24})
	return mp, st, mp.View().Content, first
}

func BenchmarkFirstFrame(b *testing.B) {
	sizes := []int{1_000, 100_000}
	if os.Getenv("TILL_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, sales := range sizes {
		b.Run(fmt.Sprintf("goods=100000/sales=%d", sales), func(b *testing.B) {
			path := benchFixture(b, 100_000, sales)
			var view time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m, st, v, d := firstFrame(b, path)
				view += d
				if !m.c.loaded || m.c.ix.Len() != 100_000 || !strings.Contains(v, "Scan or type") {
					b.Fatal("first frame not ready")
				}
				st.Close()
			}
			b.ReportMetric(float64(view.Microseconds())/float64(b.N)/1000, "first-view-ms")
		})
	}
}

// BenchmarkMemory100kGoods loads a counter holding 100,000 goods and
// reports the heap the catalog and its search index take, and the
// process's resident set (target: under 150 MB).
func BenchmarkMemory100kGoods(b *testing.B) {
	st := openStore(b, filepath.Join(b.TempDir(), "till.db"))
	defer st.Close()
	if _, err := st.PutProducts(genGoods(100_000)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		m, _ := newModel(b, st)
		if m.c.ix.Len() != 100_000 {
			b.Fatalf("%d goods loaded", m.c.ix.Len())
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/1e6, "catalog-heap-MB")
		b.ReportMetric(procStatusMB("VmRSS"), "rss-MB")
		b.ReportMetric(procStatusMB("VmHWM"), "peak-rss-MB")
		runtime.KeepAlive(m)
	}
}

// procStatusMB reads a memory field of /proc/self/status in MB.
func procStatusMB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
