package bolt_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
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

// flipDigit changes one digit of a stored record's JSON, leaving valid
// JSON with another figure.
func flipDigit(t *testing.T, path, bucket string, key []byte, field string) {
	t.Helper()
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		v := bytes.Clone(tx.Bucket([]byte(bucket)).Get(key))
		i := bytes.Index(v, []byte(`"`+field+`":`))
		if i < 0 {
			return fmt.Errorf("no %s in %q", field, v)
		}
		j := i + len(field) + 3
		if v[j] == '9' {
			v[j] = '8'
		} else {
			v[j]++
		}
		return tx.Bucket([]byte(bucket)).Put(key, v)
	})
}

func wantNamed(t *testing.T, what string, err error, name string) {
	t.Helper()
	if !errors.Is(err, bolt.ErrCorrupt) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Errorf("%s: %v, want a checksum error naming %s", what, err, name)
	}
}

// TestChecksumNamesTheSale flips one digit of a stored sale: every read
// of it is an error naming the record, never the wrong figure, and the
// outbox does not send it.
func TestChecksumNamesTheSale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	flipDigit(t, path, "sales", []byte(sale.ID), "total")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Sale(sale.ID)
	wantNamed(t, "Sale", err, sale.ID)
	_, err = s.SalesBetween(t0.Add(-time.Hour), t0.Add(24*time.Hour))
	wantNamed(t, "SalesBetween", err, sale.ID)
	_, err = s.Pending(0, 10)
	wantNamed(t, "Pending", err, sale.ID)
	_, err = s.XReport(t0, time.UTC)
	wantNamed(t, "XReport", err, sale.ID)
	_, err = s.TakeZ(t0, time.UTC, nil)
	wantNamed(t, "TakeZ", err, sale.ID)
	err = s.Check()
	var ce *bolt.CheckError
	if !errors.As(err, &ce) || ce.Bucket != "sales" || string(ce.Key) != sale.ID {
		t.Errorf("Check: %v, want the sale named", err)
	}
	_, err = s.VerifyJournal()
	if err == nil || !strings.Contains(err.Error(), sale.ID) || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("VerifyJournal: %v, want the damaged sale named", err)
	}
}

// TestChecksumNamesTheProduct: a damaged product is refused by name when
// it is read, sold, or the catalog loaded.
func TestChecksumNamesTheProduct(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	flipDigit(t, path, "products", []byte("TEA"), "price")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Product("TEA")
	wantNamed(t, "Product", err, "TEA")
	_, err = s.Lookup("6901234567892")
	wantNamed(t, "Lookup", err, "TEA")
	_, err = s.Products()
	wantNamed(t, "Products", err, "TEA")
	r, _ := newRegister(t, s)
	_, err = r.Complete(cart(t, "TEA", 1), time.Time{}, cash())
	wantNamed(t, "selling it", err, "TEA")
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), `"TEA"`) {
		t.Errorf("Check: %v", err)
	}
}

// TestChecksumNamesTheZ: a damaged Z report is refused by number.
func TestChecksumNamesTheZ(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, _ := newRegister(t, s)
	sell(t, r, cart(t, "TEA", 2))
	z, err := s.TakeZ(t0.Add(time.Hour), time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 8)
	key[7] = byte(z.Number)
	flipDigit(t, path, "zreports", key, "net")
	s, err = bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.ZReports(10)
	wantNamed(t, "ZReports", err, "#1")
	_, err = s.Pending(0, 10)
	wantNamed(t, "Pending", err, "Z")
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), "zreports") || !strings.Contains(err.Error(), "#1") {
		t.Errorf("Check: %v", err)
	}
	if _, err := s.VerifyJournal(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("VerifyJournal: %v", err)
	}
}

