package hq_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
	"github.com/tillpos/till/sync/wire"
)

var ctx = context.Background()

// eachBackend runs a test against head office on bbolt and on PostgreSQL.
func eachBackend(t *testing.T, fn func(t *testing.T, b storage.Backend)) {
	for _, h := range storagetest.Harnesses() {
		t.Run(h.Name, func(t *testing.T) { fn(t, h.New(t)) })
	}
}

// env is a head office with one enrolled terminal that has sold a few
// sales, ready to push.
type env struct {
	b     storage.Backend
	srv   *httptest.Server
	term  *synctest.Terminal
	token string
}

func newEnv(t *testing.T, b storage.Backend, sales int) *env {
	t.Helper()
	e := &env{b: b, srv: synctest.StartHQ(t, b), term: synctest.NewTerminal(t, "T1", "S1")}
	e.token = synctest.Enrol(t, b, "S1", "T1")
	e.term.MustSell(t, rand.New(rand.NewPCG(1, 2)), sales)
	return e
}

// outbox returns the terminal's pending records as wire records.
func (e *env) outbox(t *testing.T) []wire.Record {
	t.Helper()
	es, err := e.term.Store.Pending(0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]wire.Record, len(es))
	for i, x := range es {
		recs[i] = wire.Record{Seq: x.Seq, Kind: x.Kind, ID: x.ID, Body: x.Body}
	}
	return recs
}

