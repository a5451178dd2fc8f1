package search

import (
	"bufio"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mozillazg/go-pinyin"
	"github.com/tillpos/till/internal/goodsgen"
	"github.com/tillpos/till/pos"
	"golang.org/x/sys/unix"
)

// The generator (internal/goodsgen) and the text queries are tui's, so
// the figures compare with the counter's; the pinyin queries are new.
//
// genQueries returns what cashiers type: prefixes of names and Chinese
// names, lower and upper case, accented, and misses.
func genQueries(goods []pos.Product, n int) []string {
	rng := rand.New(rand.NewPCG(3, 4))
	qs := make([]string, 0, n)
	for len(qs) < n {
		p := goods[rng.IntN(len(goods))]
		switch rng.IntN(6) {
		case 0, 1, 2:
			name := []rune(p.Name)
			qs = append(qs, string(name[:1+rng.IntN(min(len(name), 12))]))
		case 3:
			alt := []rune(p.AltName)
			qs = append(qs, string(alt[:1+rng.IntN(len(alt))]))
		case 4:
			f := strings.Fields(p.Name)
			qs = append(qs, f[len(f)-2][:min(3, len(f[len(f)-2]))]+" "+f[0][:1])
		default:
			qs = append(qs, []string{"zzq", "x", "qqq", "Cafe", "JALAP", "9"}[rng.IntN(6)])
		}
	}
	return qs
}

// genPinyinQueries returns what a cashier without a Chinese input method
// types, keystroke by keystroke: growing prefixes of the initials
// (kkkl) or the full pinyin (kekou) of a run of a Chinese name, with a
// random reading of each character, and misses.
func genPinyinQueries(goods []pos.Product, n int) []string {
	rng := rand.New(rand.NewPCG(5, 6))
	args := pinyin.Args{Style: pinyin.Normal, Heteronym: true}
	qs := make([]string, 0, n)
	for len(qs) < n {
		alt := []rune(goods[rng.IntN(len(goods))].AltName)
		from := rng.IntN(len(alt))
		run := alt[from : from+1+rng.IntN(len(alt)-from)]
		var initials, full string
		for _, r := range run {
			rs := pinyin.SinglePinyin(r, args)
			s := rs[rng.IntN(len(rs))]
			initials += s[:1]
			full += s
		}
		q := initials
		switch rng.IntN(4) {
		case 0, 1:
		case 2:
			q = full
		default:
			q = []string{"zzq", "xqv", "kkkkkk", "qqqq", "zhzhzh"}[rng.IntN(5)]
		}
		for k := 1; k <= len(q) && len(qs) < n; k++ {
			qs = append(qs, q[:k])
		}
	}
	return qs
}

// threadCPU is the CPU time of the calling OS thread: unlike the wall
// clock it does not count time the thread waited for a CPU on a busy box.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

func benchQueries(b *testing.B, ix *Index, qs []string) {
	wall := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		c0, t0 := threadCPU(), time.Now()
		ix.Search(q, searchLimit)
		wall = append(wall, time.Since(t0))
		cpu = append(cpu, threadCPU()-c0)
	}
	b.StopTimer()
	pct := func(ds []time.Duration, p float64) float64 {
		return float64(ds[int(p*float64(len(ds)-1))].Nanoseconds()) / 1000
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	b.ReportMetric(pct(wall, 0.50), "p50-µs")
	b.ReportMetric(pct(wall, 0.99), "p99-µs")
	b.ReportMetric(pct(cpu, 0.99), "p99-cpu-µs")
	b.ReportMetric(pct(cpu, 1), "max-cpu-µs")
}

// searchLimit is tui's (tui/model.go).
const searchLimit = 50

// BenchmarkSearch times single search-as-you-type queries over 100,000
// goods, with tui's query mix, and reports percentiles of wall time and
// of thread CPU time. Target: p99 under 2 ms per keystroke.
func BenchmarkSearch(b *testing.B) {
	goods := goodsgen.Goods(100_000)
	ix := New(goods)
	benchQueries(b, ix, genQueries(goods, 4096))
}

// BenchmarkSearchPinyin is BenchmarkSearch with pinyin typed a key at a
// time: initials, full pinyin (every reading of polyphonic characters
// possible) and misses.
func BenchmarkSearchPinyin(b *testing.B) {
	goods := goodsgen.Goods(100_000)
	ix := New(goods)
	benchQueries(b, ix, genPinyinQueries(goods, 4096))
}

// BenchmarkBuild times indexing 100,000 goods, pinyin included.
func BenchmarkBuild(b *testing.B) {
	goods := goodsgen.Goods(100_000)
	b.ResetTimer()
	for b.Loop() {
		New(goods)
	}
}

// BenchmarkMemory100kGoods reports the heap 100,000 goods take, the heap
// their index takes on top (pinyin included), and the process's resident
// set (target: under 150 MB with the index).
func BenchmarkMemory100kGoods(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var m0, m1, m2 runtime.MemStats
		runtime.ReadMemStats(&m0)
		goods := goodsgen.Goods(100_000)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		ix := New(goods)
		runtime.GC()
		runtime.ReadMemStats(&m2)
		if ix.Len() != 100_000 || len(ix.Search("kkkl", 5)) == 0 {
			b.Fatal("index not built")
		}
		b.ReportMetric(float64(m1.HeapInuse-m0.HeapInuse)/1e6, "goods-heap-MB")
		b.ReportMetric(float64(m2.HeapInuse-m1.HeapInuse)/1e6, "index-heap-MB")
		b.ReportMetric(float64(ix.py.memory())/1e6, "pinyin-MB")
		b.ReportMetric(procStatusMB("VmRSS"), "rss-MB")
		b.ReportMetric(procStatusMB("VmHWM"), "peak-rss-MB")
		// What stays resident once the garbage of building is handed
		// back to the system, as it is a while after start-up.
		debug.FreeOSMemory()
		b.ReportMetric(procStatusMB("VmRSS"), "settled-rss-MB")
		runtime.KeepAlive(ix)
		runtime.KeepAlive(goods)
	}
}

// memory is the bytes the pinyin part of the index holds.
func (py *pinyinIndex) memory() int {
	n := 2*len(py.tok) + 4*len(py.tokOff) + py.bi.size() + py.uni.size()
	for _, s := range py.sets {
		n += 24 + 2*len(s)
	}
	n += 4 * len(py.letters)
	for _, s := range py.syl {
		n += 16 + len(s)
	}
	return n
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

// The generated pinyin queries find what they were made from.
func TestPinyinQueriesFindTheirGoods(t *testing.T) {
	goods := goodsgen.Goods(2000)
	ix := New(goods)
	args := pinyin.Args{Style: pinyin.Normal, Heteronym: true}
	for i, p := range goods[:200] {
		var initials, full string
		for _, r := range []rune(p.AltName) {
			rs := pinyin.SinglePinyin(r, args)
			s := rs[len(rs)-1] // the last reading: polyphonic characters' rarer one
			initials += s[:1]
			full += s
		}
		for _, q := range []string{initials, full} {
			found := false
			for _, id := range ix.Search(q, 2000) {
				found = found || id == i
			}
			if !found {
				t.Fatalf("%q does not find %s %s", q, p.SKU, p.AltName)
			}
		}
	}
}
