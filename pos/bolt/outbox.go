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
		var n uint64
		if _, err := fmt.Sscanf(e.ID, "Z%d-", &n); err == nil {
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

// OutboxCounts returns how many sales wait to be sent and how many
// records of every kind (sales, refunds, Z reports) do. The counter's
// "unsynced" figure is total, not sales. It walks only the outbox, so it
// grows with unsynced work, not history.
func (s *Store) OutboxCounts() (sales, total int, err error) {
	var c pos.OutboxCount
	err = s.view(func(tx *bbolt.Tx) error {
		var err error
		c, err = countOutbox(tx)
		return err
	})
	return c.Sales, c.Total(), err
}

// countOutbox counts the outbox by kind of record.
func countOutbox(tx *bbolt.Tx) (pos.OutboxCount, error) {
	var c pos.OutboxCount
	err := tx.Bucket(bOutbox).ForEach(func(k, v []byte) error {
		var e struct {
			Kind string `json:"kind"`
		}
		if err := decode(k, v, &e); err != nil {
			return err
		}
		switch e.Kind {
		case pos.RecordSale:
			c.Sales++
		case pos.RecordRefund:
			c.Refunds++
		case pos.RecordZReport:
			c.ZReports++
		default:
			c.Other++
		}
		return nil
	})
	return c, err
}

func seqOf(k []byte) uint64 { return binary.BigEndian.Uint64(k) }
