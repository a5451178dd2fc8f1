package tui

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/tillpos/till/pos/search"
	"golang.org/x/sys/unix"
)

// threadCPU is the CPU time of the calling OS thread: unlike the wall
// clock it does not count time the thread waited for a CPU on a busy box.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// BenchmarkSearch times single search-as-you-type queries over 100,000
// goods and reports percentiles of wall time and of thread CPU time.
func BenchmarkSearch(b *testing.B) {
	goods := genGoods(100_000)
	ix := search.New(goods)
	qs := genQueries(goods, 4096)
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
