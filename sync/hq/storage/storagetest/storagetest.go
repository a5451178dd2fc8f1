// Package storagetest is the conformance suite every head-office storage
// passes, and the harnesses that open the two real ones for tests: a bbolt
// file in a temporary directory, and a fresh schema in the PostgreSQL
// server named by $TILL_TEST_PG.
package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq/boltstore"
	"github.com/tillpos/till/sync/hq/pgstore"
	"github.com/tillpos/till/sync/hq/storage"
)

// Harness opens backends for a test.
type Harness struct {
	Name string
	// New returns a backend over empty storage that the test owns; it is
	// closed and removed when the test ends.
	New func(t testing.TB) storage.Backend
	// Reopen closes b and opens the same storage again, as a restarted
	// head office would.
	Reopen func(t testing.TB, b storage.Backend) storage.Backend
}

// Bolt opens bbolt files in the test's temporary directory. noSync is for
// tests whose speed matters more than durability.
func Bolt(noSync bool) Harness {
	paths := map[storage.Backend]string{}
	var mu sync.Mutex
	open := func(t testing.TB, path string) storage.Backend {
		s, err := boltstore.Open(path, boltstore.Options{NoSync: noSync})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		paths[s] = path
		mu.Unlock()
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	return Harness{
		Name: "bolt",
		New: func(t testing.TB) storage.Backend {
			return open(t, filepath.Join(t.TempDir(), "hq.db"))
		},
		Reopen: func(t testing.TB, b storage.Backend) storage.Backend {
			mu.Lock()
			path := paths[b]
			mu.Unlock()
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			return open(t, path)
		},
	}
}

// PostgresDSN returns $TILL_TEST_PG. Without it the test is skipped, but
// under CI (CI=true) it fails: CI must run the PostgreSQL tests, and
// sync/README-ci.sh prints the DSN to export.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TILL_TEST_PG")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TILL_TEST_PG is not set: CI must run the PostgreSQL tests; export TILL_TEST_PG=\"$(bash sync/README-ci.sh)\"")
		}
		t.Skip("TILL_TEST_PG is not set; run sync/README-ci.sh and export the DSN it prints to run the PostgreSQL tests")
	}
	return dsn
}