func pushBody(t *testing.T, terminal string, recs []wire.Record) []byte {
	t.Helper()
	data, err := json.Marshal(wire.PushRequest{Terminal: terminal, Currency: "CNY", Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// call sends a request with a credential and returns the status and body.
func (e *env) call(t *testing.T, method, path, auth string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

func (e *env) push(t *testing.T, recs []wire.Record) wire.PushResponse {
	t.Helper()
	status, data := e.call(t, "POST", wire.PathPush, "Bearer "+e.token, pushBody(t, "T1", recs))
	if status != http.StatusOK {
		t.Fatalf("push: %d %s", status, data)
	}
	var resp wire.PushResponse
	if err := json.Unmarshal(data, &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

func (e *env) stored(t *testing.T) int {
	t.Helper()
	return len(synctest.HQRecords(t, e.b, pos.RecordSale, "T1"))
}

func TestPushStoresAndAcks(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		e := newEnv(t, b, 5)
		recs := e.outbox(t)
		resp := e.push(t, recs)
		if len(resp.Acked) != 5 || len(resp.Rejected) != 0 {
			t.Fatalf("push: %+v", resp)
		}
		for i, r := range recs {
			if resp.Acked[i] != r.Seq {
				t.Fatalf("acked %v, want the sequences in order", resp.Acked)
			}
		}
		got := synctest.HQRecords(t, b, pos.RecordSale, "T1")
		for _, r := range recs {
			h, ok := got[r.ID]
			if !ok {
				t.Fatalf("sale %s not stored", r.ID)
			}
			if !bytes.Equal(h.Body, r.Body) || h.Store != "S1" || h.Currency != "CNY" {
				t.Fatalf("sale %s stored as %+v", r.ID, h)
			}
			var s pos.Sale
			if err := json.Unmarshal(r.Body, &s); err != nil {
				t.Fatal(err)
			}
			if h.Total != s.Due || h.Tax != s.Tax || !h.At.Equal(s.At.Truncate(1000)) && !h.At.Equal(s.At) {
				t.Fatalf("sale %s: stored total %d tax %d at %v; sale has %d, %d, %v", r.ID, h.Total, h.Tax, h.At, s.Due, s.Tax, s.At)
			}
		}
	})
}

// TestPushIdempotent resends what is stored: acknowledged again, stored
// once. The same ID with other content is refused, not overwritten.
func TestPushIdempotent(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		e := newEnv(t, b, 4)
		recs := e.outbox(t)
		e.push(t, recs[:2])
		resp := e.push(t, recs) // two again, two new
		if len(resp.Acked) != 4 || len(resp.Rejected) != 0 {
			t.Fatalf("resend: %+v", resp)
		}
		reordered := []wire.Record{recs[3], recs[1], recs[0], recs[2]}
		resp = e.push(t, reordered)
		if len(resp.Acked) != 4 {
			t.Fatalf("resend again: %+v", resp)
		}
		if n := e.stored(t); n != 4 {
			t.Fatalf("%d sales stored, want 4", n)
		}
		// Other content under a stored ID: refused with a reason.
		var s pos.Sale
		if err := json.Unmarshal(recs[1].Body, &s); err != nil {
			t.Fatal(err)
		}
		s.Cashier = "mallory"
		forged := recs[1]
		forged.Body, _ = json.Marshal(s)
		resp = e.push(t, []wire.Record{forged})
		if len(resp.Acked) != 0 || len(resp.Rejected) != 1 || !strings.Contains(resp.Rejected[0].Reason, "already holds a different sale") {
			t.Fatalf("forged resend: %+v", resp)
		}
		if h := synctest.HQRecords(t, b, pos.RecordSale, "T1")[recs[1].ID]; !bytes.Equal(h.Body, recs[1].Body) {
			t.Fatal("a different record overwrote a stored sale")
		}
	})
}

// TestPushRejectsInvalidRecords sends a batch with good and bad records:
// the bad ones come back rejected with a reason, the good ones are stored.
func TestPushRejectsInvalidRecords(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		e := newEnv(t, b, 3)
		rng := rand.New(rand.NewPCG(3, 4))
		sold := e.term.MustSell(t, rng, 1)[0]
		refund, err := e.term.Reg.Refund(sold.ID, nil, pos.KindRefund, "test")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.term.Store.TakeZ(sold.At, sold.At.Location(), nil); err != nil {
			t.Fatal(err)
		}
		good := e.outbox(t) // 4 sales, a refund, a Z report
		if len(good) != 6 {
			t.Fatalf("outbox has %d records, want 6", len(good))
		}
		seq := uint64(100)
		bad := func(kind, id string, body any) wire.Record {
			seq++
			data, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			return wire.Record{Seq: seq, Kind: kind, ID: id, Body: data}
		}
		mutate := func(fn func(s *pos.Sale)) pos.Sale {
			s := sold
			s.Lines = append([]pos.PricedLine(nil), sold.Lines...)
			s.Tenders = append([]pos.Tender(nil), sold.Tenders...)
			id, err := e.term.Reg.NewID()
			if err != nil {
				t.Fatal(err)
			}
			s.ID = id
			fn(&s)
			return s
		}
		s1 := mutate(func(s *pos.Sale) { s.Total += 100; s.Due += 100; s.Tenders[0].Amount += 100 })
		s2 := mutate(func(s *pos.Sale) { s.Lines[0].Net -= 1 })
		s3 := mutate(func(s *pos.Sale) { s.Terminal = "T2" })
		s4 := mutate(func(s *pos.Sale) { s.ID = strings.TrimSuffix(s.ID, "-T1") + "-T2" })
		s5 := mutate(func(s *pos.Sale) { s.Tenders[0].Amount -= 1 })
		s6 := mutate(func(s *pos.Sale) { s.Currency = "USD" })
		s7 := mutate(func(s *pos.Sale) { s.Lines[0].Gross += 10; s.Lines[0].Net += 10 })
		r1 := refund
		r1.ID, _ = e.term.Reg.NewID()
		r1.Total += 5
		drawer := func(fn func(ev *pos.DrawerEvent)) pos.DrawerEvent {
			id, err := e.term.Reg.NewID()
			if err != nil {
				t.Fatal(err)
			}
			ev := pos.DrawerEvent{ID: id, Terminal: "T1", Kind: pos.DrawerPayOut, At: sold.At, Amount: 100, Reason: "milk"}
			fn(&ev)
			return ev
		}
		d1 := drawer(func(ev *pos.DrawerEvent) { ev.Reason = "" })
		d2 := drawer(func(ev *pos.DrawerEvent) { ev.Terminal = "T2" })
		d3 := drawer(func(ev *pos.DrawerEvent) { ev.Kind = pos.DrawerNoSale })
		var z pos.Report
		if err := json.Unmarshal(good[5].Body, &z); err != nil {
			t.Fatal(err)
		}
		wrong := []struct {
			rec    wire.Record
			reason string
		}{
			{bad("sale", s1.ID, s1), "do not add up"},
			{bad("sale", s2.ID, s2), "net"},
			{bad("sale", s3.ID, s3), "terminal"},
			{bad("sale", s4.ID, s4), "not of terminal T1"},
			{bad("sale", s5.ID, s5), "tenders add up"},
			{bad("sale", s6.ID, s6), "USD"},
			{bad("sale", s7.ID, s7), "gross"},
			{bad("sale", "X-T1", "just a string"), "not a sale"},
			{bad("sale", s1.ID+"x", s1), "record says"},
			{bad("voucher", "V1-T1", map[string]int{"v": 1}), "unknown kind"},
			{bad("refund", r1.ID, r1), "do not add up"},
			{bad("zreport", "Z9-T1", z), "want Z1-T1"},
			{bad("drawer", d1.ID, d1), "reason"},
			{bad("drawer", d2.ID, d2), "credential is for T1"},
			{bad("drawer", d3.ID, d3), "moves no money"},
			{bad("drawer", d3.ID+"x", d3), "record says"},
		}
		recs := append([]wire.Record(nil), good[:3]...)
		for _, w := range wrong {
			recs = append(recs, w.rec)
		}
		recs = append(recs, good[3:]...)
		resp := e.push(t, recs)
		if len(resp.Acked) != len(good) {
			t.Errorf("acked %v, want the %d good records", resp.Acked, len(good))
		}
		if len(resp.Rejected) != len(wrong) {
			t.Fatalf("rejected %+v, want %d", resp.Rejected, len(wrong))
		}
		for i, r := range resp.Rejected {
			if r.Seq != wrong[i].rec.Seq || r.ID != wrong[i].rec.ID || !strings.Contains(r.Reason, wrong[i].reason) {
				t.Errorf("rejection %d: %+v, want seq %d with %q", i, r, wrong[i].rec.Seq, wrong[i].reason)
			}
		}
		if n := e.stored(t); n != 4 {
			t.Errorf("%d sales stored, want 4", n)
		}
		if n := len(synctest.HQRecords(t, b, pos.RecordRefund, "T1")); n != 1 {
			t.Errorf("%d refunds stored, want 1", n)
		}
		if n := len(synctest.HQRecords(t, b, pos.RecordZReport, "T1")); n != 1 {
			t.Errorf("%d Z reports stored, want 1", n)
		}
	})
}

