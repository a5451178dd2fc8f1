package hq_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
	"github.com/tillpos/till/sync/wire"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestLogsRequestsAndRefusals: every request gets a JSON line with
// method, path, terminal, status, duration and bytes, every refusal its
// reason; the credential is never in the log; and the refusals are
// summed per terminal in the terminal list.
func TestLogsRequestsAndRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		var logBuf syncBuffer
		log := slog.New(slog.NewJSONHandler(&logBuf, nil))
		s := hq.NewServer(b, hq.Options{Logger: log})
		e := newEnv(t, b, 3)
		e.srv = httptest.NewServer(s)
		t.Cleanup(e.srv.Close)
		_, secret, _ := strings.Cut(e.token, ".")

		e.push(t, e.outbox(t))
		e.call(t, "GET", wire.PathCatalog, "Bearer T1.wrong-secret", nil)
		e.call(t, "GET", wire.PathCatalog, "Bearer NOBODY.x", nil)
		e.call(t, "GET", wire.PathCatalog, "", nil)
		tok2 := synctest.Enrol(t, b, "S1", "T2")
		e.call(t, "POST", wire.PathPush, "Bearer "+tok2, pushBody(t, "T1", e.outbox(t)))
		if err := s.FlushRefusals(ctx); err != nil {
			t.Fatal(err)
		}

		var lines []map[string]any
		for _, l := range strings.Split(strings.TrimSpace(logBuf.String()), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("log line %q: %v", l, err)
			}
			if m["msg"] == "request" {
				lines = append(lines, m)
			}
		}
		if len(lines) != 5 {
			t.Fatalf("%d request lines, want 5:\n%s", len(lines), logBuf.String())
		}
		want := []struct {
			status   float64
			terminal string
			reason   string
		}{
			{200, "T1", ""},
			{401, "T1", "wrong credential"},
			{401, "", "unknown terminal"},
			{401, "", "no bearer credential"},
			{403, "T2", "credential is for terminal T2"},
		}
		for i, w := range want {
			l := lines[i]
			if l["status"] != w.status || l["terminal"] != w.terminal || !strings.Contains(fmt.Sprint(l["reason"]), w.reason) ||
				l["method"] == nil || l["path"] == nil || l["duration"] == nil || l["bytes_in"] == nil || l["bytes_out"] == nil {
				t.Errorf("line %d: %v, want status %v terminal %q reason %q", i, l, w.status, w.terminal, w.reason)
			}
		}
		if lines[0]["bytes_in"].(float64) < 100 || lines[0]["bytes_out"].(float64) < 10 {
			t.Errorf("push line counts %v in, %v out", lines[0]["bytes_in"], lines[0]["bytes_out"])
		}
		if strings.Contains(logBuf.String(), secret) || strings.Contains(logBuf.String(), "wrong-secret") {
			t.Fatal("the log holds a credential")
		}
		var out bytes.Buffer
		if err := hq.ListTerminals(ctx, b, nil, &out); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		for _, w := range []string{"refused 1 (wrong credential 1)", "refused 1 (push for another terminal 1)",
			"(no terminal)", "no bearer credential 1", "unknown terminal 1"} {
			if !strings.Contains(got, w) {
				t.Errorf("terminal list lacks %q:\n%s", w, got)
			}
		}
	})
}

