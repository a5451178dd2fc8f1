package bolt

import (
	"encoding/binary"
	"fmt"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// enqueue queues a stored record for head office. The entry refers to
// the record rather than copying it: a sale's commit writes its body
// once, and Pending reads it back from where it is kept.
func enqueue(tx *bbolt.Tx, kind, id string) error {
	b := tx.Bucket(bOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(b, u64(seq), pos.OutboxEntry{Seq: seq, Kind: kind, ID: id})
}

// fillBody gives an entry the body of the record it refers to; entries
// of earlier versions carry their own copy already.
func fillBody(tx *bbolt.Tx, e *pos.OutboxEntry) error {
	if len(e.Body) > 0 {
		return nil
	}
	body, err := recordBody(tx, *e)
	e.Body = body
	return err
}

// recordBody returns a copy of the stored record an outbox entry refers to.
func recordBody(tx *bbolt.Tx, e pos.OutboxEntry) ([]byte, error) {
	var v []byte
	switch e.Kind {
	case pos.RecordSale:
		v = tx.Bucket(bSales).Get([]byte(e.ID))
	case pos.RecordRefund:
		v = tx.Bucket(bRefunds).Get([]byte(e.ID))
	case pos.RecordZReport:
		if n, ok := pos.ZReportNumber(e.ID); ok {
			v = tx.Bucket(bZReports).Get(u64(n))
		}
	}
	if v == nil {
		return nil, fmt.Errorf("%w: outbox entry %d: %s %s is missing", ErrCorrupt, e.Seq, e.Kind, e.ID)
	}
	return append([]byte(nil), v...), nil
}

// Pending returns up to limit outbox entries after seq, in order.
func (s *Store) Pending(after uint64, limit int) ([]pos.OutboxEntry, error) {
	var out []pos.OutboxEntry
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bOutbox).Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var e pos.OutboxEntry
			if err := decode(k, v, &e); err != nil {
				return err
			}
			if err := fillBody(tx, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Ack removes delivered entries from the outbox.
func (s *Store) Ack(seqs ...uint64) error {
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bOutbox)
		for _, q := range seqs {
			if err := b.Delete(u64(q)); err != nil {
				return err
			}
		}
		return nil
	})
}

// OutboxCounts returns how many sales and other records wait to be sent.
// It walks only the outbox, so it grows with unsynced work, not history.
func (s *Store) OutboxCounts() (sales, total int, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bOutbox).ForEach(func(k, v []byte) error {
			total++
			var e struct {
				Kind string `json:"kind"`
			}
			if err := decode(k, v, &e); err != nil {
				return err
			}
			if e.Kind == pos.RecordSale {
				sales++
			}
			return nil
		})
	})
	return sales, total, err
}

func seqOf(k []byte) uint64 { return binary.BigEndian.Uint64(k) }
