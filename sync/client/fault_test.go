package client_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// syncUntilClean syncs until the outbox is empty and a sync succeeds, as
// a terminal does once the network is back.
func syncUntilClean(t *testing.T, tm *synctest.Terminal, cfg client.Config) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := client.Sync(ctx, tm.Store, cfg)
		st, serr := tm.Store.SyncStatus()
		if serr != nil {
			t.Fatal(serr)
		}
		if err == nil && st.Unsynced == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("terminal %s: still %d unsynced after a minute: %v", tm.ID, st.Unsynced, err)
		}
	}
}

// checkChain checks that the chain's report agrees with what the
// terminals committed: count, net and tax of sales less refunds.
func checkChain(t *testing.T, b storage.Backend, terms []*synctest.Terminal) {
	t.Helper()
	days := map[time.Time]bool{}
	var wantSales, wantRefunds int
	var wantNet pos.Money
	for _, tm := range terms {
		sales, _ := tm.Store.SalesBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
		refunds, _ := tm.Store.RefundsBetween(time.Unix(0, 0), time.Now().Add(time.Hour))
		for _, s := range sales {
			wantNet += s.Due
			days[s.At.UTC().Truncate(24*time.Hour)] = true
		}
		for _, r := range refunds {
			wantNet -= r.Total + r.Rounding
			days[r.At.UTC().Truncate(24*time.Hour)] = true
		}
		wantSales += len(sales)
		wantRefunds += len(refunds)
	}
	var gotSales, gotRefunds int
	var gotNet pos.Money
	for day := range days {
		rep, err := hq.BuildReport(ctx, b, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rep.Chain {
			gotSales += row.Sales
			gotRefunds += row.Refunds
			gotNet += row.Net
		}
	}
	if gotSales != wantSales || gotRefunds != wantRefunds || gotNet != wantNet {
		t.Errorf("chain report: %d sales, %d refunds, net %d; terminals committed %d, %d, net %d",
			gotSales, gotRefunds, gotNet, wantSales, wantRefunds, wantNet)
	}
}

// TestFaultFlakyNetwork: three terminals sell and sync at once through a
// proxy that drops connections mid-request and mid-answer and delays
// answers, while head office changes the catalog. Then the network is
// fixed and they sync until clean: head office holds exactly what each
// committed.
func TestFaultFlakyNetwork(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ storagetest.Harness, b storage.Backend) {
		seed := synctest.Seed(t)
		srv := synctest.StartHQ(t, b)
		px := startProxy(t, srv.Listener.Addr().String(), seed, 0.15, 10*time.Millisecond)
		terms := []*synctest.Terminal{
			synctest.NewTerminal(t, "T1", "S1"), synctest.NewTerminal(t, "T2", "S1"), synctest.NewTerminal(t, "T3", "S2"),
		}
		tokens := map[string]string{}
		for _, tm := range terms {
			tokens[tm.ID] = synctest.Enrol(t, b, tm.Store.Identity().Shop, tm.ID)
		}
		stop := make(chan struct{})
		var catalogWG sync.WaitGroup
		catalogWG.Add(1)
		go func() { // head office reprices tea now and then
			defer catalogWG.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				csv := fmt.Sprintf("sku,barcode,name,price,tax_rate,stock\nTEA,6901234567892,Green tea,%d.00,13%%,5\n", 3+i)
				for _, shop := range []string{"S1", "S2"} {
					importCSV(t, b, shop, csv)
				}
			}
		}()
		var failures atomic.Int64
		var wg sync.WaitGroup
		for i, tm := range terms {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(seed, uint64(i)))
				cfg := config(px.URL(), tokens[tm.ID])
				cfg.BatchSize = 1 + rng.IntN(20)
				cfg.Attempts = 2
				for round := range 12 {
					for _, s := range tm.MustSell(t, rng, 1+rng.IntN(15)) {
						if rng.IntN(8) == 0 {
							if _, err := tm.Reg.Refund(s.ID, nil, pos.KindRefund, "changed mind"); err != nil {
								t.Error(err)
							}
						}
					}
					if round == 6 {
						if _, err := tm.Store.TakeZ(time.Now(), time.UTC, nil); err != nil {
							t.Error(err)
						}
					}
					if _, err := client.Sync(ctx, tm.Store, cfg); err != nil {
						failures.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		close(stop)
		catalogWG.Wait()
		t.Logf("the proxy cut %d connections; %d of %d syncs through it gave up", px.Cuts(), failures.Load(), 12*len(terms))
		if px.Cuts() == 0 {
			t.Fatal("the proxy cut no connection: the test tested nothing")
		}
		for _, tm := range terms {
			syncUntilClean(t, tm, config(srv.URL, tokens[tm.ID]))
			n := synctest.CheckExactlyOnce(t, b, tm.Store)
			t.Logf("%s: %d sales delivered exactly once", tm.ID, n)
		}
		checkChain(t, b, terms)
		// Every terminal ends with head office's latest tea.
		cs, err := b.Changes(ctx, "S1", 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.SKU != "TEA" {
				continue
			}
			for _, tm := range terms {
				got, err := tm.Store.Lookup("TEA")
				if err != nil || got.Price != c.Product.Price {
					t.Errorf("%s: TEA at %d, head office says %d (%v)", tm.ID, got.Price, c.Product.Price, err)
				}
			}
		}
	})
}