// Postgres opens each backend in a fresh schema of the $TILL_TEST_PG
// database, dropped when the test ends.
func Postgres() Harness {
	schemas := map[storage.Backend]string{}
	var mu sync.Mutex
	open := func(t testing.TB, dsn, schema string) storage.Backend {
		s, err := pgstore.Open(context.Background(), dsn, pgstore.Options{Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		schemas[s] = schema
		mu.Unlock()
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	return Harness{
		Name: "postgres",
		New: func(t testing.TB) storage.Backend {
			dsn := PostgresDSN(t)
			var b [6]byte
			_, _ = rand.Read(b[:])
			schema := "till_test_" + hex.EncodeToString(b[:])
			t.Cleanup(func() { dropSchema(t, dsn, schema) })
			return open(t, dsn, schema)
		},
		Reopen: func(t testing.TB, b storage.Backend) storage.Backend {
			mu.Lock()
			schema := schemas[b]
			mu.Unlock()
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			return open(t, PostgresDSN(t), schema)
		},
	}
}

func dropSchema(t testing.TB, dsn, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}

// Harnesses returns both real storages, for suites that run against each.
func Harnesses() []Harness { return []Harness{Bolt(true), Postgres()} }

// Run is the conformance suite.
func Run(t *testing.T, h Harness) {
	t.Run("Terminals", func(t *testing.T) { testTerminals(t, h) })
	t.Run("Records", func(t *testing.T) { testRecords(t, h) })
	t.Run("RecordsRange", func(t *testing.T) { testRecordsRange(t, h) })
	t.Run("RecordsConcurrent", func(t *testing.T) { testRecordsConcurrent(t, h) })
	t.Run("Catalog", func(t *testing.T) { testCatalog(t, h) })
	t.Run("CatalogRejects", func(t *testing.T) { testCatalogRejects(t, h) })
	t.Run("Reopen", func(t *testing.T) { testReopen(t, h) })
	t.Run("Refusals", func(t *testing.T) { testRefusals(t, h) })
	runPeople(t, h) // people.go
}

func testRefusals(t *testing.T, h Harness) {
	b := h.New(t)
	got, err := b.Refusals(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("refusals of a new head office: %v %v", got, err)
	}
	must(t, b.AddRefusals(ctx, []storage.Refusal{
		{Terminal: "T1", Reason: "wrong credential", Count: 3, Last: t0.Add(time.Minute)},
		{Terminal: "", Reason: "unknown terminal", Count: 1, Last: t0},
	}))
	must(t, b.AddRefusals(ctx, []storage.Refusal{
		{Terminal: "T1", Reason: "wrong credential", Count: 2, Last: t0}, // earlier: Last stays
		{Terminal: "T1", Reason: "record rejected", Count: 5, Last: t0.Add(time.Hour)},
	}))
	b = h.Reopen(t, b)
	got, err = b.Refusals(ctx)
	must(t, err)
	want := []storage.Refusal{
		{Terminal: "", Reason: "unknown terminal", Count: 1, Last: t0},
		{Terminal: "T1", Reason: "record rejected", Count: 5, Last: t0.Add(time.Hour)},
		{Terminal: "T1", Reason: "wrong credential", Count: 5, Last: t0.Add(time.Minute)},
	}
	if len(got) != len(want) {
		t.Fatalf("refusals %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Terminal != want[i].Terminal || got[i].Reason != want[i].Reason || got[i].Count != want[i].Count || !got[i].Last.Equal(want[i].Last) {
			t.Errorf("refusal %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

var (
	ctx = context.Background()
	// t0 is a whole second, so it survives PostgreSQL's microseconds.
	t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
)

func testTerminals(t *testing.T, h Harness) {
	b := h.New(t)
	if _, err := b.Terminal(ctx, "T1"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown terminal: got %v, want ErrNotFound", err)
	}
	h1, h2 := storage.Digest([]byte("one")), storage.Digest([]byte("two"))
	must(t, b.Enrol(ctx, storage.Terminal{ID: "T2", Store: "S1", Hash: h1, Enrolled: t0}))
	must(t, b.Enrol(ctx, storage.Terminal{ID: "T1", Store: "S1", Hash: h1, Enrolled: t0}))
	got, err := b.Terminal(ctx, "T1")
	must(t, err)
	if got.ID != "T1" || got.Store != "S1" || !bytes.Equal(got.Hash, h1) || !got.Enrolled.Equal(t0) || !got.Active() {
		t.Fatalf("terminal = %+v", got)
	}
	if err := b.Enrol(ctx, storage.Terminal{ID: "T1", Store: "S2", Hash: h2, Enrolled: t0}); !errors.Is(err, storage.ErrEnrolled) {
		t.Fatalf("enrol at another store: got %v, want ErrEnrolled", err)
	}
	if got, _ := b.Terminal(ctx, "T1"); !bytes.Equal(got.Hash, h1) {
		t.Fatal("a refused enrolment changed the credential")
	}
	must(t, b.Revoke(ctx, "T1", t0.Add(time.Hour)))
	got, err = b.Terminal(ctx, "T1")
	must(t, err)
	if got.Active() || !got.Revoked.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after revoke: %+v", got)
	}
	if err := b.Revoke(ctx, "T9", t0); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("revoke unknown: got %v, want ErrNotFound", err)
	}
	// Enrolling again rotates the credential and lifts the revocation.
	must(t, b.Enrol(ctx, storage.Terminal{ID: "T1", Store: "S1", Hash: h2, Enrolled: t0.Add(2 * time.Hour)}))
	got, err = b.Terminal(ctx, "T1")
	must(t, err)
	if !got.Active() || !bytes.Equal(got.Hash, h2) || !got.Enrolled.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("after re-enrol: %+v", got)
	}
	all, err := b.Terminals(ctx)
	must(t, err)
	if len(all) != 2 || all[0].ID != "T1" || all[1].ID != "T2" {
		t.Fatalf("terminals = %+v", all)
	}
}

func rec(kind, id string, at time.Time, total pos.Money, body string) storage.Record {
	return storage.Record{Kind: kind, ID: id, Store: "S1", Terminal: "T1", At: at, Currency: "CNY",
		Total: total, Tax: total / 10, Body: []byte(body)}
}

func results(t *testing.T, b storage.Backend, recs ...storage.Record) []storage.PutResult {
	t.Helper()
	res, err := b.PutRecords(ctx, recs)
	must(t, err)
	if len(res) != len(recs) {
		t.Fatalf("%d results for %d records", len(res), len(recs))
	}
	return res
}

func all(t *testing.T, b storage.Backend) []storage.Record {
	t.Helper()
	var out []storage.Record
	must(t, b.Records(ctx, time.Unix(0, 0), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), func(r storage.Record) error {
		out = append(out, r)
		return nil
	}))
	return out
}

func testRecords(t *testing.T, h Harness) {
	b := h.New(t)
	// Bodies are kept byte for byte: spacing, key order and wide
	// characters as the terminal sent them.
	body := "{\"id\": \"A\",  \"name\":\"绿茶\", \"total\":1000000000000000}"
	big := pos.Money(1_000_000_000_000_000)
	a := rec("sale", "A", t0, big, body)
	bb := rec("sale", "B", t0.Add(time.Second), 200, `{"id":"B"}`)
	r := rec("refund", "C", t0.Add(2*time.Second), -50, `{"id":"C"}`)
	if got := results(t, b, a, bb, r); !slices.Equal(got, []storage.PutResult{storage.Stored, storage.Stored, storage.Stored}) {
		t.Fatalf("first put: %v", got)
	}
	// A resend is a duplicate; the same ID with other content conflicts;
	// the same ID under another kind is another record.
	changed := bb
	changed.Body = []byte(`{"id":"B","total":999}`)
	otherKind := rec("zreport", "A", t0, 1, `{"z":1}`)
	got := results(t, b, a, changed, otherKind, otherKind)
	want := []storage.PutResult{storage.Duplicate, storage.Conflict, storage.Stored, storage.Duplicate}
	if !slices.Equal(got, want) {
		t.Fatalf("second put: %v, want %v", got, want)
	}
	recs := all(t, b)
	if len(recs) != 4 {
		t.Fatalf("%d records stored, want 4", len(recs))
	}
	var first storage.Record
	for _, r := range recs {
		if r.Kind == "sale" && r.ID == "A" {
			first = r
		}
		if r.Kind == "sale" && r.ID == "B" && string(r.Body) != `{"id":"B"}` {
			t.Fatalf("a conflicting put changed B: %s", r.Body)
		}
	}
	if string(first.Body) != body || first.Total != big || first.Tax != big/10 || first.Store != "S1" ||
		first.Terminal != "T1" || first.Currency != "CNY" || !first.At.Equal(t0) {
		t.Fatalf("record A came back as %+v (body %s)", first, first.Body)
	}
	if got := results(t, b); len(got) != 0 {
		t.Fatalf("empty put: %v", got)
	}
}

func testRecordsRange(t *testing.T, h Harness) {
	b := h.New(t)
	day := t0.Truncate(24 * time.Hour)
	var recs []storage.Record
	// Out of time order on purpose; two at the same instant.
	for i, off := range []time.Duration{25 * time.Hour, time.Hour, 0, 24 * time.Hour, -time.Microsecond, time.Hour, 24*time.Hour - time.Microsecond} {
		recs = append(recs, rec("sale", fmt.Sprintf("R%d", i), day.Add(off), pos.Money(i), fmt.Sprintf(`{"i":%d}`, i)))
	}
	results(t, b, recs...)
	var ids []string
	must(t, b.Records(ctx, day, day.Add(24*time.Hour), func(r storage.Record) error {
		ids = append(ids, r.ID)
		return nil
	}))
	want := []string{"R2", "R1", "R5", "R6"}
	if !slices.Equal(ids, want) {
		t.Fatalf("records of the day: %v, want %v (from included, to excluded, in time order)", ids, want)
	}
	stop := errors.New("stop")
	n := 0
	err := b.Records(ctx, day, day.Add(24*time.Hour), func(storage.Record) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("fn's error: got %v after %d calls", err, n)
	}
}

func testRecordsConcurrent(t *testing.T, h Harness) {
	b := h.New(t)
	const writers, perBatch, batches = 4, 20, 5
	var mu sync.Mutex
	stored := map[string]int{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range batches {
				// Every writer sends the same IDs in a different order.
				var recs []storage.Record
				for i := range perBatch {
					j := (i + w*7) % perBatch
					id := fmt.Sprintf("B%d-%02d", n, j)
					recs = append(recs, rec("sale", id, t0.Add(time.Duration(j)*time.Second), pos.Money(j), `{"id":"`+id+`"}`))
				}
				res, err := b.PutRecords(ctx, recs)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for i, r := range res {
					switch r {
					case storage.Stored:
						stored[recs[i].ID]++
					case storage.Conflict:
						t.Errorf("%s: conflict", recs[i].ID)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(stored) != perBatch*batches {
		t.Fatalf("%d IDs stored, want %d", len(stored), perBatch*batches)
	}
	for id, n := range stored {
		if n != 1 {
			t.Errorf("%s stored %d times", id, n)
		}
	}
	if got := len(all(t, b)); got != perBatch*batches {
		t.Fatalf("%d records, want %d", got, perBatch*batches)
	}
}

func product(sku string, price pos.Money, barcodes ...string) pos.Product {
	return pos.Product{SKU: sku, Name: "Goods " + sku, Price: price, TaxRate: 1300, Barcodes: barcodes, TrackStock: true, Stock: 10}
}

func changes(t *testing.T, b storage.Backend, store string, since uint64, limit int) []storage.Change {
	t.Helper()
	cs, err := b.Changes(ctx, store, since, limit)
	must(t, err)
	return cs
}

func summary(cs []storage.Change) string {
	var buf bytes.Buffer
	for _, c := range cs {
		if c.Product == nil {
			fmt.Fprintf(&buf, "%d:%s:deleted ", c.Seq, c.SKU)
		} else {
			fmt.Fprintf(&buf, "%d:%s:%d ", c.Seq, c.SKU, c.Product.Price)
		}
	}
	return buf.String()
}

func testCatalog(t *testing.T, h Harness) {
	b := h.New(t)
	if cs := changes(t, b, "S1", 0, 100); len(cs) != 0 {
		t.Fatalf("empty catalog has changes %v", summary(cs))
	}
	res, err := b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{
		product("TEA", 350, "6901234567892"), product("RICE", 4990), product("APPLE", 1200),
	}})
	must(t, err)
	if res != (storage.ImportResult{Added: 3, Seq: 3}) {
		t.Fatalf("first import: %+v", res)
	}
	if got, want := summary(changes(t, b, "S1", 0, 100)), "1:APPLE:1200 2:RICE:4990 3:TEA:350 "; got != want {
		t.Fatalf("changes = %q, want %q", got, want)
	}
	tea := changes(t, b, "S1", 2, 100)[0].Product
	if tea == nil || !slices.Equal(tea.Barcodes, []string{"6901234567892"}) || tea.TaxRate != 1300 || !tea.TrackStock || tea.Stock != 10 {
		t.Fatalf("TEA came back as %+v", tea)
	}
	// The same goods again change nothing and take no sequence number.
	res, err = b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("TEA", 350, "6901234567892"), product("RICE", 4990)}})
	must(t, err)
	if res != (storage.ImportResult{Unchanged: 2, Seq: 3}) {
		t.Fatalf("same import: %+v", res)
	}
	// A price change moves that SKU to the end; a delete leaves a tombstone.
	res, err = b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("TEA", 399, "6901234567892")}, Delete: []string{"APPLE", "NOPE"}})
	must(t, err)
	if res != (storage.ImportResult{Updated: 1, Deleted: 1, Seq: 5}) {
		t.Fatalf("update import: %+v", res)
	}
	if got, want := summary(changes(t, b, "S1", 3, 100)), "4:APPLE:deleted 5:TEA:399 "; got != want {
		t.Fatalf("changes since 3 = %q, want %q", got, want)
	}
	if got, want := summary(changes(t, b, "S1", 0, 100)), "2:RICE:4990 4:APPLE:deleted 5:TEA:399 "; got != want {
		t.Fatalf("changes since 0 = %q, want %q (latest state per SKU only)", got, want)
	}
	// Paging.
	if got, want := summary(changes(t, b, "S1", 0, 2)), "2:RICE:4990 4:APPLE:deleted "; got != want {
		t.Fatalf("first page = %q, want %q", got, want)
	}
	if got := changes(t, b, "S1", 5, 100); len(got) != 0 {
		t.Fatalf("changes after the cursor: %v", summary(got))
	}
	// Stores have their own sequences; a deleted SKU can come back.
	res, err = b.ImportCatalog(ctx, "S2", storage.CatalogImport{Put: []pos.Product{product("TEA", 300, "6901234567892")}})
	must(t, err)
	if res != (storage.ImportResult{Added: 1, Seq: 1}) {
		t.Fatalf("S2 import: %+v", res)
	}
	res, err = b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("APPLE", 1100)}, Replace: true})
	must(t, err)
	if res != (storage.ImportResult{Added: 1, Deleted: 2, Seq: 8}) {
		t.Fatalf("replace import: %+v", res)
	}
	if got, want := summary(changes(t, b, "S1", 0, 100)), "6:APPLE:1100 7:RICE:deleted 8:TEA:deleted "; got != want {
		t.Fatalf("after replace = %q, want %q", got, want)
	}
	if got, want := summary(changes(t, b, "S2", 0, 100)), "1:TEA:300 "; got != want {
		t.Fatalf("S2 = %q, want %q", got, want)
	}
}

