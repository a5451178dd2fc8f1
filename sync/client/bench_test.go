package client_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/boltstore"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
	"github.com/tillpos/till/sync/wire"
)

const benchSales = 10_000

// fixture is a terminal file holding benchSales unsynced sales, made with
// the real register once per run and copied for every iteration.
var fixture struct {
	once sync.Once
	path string
	err  error
}

func fixturePath(b *testing.B) string {
	fixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "till-bench-")
		if err != nil {
			fixture.err = err
			return
		}
		fixture.path = filepath.Join(dir, "T1.db")
		tm := synctest.OpenTerminal(b, fixture.path, "T1", "S1", true)
		rng := rand.New(rand.NewPCG(42, 42))
		for range benchSales {
			if _, err := tm.Sell(rng); err != nil {
				fixture.err = err
				return
			}
		}
		fixture.err = tm.Store.Close()
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.path
}

// freshTerminal copies the fixture; the copy syncs with fsync on, as a
// till does.
func freshTerminal(b *testing.B) *synctest.Terminal {
	b.Helper()
	data, err := os.ReadFile(fixturePath(b))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "T1.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	return synctest.OpenTerminal(b, path, "T1", "S1", false)
}

// discard answers like head office but keeps nothing: it reads each push,
// decodes the records' sequences to acknowledge them, and drops the rest.
// It also records the requests and answers for the wire replay.
type discard struct {
	mu        sync.Mutex
	record    bool
	requests  [][]byte
	responses [][]byte
}

func (d *discard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		w.Write([]byte(`{"store":"S1","changes":[],"cursor":0}`))
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req struct {
		Records []struct {
			Seq uint64 `json:"seq"`
		} `json:"records"`
	}
	if err := json.Unmarshal(data, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp := wire.PushResponse{Acked: make([]uint64, len(req.Records)), Rejected: []wire.Rejection{}}
	for i, rec := range req.Records {
		resp.Acked[i] = rec.Seq
	}
	out, _ := json.Marshal(resp)
	d.mu.Lock()
	if d.record {
		d.requests = append(d.requests, data)
		d.responses = append(d.responses, out)
	}
	d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write(out)
}

// syncAll times one client.Sync of a fresh copy of the fixture.
func syncAll(b *testing.B, url, token string) time.Duration {
	b.Helper()
	tm := freshTerminal(b)
	cfg := client.Config{URL: url, Token: token}
	start := time.Now()
	res, err := client.Sync(ctx, tm.Store, cfg)
	took := time.Since(start)
	if err != nil || res.Pushed != benchSales {
		b.Fatalf("sync: %+v %v", res, err)
	}
	return took
}

// BenchmarkPush10k pushes 10,000 sales made by the real register from a
// terminal file over loopback HTTP, side by side:
//
//	wire     the same request bytes posted to a server that reads and
//	         drops them, answering with the recorded answers: the floor
//	discard  client.Sync (read outbox, encode, post, acknowledge) to a
//	         server that decodes each push and acknowledges everything,
//	         storing nothing
//	bolt     client.Sync to head office on bbolt (fsync on)
//	postgres client.Sync to head office on PostgreSQL ($TILL_TEST_PG)
//
// Each reports sales/s; x_discard metrics are how many times slower a
// storing head office is than the discard server.
func BenchmarkPush10k(b *testing.B) {
	fixturePath(b)
	d := &discard{record: true}
	dsrv := httptest.NewServer(d)
	defer dsrv.Close()
	syncAll(b, dsrv.URL, "T1.x") // warm up, and record the exact bytes
	d.record = false
	wsrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write(d.responses[0]) // same size as every answer but the last
	}))
	defer wsrv.Close()

	_, havePG := os.LookupEnv("TILL_TEST_PG")
	var wireT, discardT, boltT, pgT time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// wire
		start := time.Now()
		for _, body := range d.requests {
			resp, err := http.Post(wsrv.URL+wire.PathPush, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		wireT += time.Since(start)

		// discard
		discardT += syncAll(b, dsrv.URL, "T1.x")

		// bolt
		b.StopTimer()
		hqb, err := boltstore.Open(filepath.Join(b.TempDir(), "hq.db"), boltstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		boltT += pushTo(b, hqb)
		hqb.Close()

		// postgres
		if havePG {
			pg := storagetest.Postgres().New(b)
			pgT += pushTo(b, pg)
			pg.Close()
		}
		b.StartTimer()
	}
	rate := func(d time.Duration) float64 { return float64(benchSales*b.N) / d.Seconds() }
	b.ReportMetric(rate(wireT), "wire_sales/s")
	b.ReportMetric(rate(discardT), "discard_sales/s")
	b.ReportMetric(rate(boltT), "bolt_sales/s")
	b.ReportMetric(boltT.Seconds()/discardT.Seconds(), "bolt_x_discard")
	if havePG {
		b.ReportMetric(rate(pgT), "pg_sales/s")
		b.ReportMetric(pgT.Seconds()/discardT.Seconds(), "pg_x_discard")
	}
}

// pushTo serves head office on b and times a full sync to it.
func pushTo(b *testing.B, st storage.Backend) time.Duration {
	b.Helper()
	srv := httptest.NewServer(hq.NewServer(st, hq.Options{}))
	defer srv.Close()
	tok := synctest.Enrol(b, st, "S1", "T1")
	b.StartTimer()
	took := syncAll(b, srv.URL, tok)
	b.StopTimer()
	return took
}
