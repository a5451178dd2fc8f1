package client_test

import (
	"crypto/ed25519"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Head office keeps each terminal's journal head and refuses a push from
// a database restored from an old copy, or one whose history was
// rewritten, keeping what it has and saying why.
func TestHeadOfficeRefusesAForkedChain(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ storagetest.Harness, b storage.Backend) {
		cb := b.(storage.ChainBackend)
		srv := synctest.StartHQ(t, b)
		tok := synctest.Enrol(t, b, "S1", "T1")
		dir := t.TempDir()
		path, old := filepath.Join(dir, "T1.db"), filepath.Join(dir, "old.db")
		rng := rand.New(rand.NewPCG(3, 4))

		term := synctest.OpenTerminal(t, path, "T1", "S1", true)
		term.MustSell(t, rng, 3)
		if _, err := client.Sync(ctx, term.Store, config(srv.URL, tok)); err != nil {
			t.Fatal(err)
		}
		head, _ := term.Store.JournalHead()
		got, ok, err := cb.ChainHead(ctx, "T1")
		if err != nil || !ok || got.Hash != head.Hash {
			t.Fatalf("head office holds %v (%v, %v), want the terminal's head %d", got.Seq, ok, err, head.Seq)
		}
		term.Store.Close()
		copyFile(t, path, old) // a backup taken now

		term = synctest.OpenTerminal(t, path, "T1", "S1", true)
		term.MustSell(t, rng, 2)
		if _, err := client.Sync(ctx, term.Store, config(srv.URL, tok)); err != nil {
			t.Fatal(err)
		}
		head, _ = term.Store.JournalHead()
		if got, _, _ := cb.ChainHead(ctx, "T1"); got.Seq != head.Seq {
			t.Fatalf("head office holds entry %d, want %d", got.Seq, head.Seq)
		}
		term.Store.Close()
		held := len(synctest.HQRecords(t, b, "sale", "T1"))

		// The backup comes back and sells one sale: its journal is shorter
		// than what head office saw.
		restored := filepath.Join(dir, "restored.db")
		copyFile(t, old, restored)
		r := synctest.OpenTerminal(t, restored, "T1", "S1", true)
		r.MustSell(t, rng, 1)
		res, err := client.Sync(ctx, r.Store, config(srv.URL, tok))
		if err == nil {
			err = res.Err()
		}
		if err == nil || !strings.Contains(err.Error(), "restored from an old copy") {
			t.Fatalf("sync of a restored database: %v, want a refusal naming the restore", err)
		}
		if n := len(synctest.HQRecords(t, b, "sale", "T1")); n != held {
			t.Fatalf("head office took %d sales from the refused push", n-held)
		}
		if got, _, _ := cb.ChainHead(ctx, "T1"); got.Seq != head.Seq || got.Hash != head.Hash {
			t.Fatalf("head office's chain head moved to %d", got.Seq)
		}

		// The backup sells until its journal is longer than head office's:
		// the entries differ from the ones head office saw.
		r.MustSell(t, rng, 4)
		res, err = client.Sync(ctx, r.Store, config(srv.URL, tok))
		if err == nil {
			err = res.Err()
		}
		if err == nil || !strings.Contains(err.Error(), "rewritten or restored") {
			t.Fatalf("sync of a forked journal: %v, want a refusal", err)
		}
		if n := len(synctest.HQRecords(t, b, "sale", "T1")); n != held {
			t.Fatalf("head office took %d sales from the forked push", n-held)
		}

		// The real terminal carries on.
		term = synctest.OpenTerminal(t, path, "T1", "S1", true)
		term.MustSell(t, rng, 1)
		if _, err := client.Sync(ctx, term.Store, config(srv.URL, tok)); err != nil {
			t.Fatalf("the real terminal after the refusals: %v", err)
		}
	})
}