// restartable is a head office that a test can kill and start again on
// the same address and the same storage.
type restartable struct {
	t    *testing.T
	h    storagetest.Harness
	addr string

	mu  sync.Mutex
	b   storage.Backend
	srv *http.Server

	inflight atomic.Int64 // requests being handled
	midBatch atomic.Int64 // kills that cut a request in flight
}

// wrap counts requests in flight around head office's handler.
func (r *restartable) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.inflight.Add(1)
		defer r.inflight.Add(-1)
		h.ServeHTTP(w, req)
	})
}

func (r *restartable) start() {
	r.t.Helper()
	var ln net.Listener
	var err error
	for range 100 { // the old socket may linger a moment
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		r.t.Error(err)
		return
	}
	r.addr = ln.Addr().String()
	r.srv = &http.Server{Handler: r.wrap(hq.NewServer(r.b, hq.Options{}))}
	go r.srv.Serve(ln)
}

// kill waits (briefly) for a request in flight, then closes the listener
// and every connection at once and reopens the storage as a restarted
// process would.
func (r *restartable) kill() {
	for i := 0; i < 1000 && r.inflight.Load() == 0; i++ {
		time.Sleep(time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight.Load() > 0 {
		r.midBatch.Add(1)
	}
	r.srv.Close()
	r.b = r.h.Reopen(r.t, r.b)
	r.start()
}

func (r *restartable) backend() storage.Backend {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.b
}

// TestFaultHQKilledMidBatch: head office is killed again and again while
// three terminals push big outboxes; it restarts on the same storage each
// time. In the end it holds each sale once.
func TestFaultHQKilledMidBatch(t *testing.T) {
	for _, h := range storagetest.Harnesses() {
		t.Run(h.Name, func(t *testing.T) {
			seed := synctest.Seed(t)
			rng := rand.New(rand.NewPCG(seed, 1))
			r := &restartable{t: t, h: h, b: h.New(t), addr: "127.0.0.1:0"}
			r.start()
			url := "http://" + r.addr
			var terms []*synctest.Terminal
			tokens := map[string]string{}
			for i := range 3 {
				tm := synctest.NewTerminal(t, fmt.Sprintf("T%d", i+1), "S1")
				tm.MustSell(t, rng, 400)
				tokens[tm.ID] = synctest.Enrol(t, r.backend(), "S1", tm.ID)
				terms = append(terms, tm)
			}
			done := make(chan struct{})
			kills := 0
			go func() {
				defer close(done)
				for range 8 {
					time.Sleep(time.Duration(5+rng.IntN(40)) * time.Millisecond)
					r.kill()
					kills++
				}
			}()
			var wg sync.WaitGroup
			for _, tm := range terms {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cfg := config(url, tokens[tm.ID])
					cfg.BatchSize = 25
					cfg.Attempts = 3
					syncUntilClean(t, tm, cfg)
				}()
			}
			wg.Wait()
			<-done
			t.Logf("head office killed %d times, %d of them with a push or pull in flight", kills, r.midBatch.Load())
			if r.midBatch.Load() == 0 {
				t.Fatal("no kill landed mid-request: the test tested nothing")
			}
			for _, tm := range terms {
				syncUntilClean(t, tm, config(url, tokens[tm.ID]))
				synctest.CheckExactlyOnce(t, r.backend(), tm.Store)
			}
			checkChain(t, r.backend(), terms)
		})
	}
}

// TestFaultTerminalKilled: a terminal process that sells and syncs in a
// loop is killed with SIGKILL at random moments, mid-sale, mid-push,
// mid-acknowledgement or mid-pull, and started again. Then it syncs until
// clean: head office holds exactly the sales the terminal committed.
func TestFaultTerminalKilled(t *testing.T) {
	for _, h := range storagetest.Harnesses() {
		t.Run(h.Name, func(t *testing.T) {
			seed := synctest.Seed(t)
			rng := rand.New(rand.NewPCG(seed, 2))
			b := h.New(t)
			srv := synctest.StartHQ(t, b)
			tok := synctest.Enrol(t, b, "S1", "T1")
			path := filepath.Join(t.TempDir(), "T1.db")
			landed := map[string]int{}
			var teaPrice pos.Money
			// Ten kills, and more if none has yet landed during a sync.
			for i := 0; i < 10 || landed["syncing"] == 0 && i < 30; i++ {
				teaPrice = pos.Money(350 + 100*i)
				importCSV(t, b, "S1", fmt.Sprintf("sku,name,price,tax_rate\nTEA,Green tea,%s,13%%\n", teaPrice.Format(2)))
				cmd := exec.Command(os.Args[0], "-test.run=^TestChildTerminal$")
				cmd.Env = append(os.Environ(), "TILL_CHILD_DB="+path, "TILL_CHILD_URL="+srv.URL,
					"TILL_CHILD_TOKEN="+tok, "TILL_CHILD_SEED="+strconv.FormatUint(seed+uint64(i), 10))
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				cmd.Stderr = os.Stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				// The child says what it is doing, so the test can tell
				// where the kills landed.
				var phase atomic.Value
				phase.Store("starting")
				ready, eof := make(chan struct{}), make(chan struct{})
				go func() {
					defer close(eof)
					sc := bufio.NewScanner(out)
					for sc.Scan() {
						if sc.Text() == "ready" {
							close(ready)
						}
						phase.Store(sc.Text())
					}
				}()
				select {
				case <-ready:
				case <-eof:
					cmd.Wait()
					t.Fatal("the child terminal ended before it was ready")
				}
				time.Sleep(time.Duration(20+rng.IntN(300)) * time.Millisecond)
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				landed[phase.Load().(string)]++
				<-eof // all output read before Wait closes the pipe
				if err := cmd.Wait(); err == nil {
					t.Fatal("the child terminal ended by itself before it was killed")
				}
			}
			tm := synctest.OpenTerminal(t, path, "T1", "S1", true)
			st, _ := tm.Store.SyncStatus()
			t.Logf("killed while %v; then %d records unsynced", landed, st.Unsynced)
			if landed["syncing"] == 0 {
				t.Error("no kill landed during a sync: the test tested too little")
			}
			syncUntilClean(t, tm, config(srv.URL, tok))
			n := synctest.CheckExactlyOnce(t, b, tm.Store)
			t.Logf("%d sales delivered exactly once", n)
			if got, err := tm.Store.Lookup("TEA"); err != nil || got.Price != teaPrice {
				t.Errorf("TEA after the final pull: %+v %v", got, err)
			}
		})
	}
}

// TestChildTerminal is the terminal process TestFaultTerminalKilled
// starts and kills; run alone it does nothing.
func TestChildTerminal(t *testing.T) {
	path := os.Getenv("TILL_CHILD_DB")
	if path == "" {
		t.Skip("runs only as TestFaultTerminalKilled's child")
	}
	seed, _ := strconv.ParseUint(os.Getenv("TILL_CHILD_SEED"), 10, 64)
	rng := rand.New(rand.NewPCG(seed, 3))
	tm := synctest.OpenTerminal(t, path, "T1", "S1", false) // real fsync, as a till runs
	cfg := config(os.Getenv("TILL_CHILD_URL"), os.Getenv("TILL_CHILD_TOKEN"))
	cfg.BatchSize = 1 + rng.IntN(10)
	cfg.Attempts = 2
	fmt.Println("ready")
	// Bounded, in case the parent dies first.
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for c.Err() == nil {
		fmt.Println("selling")
		for _, s := range tm.MustSell(t, rng, 1+rng.IntN(8)) {
			if rng.IntN(6) == 0 {
				if _, err := tm.Reg.Refund(s.ID, nil, pos.KindRefund, "changed mind"); err != nil {
					t.Fatal(err)
				}
			}
		}
		fmt.Println("syncing")
		if _, err := client.Sync(c, tm.Store, cfg); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Log(err)
		}
	}
}
