package pgstore_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"

	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/pgstore"
	"github.com/tillpos/till/sync/internal/synctest"
	"github.com/tillpos/till/sync/wire"
)

// TestRevokeWhileServing: on PostgreSQL the admin commands open the
// database beside the running head office (another pool, as another
// process would); a revocation there refuses the terminal's next request
// on the keep-alive connection it already has, and the refusal is in the
// terminal list once the server flushes its tallies.
func TestRevokeWhileServing(t *testing.T) {
	dsn, schema := freshSchema(t)
	served, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close()
	srv := hq.NewServer(served, hq.Options{})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	admin, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	tok := synctest.Enrol(t, admin, "S1", "T1")

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	fresh := 0
	get := func() int {
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
			if !i.Reused {
				fresh++
			}
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), "GET", ts.URL+wire.PathWhoAmI, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if get() != 200 || get() != 200 {
		t.Fatal("enrolled terminal refused")
	}
	if err := hq.Revoke(ctx, admin, nil, "T1", io.Discard); err != nil {
		t.Fatal(err)
	}
	if s := get(); s != 401 || fresh != 1 {
		t.Fatalf("after revoke: %d on %d connections, want 401 on the one kept alive", s, fresh)
	}
	if err := srv.FlushRefusals(ctx); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := hq.ListTerminals(ctx, admin, nil, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "refused 1 (revoked 1)") {
		t.Fatalf("terminals: %q", out.String())
	}
}
