package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/hq/storage"
	bbolt "go.etcd.io/bbolt"
)

// Staff live in each store's catalog bucket, in "staff" (ID -> sequence +
// member), and take their change sequence from the catalog's, with
// "changes" naming them by staffKey, so they reach terminals with the
// catalog under one cursor. "chains" maps a terminal ID to the journal
// entry head office last accepted from it.
var (
	bStaff  = []byte("staff")
	bChains = []byte("chains")
)

// staffKey is how the changes bucket names a staff member: no SKU starts
// with a NUL byte.
func staffKey(id string) []byte { return append([]byte("\x00staff\x00"), id...) }

func staffID(v []byte) (string, bool) {
	p := []byte("\x00staff\x00")
	if !bytes.HasPrefix(v, p) {
		return "", false
	}
	return string(v[len(p):]), true
}

var _ storage.StaffBackend = (*Store)(nil)

// PutStaff implements storage.StaffBackend.
func (s *Store) PutStaff(_ context.Context, store string, m staff.Member) (uint64, error) {
	var seq uint64
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sb, err := tx.Bucket(bCatalog).CreateBucketIfNotExists([]byte(store))
		if err != nil {
			return err
		}
		if _, err := sb.CreateBucketIfNotExists(bItems); err != nil {
			return err
		}
		changes, err := sb.CreateBucketIfNotExists(bChanges)
		if err != nil {
			return err
		}
		sf, err := sb.CreateBucketIfNotExists(bStaff)
		if err != nil {
			return err
		}
		if m.Badge != "" {
			var clash error
			_ = sf.ForEach(func(k, v []byte) error {
				var o staff.Member
				if len(v) > 8 && json.Unmarshal(v[8:], &o) == nil && o.ID != m.ID && o.Badge == m.Badge {
					clash = fmt.Errorf("badge %s already belongs to %s (%s)", m.Badge, o.Name, o.ID)
				}
				return nil
			})
			if clash != nil {
				return clash
			}
		}
		if seq, err = sb.NextSequence(); err != nil {
			return err
		}
		if old := sf.Get([]byte(m.ID)); len(old) >= 8 {
			if err := changes.Delete(old[:8]); err != nil {
				return err
			}
		}
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := sf.Put([]byte(m.ID), append(u64(seq), data...)); err != nil {
			return err
		}
		return changes.Put(u64(seq), staffKey(m.ID))
	})
	return seq, err
}

// Staff implements storage.StaffBackend.
func (s *Store) Staff(_ context.Context, store string) ([]staff.Member, error) {
	var out []staff.Member
	err := s.db.View(func(tx *bbolt.Tx) error {
		sb := tx.Bucket(bCatalog).Bucket([]byte(store))
		if sb == nil || sb.Bucket(bStaff) == nil {
			return nil
		}
		return sb.Bucket(bStaff).ForEach(func(k, v []byte) error {
			var m staff.Member
			if len(v) < 8 {
				return fmt.Errorf("staff %s: malformed", k)
			}
			if err := json.Unmarshal(v[8:], &m); err != nil {
				return fmt.Errorf("staff %s: %w", k, err)
			}
			out = append(out, m)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// staffChange reads the staff member a change names.
func staffChange(sb *bbolt.Bucket, id string) (*staff.Member, error) {
	sf := sb.Bucket(bStaff)
	if sf == nil {
		return nil, fmt.Errorf("change names staff %s, but the store has none", id)
	}
	v := sf.Get([]byte(id))
	if len(v) < 8 {
		return nil, fmt.Errorf("change names missing staff %s", id)
	}
	m := new(staff.Member)
	if err := json.Unmarshal(v[8:], m); err != nil {
		return nil, fmt.Errorf("staff %s: %w", id, err)
	}
	return m, nil
}

var _ storage.ChainBackend = (*Store)(nil)

// ChainHead implements storage.ChainBackend.
func (s *Store) ChainHead(_ context.Context, terminal string) (journal.Entry, bool, error) {
	var e journal.Entry
	found := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bChains)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(terminal))
		if v == nil {
			return nil
		}
		found = true
		return e.UnmarshalBinary(v)
	})
	return e, found, err
}

// PutChainHead implements storage.ChainBackend: it keeps the later of
// the entry it holds and e.
func (s *Store) PutChainHead(_ context.Context, terminal string, e journal.Entry) error {
	data, err := e.MarshalBinary()
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bChains)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(terminal)); v != nil {
			var cur journal.Entry
			if err := cur.UnmarshalBinary(v); err != nil {
				return err
			}
			if cur.Seq > e.Seq {
				return errors.New("chain head would go back")
			}
		}
		return b.Put([]byte(terminal), data)
	})
}

var _ storage.ChainedRecordsBackend = (*Store)(nil)

// afterRecordsPut, when set (by a test), runs inside PutRecordsChained's
// transaction between the records and the chain head; an error it
// returns rolls the transaction back, as a crash there would.
var afterRecordsPut func() error

// PutRecordsChained implements storage.ChainedRecordsBackend: the
// records and the terminal's chain head in one bbolt transaction, so a
// crash or a failure cannot leave the records stored under the old head,
// nor the head moved without its records. bbolt runs one writer at a
// time, so two pushes of one terminal take turns, and the second finds
// the head moved and stores nothing.
func (s *Store) PutRecordsChained(_ context.Context, recs []storage.Record, terminal string, checked *journal.Entry, head journal.Entry) ([]storage.PutResult, uint64, error) {
	data, err := head.MarshalBinary()
	if err != nil {
		return nil, 0, err
	}
	res := make([]storage.PutResult, len(recs))
	var held uint64
	err = s.db.Update(func(tx *bbolt.Tx) error {
		chains, err := tx.CreateBucketIfNotExists(bChains)
		if err != nil {
			return err
		}
		var cur journal.Entry
		v := chains.Get([]byte(terminal))
		if v != nil {
			if err := cur.UnmarshalBinary(v); err != nil {
				return fmt.Errorf("chain head of %s: %w", terminal, err)
			}
		}
		switch {
		case v == nil && checked != nil,
			v != nil && (checked == nil || cur.Seq != checked.Seq || cur.Hash != checked.Hash):
			return storage.ErrChainMoved
		}
		if err := putRecords(tx, recs, res); err != nil {
			return err
		}
		if afterRecordsPut != nil {
			if err := afterRecordsPut(); err != nil {
				return err
			}
		}
		if v != nil && cur.Seq > head.Seq {
			held = cur.Seq // an earlier head keeps the later one
			return nil
		}
		held = head.Seq
		return chains.Put([]byte(terminal), data)
	})
	if errors.Is(err, storage.ErrChainMoved) {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store records and chain head: %w", err)
	}
	return res, held, nil
}

var _ storage.KeyBackend = (*Store)(nil)

var bKeys = []byte("terminal_keys")

// PutTerminalKey implements storage.KeyBackend.
func (s *Store) PutTerminalKey(_ context.Context, terminal, key string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bTerminals).Get([]byte(terminal)) == nil {
			return fmt.Errorf("terminal %s: %w", terminal, storage.ErrNotFound)
		}
		b, err := tx.CreateBucketIfNotExists(bKeys)
		if err != nil {
			return err
		}
		return b.Put([]byte(terminal), []byte(key))
	})
}

// TerminalKey implements storage.KeyBackend.
func (s *Store) TerminalKey(_ context.Context, terminal string) (string, error) {
	var k string
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bKeys); b != nil {
			k = string(b.Get([]byte(terminal)))
		}
		return nil
	})
	return k, err
}
