// Package bolt is Till's terminal store: one bbolt file per terminal
// holding the catalog, sales, refunds, reports, parked carts and the sync
// outbox. Every change that must happen together is one transaction.
package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// Errors callers can tell apart with errors.Is.
var (
	ErrInUse    = errors.New("database is already in use by another Till")
	ErrNotTill  = errors.New("not a Till database")
	ErrCorrupt  = errors.New("database is corrupt")
	ErrTooNew   = errors.New("database was written by a newer Till")
	ErrNotFound = pos.ErrNotFound
	ErrExists   = errors.New("already recorded")
	// ErrHeadOffice is a head office's bbolt file opened as a terminal's.
	ErrHeadOffice = errors.New("this is a head-office database, not a terminal's")
)

var (
	bMeta     = []byte("meta")
	bProducts = []byte("products")
	bBarcodes = []byte("barcodes")
	bSales    = []byte("sales")
	bRefunds  = []byte("refunds")
	bRefunded = []byte("refunded")
	bReceipts = []byte("receipts")
	bOutbox   = []byte("outbox")
	bZReports = []byte("zreports")
	bParked   = []byte("parked")

	kSchema   = []byte("schema")
	kIdentity = []byte("identity")
	kShift    = []byte("shift")
	kLastZ    = []byte("last_z_receipt")
	kMagic    = []byte("till")
)

// Options are used when opening; Identity only on first creation.
type Options struct {
	Identity    pos.Identity
	LockTimeout time.Duration // default one second
	NoSync      bool          // tests and benchmarks of our own code only
	ReadOnly    bool          // a shared lock and no writes: for checking a copy
	// Seed gives the goods a new database starts with (the demo shop's):
	// they are stored in the transaction that creates it. Called only
	// when the database is created.
	Seed func() ([]pos.Product, error)
	// FoldIdle is how long after a staged sale, with no other write, the
	// store folds it (staged.go); zero means a second.
	FoldIdle time.Duration
}

// Store is an open terminal database.
type Store struct {
	db     *bbolt.DB
	path   string
	id     pos.Identity
	seed   func() ([]pos.Product, error)
	seeded int           // goods Seed put in a database this Open created
	owners atomic.Uint64 // BarcodeOwner calls, to release the map now and then

	readOnly bool
	foldIdle time.Duration
	foldMu   sync.Mutex // guards the three below
	folder   *time.Timer
	folding  sync.WaitGroup
	closed   bool
}