// TestOutboxSendsTheJSON: head office gets the record's JSON, without
// its checksum, and the journal's digest is over exactly that JSON.
func TestOutboxSendsTheJSON(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	es := pending(t, s)
	if len(es) != 1 || !json.Valid(es[0].Body) || es[0].Body[0] != '{' {
		t.Fatalf("pending: %+v", es)
	}
	var got pos.Sale
	if err := json.Unmarshal(es[0].Body, &got); err != nil || got.ID != sale.ID || got.Total != sale.Total {
		t.Fatalf("body: %+v %v", got, err)
	}
	e, err := s.JournalEntry(sale.Journal.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if e.Digest != sha256.Sum256(es[0].Body) {
		t.Fatal("the journal's digest is not over the JSON head office gets")
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Fatal(err)
	}
}

// TestRecordWithoutChecksumStillReads: a database from before checksums
// (every record plain JSON) reads, checks and verifies as it did.
func TestRecordWithoutChecksumStillReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, clk := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	clk.Add(time.Minute)
	if _, err := s.TakeZ(clk.Now(), time.UTC, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	stripped := 0
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bbolt.Bucket) error {
			var keys, vals [][]byte
			_ = bk.ForEach(func(k, v []byte) error {
				if len(v) > 5 && v[0] == 0 && (v[5] == '{' || v[5] == '[') && string(name) != "meta" || string(name) == "meta" && (string(k) == "identity" || string(k) == "shift") && len(v) > 0 && v[0] == 0 {
					keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v[5:]))
				}
				return nil
			})
			for i := range keys {
				if !json.Valid(vals[i]) {
					t.Fatalf("%s %q: not JSON without its checksum", name, keys[i])
				}
				if err := bk.Put(keys[i], vals[i]); err != nil {
					return err
				}
				stripped++
			}
			return nil
		})
	})
	if stripped < 10 {
		t.Fatalf("only %d records stripped", stripped)
	}
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
	if ps, err := s.Products(); err != nil || len(ps) != len(catalog()) {
		t.Fatalf("old catalog: %d %v", len(ps), err)
	}
	if zs, err := s.ZReports(10); err != nil || len(zs) != 1 || zs[0].Net != sale.Total {
		t.Fatalf("old Z: %+v %v", zs, err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Fatalf("verify an old file: %v", err)
	}
	es, err := s.Pending(0, 10)
	if err != nil || len(es) != 2 || !json.Valid(es[0].Body) {
		t.Fatalf("pending: %+v %v", es, err)
	}
	// New records are written with checksums next to the old ones.
	r, _ = newRegister(t, s)
	sell(t, r, cart(t, "TEA", 1))
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Fatal(err)
	}
}

// figures is what the commands of the experiment below print.
type figures struct {
	X        pos.Report
	Zs       []pos.Report
	Sales    []pos.Sale
	Products []pos.Product
	Pending  []pos.OutboxEntry
}

func readFigures(s *bolt.Store, now time.Time) (f figures, errs []error) {
	var err error
	f.X, err = s.XReport(now, time.UTC)
	errs = append(errs, err)
	f.Zs, err = s.ZReports(100)
	errs = append(errs, err)
	f.Sales, err = s.SalesBetween(t0.Add(-time.Hour), now)
	errs = append(errs, err)
	f.Products, err = s.Products()
	errs = append(errs, err)
	f.Pending, err = s.Pending(0, 1000)
	errs = append(errs, err)
	return f, errs
}