func testCatalogRejects(t *testing.T, h Harness) {
	b := h.New(t)
	_, err := b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("TEA", 350, "6901234567892"), product("RICE", 4990, "RICE-5KG")}})
	must(t, err)
	before := summary(changes(t, b, "S1", 0, 100))
	bad := []storage.CatalogImport{
		{Put: []pos.Product{product("COFFEE", 800, "6901234567892")}},                     // barcode of TEA
		{Put: []pos.Product{product("A", 1, "X1"), product("B", 2, "X1")}},                // barcode twice
		{Put: []pos.Product{product("OK", 100), {SKU: "BAD", Name: "", Price: -1}}},       // invalid goods
		{Put: []pos.Product{product("DUP", 100), product("DUP", 200)}},                    // SKU twice
		{Put: []pos.Product{product("RICE", 5000, "RICE-5KG")}, Delete: []string{"RICE"}}, // put and delete
	}
	for i, imp := range bad {
		if _, err := b.ImportCatalog(ctx, "S1", imp); err == nil {
			t.Errorf("bad import %d accepted", i)
		}
	}
	if after := summary(changes(t, b, "S1", 0, 100)); after != before {
		t.Fatalf("a refused import changed the catalog: %q -> %q", before, after)
	}
	// A barcode can move between goods in one import.
	_, err = b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("TEA", 350, "RICE-5KG"), product("RICE", 4990, "6901234567892")}})
	must(t, err)
	// Deleting goods frees their barcodes.
	_, err = b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("COFFEE", 800, "RICE-5KG")}, Delete: []string{"TEA"}})
	must(t, err)
}

func testReopen(t *testing.T, h Harness) {
	b := h.New(t)
	must(t, b.Enrol(ctx, storage.Terminal{ID: "T1", Store: "S1", Hash: storage.Digest([]byte("x")), Enrolled: t0}))
	results(t, b, rec("sale", "A", t0, 100, `{"id":"A"}`))
	_, err := b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("TEA", 350)}})
	must(t, err)
	b = h.Reopen(t, b)
	if _, err := b.Terminal(ctx, "T1"); err != nil {
		t.Fatal(err)
	}
	if got := results(t, b, rec("sale", "A", t0, 100, `{"id":"A"}`)); got[0] != storage.Duplicate {
		t.Fatalf("resend after reopen: %v", got[0])
	}
	res, err := b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("RICE", 4990)}})
	must(t, err)
	if res.Seq != 2 {
		t.Fatalf("sequence after reopen: %d, want 2", res.Seq)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
