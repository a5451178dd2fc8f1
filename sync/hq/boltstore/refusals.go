package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	"github.com/tillpos/till/sync/hq/storage"
	bbolt "go.etcd.io/bbolt"
)

// bRefusals maps terminal + 0 + reason to count (8 bytes) and the last
// refusal's time (8 bytes, Unix nanoseconds).
var bRefusals = []byte("refusals")

// AddRefusals implements storage.Backend.
func (s *Store) AddRefusals(_ context.Context, rs []storage.Refusal) error {
	if len(rs) == 0 {
		return nil
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bRefusals)
		if err != nil {
			return err
		}
		for _, r := range rs {
			k := []byte(r.Terminal + "\x00" + r.Reason)
			var count int64
			last := r.Last.UnixNano()
			if v := b.Get(k); len(v) == 16 {
				count = int64(binary.BigEndian.Uint64(v))
				last = max(last, int64(binary.BigEndian.Uint64(v[8:])))
			}
			v := make([]byte, 16)
			binary.BigEndian.PutUint64(v, uint64(count+r.Count))
			binary.BigEndian.PutUint64(v[8:], uint64(last))
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Refusals implements storage.Backend.
func (s *Store) Refusals(context.Context) ([]storage.Refusal, error) {
	var out []storage.Refusal
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bRefusals)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			term, reason, ok := bytes.Cut(k, []byte{0})
			if !ok || len(v) != 16 {
				return nil
			}
			out = append(out, storage.Refusal{Terminal: string(term), Reason: string(reason),
				Count: int64(binary.BigEndian.Uint64(v)), Last: time.Unix(0, int64(binary.BigEndian.Uint64(v[8:]))).UTC()})
			return nil
		})
	})
	return out, err
}
