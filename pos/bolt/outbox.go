package bolt

import (
	"encoding/binary"
	"encoding/json"

	bbolt "go.etcd.io/bbolt"
)

// Envelope is one outbox entry: a record to send to head office, in the
// order it was committed.
type Envelope struct {
	Seq  uint64          `json:"seq"`
	Kind string          `json:"kind"` // KindSale, KindRefund, KindZReport
	ID   string          `json:"id"`
	Body json.RawMessage `json:"body"`
}

func enqueue(tx *bbolt.Tx, kind, id string, body []byte) error {
	b := tx.Bucket(bOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(b, u64(seq), Envelope{Seq: seq, Kind: kind, ID: id, Body: body})
}

// Pending returns up to limit outbox entries after seq, in order.
func (s *Store) Pending(after uint64, limit int) ([]Envelope, error) {
	var out []Envelope
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bOutbox).Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var e Envelope
			if err := decode(k, v, &e); err != nil {
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
			if e.Kind == KindSale {
				sales++
			}
			return nil
		})
	})
	return sales, total, err
}

func seqOf(k []byte) uint64 { return binary.BigEndian.Uint64(k) }