// TestAuth: a push without a valid credential is 401 and stores nothing.
func TestAuth(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		e := newEnv(t, b, 2)
		other := synctest.Enrol(t, b, "S1", "T2")
		revoked := synctest.Enrol(t, b, "S1", "T3")
		if err := hq.Revoke(ctx, b, nil, "T3", io.Discard); err != nil {
			t.Fatal(err)
		}
		_, secret, _ := strings.Cut(e.token, ".")
		_, otherSecret, _ := strings.Cut(other, ".")
		body := pushBody(t, "T1", e.outbox(t))
		for name, auth := range map[string]string{
			"missing":         "",
			"not bearer":      "Basic " + e.token,
			"no dot":          "Bearer " + strings.ReplaceAll(e.token, ".", ""),
			"empty secret":    "Bearer T1.",
			"wrong secret":    "Bearer T1." + otherSecret,
			"one char off":    "Bearer T1." + secret[:len(secret)-1] + string(secret[len(secret)-1]^1),
			"unknown":         "Bearer T9." + secret,
			"revoked":         "Bearer " + revoked,
			"secret as token": "Bearer " + secret,
		} {
			status, data := e.call(t, "POST", wire.PathPush, auth, body)
			if status != http.StatusUnauthorized {
				t.Errorf("%s: %d %s, want 401", name, status, data)
			}
			if strings.Contains(string(data), secret) {
				t.Errorf("%s: the answer repeats the secret", name)
			}
		}
		// A valid credential of another terminal may not push for T1.
		status, data := e.call(t, "POST", wire.PathPush, "Bearer "+other, body)
		if status != http.StatusForbidden {
			t.Errorf("T2 pushing T1's records: %d %s, want 403", status, data)
		}
		// Nor may T2 slip T1's sales into a push of its own.
		status, data = e.call(t, "POST", wire.PathPush, "Bearer "+other, pushBody(t, "T2", e.outbox(t)))
		var resp wire.PushResponse
		if err := json.Unmarshal(data, &resp); status != http.StatusOK || err != nil || len(resp.Acked) != 0 {
			t.Errorf("T2 pushing T1's sales as its own: %d %s, want all rejected", status, data)
		}
		if n := e.stored(t); n != 0 {
			t.Fatalf("%d sales stored by unauthorized pushes", n)
		}
		for _, path := range []string{wire.PathCatalog, wire.PathWhoAmI} {
			if status, _ := e.call(t, "GET", path, "Bearer T1.nope", nil); status != http.StatusUnauthorized {
				t.Errorf("GET %s with a wrong credential: %d", path, status)
			}
		}
		// Enrolling again replaces the credential: the old one stops working.
		newTok := synctest.Enrol(t, b, "S1", "T1")
		if status, _ := e.call(t, "POST", wire.PathPush, "Bearer "+e.token, body); status != http.StatusUnauthorized {
			t.Errorf("old credential after re-enrolment: %d, want 401", status)
		}
		e.token = newTok
		if resp := e.push(t, e.outbox(t)); len(resp.Acked) != 2 {
			t.Fatalf("push with the new credential: %+v", resp)
		}
		status, data = e.call(t, "GET", wire.PathWhoAmI, "Bearer "+newTok, nil)
		if status != 200 || !strings.Contains(string(data), `"store":"S1"`) {
			t.Errorf("whoami: %d %s", status, data)
		}
	})
}

