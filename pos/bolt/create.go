package bolt

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// ErrEmpty is an existing database file of zero bytes: never taken for a
// new terminal, whose receipt numbers would start again at 000001.
var ErrEmpty = errors.New("the database file is empty (0 bytes), so it is not a Till database; if this terminal is new, remove the file; if not, restore a backup (till restore)")

// create builds a new database under a temporary name beside path (its
// meta, schema, identity and seed goods in one transaction), closes it,
// and links it to path, which fails if path appeared meanwhile: a
// process killed while creating leaves at most a temporary file, never a
// half-made database at path. It returns how many goods it seeded.
func create(path string, opt Options) (int, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStale(dir, "."+base+".new-")
	f, err := os.CreateTemp(dir, "."+base+".new-*")
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	_ = f.Close()
	defer os.Remove(tmp)
	db, err := openDB(tmp, Options{LockTimeout: opt.LockTimeout, NoSync: opt.NoSync})
	if err != nil {
		return 0, openErr(tmp, err)
	}
	s := &Store{db: db, path: tmp, seed: opt.Seed}
	err = s.init(opt.Identity)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return 0, nil // another Till created it first: open that one
		}
		return 0, fmt.Errorf("create: %w", err)
	}
	return s.seeded, syncDir(dir)
}

// seedNew stores the seed goods in the transaction creating the database.
func (s *Store) seedNew(tx *bbolt.Tx) error {
	if s.seed == nil {
		return nil
	}
	ps, err := s.seed()
	if err != nil {
		return fmt.Errorf("seed goods: %w", err)
	}
	if len(ps) == 0 {
		return nil
	}
	if _, err := putProducts(tx, ps); err != nil {
		return fmt.Errorf("seed goods: %w", err)
	}
	s.seeded = len(ps)
	return nil
}

// Seeded is how many goods Open stored in the database it created (0 if
// the database existed).
func (s *Store) Seeded() int { return s.seeded }

// removeStale removes files in dir named with prefix that are over an
// hour old: what a killed creation or backup left.
func removeStale(dir, prefix string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