// migrations bring a file from version i to i+1, in order, each in the
// same transaction as the version bump. Never edit one that has shipped.
var migrations = []func(tx *bbolt.Tx) error{
	func(tx *bbolt.Tx) error { // 1: the first layout
		for _, b := range [][]byte{bProducts, bBarcodes, bSales, bRefunds, bRefunded, bReceipts, bOutbox, bZReports, bParked} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bbolt.Tx) error { // 2: QR payments
		for _, b := range [][]byte{bPayments, bOpenPayment} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	migrateJournal, // 3: staff, the journal and the signing key
	func(tx *bbolt.Tx) error { // 4: staged sales (an older Till would not see them)
		_, err := tx.CreateBucketIfNotExists(bStaged)
		return err
	},
}

// SchemaVersion is the layout this code writes.
var SchemaVersion = uint64(len(migrations))

// maxSchema is beyond any version Till will reach: a bigger number in
// the meta bucket is damage, not a newer Till.
const maxSchema = 1 << 16

// Open opens or creates the terminal database at path. A second process
// gets ErrInUse after the lock timeout instead of waiting forever. A new
// database is built beside path and linked into place only once it is
// complete (see create); an existing empty file is refused (ErrEmpty).
func Open(path string, opt Options) (*Store, error) {
	if opt.LockTimeout == 0 {
		opt.LockTimeout = time.Second
	}
	fi, statErr := os.Stat(path)
	if statErr == nil && fi.IsDir() {
		return nil, fmt.Errorf("open %s: is a directory", path)
	}
	if statErr == nil && fi.Size() == 0 {
		return nil, fmt.Errorf("open %s: %w", path, ErrEmpty)
	}
	var seeded int
	if errors.Is(statErr, fs.ErrNotExist) && !opt.ReadOnly {
		var err error
		if seeded, err = create(path, opt); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	db, err := openDB(path, opt)
	if err != nil {
		return nil, openErr(path, err)
	}
	s := &Store{db: db, path: path, seed: opt.Seed, seeded: seeded, readOnly: opt.ReadOnly, foldIdle: opt.FoldIdle}
	if s.foldIdle <= 0 {
		s.foldIdle = time.Second
	}
	if err := s.init(opt.Identity); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := s.undoImport(); err != nil { // a streamed import cut short
		_ = db.Close()
		return nil, fmt.Errorf("open %s: undo an unfinished import: %w", path, err)
	}
	return s, nil
}

// openErr says in words why bbolt could not open path.
func openErr(path string, err error) error {
	switch {
	case errors.Is(err, bberrors.ErrTimeout):
		return fmt.Errorf("open %s: %w", path, ErrInUse)
	case errors.Is(err, bberrors.ErrInvalid), errors.Is(err, bberrors.ErrVersionMismatch):
		return fmt.Errorf("open %s: %w (or it is corrupt)", path, ErrNotTill)
	case errors.Is(err, bberrors.ErrChecksum):
		return fmt.Errorf("open %s: %w", path, ErrCorrupt)
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// openDB opens the bbolt file. bbolt panics on some damage it finds while
// opening (a broken freelist page, say), after it has locked and mapped
// the file; the panic becomes ErrCorrupt and the file is closed here.
// The mapping, and with it the lock, stay until the process exits: a
// retry from the same process gets ErrInUse.
func openDB(path string, opt Options) (db *bbolt.DB, err error) {
	var f *os.File
	defer func() {
		if err != nil && f != nil && db == nil {
			_ = f.Close()
		}
	}()
	defer catchFaults()()
	defer recoverCorrupt(path, &err)
	if opt.LockTimeout == 0 {
		opt.LockTimeout = time.Second
	}
	return bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opt.LockTimeout, NoSync: opt.NoSync, ReadOnly: opt.ReadOnly,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			var err error
			f, err = os.OpenFile(name, flag, perm)
			return f, err
		}})
}

// recoverCorrupt turns a bbolt panic on a damaged file into an error: the
// cashier gets words, not a stack trace.
func recoverCorrupt(path string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %w (%v)", path, ErrCorrupt, r)
	}
}

// catchFaults makes a bad memory access on this goroutine a panic that
// recoverCorrupt can catch, instead of a crash: bbolt follows page IDs from
// the mmapped file, and damaged ones point outside it. It returns the
// function that restores the previous setting.
func catchFaults() func() {
	old := debug.SetPanicOnFault(true)
	return func() { debug.SetPanicOnFault(old) }
}

func (s *Store) init(id pos.Identity) error {
	// Most opens find a current file: read it without writing, since a
	// write transaction costs two fsyncs. Only creating or migrating
	// writes, below.
	current := false
	err := s.view(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil || meta.Get(kMagic) == nil {
			return nil
		}
		if string(meta.Get(kMagic)) == "till head office" { // sync/hq/boltstore's magic
			return ErrHeadOffice
		}
		v := meta.Get(kSchema)
		if len(v) != 8 || binary.BigEndian.Uint64(v) != SchemaVersion {
			return nil
		}
		current = true
		return getJSON(meta, kIdentity, &s.id)
	})
	if err != nil || current {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		fresh := false
		meta := tx.Bucket(bMeta)
		if meta == nil {
			if tx.Bucket(bSales) != nil || hasBuckets(tx) {
				return ErrNotTill
			}
			if id.Terminal == "" || id.Currency == "" {
				return errors.New("new database needs a terminal ID and currency")
			}
			if err := pos.CheckTerminalID(id.Terminal); err != nil {
				return fmt.Errorf("new database: %w", err)
			}
			var err error
			if meta, err = tx.CreateBucket(bMeta); err != nil {
				return err
			}
			if err := meta.Put(kMagic, []byte("till terminal")); err != nil {
				return err
			}
			if err := putJSON(meta, kIdentity, id); err != nil {
				return err
			}
			fresh = true
		}
		if meta.Get(kMagic) == nil {
			return ErrNotTill
		}
		ver := uint64(0)
		if v := meta.Get(kSchema); v != nil {
			ver = binary.BigEndian.Uint64(v)
		}
		if ver > maxSchema {
			return fmt.Errorf("%w: schema number %d is not one any Till wrote", ErrCorrupt, ver)
		}
		if ver > SchemaVersion {
			return fmt.Errorf("%w: schema %d, this Till knows up to %d; upgrade Till", ErrTooNew, ver, SchemaVersion)
		}
		for ; ver < SchemaVersion; ver++ {
			if err := migrations[ver](tx); err != nil {
				return fmt.Errorf("migrate to schema %d: %w", ver+1, err)
			}
			if err := meta.Put(kSchema, u64(ver+1)); err != nil {
				return err
			}
		}
		if fresh {
			if err := s.seedNew(tx); err != nil {
				return err
			}
		}
		return getJSON(meta, kIdentity, &s.id)
	})
}

