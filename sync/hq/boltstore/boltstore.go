// Package boltstore keeps head office's data in one bbolt file: the
// default storage, with nothing to set up.
//
// Layout: "terminals" maps a terminal ID to its JSON; "records" maps
// time (12 bytes, sortable) + kind + 0 + ID to the record, so a day's
// report is one range scan; "ids" maps kind + 0 + ID to the record's key
// and content digest, so a resend is found with one lookup; "catalog" has
// a bucket per store with "items" (SKU -> sequence + product) and
// "changes" (sequence -> SKU, the latest change of each SKU only), and
// the store's change sequence as that bucket's sequence.
package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq/storage"
	bbolt "go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"

	"github.com/tillpos/till/internal/errmsg"
)

var (
	bMeta      = []byte("meta")
	bTerminals = []byte("terminals")
	bRecords   = []byte("records")
	bIDs       = []byte("ids")
	bCatalog   = []byte("catalog")
	bItems     = []byte("items")
	bChanges   = []byte("changes")

	kMagic  = []byte("till")
	kSchema = []byte("schema")
	magic   = []byte("till head office")
)

const schema = 1

// Options tune Open.
type Options struct {
	LockTimeout time.Duration // default one second
	NoSync      bool          // tests and benchmarks only
}

// Store is an open head-office bbolt file.
type Store struct {
	db *bbolt.DB
}

var _ storage.Backend = (*Store)(nil)

// errNotHQ is a bbolt file that is not head office's.
var errNotHQ = errmsg.Errorf("not a Till head-office file")

// Open opens or creates the head-office file at path.
func Open(path string, opt Options) (*Store, error) {
	if opt.LockTimeout == 0 {
		opt.LockTimeout = time.Second
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opt.LockTimeout, NoSync: opt.NoSync})
	if err != nil {
		if errors.Is(err, bberrors.ErrTimeout) {
			return nil, errmsg.Errorf("open %s: in use by another head-office process", path)
		}
		return nil, errmsg.Errorf("open %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			if hasBuckets(tx) {
				return errNotHQ
			}
			var err error
			if meta, err = tx.CreateBucket(bMeta); err != nil {
				return err
			}
			if err := meta.Put(kMagic, magic); err != nil {
				return err
			}
			if err := meta.Put(kSchema, u64(schema)); err != nil {
				return err
			}
		}
		if !bytes.Equal(meta.Get(kMagic), magic) {
			return errNotHQ
		}
		if v := meta.Get(kSchema); len(v) != 8 || binary.BigEndian.Uint64(v) > schema {
			return errmsg.Errorf("written by a newer Till; upgrade Till")
		}
		for _, b := range [][]byte{bTerminals, bRecords, bIDs, bCatalog} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, errmsg.Errorf("open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

func hasBuckets(tx *bbolt.Tx) bool {
	found := false
	_ = tx.ForEach(func([]byte, *bbolt.Bucket) error { found = true; return nil })
	return found
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// terminal is a Terminal as stored.
type terminal struct {
	ID       string    `json:"id"`
	Store    string    `json:"store"`
	Hash     []byte    `json:"hash"`
	Enrolled time.Time `json:"enrolled"`
	Revoked  time.Time `json:"revoked,omitzero"`
}

// Enrol implements storage.Backend.
func (s *Store) Enrol(_ context.Context, t storage.Terminal) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bTerminals)
		if v := b.Get([]byte(t.ID)); v != nil {
			var old terminal
			if err := json.Unmarshal(v, &old); err != nil {
				return fmt.Errorf("terminal %s: %w", t.ID, err)
			}
			if old.Store != t.Store {
				return fmt.Errorf("terminal %s at %s: %w", t.ID, old.Store, storage.ErrEnrolled)
			}
		}
		data, err := json.Marshal(terminal{ID: t.ID, Store: t.Store, Hash: t.Hash, Enrolled: t.Enrolled})
		if err != nil {
			return err
		}
		return b.Put([]byte(t.ID), data)
	})
}

