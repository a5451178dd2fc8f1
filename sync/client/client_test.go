package client_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

var ctx = context.Background()

func eachBackend(t *testing.T, fn func(t *testing.T, h storagetest.Harness, b storage.Backend)) {
	for _, h := range storagetest.Harnesses() {
		t.Run(h.Name, func(t *testing.T) { fn(t, h, h.New(t)) })
	}
}

// config talks to url with token, with short backoffs for tests.
func config(url, token string) client.Config {
	return client.Config{URL: url, Token: token, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		HTTPClient: &http.Client{Timeout: 10 * time.Second}}
}

func importCSV(t *testing.T, b storage.Backend, store, csv string) {
	t.Helper()
	if _, err := hq.ImportCSV(ctx, b, nil, store, strings.NewReader(csv), 2, false, io.Discard); err != nil {
		t.Fatal(err)
	}
}

func TestSyncPushesAndPulls(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ storagetest.Harness, b storage.Backend) {
		srv := synctest.StartHQ(t, b)
		term := synctest.NewTerminal(t, "T1", "S1")
		tok := synctest.Enrol(t, b, "S1", "T1")
		rng := rand.New(rand.NewPCG(1, 1))
		term.MustSell(t, rng, 450)
		importCSV(t, b, "S1", "sku,barcode,name,price,tax_rate,stock\nTEA,6901234567892,Green tea 绿茶,3.80,13%,3\nNEW,,New goods,1.00,0%,9\n")

		cfg := config(srv.URL, tok)
		var calls [][2]int
		cfg.Progress = func(done, total int) { calls = append(calls, [2]int{done, total}) }
		cfg.Now = func() time.Time { return time.Date(2025, 3, 3, 18, 0, 0, 0, time.UTC) }
		res, err := client.Sync(ctx, term.Store, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Pushed != 450 || res.Rejected != 0 || res.Pulled != 2 {
			t.Fatalf("result %+v", res)
		}
		// Batches of 200: progress after each, ending at the total.
		if len(calls) != 3 || calls[0] != [2]int{200, 450} || calls[2] != [2]int{450, 450} {
			t.Fatalf("progress %v", calls)
		}
		synctest.CheckExactlyOnce(t, b, term.Store)
		tea, err := term.Store.Lookup("TEA")
		if err != nil {
			t.Fatal(err)
		}
		if tea.Price != 380 || tea.Name != "Green tea 绿茶" {
			t.Fatalf("TEA after pull: %+v", tea)
		}
		st, err := term.Store.SyncStatus()
		if err != nil {
			t.Fatal(err)
		}
		if !st.LastSync.Equal(cfg.Now()) || st.LastError != "" || st.Unsynced != 0 || st.CatalogCursor != 2 {
			t.Fatalf("status %+v", st)
		}
		// Nothing new: nothing sent, nothing pulled.
		res, err = client.Sync(ctx, term.Store, cfg)
		if err != nil || res.Pushed != 0 || res.Pulled != 0 {
			t.Fatalf("second sync: %+v %v", res, err)
		}
	})
}

// TestSyncSetsAsideRejected: a record head office refuses is set aside
// with the reason, and the records after it still sync.
func TestSyncSetsAsideRejected(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	srv := synctest.StartHQ(t, b)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	rng := rand.New(rand.NewPCG(2, 2))
	term.MustSell(t, rng, 3)
	// A sale whose totals do not add up, stored behind the register's back.
	bad := term.MustSell(t, rng, 1)[0]
	bad.ID, _ = term.Reg.NewID()
	bad.Total += 1
	if err := term.Store.CompleteSale(&bad); err != nil {
		t.Fatal(err)
	}
	term.MustSell(t, rng, 3)
	res, err := client.Sync(ctx, term.Store, config(srv.URL, tok))
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 7 || res.Rejected != 1 {
		t.Fatalf("result %+v", res)
	}
	es, err := term.Store.SetAsideEntries()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].ID != bad.ID || !strings.Contains(es[0].Reason, "do not add up") {
		t.Fatalf("set aside %+v", es)
	}
	if hs := synctest.HQRecords(t, b, pos.RecordSale, "T1"); len(hs) != 7 {
		t.Fatalf("head office holds %d sales, want 7", len(hs))
	} else if _, ok := hs[bad.ID]; ok {
		t.Fatal("head office stored the bad sale")
	}
	st, _ := term.Store.SyncStatus()
	if st.Unsynced != 0 || st.SetAside != 1 || st.LastError != "" {
		t.Fatalf("status %+v", st)
	}
}

// flaky wraps a handler: it fails requests the way networks and servers
// do, as fail decides for the nth request.
type flaky struct {
	next http.Handler
	n    atomic.Int64
	fail func(n int64) string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch f.fail(f.n.Add(1)) {
	case "503":
		http.Error(w, `{"error":"busy"}`, http.StatusServiceUnavailable)
	case "drop": // the connection dies before head office sees the request
		hijackClose(w)
	case "lost": // head office stores the batch, the answer never arrives
		f.next.ServeHTTP(httptest.NewRecorder(), r)
		hijackClose(w)
	case "garbled":
		w.Write([]byte(`{"acked":[1,2`))
	default:
		f.next.ServeHTTP(w, r)
	}
}

func hijackClose(w http.ResponseWriter) {
	c, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		c.Close()
	}
}