func hasBuckets(tx *bbolt.Tx) bool {
	found := false
	_ = tx.ForEach(func([]byte, *bbolt.Bucket) error { found = true; return nil })
	return found
}

// Close folds what is staged and closes the file. A fold that fails
// leaves the sales staged for the next open (they are stored already).
func (s *Store) Close() error {
	s.foldMu.Lock()
	if s.closed {
		s.foldMu.Unlock()
		return s.db.Close()
	}
	s.closed = true
	if s.folder != nil {
		s.folder.Stop()
	}
	s.foldMu.Unlock()
	s.folding.Wait()
	ferr := s.fold()
	if err := s.db.Close(); err != nil {
		return err
	}
	return ferr
}

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// Identity returns the terminal's identity.
func (s *Store) Identity() pos.Identity { return s.id }

// view and update run fn in a transaction, turning a panic from a damaged
// file into ErrCorrupt. Both see staged sales in place: update folds
// them first in its own transaction, and view, finding some, folds
// before it reads (a read-only store reads the file as it is).
func (s *Store) view(fn func(tx *bbolt.Tx) error) (err error) {
	defer catchFaults()()
	defer recoverCorrupt(s.path, &err)
	for try := 0; ; try++ {
		staged := false
		err := s.db.View(func(tx *bbolt.Tx) error {
			if !s.readOnly && try < 3 && hasStaged(tx) {
				staged = true
				return nil
			}
			return fn(tx)
		})
		if !staged {
			return err
		}
		if err := s.foldNow(); err != nil {
			return err
		}
	}
}

// read is view for what a fold never writes (staff, lockouts, parked
// carts, payments, which a staged sale has written already): it reads
// without folding first, so a sale's own reads do not fold the sale
// before it.
func (s *Store) read(fn func(tx *bbolt.Tx) error) (err error) {
	defer catchFaults()()
	defer recoverCorrupt(s.path, &err)
	return s.db.View(fn)
}

func (s *Store) update(fn func(tx *bbolt.Tx) error) (err error) {
	defer catchFaults()()
	defer recoverCorrupt(s.path, &err)
	return s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := foldStaged(tx); err != nil {
			return err
		}
		return fn(tx)
	})
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func putJSON(b *bbolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, sealRecord(data))
}

// getJSON decodes a value; json.Unmarshal copies, so nothing refers to
// bbolt's memory after the transaction.
func getJSON(b *bbolt.Bucket, k []byte, v any) error {
	data := b.Get(k)
	if data == nil {
		return ErrNotFound
	}
	return decode(k, data, v)
}

// decode checks a stored record's checksum and decodes its JSON.
func decode(k, stored []byte, v any) error {
	data, err := openNamed("record", k, stored)
	if err != nil {
		return err
	}
	return decodeJSON(k, data, v)
}

// decodeJSON decodes a record's JSON, its checksum already checked.
func decodeJSON(k, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: record %q: %v", ErrCorrupt, k, err)
	}
	return nil
}
