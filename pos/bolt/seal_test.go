package bolt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	bbolt "go.etcd.io/bbolt"
)

// rawUpdate changes the file with bbolt directly, as damage would.
func rawUpdate(t *testing.T, path string, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(fn)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
}

// TestChecksumNamesTheRecord flips one digit of a stored sale, leaving
// valid JSON with another figure: every read of it is an error naming
// the record, never the wrong figure; the outbox does not send it.
func TestChecksumNamesTheRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		v := bytes.Clone(tx.Bucket([]byte("sales")).Get([]byte(sale.ID)))
		i := bytes.Index(v, []byte(`"total":700`))
		v[i+len(`"total":7`)] = '1'
		return tx.Bucket([]byte("sales")).Put([]byte(sale.ID), v)
	})
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, bolt.ErrCorrupt) || !strings.Contains(err.Error(), sale.ID) || !strings.Contains(err.Error(), "checksum mismatch") {
			t.Errorf("%s: %v, want a checksum error naming %s", what, err, sale.ID)
		}
	}
	_, err = s.Sale(sale.ID)
	check("Sale", err)
	_, err = s.SalesBetween(t0.Add(-time.Hour), t0.Add(24*time.Hour))
	check("SalesBetween", err)
	_, err = s.Pending(0, 10)
	check("Pending", err)
	_, err = s.XReport(t0, time.UTC)
	check("XReport", err)
}

// TestRecordWithoutChecksumStillReads: a database from before checksums
// reads as it did.
func TestRecordWithoutChecksumStillReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		for _, b := range []string{"sales", "products"} {
			bk := tx.Bucket([]byte(b))
			var keys, vals [][]byte
			_ = bk.ForEach(func(k, v []byte) error {
				keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v[:len(v)-6]))
				return nil
			})
			for i := range keys {
				if !json.Valid(vals[i]) {
					t.Fatalf("%s %s: not JSON without its trailer", b, keys[i])
				}
				if err := bk.Put(keys[i], vals[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Sale(sale.ID)
	if err != nil || got.Total != sale.Total {
		t.Fatalf("old sale: %+v %v", got, err)
	}
	if p, err := s.Product("TEA"); err != nil || p.Name != "Green tea" {
		t.Fatalf("old product: %+v %v", p, err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	e, err := s.Pending(0, 10)
	if err != nil || len(e) != 1 || !json.Valid(e[0].Body) {
		t.Fatalf("pending: %+v %v", e, err)
	}
	var body pos.Sale
	if err := json.Unmarshal(e[0].Body, &body); err != nil || body.ID != sale.ID {
		t.Fatalf("body: %v", err)
	}
}