// TestRandomBitFlips repeats issue 17's experiment: copies of a database
// with four random bits flipped inside stored record values (found by
// walking the buckets). Every read either gives the untouched figures
// or fails with ErrCorrupt naming the damaged record; till check and
// till verify refuse every copy.
func TestRandomBitFlips(t *testing.T) {
	if testing.Short() {
		t.Skip("the bit-flip experiment makes 60 copies of a database; skipped under -short")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, clk := newRegister(t, s)
	for i := range 6 {
		sell(t, r, cart(t, "TEA", i+1, "STAMP", 2))
		clk.Add(time.Minute)
	}
	if _, err := s.TakeZ(clk.Now(), time.UTC, nil); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		clk.Add(time.Minute)
		sell(t, r, cart(t, "RICE", 1, "STAMP", 3))
	}
	now := clk.Now().Add(time.Minute)
	want, errs := readFigures(s, now)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Record buckets: every value in them is a checksummed record.
	recordBuckets := []string{"sales", "products", "zreports", "receipts", "outbox", "refunded", "payments", "journal_events", "staff"}
	type rec struct{ bucket, key string }
	var recs []rec
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *bbolt.Tx) error {
		for _, b := range recordBuckets {
			if bk := tx.Bucket([]byte(b)); bk != nil {
				_ = bk.ForEach(func(k, _ []byte) error { recs = append(recs, rec{b, string(k)}); return nil })
			}
		}
		return nil
	})
	db.Close()
	rng := rand.New(rand.NewPCG(17, 8))
	for n := range 60 {
		copyPath := filepath.Join(dir, fmt.Sprintf("copy%d.db", n))
		if err := os.WriteFile(copyPath, good, 0o600); err != nil {
			t.Fatal(err)
		}
		hit := recs[rng.IntN(len(recs))]
		rawUpdate(t, copyPath, func(tx *bbolt.Tx) error {
			v := bytes.Clone(tx.Bucket([]byte(hit.bucket)).Get([]byte(hit.key)))
			for range 4 {
				i := rng.IntN(len(v) * 8)
				v[i/8] ^= 1 << (i % 8)
			}
			return tx.Bucket([]byte(hit.bucket)).Put([]byte(hit.key), v)
		})
		name := hit.key
		if len(name) == 8 && name[0] == 0 {
			name = fmt.Sprintf("#%d", []byte(hit.key)[7])
		}
		s, err := bolt.Open(copyPath, bolt.Options{})
		if err != nil {
			// Opening reads the identity and catalog: refusing is fine if it names it.
			if !errors.Is(err, bolt.ErrCorrupt) {
				t.Errorf("copy %d (%s %q): open: %v", n, hit.bucket, name, err)
			}
			continue
		}
		got, errs := readFigures(s, now)
		cerr := s.Check()
		_, verr := s.VerifyJournal()
		s.Close()
		failed := false
		for i, err := range errs {
			if err == nil {
				continue
			}
			failed = true
			if !errors.Is(err, bolt.ErrCorrupt) {
				t.Errorf("copy %d (%s %q): read %d: %v, want ErrCorrupt", n, hit.bucket, name, i, err)
			}
		}
		if !failed && !reflect.DeepEqual(got, want) {
			t.Errorf("copy %d (%s %q): different figures with no error", n, hit.bucket, name)
		}
		var ce *bolt.CheckError
		if !errors.As(cerr, &ce) || ce.Bucket != hit.bucket || !strings.Contains(cerr.Error(), name) {
			t.Errorf("copy %d (%s %q): check said %v", n, hit.bucket, name, cerr)
		}
		if hit.bucket == "sales" || hit.bucket == "zreports" || hit.bucket == "journal_events" {
			if verr == nil {
				t.Errorf("copy %d (%s %q): verify passed", n, hit.bucket, name)
			}
		}
	}
}

// TestVerifyNamesARechecksummedEdit: an edit written back with a good
// checksum reads, but till verify names it as edited.
func TestVerifyNamesARechecksummedEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("sales"))
		data := bytes.Replace(b.Get([]byte(sale.ID))[5:], []byte(`"cashier":"ann"`), []byte(`"cashier":"eve"`), 1)
		v := binary.BigEndian.AppendUint32([]byte{0}, crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli)))
		return b.Put([]byte(sale.ID), append(v, data...))
	})
	s = openAt(t, path)
	if got, err := s.Sale(sale.ID); err != nil || got.Cashier != "eve" {
		t.Fatalf("the re-checksummed edit: %+v %v", got.Cashier, err)
	}
	_, err := s.VerifyJournal()
	if err == nil || !strings.Contains(err.Error(), sale.ID) || !strings.Contains(err.Error(), "edited") {
		t.Fatalf("VerifyJournal: %v, want the edit named", err)
	}
}
