package bolt_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// TestSetAsideShowAndRequeueAll: one set-aside entry can be read back
// with its record, and all of them go back to the outbox, in their old
// order, in one step.
func TestSetAsideShowAndRequeueAll(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	var ids []string
	for range 4 {
		clk.Add(time.Minute)
		ids = append(ids, sell(t, r, cart(t, "TEA", 1)).ID)
	}
	at := t0.Add(time.Hour)
	for _, q := range []uint64{2, 4} {
		if err := s.SetAside(q, "bad record id", at); err != nil {
			t.Fatal(err)
		}
	}
	e, err := s.SetAsideEntry(4)
	if err != nil {
		t.Fatal(err)
	}
	var sale pos.Sale
	if err := json.Unmarshal(e.Body, &sale); err != nil {
		t.Fatal(err)
	}
	if e.Seq != 4 || e.ID != ids[3] || sale.ID != ids[3] || e.Reason != "bad record id" || !e.At.Equal(at) {
		t.Fatalf("entry %+v, body sale %s", e, sale.ID)
	}
	for _, q := range []uint64{1, 3, 99} { // waiting, or never there
		if _, err := s.SetAsideEntry(q); !errors.Is(err, pos.ErrNotFound) {
			t.Errorf("entry %d: %v", q, err)
		}
	}

	s = reopen(t, s)
	n, err := s.RequeueAll()
	if err != nil || n != 2 {
		t.Fatalf("requeued %d: %v", n, err)
	}
	var seqs []uint64
	for _, e := range pending(t, s) {
		seqs = append(seqs, e.Seq)
	}
	if !slices.Equal(seqs, []uint64{1, 2, 3, 4}) {
		t.Fatalf("outbox %v", seqs)
	}
	if es, _ := s.SetAsideEntries(); len(es) != 0 {
		t.Fatalf("still set aside: %+v", es)
	}
	if st, _ := s.SyncStatus(); st.Unsynced != 4 || st.SetAside != 0 {
		t.Fatalf("status %+v", st)
	}
	if n, err := s.RequeueAll(); err != nil || n != 0 {
		t.Fatalf("second requeue: %d %v", n, err)
	}
}

// TestNewDatabaseRefusesATerminalHeadOfficeWouldRefuse: a database is
// never created under a terminal ID whose sales head office cannot take,
// and no file is left behind.
func TestNewDatabaseRefusesATerminalHeadOfficeWouldRefuse(t *testing.T) {
	for _, id := range []string{"收银1", "T-1", "T 1", "ABCDEFGHIJKLMNOPQ"} {
		path := t.TempDir() + "/till.db"
		ident := testID
		ident.Terminal = id
		s, err := bolt.Open(path, bolt.Options{Identity: ident})
		if err == nil {
			s.Close()
			t.Errorf("%q: database created", id)
			continue
		}
		if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
			t.Errorf("%q: %v, and the file was left behind", id, err)
		}
	}
}