// TestPushBadRequests: a body too large is 413, a malformed one 400; both
// store nothing at all.
func TestPushBadRequests(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		e := newEnv(t, b, 3)
		recs := e.outbox(t)
		good := pushBody(t, "T1", recs)
		huge := pushBody(t, "T1", append(recs, wire.Record{Seq: 99, Kind: "sale", ID: "big-T1",
			Body: json.RawMessage(`"` + strings.Repeat("x", wire.MaxBody) + `"`)}))
		many := make([]wire.Record, wire.MaxRecords+1)
		for i := range many {
			many[i] = recs[0]
			many[i].Seq = uint64(i + 1)
		}
		dupSeq := append([]wire.Record(nil), recs...)
		dupSeq[1].Seq = dupSeq[0].Seq
		for _, c := range []struct {
			name   string
			body   []byte
			status int
		}{
			{"over 8 MiB", huge, http.StatusRequestEntityTooLarge},
			{"too many records", pushBody(t, "T1", many), http.StatusRequestEntityTooLarge},
			{"truncated", good[:len(good)-10], http.StatusBadRequest},
			{"trailing garbage", append(append([]byte(nil), good...), []byte(`{}`)...), http.StatusBadRequest},
			{"not json", []byte("sales please"), http.StatusBadRequest},
			{"wrong shape", []byte(`{"terminal":"T1","currency":"CNY","records":{"seq":1}}`), http.StatusBadRequest},
			{"no currency", bytes.Replace(good, []byte(`"currency":"CNY"`), []byte(`"currency":""`), 1), http.StatusBadRequest},
			{"sequence twice", pushBody(t, "T1", dupSeq), http.StatusBadRequest},
			{"float money", bytes.Replace(good, []byte(`"due":`), []byte(`"due":0.5,"x":`), 1), 200},
		} {
			status, data := e.call(t, "POST", wire.PathPush, "Bearer "+e.token, c.body)
			if status != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, status, data, c.status)
			}
			if c.status != 200 {
				var we wire.Error
				if json.Unmarshal(data, &we) != nil || we.Error == "" {
					t.Errorf("%s: error body %q is not a wire.Error", c.name, data)
				}
				if n := e.stored(t); n != 0 {
					t.Fatalf("%s: %d sales stored", c.name, n)
				}
			}
		}
		// The float case: the one sale whose due is 0.5 does not decode as
		// minor units and is rejected; the others are stored.
		if n := e.stored(t); n != 2 {
			t.Fatalf("%d sales stored, want 2", n)
		}
		if status, _ := e.call(t, "GET", wire.PathPush, "Bearer "+e.token, nil); status != http.StatusMethodNotAllowed {
			t.Errorf("GET push: %d", status)
		}
	})
}