// Terminal implements storage.Backend.
func (s *Store) Terminal(_ context.Context, id string) (storage.Terminal, error) {
	var t terminal
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bTerminals).Get([]byte(id))
		if v == nil {
			return storage.ErrNotFound
		}
		return json.Unmarshal(v, &t)
	})
	if err != nil {
		return storage.Terminal{}, fmt.Errorf("terminal %s: %w", id, err)
	}
	return storage.Terminal(t), nil
}

// Terminals implements storage.Backend.
func (s *Store) Terminals(context.Context) ([]storage.Terminal, error) {
	var out []storage.Terminal
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bTerminals).ForEach(func(k, v []byte) error {
			var t terminal
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("terminal %s: %w", k, err)
			}
			out = append(out, storage.Terminal(t))
			return nil
		})
	})
	return out, err
}

// Revoke implements storage.Backend.
func (s *Store) Revoke(_ context.Context, id string, at time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bTerminals)
		v := b.Get([]byte(id))
		if v == nil {
			return fmt.Errorf("terminal %s: %w", id, storage.ErrNotFound)
		}
		var t terminal
		if err := json.Unmarshal(v, &t); err != nil {
			return err
		}
		t.Revoked = at
		data, err := json.Marshal(t)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), data)
	})
}

// timeKey is a record's time as 12 sortable bytes: seconds since 1970 with
// the sign bit flipped, so earlier times sort first, then nanoseconds.
func timeKey(t time.Time) []byte {
	k := make([]byte, timeKeyLen, timeKeyLen+64)
	binary.BigEndian.PutUint64(k, uint64(t.Unix())^1<<63)
	binary.BigEndian.PutUint32(k[8:], uint32(t.Nanosecond()))
	return k
}

const timeKeyLen = 12

func idKey(kind, id string) []byte { return []byte(kind + "\x00" + id) }

// PutRecords implements storage.Backend: all records in one transaction.
func (s *Store) PutRecords(_ context.Context, recs []storage.Record) ([]storage.PutResult, error) {
	res := make([]storage.PutResult, len(recs))
	err := s.db.Update(func(tx *bbolt.Tx) error { return putRecords(tx, recs, res) })
	if err != nil {
		return nil, err
	}
	return res, nil
}

// putRecords stores recs in tx, each one not held yet, and says in res
// what became of each.
func putRecords(tx *bbolt.Tx, recs []storage.Record, res []storage.PutResult) error {
	records, ids := tx.Bucket(bRecords), tx.Bucket(bIDs)
	for i, r := range recs {
		ik := idKey(r.Kind, r.ID)
		digest := storage.Digest(r.Body)
		if v := ids.Get(ik); v != nil {
			if len(v) >= 32 && bytes.Equal(v[len(v)-32:], digest) {
				res[i] = storage.Duplicate
			} else {
				res[i] = storage.Conflict
			}
			continue
		}
		rk := append(timeKey(r.At), ik...)
		val, err := encodeRecord(r)
		if err != nil {
			return err
		}
		if err := records.Put(rk, val); err != nil {
			return err
		}
		if err := ids.Put(ik, append(rk, digest...)); err != nil {
			return err
		}
		res[i] = storage.Stored
	}
	return nil
}

// recordHead is the stored record without its body, which follows it.
type recordHead struct {
	Store    string    `json:"s"`
	Terminal string    `json:"t"`
	Kind     string    `json:"k"`
	ID       string    `json:"i"`
	At       time.Time `json:"a"`
	Currency string    `json:"c"`
	Total    pos.Money `json:"n"`
	Tax      pos.Money `json:"x"`
}

// encodeRecord writes a 4-byte head length, the head as JSON, then the
// body bytes as they came: no re-encoding of the body.
func encodeRecord(r storage.Record) ([]byte, error) {
	head, err := json.Marshal(recordHead{Store: r.Store, Terminal: r.Terminal, Kind: r.Kind, ID: r.ID,
		At: r.At, Currency: r.Currency, Total: r.Total, Tax: r.Tax})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 4, 4+len(head)+len(r.Body))
	binary.BigEndian.PutUint32(out, uint32(len(head)))
	out = append(out, head...)
	return append(out, r.Body...), nil
}

