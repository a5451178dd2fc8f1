package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq/pgstore"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

var ctx = context.Background()

// freshSchema names a schema of the test database that is dropped when
// the test ends.
func freshSchema(t *testing.T) (dsn, schema string) {
	t.Helper()
	dsn = storagetest.PostgresDSN(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema = "till_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return dsn, schema
}

func exec(t *testing.T, dsn, schema, sql string) {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = schema
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

// TestOpenConcurrently: head offices starting at once on an empty
// database all create or find the tables, with no advisory lock.
func TestOpenConcurrently(t *testing.T) {
	dsn, schema := freshSchema(t)
	const n = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("open at the same time as others: %v", err)
		}
	}
}

// TestNoAdvisoryLocks: the schema set-up takes no advisory lock (which
// distributed engines do not share between their nodes): it goes ahead
// while another session holds the one it used to take, and none of its
// statements names one.
func TestNoAdvisoryLocks(t *testing.T) {
	dsn, schema := freshSchema(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7346110)`); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := pgstore.Open(c, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatalf("open while an advisory lock is held elsewhere: %v", err)
	}
	s.Close()
	for _, q := range pgstore.SetupSQL() {
		if strings.Contains(strings.ToLower(q), "advisory") {
			t.Fatalf("schema set-up uses an advisory lock: %s", q)
		}
	}
}

// TestKeysLeadWithStoreOrTerminal: every primary key and unique index,
// and every other index too, starts with the store (shop) or the
// terminal, so a distributed engine spreads the rows instead of piling
// them onto one shard by kind or time.
func TestKeysLeadWithStoreOrTerminal(t *testing.T) {
	dsn, schema := freshSchema(t)
	s, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT c.relname, ic.relname, a.attname
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
		WHERE n.nspname = $1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var table, index, first string
		if err := rows.Scan(&table, &index, &first); err != nil {
			t.Fatal(err)
		}
		seen++
		if first != "shop" && first != "terminal" {
			t.Errorf("%s: index %s leads with %s, not the store or terminal", table, index, first)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen < 12 {
		t.Fatalf("only %d indexes found", seen)
	}
}

// TestUpgradeOldKeys: a head office created with till_records keyed by
// (kind, id) and indexed by time alone is moved to the new keys on Open,
// keeping its records and still answering a resend as a duplicate.
func TestUpgradeOldKeys(t *testing.T) {
	dsn, schema := freshSchema(t)
	exec(t, dsn, "public", "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	exec(t, dsn, schema, `
		CREATE TABLE till_records (kind TEXT NOT NULL, id TEXT NOT NULL, shop TEXT NOT NULL, terminal TEXT NOT NULL,
			at TIMESTAMPTZ NOT NULL, currency TEXT NOT NULL, total BIGINT NOT NULL, tax BIGINT NOT NULL,
			digest BYTEA NOT NULL, body BYTEA NOT NULL, received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
			PRIMARY KEY (kind, id));
		CREATE INDEX till_records_at ON till_records (at);
		INSERT INTO till_records (kind, id, shop, terminal, at, currency, total, tax, digest, body)
			VALUES ('sale', 'A-T1', 'S1', 'T1', '2025-03-03 09:00:00Z', 'CNY', 100, 0, sha256('{"id":"A-T1"}'), '{"id":"A-T1"}')`)
	s, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	res, err := s.PutRecords(ctx, []storage.Record{{Kind: "sale", ID: "A-T1", Store: "S1", Terminal: "T1", At: at,
		Currency: "CNY", Total: 100, Body: []byte(`{"id":"A-T1"}`)}})
	if err != nil || res[0] != storage.Duplicate {
		t.Fatalf("resend after upgrade: %v %v", res, err)
	}
	n := 0
	if err := s.Records(ctx, at, at.Add(time.Hour), func(storage.Record) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("records after upgrade: %d %v", n, err)
	}
	// Opening again finds nothing to do.
	s2, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

// TestSerializableConcurrentTerminals runs head office on PostgreSQL at
// SERIALIZABLE isolation, as a distributed engine would, with terminals
// syncing at once (each with two syncs racing, so the same records are
// inserted by concurrent transactions) while the store's catalog is
// imported over and over. Serialization failures must happen and be
// retried, and head office must end with every sale exactly once.
func TestSerializableConcurrentTerminals(t *testing.T) {
	dsn, schema := freshSchema(t)
	s, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema, Isolation: pgx.Serializable, Attempts: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := synctest.StartHQ(t, s)
	const terminals, sales = 4, 120
	var terms []*synctest.Terminal
	var toks []string
	for i := range terminals {
		id := fmt.Sprintf("T%d", i+1)
		term := synctest.NewTerminal(t, id, "S1")
		toks = append(toks, synctest.Enrol(t, s, "S1", id))
		term.MustSell(t, mrand.New(mrand.NewPCG(uint64(i), 11)), sales)
		terms = append(terms, term)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	imports := 0
	wg.Add(1)
	go func() { // head office reprices while the terminals sync
		defer wg.Done()
		for price := 100; ; price++ {
			select {
			case <-stop:
				return
			default:
			}
			_, err := s.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{{SKU: "TEA", Name: "Tea", Price: pos.Money(price)}}})
			if err != nil {
				t.Errorf("import: %v", err)
				return
			}
			imports++
		}
	}()
	var syncs sync.WaitGroup
	for i, term := range terms {
		for range 2 {
			syncs.Add(1)
			go func() {
				defer syncs.Done()
				cfg := client.Config{URL: srv.URL, Token: toks[i], BatchSize: 10, MinBackoff: time.Millisecond,
					MaxBackoff: 20 * time.Millisecond, HTTPClient: &http.Client{Timeout: 30 * time.Second}}
				if _, err := client.Sync(ctx, term.Store, cfg); err != nil {
					t.Errorf("sync %s: %v", term.ID, err)
				}
			}()
		}
	}
	syncs.Wait()
	close(stop)
	wg.Wait()
	for _, term := range terms {
		synctest.CheckExactlyOnce(t, s, term.Store)
	}
	cs, err := s.Changes(ctx, "S1", 0, 10)
	if err != nil || len(cs) != 1 || cs[0].Seq != uint64(imports) {
		t.Fatalf("catalog after %d imports: %+v %v", imports, cs, err)
	}
	t.Logf("%d transactions retried after serialization failures or deadlocks; %d imports", s.Retries(), imports)
	if s.Retries() == 0 {
		t.Fatal("no transaction was retried: the test did not make concurrent transactions conflict")
	}
}

// TestUpgradeAddsPeopleTables: a head office created before staff, chain
// heads and terminal keys (no till_staff, till_chains or
// till_terminal_keys) gains them on Open, keeping its catalog sequence, so
// the first member takes the change after the last import.
func TestUpgradeAddsPeopleTables(t *testing.T) {
	dsn, schema := freshSchema(t)
	s, err := pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{{SKU: "TEA", Name: "Tea", Price: 350}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Enrol(ctx, storage.Terminal{ID: "T1", Store: "S1", Hash: storage.Digest([]byte("x")), Enrolled: time.Now()}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	exec(t, dsn, schema, `DROP TABLE till_staff; DROP TABLE till_chains; DROP TABLE till_terminal_keys`)

	s, err = pgstore.Open(ctx, dsn, pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seq, err := s.PutStaff(ctx, "S1", staff.Member{ID: "1", Name: "Ann", Role: "manager", PINHash: "h", Active: true})
	if err != nil || seq != 2 {
		t.Fatalf("first member after the upgrade: change %d %v, want 2", seq, err)
	}
	cs, err := s.Changes(ctx, "S1", 0, 10)
	if err != nil || len(cs) != 2 || cs[0].SKU != "TEA" || cs[1].Staff == nil || cs[1].Staff.Name != "Ann" {
		t.Fatalf("changes after the upgrade: %+v %v", cs, err)
	}
	e := journal.Append(journal.Entry{}, "sale", "A-T1", time.Now(), []byte("a"))
	if err := s.PutChainHead(ctx, "T1", e); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.ChainHead(ctx, "T1"); err != nil || !ok || got.Hash != e.Hash {
		t.Fatalf("chain head after the upgrade: %v %v", ok, err)
	}
	if err := s.PutTerminalKey(ctx, "T1", "ed25519:AAAA"); err != nil {
		t.Fatal(err)
	}
	if k, err := s.TerminalKey(ctx, "T1"); err != nil || k != "ed25519:AAAA" {
		t.Fatalf("key after the upgrade: %q %v", k, err)
	}
}
