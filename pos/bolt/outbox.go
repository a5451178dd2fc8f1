package bolt

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// enqueue queues a stored record for head office. The entry refers to
// the record rather than copying it: a sale's commit writes its body
// once, and Pending reads it back from where it is kept.
func enqueue(tx *bbolt.Tx, kind, id string) error {
	b := appendOnly(tx.Bucket(bOutbox))
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

// recordBody returns a copy of the JSON of the stored record an outbox
// entry refers to, without its checksum.
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
	case pos.RecordDrawer:
		v = drawerBody(tx, e.ID)
	}
	if v == nil {
		return nil, fmt.Errorf("%w: outbox entry %d: %s %s is missing", ErrCorrupt, e.Seq, e.Kind, e.ID)
	}
	body, err := openRecord(v) // head office gets the record's JSON, checked
	if err != nil {
		return nil, fmt.Errorf("%w: outbox entry %d: %s %s: %w", ErrCorrupt, e.Seq, e.Kind, e.ID, err)
	}
	return append([]byte(nil), body...), nil
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
		case pos.RecordDrawer:
			c.Drawer++
		default:
			c.Other++
		}
		return nil
	})
	return c, err
}

// SetAsideEntry is an outbox entry head office refused for good, kept
// with its reason so that someone can look at it; the sale itself stays
// in the sales bucket as always.
type SetAsideEntry struct {
	pos.OutboxEntry
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// SetAside moves an outbox entry to the set-aside list with head office's
// reason, in one transaction, so the entries after it keep syncing. An
// entry no longer in the outbox is left alone.
func (s *Store) SetAside(seq uint64, reason string, at time.Time) error {
	return s.update(func(tx *bbolt.Tx) error {
		ob := tx.Bucket(bOutbox)
		k := u64(seq)
		v := ob.Get(k)
		if v == nil {
			return nil
		}
		var e SetAsideEntry
		if err := decode(k, v, &e.OutboxEntry); err != nil {
			return err
		}
		e.Reason, e.At = reason, at
		b, err := tx.CreateBucketIfNotExists(bSetAside)
		if err != nil {
			return err
		}
		if err := putJSON(b, k, e); err != nil {
			return err
		}
		return ob.Delete(k)
	})
}

// SetAsideEntries lists the entries set aside, oldest first.
func (s *Store) SetAsideEntries() ([]SetAsideEntry, error) {
	var out []SetAsideEntry
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSetAside)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var e SetAsideEntry
			if err := decode(k, v, &e); err != nil {
				return err
			}
			if err := fillBody(tx, &e.OutboxEntry); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// SetAsideEntry returns one set-aside entry with its record's body.
func (s *Store) SetAsideEntry(seq uint64) (SetAsideEntry, error) {
	var e SetAsideEntry
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSetAside)
		if b == nil {
			return ErrNotFound
		}
		if err := getJSON(b, u64(seq), &e); err != nil {
			return err
		}
		return fillBody(tx, &e.OutboxEntry)
	})
	if err != nil {
		return SetAsideEntry{}, fmt.Errorf("set-aside entry %d: %w", seq, err)
	}
	return e, nil
}

// Requeue puts a set-aside entry back in the outbox under its old
// sequence, say after head office was fixed, so the next sync sends it.
func (s *Store) Requeue(seq uint64) error {
	return s.update(func(tx *bbolt.Tx) error { return requeue(tx, seq) })
}

// RequeueAll puts every set-aside entry back in the outbox in one
// transaction and says how many there were.
func (s *Store) RequeueAll() (int, error) {
	n := 0
	err := s.update(func(tx *bbolt.Tx) error {
		n = 0
		b := tx.Bucket(bSetAside)
		if b == nil {
			return nil
		}
		var seqs []uint64
		if err := b.ForEach(func(k, _ []byte) error { seqs = append(seqs, seqOf(k)); return nil }); err != nil {
			return err
		}
		for _, q := range seqs {
			if err := requeue(tx, q); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

func requeue(tx *bbolt.Tx, seq uint64) error {
	b := tx.Bucket(bSetAside)
	k := u64(seq)
	var e SetAsideEntry
	if b == nil {
		return fmt.Errorf("set-aside entry %d: %w", seq, ErrNotFound)
	}
	if err := getJSON(b, k, &e); err != nil {
		return fmt.Errorf("set-aside entry %d: %w", seq, err)
	}
	if err := putJSON(tx.Bucket(bOutbox), k, e.OutboxEntry); err != nil {
		return err
	}
	return b.Delete(k)
}

func seqOf(k []byte) uint64 { return binary.BigEndian.Uint64(k) }