// serveBolt runs hq.Serve on a bbolt file with its admin socket.
func serveWith(t *testing.T, cfg hq.Config) string {
	t.Helper()
	addr, err := serve(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// TestAdminRevokeWhileServing: with head office serving (and holding its
// bbolt file locked), the admin commands reach it through its socket;
// revoking a terminal refuses its very next request on the keep-alive
// connection it already has open.
func TestAdminRevokeWhileServing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hq.db")
	b, err := hq.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	sock := hq.AdminSocketFor(path)
	addr := serveWith(t, hq.Config{Addr: "127.0.0.1:0", Storage: b, AdminSocket: sock})
	if _, err := hq.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open of a served file: %v", err)
	}
	adm, err := hq.DialAdmin(ctx, sock)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := adm.Enrol(ctx, nil, "S1", "T1", &out); err != nil {
		t.Fatal(err)
	}
	var tok string
	for _, f := range strings.Fields(out.String()) {
		if strings.HasPrefix(f, "T1.") {
			tok = f
		}
	}
	if tok == "" {
		t.Fatalf("no credential in %q", out.String())
	}
	if err := adm.ImportCSV(ctx, nil, "S1", strings.NewReader("sku,barcode,name,price,tax_rate,stock\nTEA,,Tea,3.50,13%,1\n"), 2, false, &out); err != nil {
		t.Fatal(err)
	}

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	var conns atomic.Int32
	get := func() int {
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
			if !i.Reused {
				conns.Add(1)
			}
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), "GET", "http://"+addr+wire.PathCatalog, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 3 {
		if s := get(); s != 200 {
			t.Fatalf("before revoke: %d", s)
		}
	}
	if conns.Load() != 1 {
		t.Fatalf("%d connections for three requests: not keep-alive", conns.Load())
	}
	if err := adm.Revoke(ctx, nil, "T1", &out); err != nil {
		t.Fatal(err)
	}
	if s := get(); s != 401 {
		t.Fatalf("next request after revoke, on the open connection: %d", s)
	}
	if conns.Load() != 1 {
		t.Fatalf("the refused request did not go on the kept-alive connection")
	}
	out.Reset()
	if err := adm.ListTerminals(ctx, nil, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "revoked") || !strings.Contains(out.String(), "revoked 1") {
		t.Fatalf("terminals: %q", out.String())
	}
	out.Reset()
	if err := adm.WriteReport(ctx, nil, time.Now(), true, &out); err != nil || out.Len() == 0 {
		t.Fatalf("report: %q %v", out.String(), err)
	}
	if err := adm.Enrol(ctx, nil, "S1", "bad id!", io.Discard); err == nil {
		t.Fatal("a bad terminal ID was enrolled through the socket")
	}
}

// TestAdminSocketOwnerOnly: the socket is mode 0600.
func TestAdminSocketOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hq.db")
	b, err := hq.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	serveWith(t, hq.Config{Addr: "127.0.0.1:0", Storage: b, AdminSocket: hq.AdminSocketFor(path)})
	fi, err := lstat(hq.AdminSocketFor(path))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("admin socket mode %v", fi.Mode().Perm())
	}
}

