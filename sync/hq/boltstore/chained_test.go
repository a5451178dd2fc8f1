package boltstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/sync/hq/storage"
)

// A failure between a push's records and its chain head (as a crash
// there would be) leaves neither: the records are not stored under the
// old head, and the head does not move. Before PutRecordsChained the two
// were separate transactions and head office kept the records.
func TestChainedPutFailsWhole(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "hq.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e1 := journal.Append(journal.Entry{}, "sale", "A", at, []byte("a"))
	e2 := journal.Append(e1, "sale", "B", at.Add(time.Second), []byte("b"))
	rec := func(id string) storage.Record {
		return storage.Record{Kind: "sale", ID: id, Store: "S1", Terminal: "T1", At: at, Currency: "CNY", Total: 100, Body: []byte(`{"id":"` + id + `"}`)}
	}
	if _, held, err := s.PutRecordsChained(ctx, []storage.Record{rec("A")}, "T1", nil, e1); err != nil || held != 1 {
		t.Fatalf("first push: held %d, %v", held, err)
	}

	crash := errors.New("power cut after the records")
	afterRecordsPut = func() error { return crash }
	_, _, err = s.PutRecordsChained(ctx, []storage.Record{rec("B")}, "T1", &e1, e2)
	afterRecordsPut = nil
	if !errors.Is(err, crash) {
		t.Fatalf("push with a failure between records and head: %v, want the failure", err)
	}
	var ids []string
	if err := s.Records(ctx, at.Add(-time.Hour), at.Add(time.Hour), func(r storage.Record) error {
		ids = append(ids, r.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != "A" {
		t.Fatalf("records held after the failed push: %v, want [A] only", ids)
	}
	head, ok, err := s.ChainHead(ctx, "T1")
	if err != nil || !ok || head.Seq != 1 || head.Hash != e1.Hash {
		t.Fatalf("chain head after the failed push: %d %v %v, want entry 1", head.Seq, ok, err)
	}

	// The terminal's resend of the same push then stores both.
	res, held, err := s.PutRecordsChained(ctx, []storage.Record{rec("B")}, "T1", &e1, e2)
	if err != nil || held != 2 || res[0] != storage.Stored {
		t.Fatalf("resend: %v held %d, %v", res, held, err)
	}
	if head, _, _ := s.ChainHead(ctx, "T1"); head.Hash != e2.Hash {
		t.Fatalf("chain head after the resend is entry %d, want 2", head.Seq)
	}
}