func TestCatalogPull(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		e := newEnv(t, b, 0)
		csv1 := "sku,barcode,name,price,tax_rate,stock\nTEA,6901234567892,Green tea,3.50,13%,10\nRICE,,Rice,49.90,9%,\nSOAP,,Soap,7.33,13%,\n"
		var out bytes.Buffer
		res, err := hq.ImportCSV(ctx, b, nil, "S1", strings.NewReader(csv1), 2, false, &out)
		if err != nil {
			t.Fatal(err)
		}
		if res.Added != 3 || !strings.Contains(out.String(), "3 added") {
			t.Fatalf("import: %+v %q", res, out.String())
		}
		if _, err := hq.ImportCSV(ctx, b, nil, "S2", strings.NewReader("sku,name,price,tax_rate\nOTHER,Other shop's,1.00,0\n"), 2, false, io.Discard); err != nil {
			t.Fatal(err)
		}
		// A bad file imports nothing and says which lines.
		_, err = hq.ImportCSV(ctx, b, nil, "S1", strings.NewReader("sku,name,price,tax_rate\nA,ok,1.00,0\nB,bad,1.999,0\n"), 2, false, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "line 3") {
			t.Fatalf("bad import: %v", err)
		}
		get := func(q string) wire.CatalogResponse {
			t.Helper()
			status, data := e.call(t, "GET", wire.PathCatalog+q, "Bearer "+e.token, nil)
			if status != 200 {
				t.Fatalf("GET catalog%s: %d %s", q, status, data)
			}
			var cr wire.CatalogResponse
			if err := json.Unmarshal(data, &cr); err != nil {
				t.Fatal(err)
			}
			return cr
		}
		cr := get("")
		if cr.Store != "S1" || len(cr.Changes) != 3 || cr.Cursor != 3 || cr.More {
			t.Fatalf("pull: %+v", cr)
		}
		for _, c := range cr.Changes {
			if c.SKU == "OTHER" {
				t.Fatal("a terminal got another store's catalog")
			}
			if c.SKU == "RICE" && (c.Product.Price != 4990 || c.Product.TaxRate != 900) {
				t.Fatalf("RICE: %+v", c.Product)
			}
		}
		cr = get("?since=1&limit=1")
		if len(cr.Changes) != 1 || cr.Changes[0].Seq != 2 || cr.Cursor != 2 || !cr.More {
			t.Fatalf("page: %+v", cr)
		}
		cr = get("?since=3")
		if len(cr.Changes) != 0 || cr.Cursor != 3 || cr.More {
			t.Fatalf("nothing new: %+v", cr)
		}
		if _, err := hq.ImportCSV(ctx, b, nil, "S1", strings.NewReader("sku,name,price,tax_rate\nTEA,Green tea,3.80,13%\n"), 2, true, io.Discard); err != nil {
			t.Fatal(err)
		}
		cr = get("?since=3")
		var got []string
		for _, c := range cr.Changes {
			got = append(got, fmt.Sprintf("%s:%v", c.SKU, c.Deleted))
		}
		if strings.Join(got, " ") != "RICE:true SOAP:true TEA:false" || cr.Cursor != 6 {
			t.Fatalf("after replace: %v cursor %d", got, cr.Cursor)
		}
		for _, q := range []string{"?since=-1", "?since=x", "?limit=0"} {
			if status, _ := e.call(t, "GET", wire.PathCatalog+q, "Bearer "+e.token, nil); status != 400 {
				t.Errorf("GET catalog%s: %d, want 400", q, status)
			}
		}
	})
}

func TestHealth(t *testing.T) {
	e := newEnv(t, storagetest.Bolt(true).New(t), 0)
	if status, data := e.call(t, "GET", wire.PathHealth, "", nil); status != 200 || string(data) != "ok\n" {
		t.Fatalf("healthz: %d %q", status, data)
	}
}

func TestEnrolPrintsTokenOnce(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	var out bytes.Buffer
	tok, err := hq.Enrol(ctx, b, nil, "S1", "T1", &out)
	if err != nil {
		t.Fatal(err)
	}
	id, secret, ok := strings.Cut(tok, ".")
	if !ok || id != "T1" || len(secret) != 43 || !strings.Contains(out.String(), tok) {
		t.Fatalf("token %q, output %q", tok, out.String())
	}
	term, err := b.Terminal(ctx, "T1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(term.Hash, []byte(secret)) || len(term.Hash) != 32 {
		t.Fatalf("stored %x: want a 32-byte hash, not the secret", term.Hash)
	}
	if _, err := hq.Enrol(ctx, b, nil, "S2", "T1", io.Discard); err == nil {
		t.Fatal("T1 enrolled at a second store")
	}
	for _, bad := range []string{"", "T-1", "T/1", "T 1", strings.Repeat("T", 17)} {
		if _, err := hq.Enrol(ctx, b, nil, "S1", bad, io.Discard); err == nil {
			t.Errorf("terminal %q enrolled", bad)
		}
	}
	tok2, _ := hq.Enrol(ctx, b, nil, "S1", "T2", io.Discard)
	if tok2 == tok || strings.TrimPrefix(tok2, "T2.") == secret {
		t.Fatal("two enrolments got the same secret")
	}
	out.Reset()
	if err := hq.ListTerminals(ctx, b, nil, &out); err != nil || !strings.Contains(out.String(), "T1") || strings.Contains(out.String(), secret) {
		t.Fatalf("list: %v %q", err, out.String())
	}
}
