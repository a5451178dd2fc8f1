package client_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
	"github.com/tillpos/till/sync/wire"
)

const (
	chainTerminals = 10
	chainSales     = 3_000 // per terminal
)

// chainFixtures are chainTerminals terminal files (T1..T10 of store S1)
// holding chainSales unsynced sales each, made once per run.
var chainFixtures struct {
	once  sync.Once
	paths []string
	err   error
}

func chainFixturePaths(b *testing.B) []string {
	chainFixtures.once.Do(func() {
		dir, err := os.MkdirTemp("", "till-bench-chain-")
		if err != nil {
			chainFixtures.err = err
			return
		}
		for i := range chainTerminals {
			id := fmt.Sprintf("T%d", i+1)
			path := filepath.Join(dir, id+".db")
			tm := synctest.OpenTerminal(b, path, id, "S1", true)
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			for range chainSales {
				if _, err := tm.Sell(rng); err != nil {
					chainFixtures.err = err
					return
				}
			}
			if chainFixtures.err = tm.Store.Close(); chainFixtures.err != nil {
				return
			}
			chainFixtures.paths = append(chainFixtures.paths, path)
		}
	})
	if chainFixtures.err != nil {
		b.Fatal(chainFixtures.err)
	}
	return chainFixtures.paths
}

// pushTimer is an http.RoundTripper that records how long each push
// takes, from sending the request to reading the whole answer's headers.
type pushTimer struct {
	mu    sync.Mutex
	times []time.Duration
}

func (p *pushTimer) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.URL.Path == wire.PathPush {
		d := time.Since(start)
		p.mu.Lock()
		p.times = append(p.times, d)
		p.mu.Unlock()
	}
	return resp, err
}

// BenchmarkChainPush is a chain's close of day: 10 terminals of one
// store push their outboxes (3,000 sales each, 200 a push) at the same
// moment into one head office on PostgreSQL ($TILL_TEST_PG; skipped
// without it), over loopback HTTP, each terminal with fsync on. It
// reports the aggregate sales/s (all sales over the time until the last
// terminal is done) and the median, p99 and slowest push.
func BenchmarkChainPush(b *testing.B) {
	storagetest.PostgresDSN(b)
	paths := chainFixturePaths(b)
	timer := &pushTimer{}
	var elapsed time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		pg := storagetest.Postgres().New(b)
		srv := httptest.NewServer(hq.NewServer(pg, hq.Options{}))
		terms := make([]*synctest.Terminal, len(paths))
		toks := make([]string, len(paths))
		for i, src := range paths {
			data, err := os.ReadFile(src)
			if err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(b.TempDir(), filepath.Base(src))
			if err := os.WriteFile(path, data, 0o600); err != nil {
				b.Fatal(err)
			}
			terms[i] = synctest.OpenTerminal(b, path, fmt.Sprintf("T%d", i+1), "S1", false)
			toks[i] = synctest.Enrol(b, pg, "S1", fmt.Sprintf("T%d", i+1))
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, tm := range terms {
			wg.Go(func() {
				cfg := client.Config{URL: srv.URL, Token: toks[i], HTTPClient: &http.Client{Transport: timer}}
				<-start
				res, err := client.Sync(ctx, tm.Store, cfg)
				if err != nil || res.Pushed != chainSales {
					b.Errorf("T%d: %+v %v", i+1, res, err)
				}
			})
		}
		b.StartTimer()
		t0 := time.Now()
		close(start)
		wg.Wait()
		elapsed += time.Since(t0)
		b.StopTimer()
		srv.Close()
		for _, tm := range terms {
			tm.Store.Close()
		}
		pg.Close()
		b.StartTimer()
	}
	b.StopTimer()
	ts := timer.times
	slices.Sort(ts)
	q := func(f float64) float64 {
		return float64(ts[min(len(ts)-1, int(f*float64(len(ts))))].Microseconds()) / 1e3
	}
	b.ReportMetric(float64(chainTerminals*chainSales*b.N)/elapsed.Seconds(), "sales/s")
	b.ReportMetric(q(0.5), "push-p50-ms")
	b.ReportMetric(q(0.99), "push-p99-ms")
	b.ReportMetric(float64(ts[len(ts)-1].Microseconds())/1e3, "push-max-ms")
}
