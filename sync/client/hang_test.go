package client_test

import (
	"errors"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

// silentHQ accepts connections and reads from them, but never answers.
func silentHQ(t *testing.T) (url string, accepted func() int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func() {
				buf := make([]byte, 4096)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "http://" + ln.Addr().String(), func() int { mu.Lock(); defer mu.Unlock(); return len(conns) }
}

// TestSyncGivesUpOnSilentHQ: a head office that accepts and never answers
// costs a sync its per-request deadline per attempt and ends it at its own
// deadline, with one line saying nothing is lost and how many records wait.
// (The defaults are 20s a request and 50s a sync; the test shortens both.)
func TestSyncGivesUpOnSilentHQ(t *testing.T) {
	url, accepted := silentHQ(t)
	b := storagetest.Bolt(true).New(t)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(9, 9)), 7)

	cfg := client.Config{URL: url, Token: tok, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond,
		RequestTimeout: 150 * time.Millisecond, SyncTimeout: time.Second, Attempts: 1000}
	start := time.Now()
	res, err := client.Sync(ctx, term.Store, cfg)
	took := time.Since(start)
	if !errors.Is(err, client.ErrNoAnswer) {
		t.Fatalf("sync against a silent head office: %+v %v", res, err)
	}
	if took < time.Second || took > 3*time.Second {
		t.Fatalf("gave up after %v, want about the sync deadline of 1s", took)
	}
	if n := accepted(); n < 3 {
		t.Fatalf("%d connections: the per-request deadline did not cut attempts short", n)
	}
	if res.Waiting != 7 || res.Pushed != 0 {
		t.Fatalf("result %+v, want 7 waiting", res)
	}
	line := client.Summary(res, err)
	if strings.Contains(line, "\n") || !strings.HasSuffix(line, "nothing lost; 7 records waiting") ||
		!strings.Contains(line, "did not answer") {
		t.Fatalf("summary %q", line)
	}
	if strings.Contains(line, tok[3:]) {
		t.Fatal("summary repeats the secret")
	}
	st, _ := term.Store.SyncStatus()
	if st.Unsynced != 7 || !strings.Contains(st.LastError, "did not answer") {
		t.Fatalf("status %+v", st)
	}
}

// TestSyncDeadlineMovesWithProgress: the sync deadline bounds silence, not
// a long sync: a backlog acknowledged batch by batch over more than the
// deadline still completes.
func TestSyncDeadlineMovesWithProgress(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	srv := synctest.StartHQ(t, b)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(10, 10)), 12)
	cfg := config(srv.URL, tok)
	cfg.BatchSize = 2
	cfg.SyncTimeout = 300 * time.Millisecond
	cfg.Progress = func(int, int) { time.Sleep(100 * time.Millisecond) } // six batches: 600ms
	res, err := client.Sync(ctx, term.Store, cfg)
	if err != nil || res.Pushed != 12 || res.Waiting != 0 {
		t.Fatalf("slow but steady sync: %+v %v", res, err)
	}
	if client.Summary(res, nil) != "" {
		t.Fatal("summary of a good sync is not empty")
	}
}

// TestMeterShowsWaiting: on a terminal, a sync stuck on head office shows
// how long it has waited, and progress when batches go through.
func TestMeterShowsWaiting(t *testing.T) {
	var out lockedBuffer
	m := client.NewMeter(&out, 20*time.Millisecond, nil)
	time.Sleep(1100 * time.Millisecond)
	m.Progress(200, 450)
	m.Stop()
	s := out.String()
	if !strings.Contains(s, "syncing with head office, waiting for head office 1s") || !strings.Contains(s, "\r\x1b[Ksent 200 of 450") ||
		!strings.HasSuffix(s, "\n") {
		t.Fatalf("meter wrote %q", s)
	}
	// In Chinese, for a shop in CN.
	var zh lockedBuffer
	m = client.NewMeter(&zh, time.Hour, i18n.New(i18n.Chinese))
	m.Progress(3, 7)
	m.Stop()
	if s := zh.String(); !strings.Contains(s, "\r\x1b[K与总部同步中") || !strings.Contains(s, "\r\x1b[K已发送 3/7") {
		t.Fatalf("meter wrote %q in Chinese", s)
	}
}

// TestSummaryIsOneHarmlessLine: whatever head office answered, the summary
// is one line with no control characters.
func TestSummaryIsOneHarmlessLine(t *testing.T) {
	err := errors.Join(errors.New("head office answered 500: \x1b]0;pwned\x07 bad\nthing"), errors.New("second\r\nerror"))
	line := client.Summary(client.Result{Waiting: 1}, err)
	if strings.ContainsAny(line, "\x1b\x07\r\n") || !strings.HasSuffix(line, "nothing lost; 1 record waiting") {
		t.Fatalf("summary %q", line)
	}
}
