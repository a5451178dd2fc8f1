package tui

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/internal/goodsgen"
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
	ps := goodsgen.Goods(goods)
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
// The last is how long until the catalog was in (loaded and searchable),
// before the commands that follow.
func firstFrame(b *testing.B, path string) (*Model, *tilltest.Store, string, time.Duration, time.Duration) {
	t0 := time.Now()
	st := tilltest.OpenFile(b, path)
	reg := register.New(st.Store, cny, false, "alice")
	mp := New(Deps{Store: st, Seller: reg, Shop: "Bench", Currency: cny, Loc: testLoc, Now: func() time.Time { return testNow },
		GCPercent: benchGCPercent()})
	init := mp.Init()
	_ = mp.View()
	first := time.Since(t0)
	var loaded time.Duration
	runTimed(b, mp, init, t0, &loaded)
	send(b, mp, tea.WindowSizeMsg{Width: 80, Height: 24})
	return mp, st, mp.View().Content, first, loaded
}

// runTimed is run, noting in loaded when the catalog came in.
func runTimed(b *testing.B, m *Model, cmd tea.Cmd, t0 time.Time, loaded *time.Duration) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			runTimed(b, m, c, t0, loaded)
		}
	case tea.QuitMsg:
	default:
		_, next := m.Update(msg)
		if *loaded == 0 && m.c.loaded {
			*loaded = time.Since(t0)
		}
		runTimed(b, m, next, t0, loaded)
	}
}

// benchGCPercent is Deps.GCPercent as the till sets it (counterGCPercent
// in package main), unless TILL_BENCH_GC says otherwise (0: the collector
// left alone, as before there was the setting).
func benchGCPercent() int {
	if v := os.Getenv("TILL_BENCH_GC"); v != "" {
		n, _ := strconv.Atoi(v)
		return n
	}
	return 50
}

// BenchmarkFirstFrame times the counter's start-up until the catalog is
// loaded and searchable, and (first-view-ms) until the first frame, drawn
// before the catalog is in. The counter is set up as the till sets it
// (see benchGCPercent), so the time per op includes the collection that
// returns the load's garbage once the catalog is in, which the cashier
// does not wait for; searchable-ms stops when the catalog is in
// (TILL_BENCH_GC=0: no such collection, and the load at Go's default).
func BenchmarkFirstFrame(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	sizes := []int{1_000, 100_000}
	if os.Getenv("TILL_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, sales := range sizes {
		b.Run(fmt.Sprintf("goods=100000/sales=%d", sales), func(b *testing.B) {
			path := benchFixture(b, 100_000, sales)
			var view, cpu, searchable time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c0 := processCPU()
				m, st, v, d, loaded := firstFrame(b, path)
				cpu += processCPU() - c0
				view += d
				searchable += loaded
				if !m.c.loaded || m.c.ix.Len() != 100_000 || !strings.Contains(v, "Scan or type") {
					b.Fatal("first frame not ready")
				}
				st.Close()
			}
			b.ReportMetric(float64(view.Microseconds())/float64(b.N)/1000, "first-view-ms")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/1000, "cpu-ms")
			b.ReportMetric(float64(searchable.Microseconds())/float64(b.N)/1000, "searchable-ms")
		})
	}
}

// BenchmarkMemory100kGoods opens a store of 100,000 goods (and 1,000 past
// sales) and loads the counter, catalog and pinyin index, reporting the
// process's resident set: its peak while loading (VmHWM, reset just
// before the load by writing 5 to /proc/self/clear_refs, so only the load
// counts) and the steady set after it (VmRSS), which splits into RssAnon
// (the Go heap and runtime) and RssFile (pages of the bbolt file's memory
// map, and the test binary's own text). base-rss-MB is the process before
// the load; catalog-heap-MB the heap the loaded counter adds (in use after
// a collection); heap-goal-MB the heap size the collector then lets the
// heap grow to before it collects again; rss-used-MB the resident set
// after 2,000 searches typed and shown, collected only as the runtime
// chooses. The counter is set up as the till sets it: the collector at
// 50% once the catalog is in (TILL_BENCH_GC=100 shows Go's default; 0
// leaves the collector alone and the load's garbage unreturned).
// Targets: peak <= 150 MB, steady <= 120 MB.
func BenchmarkMemory100kGoods(b *testing.B) {
	path := benchFixture(b, 100_000, 1_000)
	gcPercent := benchGCPercent()
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	var base, peak, rss, anon, file, heap, goal, used float64
	for b.Loop() {
		memModel = nil
		debug.SetGCPercent(100) // the load runs at Go's default
		runtime.GC()
		debug.FreeOSMemory() // the fixture build's, or the last round's, garbage
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			b.Skipf("cannot reset the peak: %v", err)
		}
		base = procStatusMB("VmRSS")
		st := tilltest.OpenFile(b, path)
		reg := register.New(st.Store, cny, false, "alice")
		m := New(Deps{Lang: testLang, Store: st, Seller: reg, Shop: "Bench", Currency: cny, Loc: testLoc,
			Now: func() time.Time { return testNow }, ReceiptDir: b.TempDir(), GCPercent: gcPercent})
		start(b, m)
		if m.c.ix.Len() != 100_000 {
			b.Fatalf("%d goods loaded", m.c.ix.Len())
		}
		peak = procStatusMB("VmHWM")
		rss, anon, file = procStatusMB("VmRSS"), procStatusMB("RssAnon"), procStatusMB("RssFile")
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapInuse-before.HeapInuse) / 1e6
		goal = heapGoalMB()
		// A day's searching: garbage the collector lets pile up to its
		// goal before it collects, and the resident set with it.
		for i := range 2000 {
			typ(b, m, goodsgen.Words[i%len(goodsgen.Words)][:3])
			_ = m.View()
			press(b, m, "esc")
		}
		used = procStatusMB("VmRSS")
		runtime.KeepAlive(m)
		memModel = m // so that -memprofile shows what the loaded counter holds
		st.Close()
	}
	b.ReportMetric(base, "base-rss-MB")
	b.ReportMetric(peak, "peak-rss-MB")
	b.ReportMetric(rss, "rss-MB")
	b.ReportMetric(anon, "anon-MB")
	b.ReportMetric(file, "file-MB")
	b.ReportMetric(heap, "catalog-heap-MB")
	b.ReportMetric(goal, "heap-goal-MB")
	b.ReportMetric(used, "rss-used-MB")
}

// memModel is the last counter BenchmarkMemory100kGoods loaded.
var memModel *Model

// heapGoalMB is the heap size at which the collector will next collect.
func heapGoalMB() float64 {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	return float64(s[0].Value.Uint64()) / 1e6
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
