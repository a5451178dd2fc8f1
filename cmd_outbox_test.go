package main

import (
	"context"
	"crypto/rand"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
)

// TestNonASCIITerminalIsRefused: a terminal ID head office would refuse
// in every record is refused where it is chosen, in words, and nothing is
// created.
func TestNonASCIITerminalIsRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "till.toml")
	os.WriteFile(cfg, []byte("terminal = \"收银1\"\n"), 0o600)
	db := filepath.Join(dir, "till.db")
	oneLineError(t, till(t, db, "--config", cfg, "sales"), `config terminal: terminal ID "收银1" is not ASCII`)
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("a database was created: %v", err)
	}

	hqdb := filepath.Join(dir, "hq.db")
	oneLineError(t, till(t, db, "hq", "enrol", "--storage", hqdb, "--store", "S1", "--terminal", "收银1"), "not ASCII")
	r := till(t, db, "hq", "terminals", "--storage", hqdb)
	if strings.Contains(r.out, "收银1") {
		t.Fatalf("enrolled anyway:\n%s", r.out)
	}
}

// headOffice serves a bbolt head office on loopback, in the test, with
// terminal T1 of store S1 enrolled, and writes the till's config for it.
func headOffice(t *testing.T) (storage.Backend, string) {
	t.Helper()
	b := storagetest.Bolt(true).New(t)
	srv := httptest.NewServer(hq.NewServer(b, hq.Options{}))
	t.Cleanup(srv.Close)
	token, err := hq.Enrol(context.Background(), b, nil, "S1", "T1", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tokenFile, cfg := filepath.Join(dir, "token"), filepath.Join(dir, "till.toml")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[hq]\nurl = \""+srv.URL+"\"\ntoken_file = \""+tokenFile+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return b, cfg
}

// hqSales is the IDs of the sales head office holds.
func hqSales(t *testing.T, b storage.Backend) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	err := b.Records(context.Background(), time.Unix(0, 0), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), func(r storage.Record) error {
		if r.Kind == pos.RecordSale {
			ids[r.ID] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// withStore opens the terminal's database in the test, as nothing else
// runs: for what no command does, such as storing a bad sale.
func withStore(t *testing.T, db string, fn func(s *bolt.Store)) {
	t.Helper()
	s, err := bolt.Open(db, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fn(s)
}

// TestSyncSaysWhatIsSetAsideAndOutboxSendsItAgain: a record head office
// refuses makes till sync fail in one line; till outbox lists and shows
// it; after retry the next sync sends what head office now takes.
func TestSyncSaysWhatIsSetAsideAndOutboxSendsItAgain(t *testing.T) {
	b, cfg := headOffice(t)
	db := newDB(t)
	sold := saleID(t, mustOK(t, till(t, db, "sell", "--item", "SKU1001:2")))

	// A sale whose totals do not add up, stored behind the register's back
	// (a register checks a sale before storing it, so no command can).
	var bad pos.Sale
	withStore(t, db, func(s *bolt.Store) {
		good, err := s.Sale(sold)
		if err != nil {
			t.Fatal(err)
		}
		bad = good
		if bad.ID, err = pos.NewSaleID(time.Now(), "T1", rand.Reader); err != nil {
			t.Fatal(err)
		}
		bad.Total++
		bad.Lines = append([]pos.PricedLine(nil), good.Lines...)
		if err := s.CompleteSale(&bad); err != nil {
			t.Fatal(err)
		}
	})
	mustOK(t, till(t, db, "sell", "--item", "SKU1002"))

	r := till(t, db, "--config", cfg, "sync", "-q")
	oneLineError(t, r, "1 record(s) set aside, not at head office (totals do not add up")
	if r.code != 1 || !strings.Contains(r.out, "sent 2, set aside 1") {
		t.Fatalf("exit %d, out %q", r.code, r.out)
	}
	if got := hqSales(t, b); len(got) != 2 || got[bad.ID] {
		t.Fatalf("head office holds %v", got)
	}

	list := mustOK(t, till(t, db, "outbox", "list"))
	m := regexp.MustCompile(`(?m)^(\d+)\tsale\t` + regexp.QuoteMeta(bad.ID) + `\t.*totals do not add up`).FindStringSubmatch(list)
	if m == nil || !strings.HasPrefix(list, "0 waiting to be sent, 1 set aside") {
		t.Fatalf("list:\n%s", list)
	}
	seq := m[1]
	show := mustOK(t, till(t, db, "outbox", "show", seq))
	if !strings.Contains(show, "record "+seq+": sale "+bad.ID+", set aside") || !strings.Contains(show, `"id": "`+bad.ID+`"`) {
		t.Fatalf("show:\n%s", show)
	}
	oneLineError(t, till(t, db, "outbox", "show", "999"), "no record 999")
	oneLineError(t, till(t, db, "outbox", "retry", "999"), "not set aside")
	if r := till(t, db, "outbox", "retry"); r.code != 2 {
		t.Fatalf("retry without records: exit %d", r.code)
	}

	// The bad sale sent again is refused again: still set aside, still
	// failing, nothing lost.
	if out := mustOK(t, till(t, db, "outbox", "retry", seq)); !strings.Contains(out, "1 record(s) put back") {
		t.Fatalf("retry: %s", out)
	}
	if !strings.HasPrefix(mustOK(t, till(t, db, "outbox", "list")), "1 waiting to be sent, 0 set aside") {
		t.Fatal("the retried record is not waiting")
	}
	oneLineError(t, till(t, db, "--config", cfg, "sync", "-q"), "1 record(s) set aside")

	// Records an earlier head office refused for a cause since fixed (as
	// the ASCII-only record IDs were for a terminal named otherwise) go
	// when put back.
	third := saleID(t, mustOK(t, till(t, db, "sell", "--item", "SKU1003")))
	withStore(t, db, func(s *bolt.Store) {
		es, err := s.Pending(0, 10)
		if err != nil || len(es) != 1 || es[0].ID != third {
			t.Fatalf("outbox %+v %v", es, err)
		}
		if err := s.SetAside(es[0].Seq, "bad record id", time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	oneLineError(t, till(t, db, "--config", cfg, "sync", "-q"), "2 record(s) set aside")
	if out := mustOK(t, till(t, db, "outbox", "retry", "--all")); !strings.Contains(out, "2 record(s) put back") {
		t.Fatalf("retry --all: %s", out)
	}
	r = till(t, db, "--config", cfg, "sync", "-q")
	if !strings.Contains(r.out, "sent 1, set aside 1") {
		t.Fatalf("sync after the fix: %q %q", r.out, r.err)
	}
	if got := hqSales(t, b); len(got) != 3 || !got[third] || got[bad.ID] {
		t.Fatalf("head office holds %v", got)
	}
	oneLineError(t, r, "1 record(s) set aside")
}

var receiptID = regexp.MustCompile(`[0-9A-HJKMNP-TV-Z]{26}-T1`)

func saleID(t *testing.T, receipt string) string {
	t.Helper()
	id := receiptID.FindString(receipt)
	if id == "" {
		t.Fatalf("no sale ID in:\n%s", receipt)
	}
	return id
}