func TestSyncRetriesTransientFailures(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ storagetest.Harness, b storage.Backend) {
		modes := []string{"503", "drop", "lost", "garbled", "", "lost", "", "503"}
		f := &flaky{next: hq.NewServer(b, hq.Options{}), fail: func(n int64) string { return modes[n%int64(len(modes))] }}
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		term := synctest.NewTerminal(t, "T1", "S1")
		tok := synctest.Enrol(t, b, "S1", "T1")
		term.MustSell(t, rand.New(rand.NewPCG(3, 3)), 500)
		importCSV(t, b, "S1", "sku,name,price,tax_rate\nNEW,New goods,1.00,0%\n")
		cfg := config(srv.URL, tok)
		cfg.BatchSize = 50
		cfg.Attempts = 10
		res, err := client.Sync(ctx, term.Store, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Pushed != 500 || res.Pulled != 1 {
			t.Fatalf("result %+v", res)
		}
		synctest.CheckExactlyOnce(t, b, term.Store)
	})
}

// TestSyncGivesUpAndLosesNothing: when head office stays down the sync
// ends with an error after its attempts, and the outbox is intact.
func TestSyncGivesUpAndLosesNothing(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	f := &flaky{next: hq.NewServer(b, hq.Options{}), fail: func(int64) string { return "503" }}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(4, 4)), 20)
	cfg := config(srv.URL, tok)
	cfg.Attempts = 3
	res, err := client.Sync(ctx, term.Store, cfg)
	if err == nil || res.PushErr == nil || res.PullErr == nil || res.Pushed != 0 {
		t.Fatalf("sync against a dead head office: %+v %v", res, err)
	}
	if got := f.n.Load(); got != 6 {
		t.Fatalf("%d requests, want 3 attempts each for push and pull", got)
	}
	st, _ := term.Store.SyncStatus()
	if st.Unsynced != 20 || !st.LastSync.IsZero() || !strings.Contains(st.LastError, "503") {
		t.Fatalf("status %+v", st)
	}
	// Head office comes back: everything arrives once.
	f.fail = func(int64) string { return "" }
	if _, err := client.Sync(ctx, term.Store, cfg); err != nil {
		t.Fatal(err)
	}
	synctest.CheckExactlyOnce(t, b, term.Store)
}

func TestSyncUnauthorizedDoesNotRetry(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	f := &flaky{next: hq.NewServer(b, hq.Options{}), fail: func(int64) string { return "" }}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(5, 5)), 5)
	if err := hq.Revoke(ctx, b, nil, "T1", io.Discard); err != nil {
		t.Fatal(err)
	}
	res, err := client.Sync(ctx, term.Store, config(srv.URL, tok))
	if !errors.Is(err, client.ErrUnauthorized) || !errors.Is(res.PushErr, client.ErrUnauthorized) {
		t.Fatalf("revoked terminal: %+v %v", res, err)
	}
	if got := f.n.Load(); got != 2 {
		t.Fatalf("%d requests, want one push and one pull, no retries", got)
	}
	if strings.Contains(err.Error(), tok[3:]) {
		t.Fatal("the error repeats the secret")
	}
	if st, _ := term.Store.SyncStatus(); st.Unsynced != 5 {
		t.Fatalf("outbox %d, want 5", st.Unsynced)
	}
}

// TestSyncHalvesOnTooLarge: head office answers 413 to a batch too large
// for it; the terminal halves the batch until it fits, and sets aside a
// record too large to send alone.
func TestSyncHalvesOnTooLarge(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	srv := httptest.NewServer(hq.NewServer(b, hq.Options{MaxBody: 16 << 10}))
	t.Cleanup(srv.Close)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	rng := rand.New(rand.NewPCG(6, 6))
	term.MustSell(t, rng, 30)
	var big pos.Cart
	for i := range 40 {
		big.Lines = append(big.Lines, pos.Line{SKU: "X" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Name: strings.Repeat("长", 100), Qty: 1, UnitPrice: 100})
	}
	bigSale, err := term.Reg.Complete(big, time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 10_000}})
	if err != nil {
		t.Fatal(err)
	}
	term.MustSell(t, rng, 30)
	res, err := client.Sync(ctx, term.Store, config(srv.URL, tok))
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 60 || res.Rejected != 1 {
		t.Fatalf("result %+v", res)
	}
	es, _ := term.Store.SetAsideEntries()
	if len(es) != 1 || es[0].ID != bigSale.ID || !strings.Contains(es[0].Reason, "too large") {
		t.Fatalf("set aside %+v", es)
	}
}

func TestSyncCancelled(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	t.Cleanup(func() { close(block); srv.Close() })
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(7, 7)), 5)
	c, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := client.Sync(c, term.Store, config(srv.URL, tok))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled sync: %v after %v", err, time.Since(start))
	}
	if st, _ := term.Store.SyncStatus(); st.Unsynced != 5 {
		t.Fatalf("outbox %d, want 5", st.Unsynced)
	}
}

// TestSyncConcurrentOnOneStore: two syncs of one terminal at once (say the
// counter's background sync and a `till sync`) still deliver each record
// once.
func TestSyncConcurrentOnOneStore(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	srv := synctest.StartHQ(t, b)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(8, 8)), 300)
	cfg := config(srv.URL, tok)
	cfg.BatchSize = 20
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := client.Sync(ctx, term.Store, cfg); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	synctest.CheckExactlyOnce(t, b, term.Store)
}