// decodeRecord copies a record out of bbolt's memory.
func decodeRecord(v []byte) (storage.Record, error) {
	if len(v) < 4 {
		return storage.Record{}, errors.New("short record")
	}
	n := int(binary.BigEndian.Uint32(v))
	if 4+n > len(v) {
		return storage.Record{}, errors.New("short record")
	}
	var h recordHead
	if err := json.Unmarshal(v[4:4+n], &h); err != nil {
		return storage.Record{}, err
	}
	return storage.Record{Kind: h.Kind, ID: h.ID, Store: h.Store, Terminal: h.Terminal, At: h.At,
		Currency: h.Currency, Total: h.Total, Tax: h.Tax, Body: bytes.Clone(v[4+n:])}, nil
}

// Records implements storage.Backend. fn runs inside the read
// transaction, so it should not call back into the store for writing.
func (s *Store) Records(ctx context.Context, from, to time.Time, fn func(storage.Record) error) error {
	lo, hi := timeKey(from), timeKey(to)
	return s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bRecords).Cursor()
		for k, v := c.Seek(lo); k != nil && bytes.Compare(k[:timeKeyLen], hi) < 0; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			r, err := decodeRecord(v)
			if err != nil {
				return fmt.Errorf("record %q: %w", k[timeKeyLen:], err)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportCatalog implements storage.Backend.
func (s *Store) ImportCatalog(_ context.Context, store string, imp storage.CatalogImport) (storage.ImportResult, error) {
	var res storage.ImportResult
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sb, err := tx.Bucket(bCatalog).CreateBucketIfNotExists([]byte(store))
		if err != nil {
			return err
		}
		items, err := sb.CreateBucketIfNotExists(bItems)
		if err != nil {
			return err
		}
		changes, err := sb.CreateBucketIfNotExists(bChanges)
		if err != nil {
			return err
		}
		current := map[string]pos.Product{}
		err = items.ForEach(func(k, v []byte) error {
			if len(v) > 8 {
				var p pos.Product
				if err := json.Unmarshal(v[8:], &p); err != nil {
					return fmt.Errorf("sku %s: %w", k, err)
				}
				current[string(k)] = p
			}
			return nil
		})
		if err != nil {
			return err
		}
		edits, r, err := storage.Plan(current, imp)
		if err != nil {
			return err
		}
		res = r
		for _, e := range edits {
			seq, err := sb.NextSequence()
			if err != nil {
				return err
			}
			if old := items.Get([]byte(e.SKU)); len(old) >= 8 {
				if err := changes.Delete(old[:8]); err != nil {
					return err
				}
			}
			val := u64(seq)
			if e.Product != nil {
				data, err := json.Marshal(e.Product)
				if err != nil {
					return err
				}
				val = append(val, data...)
			}
			if err := items.Put([]byte(e.SKU), val); err != nil {
				return err
			}
			if err := changes.Put(u64(seq), []byte(e.SKU)); err != nil {
				return err
			}
		}
		res.Seq = sb.Sequence()
		return nil
	})
	return res, err
}

// Changes implements storage.Backend.
func (s *Store) Changes(ctx context.Context, store string, since uint64, limit int) ([]storage.Change, error) {
	var out []storage.Change
	err := s.db.View(func(tx *bbolt.Tx) error {
		sb := tx.Bucket(bCatalog).Bucket([]byte(store))
		if sb == nil {
			return nil
		}
		items, changes := sb.Bucket(bItems), sb.Bucket(bChanges)
		c := changes.Cursor()
		for k, sku := c.Seek(u64(since + 1)); k != nil && len(out) < limit; k, sku = c.Next() {
			if id, ok := staffID(sku); ok {
				m, err := staffChange(sb, id)
				if err != nil {
					return fmt.Errorf("catalog of %s: %w", store, err)
				}
				out = append(out, storage.Change{Seq: binary.BigEndian.Uint64(k), Staff: m})
				continue
			}
			v := items.Get(sku)
			if len(v) < 8 {
				return fmt.Errorf("catalog of %s: change %d names missing sku %s", store, binary.BigEndian.Uint64(k), sku)
			}
			ch := storage.Change{Seq: binary.BigEndian.Uint64(k), SKU: string(sku)}
			if len(v) > 8 {
				ch.Product = new(pos.Product)
				if err := json.Unmarshal(v[8:], ch.Product); err != nil {
					return fmt.Errorf("sku %s: %w", sku, err)
				}
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}
