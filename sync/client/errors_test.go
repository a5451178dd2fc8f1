package client_test

import (
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

// TestCredentialProblemIsNotUnreachable is issue 10 item 9: a revoked or
// wrong credential is reported as what it is, never as "cannot be
// reached", against a real head office on loopback.
func TestCredentialProblemIsNotUnreachable(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	srv := synctest.StartHQ(t, b)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(9, 9)), 3)

	wrongSecret := tok[:len(tok)-4] + "AAAA"
	if wrongSecret == tok {
		wrongSecret = tok[:len(tok)-4] + "BBBB"
	}
	cases := []struct {
		name, token string
	}{
		{"wrong secret", wrongSecret},
		{"unknown terminal", "T9." + strings.Repeat("x", 43)},
	}
	check := func(t *testing.T, token string) {
		start := time.Now()
		res, err := client.Sync(ctx, term.Store, config(srv.URL, token))
		if err == nil {
			t.Fatalf("sync with a bad credential succeeded: %+v", res)
		}
		if got := client.Diagnose(err); got != client.ProblemCredential {
			t.Fatalf("Diagnose(%v) = %d, want ProblemCredential", err, got)
		}
		if !errors.Is(err, client.ErrUnauthorized) || !strings.Contains(err.Error(), "revoked or wrong") {
			t.Fatalf("error %q: want ErrUnauthorized saying revoked or wrong", err)
		}
		words := client.Explain(err)
		if strings.Contains(words, "cannot be reached") || !strings.Contains(words, "credential (revoked or wrong)") {
			t.Fatalf("cashier is told %q", words)
		}
		if strings.Contains(err.Error()+words, token[3:]) {
			t.Fatal("the error repeats the secret")
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("a refused credential was retried")
		}
		st, _ := term.Store.SyncStatus()
		if st.Unsynced != 3 {
			t.Fatalf("outbox %d after a refused sync, want 3", st.Unsynced)
		}
		// After a restart only the recorded text is left: it still says
		// what the problem is.
		if got := client.DiagnoseRecorded(st.LastError); got != client.ProblemCredential {
			t.Fatalf("recorded failure %q diagnosed as %d", st.LastError, got)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, c.token) })
	}
	t.Run("revoked", func(t *testing.T) {
		if err := hq.Revoke(ctx, b, nil, "T1", io.Discard); err != nil {
			t.Fatal(err)
		}
		check(t, tok)
	})
}

// TestUnreachableIsUnreachable: the other side of item 9, so the words
// stay right for a head office that is really down.
func TestUnreachableIsUnreachable(t *testing.T) {
	term := synctest.NewTerminal(t, "T1", "S1")
	term.MustSell(t, rand.New(rand.NewPCG(10, 10)), 1)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close() // nothing listens there now
	cfg := config(url, "T1.secret")
	cfg.Attempts = 2
	_, err = client.Sync(ctx, term.Store, cfg)
	if got := client.Diagnose(err); got != client.ProblemUnreachable {
		t.Fatalf("closed port: Diagnose(%v) = %d, want ProblemUnreachable", err, got)
	}
	if !strings.Contains(client.Explain(err), "cannot be reached") {
		t.Fatalf("closed port: %q", client.Explain(err))
	}
	if st, _ := term.Store.SyncStatus(); client.DiagnoseRecorded(st.LastError) != client.ProblemUnreachable {
		t.Fatalf("recorded %q not diagnosed as unreachable", st.LastError)
	}

	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"overloaded"}`, http.StatusServiceUnavailable)
	}))
	t.Cleanup(busy.Close)
	_, err = client.Sync(ctx, term.Store, func() client.Config { c := config(busy.URL, "T1.secret"); c.Attempts = 2; return c }())
	if got := client.Diagnose(err); got != client.ProblemUnreachable {
		t.Fatalf("503: Diagnose(%v) = %d, want ProblemUnreachable", err, got)
	}
	if client.Diagnose(nil) != client.ProblemNone {
		t.Fatal("no error is a problem")
	}
}

// TestUntrustedCertificateIsNamed: a head office whose certificate the
// terminal does not trust is neither "unreachable" nor a credential.
func TestUntrustedCertificateIsNamed(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	srv := httptest.NewTLSServer(hq.NewServer(b, hq.Options{}))
	t.Cleanup(srv.Close)
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, rand.New(rand.NewPCG(11, 11)), 1)
	_, err := client.Sync(ctx, term.Store, config(srv.URL, tok))
	if got := client.Diagnose(err); got != client.ProblemCertificate {
		t.Fatalf("Diagnose(%v) = %d, want ProblemCertificate", err, got)
	}
	if st, _ := term.Store.SyncStatus(); client.DiagnoseRecorded(st.LastError) != client.ProblemCertificate {
		t.Fatalf("recorded %q", st.LastError)
	}
	if !strings.Contains(client.Explain(err), "certificate") {
		t.Fatalf("told %q", client.Explain(err))
	}
}