// TestStrangersCannotStarveATerminal is the load test: many clients
// without a credential trickle request bodies (and some trickle headers)
// over more connections than head office allows, while an enrolled
// terminal syncs. Each stranger gets its 401 as soon as its headers are
// in, without head office reading the body, and the connection closed;
// the terminal's sync completes within a few seconds.
func TestStrangersCannotStarveATerminal(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	addr := serveWith(t, hq.Config{Addr: "127.0.0.1:0", Storage: b, MaxConns: 64, MaxConnsPerAddr: 48,
		ReadHeaderTimeout: 5 * time.Second})
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(3, 3)), 300)

	c, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var answered, slowAnswers atomic.Int64
	trickleBody := func() {
		defer wg.Done()
		for c.Err() == nil {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err != nil {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			start := time.Now()
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: hq\r\nAuthorization: Bearer T1.guess\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n", wire.PathPush)
			got := make(chan bool, 1)
			go func() {
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				got <- err == nil && resp.StatusCode == 401
			}()
		trickle:
			for c.Err() == nil {
				select {
				case ok := <-got:
					if ok {
						answered.Add(1)
						if time.Since(start) > time.Second {
							slowAnswers.Add(1)
						}
					}
					break trickle
				case <-time.After(50 * time.Millisecond):
					conn.SetWriteDeadline(time.Now().Add(time.Second))
					if _, err := conn.Write([]byte("{")); err != nil {
						break trickle
					}
				}
			}
			conn.Close()
		}
	}
	trickleHeaders := func() {
		defer wg.Done()
		for c.Err() == nil {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err != nil {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			conn.Write([]byte("POST /v1/push HTTP/1.1\r\nHost: hq\r\n"))
			for c.Err() == nil {
				time.Sleep(100 * time.Millisecond)
				if _, err := conn.Write([]byte("X-Slow: 1\r\n")); err != nil {
					break
				}
			}
			conn.Close()
		}
	}
	for range 150 {
		wg.Add(1)
		go trickleBody()
	}
	for range 100 {
		wg.Add(1)
		go trickleHeaders()
	}
	time.Sleep(500 * time.Millisecond) // the strangers settle in
	start := time.Now()
	// Backoff as short as the test allows; as many attempts as a real
	// terminal's default backoff (250 ms to 30 s, 8 attempts) spreads over
	// several seconds, so a connection lost in the flood is retried
	// within the time the test allows, not given up in under a second.
	res, err := client.Sync(ctx, term.Store, client.Config{URL: "http://" + addr, Token: tok, MinBackoff: 10 * time.Millisecond,
		MaxBackoff: 100 * time.Millisecond, Attempts: 40, RequestTimeout: 3 * time.Second, SyncTimeout: 8 * time.Second})
	took := time.Since(start)
	stop()
	wg.Wait()
	if err != nil || res.Pushed != 300 {
		t.Fatalf("terminal's sync among strangers: %+v %v after %v", res, err, took)
	}
	if took > 5*time.Second {
		t.Fatalf("terminal's sync took %v among strangers", took)
	}
	synctest.CheckExactlyOnce(t, b, term.Store)
	t.Logf("sync took %v; strangers got %d quick 401s, %d slow", took, answered.Load(), slowAnswers.Load())
	if answered.Load() < 100 {
		t.Fatalf("only %d strangers got a 401: head office waited for their bodies", answered.Load())
	}
	if slowAnswers.Load() > answered.Load()/10 {
		t.Fatalf("%d of %d 401s took over a second", slowAnswers.Load(), answered.Load())
	}
}

// TestConnectionCapKeepsTerminals: past MaxConns head office drops the
// oldest connections that never authenticated, so at most the cap is
// held, and a terminal's kept-alive connection survives a flood of them.
func TestConnectionCapKeepsTerminals(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	addr := serveWith(t, hq.Config{Addr: "127.0.0.1:0", Storage: b, MaxConns: 20, MaxConnsPerAddr: 20})
	tok := synctest.Enrol(t, b, "S1", "T1")
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	var fresh atomic.Int32
	get := func() {
		t.Helper()
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
			if !i.Reused {
				fresh.Add(1)
			}
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), "GET", "http://"+addr+wire.PathWhoAmI, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("whoami: %d", resp.StatusCode)
		}
	}
	get()
	var flood []net.Conn
	for range 100 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("GET /v1/whoami HTTP/1.1\r\n")) // and never the rest
		flood = append(flood, c)
	}
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	// Each connection is read at once, so a held one's wait does not
	// hide a dropped one behind it (a deadline already passed reports a
	// timeout even on a closed connection).
	var droppedN atomic.Int32
	var wg sync.WaitGroup
	until := time.Now().Add(3 * time.Second) // the held ones wait till then
	for _, c := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(until)
			_, err := c.Read(make([]byte, 1))
			var ne net.Error
			if err != nil && !(errors.As(err, &ne) && ne.Timeout()) { // EOF, or a reset if closed unread
				droppedN.Add(1)
			}
		}()
	}
	wg.Wait()
	dropped := int(droppedN.Load())
	if dropped < 100-20 {
		t.Fatalf("head office dropped %d of 100 half-sent connections with a cap of 20", dropped)
	}
	get()
	if fresh.Load() != 1 {
		t.Fatalf("the terminal's kept-alive connection was dropped by the flood (%d connections)", fresh.Load())
	}
}

// TestBodyTimeout: even an enrolled terminal has BodyTimeout to send its
// body; one that trickles is answered and let go, not held for minutes.
func TestBodyTimeout(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	addr := serveWith(t, hq.Config{Addr: "127.0.0.1:0", Storage: b, BodyTimeout: 300 * time.Millisecond})
	tok := synctest.Enrol(t, b, "S1", "T1")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: hq\r\nAuthorization: Bearer %s\r\nContent-Length: 1000\r\n\r\n{", wire.PathPush, tok)
	done := make(chan *http.Response, 1)
	go func() {
		resp, _ := http.ReadResponse(bufio.NewReader(conn), nil)
		done <- resp
	}()
	giveUp := time.After(5 * time.Second)
	for {
		select {
		case resp := <-done:
			if resp == nil || resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("trickled body: %v", resp)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("answered after %v, want about the body timeout of 300ms", took)
			}
			return
		case <-time.After(50 * time.Millisecond):
			conn.Write([]byte(" "))
		case <-giveUp:
			t.Fatal("no answer to a trickled body")
		}
	}
}
