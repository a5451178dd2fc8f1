package bolt_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	bbolt "go.etcd.io/bbolt"
)

// createUntilKilled is a child that creates a database and stops in the
// middle, while its seed goods are being stored, until it is killed.
func createUntilKilled(path string) error {
	_, err := bolt.Open(path, bolt.Options{Identity: testID, Seed: func() ([]pos.Product, error) {
		fmt.Println("seeding")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		return nil, errors.New("stdin closed")
	}})
	return err
}

func TestEmptyFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := bolt.Open(path, bolt.Options{Identity: testID})
	if !errors.Is(err, bolt.ErrEmpty) || !strings.Contains(err.Error(), "empty (0 bytes)") {
		t.Fatalf("open an empty file: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Fatalf("the empty file was changed: %v %v", fi, err)
	}
}

// TestKilledCreationLeavesNoDatabase kills a process while it creates a
// database: nothing is left under the database's name, and the next
// open creates it whole, seed goods included.
func TestKilledCreationLeavesNoDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	path := filepath.Join(t.TempDir(), "till.db")
	cmd, out, stop := helper(t, "create", path)
	if !out.Scan() || out.Text() != "seeding" {
		t.Fatalf("child said %q", out.Text())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a killed creation left %s: %v", path, err)
	}
	s, err := bolt.Open(path, bolt.Options{Identity: testID, Seed: func() ([]pos.Product, error) { return catalog(), nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Seeded() != len(catalog()) {
		t.Fatalf("seeded %d goods, want %d", s.Seeded(), len(catalog()))
	}
	if p, err := s.Product("TEA"); err != nil || p.Stock != 100 {
		t.Fatalf("seed goods: %+v %v", p, err)
	}
}

// TestSeedOnlyOnCreation: an existing database is never seeded again.
func TestSeedOnlyOnCreation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := bolt.Open(path, bolt.Options{Seed: func() ([]pos.Product, error) { return catalog(), nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if empty, err := s.CatalogEmpty(); err != nil || !empty || s.Seeded() != 0 {
		t.Fatalf("reopen seeded: empty=%v seeded=%d %v", empty, s.Seeded(), err)
	}
}

// TestCheckNamesTheBadRecord damages records in ways bbolt cannot see:
// each is found by Check, named by bucket and key.
func TestCheckNamesTheBadRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	if err := s.Check(); err != nil {
		t.Fatalf("a good database: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, bucket, key string
		damage            func(tx *bbolt.Tx) error
	}{
		{"not JSON", "sales", sale.ID, func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("sales")).Put([]byte(sale.ID), []byte(`{"id":`))
		}},
		{"a flipped digit under the checksum", "sales", sale.ID, func(tx *bbolt.Tx) error {
			v := bytes.Clone(tx.Bucket([]byte("sales")).Get([]byte(sale.ID)))
			i := bytes.Index(v, []byte(`"total":700`))
			if i < 0 {
				return fmt.Errorf("no total in %q", v)
			}
			v[i+len(`"total":7`)] = '1' // 700 -> 710: valid JSON, another figure
			return tx.Bucket([]byte("sales")).Put([]byte(sale.ID), v)
		}},
		{"a wrong figure in a record without a checksum", "sales", sale.ID, func(tx *bbolt.Tx) error {
			v := tx.Bucket([]byte("sales")).Get([]byte(sale.ID))
			var m map[string]any
			if err := json.Unmarshal(v[5:], &m); err != nil {
				return err
			}
			m["total"] = 70001
			data, _ := json.Marshal(m)
			return tx.Bucket([]byte("sales")).Put([]byte(sale.ID), data)
		}},
		{"a barcode of no product", "barcodes", "6901234567892", func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("products")).Delete([]byte("TEA"))
		}},
		{"an outbox entry of no sale", "outbox", "#1", func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("sales")).Delete([]byte(sale.ID))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, good, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := bbolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(tc.damage)
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			s, err := bolt.Open(path, bolt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Check()
			s.Close()
			var ce *bolt.CheckError
			if !errors.As(err, &ce) || !errors.Is(err, bolt.ErrCorrupt) {
				t.Fatalf("check: %v", err)
			}
			if ce.Bucket != tc.bucket || !strings.Contains(err.Error(), tc.key) {
				t.Fatalf("check named %q %q (%v), want bucket %s key %s", ce.Bucket, ce.Key, err, tc.bucket, tc.key)
			}
			if _, verr := bolt.Verify(path); verr == nil || verr.Error() != err.Error() {
				t.Fatalf("Verify: %v, want %v", verr, err)
			}
		})
	}
}
