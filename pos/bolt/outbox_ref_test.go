package bolt

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// Outbox entries refer to the stored record; entries written by earlier
// versions carry a copy of it, and both come out of Pending with a body.
func TestOutboxEntriesReferToTheirRecords(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "o.db"), Options{NoSync: true, Identity: pos.Identity{Terminal: "T1", Currency: "CNY", Exponent: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bSales).Put([]byte("S1-T1"), []byte(`{"id":"S1-T1"}`)); err != nil {
			return err
		}
		if err := enqueue(tx, pos.RecordSale, "S1-T1"); err != nil {
			return err
		}
		ob := tx.Bucket(bOutbox)
		seq, _ := ob.NextSequence()
		return putJSON(ob, u64(seq), pos.OutboxEntry{Seq: seq, Kind: pos.RecordSale, ID: "OLD-T1", Body: json.RawMessage(`{"id":"OLD-T1"}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	var raw []byte
	s.view(func(tx *bbolt.Tx) error { raw = append(raw, tx.Bucket(bOutbox).Get(u64(1))...); return nil })
	if len(raw) > 80 {
		t.Fatalf("the outbox holds a copy of the sale: %s", raw)
	}
	es, err := s.Pending(0, 10)
	if err != nil || len(es) != 2 || string(es[0].Body) != `{"id":"S1-T1"}` || string(es[1].Body) != `{"id":"OLD-T1"}` {
		t.Fatalf("pending %+v %v", es, err)
	}
	// A reference to a record that is not there is corruption, said so.
	s.update(func(tx *bbolt.Tx) error { return enqueue(tx, pos.RecordRefund, "GONE-T1") })
	if _, err := s.Pending(0, 10); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("dangling reference: %v", err)
	}
}