// Staff added at head office reach the terminal with the catalog, PIN
// hash and all, and can log in there.
func TestStaffArriveWithTheCatalog(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ storagetest.Harness, b storage.Backend) {
		sb := b.(storage.StaffBackend)
		srv := synctest.StartHQ(t, b)
		tok := synctest.Enrol(t, b, "S1", "T1")
		importCSV(t, b, "S1", "sku,name,price,tax_rate\nA1,Tea,3.50,13\n")
		h, err := staff.HashPIN("4321")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sb.PutStaff(ctx, "S1", staff.Member{ID: "9", Name: "Dee", Role: "manager", PINHash: h, Badge: "041009", Active: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := sb.PutStaff(ctx, "S1", staff.Member{ID: "10", Name: "Eve", Role: "cashier", PINHash: h, Badge: "041009", Active: true}); err == nil {
			t.Fatal("head office gave one badge to two members")
		}
		importCSV(t, b, "S1", "sku,name,price,tax_rate\nA2,Rice,9.00,9\n")
		term := synctest.NewTerminal(t, "T1", "S1")
		res, err := client.Sync(ctx, term.Store, config(srv.URL, tok))
		if err != nil || res.Err() != nil {
			t.Fatal(err, res.Err())
		}
		m, err := term.Store.Member("9")
		if err != nil || m.Name != "Dee" || m.PINHash != h {
			t.Fatalf("pulled member %+v (%v)", m, err)
		}
		if _, err := term.Store.Product("A2"); err != nil {
			t.Fatalf("goods after the staff change: %v", err)
		}
		if _, err := term.Store.CheckPIN("041009", "4321", "login", time.Now()); err != nil {
			t.Fatalf("login of a pulled member: %v", err)
		}
		// Disabled at head office: the next pull disables them here too.
		m.Active = false
		if _, err := sb.PutStaff(ctx, "S1", m); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Sync(ctx, term.Store, config(srv.URL, tok)); err != nil {
			t.Fatal(err)
		}
		if _, err := term.Store.CheckPIN("9", "4321", "login", time.Now()); !errors.Is(err, staff.ErrOff) {
			t.Fatalf("login of a member disabled at head office: %v", err)
		}
	})
}

// With the terminal's key registered, head office takes its sealed Z
// reports and sets aside one signed by another key.
func TestHeadOfficeChecksZSeals(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ storagetest.Harness, b storage.Backend) {
		srv := synctest.StartHQ(t, b)
		tok := synctest.Enrol(t, b, "S1", "T1")
		term := synctest.NewTerminal(t, "T1", "S1")
		pub, err := term.Store.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := hq.RegisterKey(ctx, b, nil, "T1", journal.PublicKeyText(pub), io.Discard); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(5, 6))
		term.MustSell(t, rng, 2)
		if _, err := term.Store.TakeZ(time.Now(), time.UTC, nil); err != nil {
			t.Fatal(err)
		}
		res, err := client.Sync(ctx, term.Store, config(srv.URL, tok))
		if err != nil || res.Err() != nil || len(synctest.HQRecords(t, b, "zreport", "T1")) != 1 {
			t.Fatalf("sync of a sealed Z: %v %v", err, res.Err())
		}
		other, _ := journal.NewKey()
		if err := hq.RegisterKey(ctx, b, nil, "T1", journal.PublicKeyText(other.Public().(ed25519.PublicKey)), io.Discard); err != nil {
			t.Fatal(err)
		}
		term.MustSell(t, rng, 1)
		if _, err := term.Store.TakeZ(time.Now(), time.UTC, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Sync(ctx, term.Store, config(srv.URL, tok)); err != nil {
			t.Fatal(err)
		}
		aside, err := term.Store.SetAsideEntries()
		if err != nil || len(aside) != 1 || aside[0].Kind != "zreport" || !strings.Contains(aside[0].Reason, "signature does not verify") {
			t.Fatalf("set aside %+v (%v), want the Z report with a signature reason", aside, err)
		}
	})
}
