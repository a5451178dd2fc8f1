package bolt_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/journal"
	bbolt "go.etcd.io/bbolt"
)

// Tests that need a second process re-execute the test binary with
// helperEnv set to the role it should play; see TestHelperProcess.
const (
	helperEnv     = "TILL_BOLT_HELPER"
	helperPathEnv = "TILL_BOLT_HELPER_DB"
)

// TestHelperProcess is not a test: it is the child process of the lock
// and crash tests, and does nothing unless helperEnv is set.
func TestHelperProcess(t *testing.T) {
	role := os.Getenv(helperEnv)
	if role == "" {
		t.Skip("helper process for other tests")
	}
	path := os.Getenv(helperPathEnv)
	var err error
	switch role {
	case "lock":
		err = holdLock(path)
	case "crash":
		err = sellUntilKilled(path)
	case "drawer":
		err = payInUntilKilled(path)
	case "serve":
		err = serveAndSell(path)
	case "backup":
		err = backupUntilKilled(path)
	case "create":
		err = createUntilKilled(path)
	case "import":
		err = importUntilKilled(path)
	default:
		err = fmt.Errorf("unknown helper role %q", role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// holdLock opens the store, says so on stdout, and keeps it open until
// its stdin is closed.
func holdLock(path string) error {
	s, err := bolt.Open(path, bolt.Options{Identity: testID})
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	return nil
}

// helper starts the test binary as a helper process in role on path; its
// stdout is returned line by line.
func helper(t *testing.T, role, path string) (*exec.Cmd, *bufio.Scanner, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+role, helperPathEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("helper stderr:\n%s", stderr.String())
		}
	}
	t.Cleanup(stop)
	return cmd, bufio.NewScanner(stdout), stop
}

func TestCreateAndReopen(t *testing.T) {
	s := openNew(t)
	if got := s.Identity(); got != testID {
		t.Fatalf("identity = %+v, want %+v", got, testID)
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// The identity and schema are in the file, not in the options: a
	// reopen without them, or with different ones, gets the stored ones.
	other := testID
	other.Terminal, other.Currency = "T99", "USD"
	for _, opt := range []bolt.Options{{}, {Identity: other}} {
		s, err := bolt.Open(path, opt)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if got := s.Identity(); got != testID {
			t.Errorf("reopened identity = %+v, want %+v", got, testID)
		}
		s.Close()
	}
	if v := metaSchema(t, path); v != bolt.SchemaVersion {
		t.Errorf("stored schema = %d, want %d", v, bolt.SchemaVersion)
	}

	// Opening a current file reads it and writes nothing (a write would
	// cost two fsyncs on every start and every `till` command).
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err = bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("opening and closing a current store changed the file")
	}
}

func TestOpenNewNeedsIdentity(t *testing.T) {
	for name, id := range map[string]pos.Identity{
		"nothing":     {},
		"no currency": {Terminal: "T01"},
		"no terminal": {Currency: "CNY"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "till.db")
			s, err := bolt.Open(path, bolt.Options{Identity: id})
			if err == nil {
				s.Close()
				t.Fatal("opened a new database without a terminal and currency")
			}
			if !strings.Contains(err.Error(), "terminal") {
				t.Errorf("error %q does not say what is missing", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the failed open left a file behind: %v", err)
			}
			// The failed attempt leaves nothing that stops a proper start.
			s = openAt(t, path)
			if s.Identity() != testID {
				t.Errorf("identity = %+v", s.Identity())
			}
		})
	}
}

func TestOpenInUse(t *testing.T) {
	s := openNew(t)
	start := time.Now()
	s2, err := bolt.Open(s.Path(), bolt.Options{})
	elapsed := time.Since(start)
	if err == nil {
		s2.Close()
		t.Fatal("second open of the same file succeeded")
	}
	if !errors.Is(err, bolt.ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("second open took %v to give up, want about the 1s lock timeout", elapsed)
	}
	// Once the first till lets go, the file opens.
	_ = reopen(t, s)
}

func TestOpenInUseByOtherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	path := filepath.Join(t.TempDir(), "till.db")
	_, out, stop := helper(t, "lock", path)
	if !out.Scan() || out.Text() != "ready" {
		stop()
		t.Fatalf("helper did not open the store: %q %v", out.Text(), out.Err())
	}
	start := time.Now()
	s, err := bolt.Open(path, bolt.Options{Identity: testID})
	elapsed := time.Since(start)
	if err == nil {
		s.Close()
		t.Fatal("opened a file another process holds")
	}
	if !errors.Is(err, bolt.ErrInUse) {
		t.Fatalf("open: %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("gave up after %v, want under 2s", elapsed)
	}
	stop()
	_ = openAt(t, path) // the lock went with the process
}

func TestOpenNotTill(t *testing.T) {
	dir := t.TempDir()
	files := map[string]func(path string) error{
		"random bytes": func(path string) error {
			b := make([]byte, 64<<10)
			rng := rand.NewChaCha8([32]byte{1})
			_, _ = rng.Read(b)
			return os.WriteFile(path, b, 0o600)
		},
		"text": func(path string) error {
			return os.WriteFile(path, []byte(strings.Repeat("sku,name,price\nTEA,Green tea,3.50\n", 500)), 0o600)
		},
		"short text": func(path string) error {
			return os.WriteFile(path, []byte("hello\n"), 0o600)
		},
		"other bbolt": func(path string) error {
			db, err := bbolt.Open(path, 0o600, nil)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Update(func(tx *bbolt.Tx) error {
				b, err := tx.CreateBucket([]byte("settings"))
				if err != nil {
					return err
				}
				return b.Put([]byte("theme"), []byte("dark"))
			})
		},
		"bbolt with a meta bucket": func(path string) error {
			db, err := bbolt.Open(path, 0o600, nil)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Update(func(tx *bbolt.Tx) error {
				b, err := tx.CreateBucket([]byte("meta"))
				if err != nil {
					return err
				}
				return b.Put([]byte("version"), []byte("7"))
			})
		},
	}
	for name, make := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
			if err := make(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			for range 2 { // twice: a failed open must not leave the file locked
				s, err := bolt.Open(path, bolt.Options{Identity: testID, LockTimeout: 200 * time.Millisecond})
				if err == nil {
					s.Close()
					t.Fatal("opened a file that is not a Till database")
				}
				if !errors.Is(err, bolt.ErrNotTill) {
					t.Fatalf("open: %v, want ErrNotTill", err)
				}
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("open changed a file that is not a Till database")
			}
		})
	}
}

func TestOpenTooNew(t *testing.T) {
	s := openNew(t)
	path := s.Path()
	s.Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		v := binary.BigEndian.AppendUint64(nil, bolt.SchemaVersion+1)
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = bolt.Open(path, bolt.Options{})
	if err == nil {
		s.Close()
		t.Fatal("opened a file of a newer schema")
	}
	if !errors.Is(err, bolt.ErrTooNew) {
		t.Fatalf("open: %v, want ErrTooNew", err)
	}
	if v := metaSchema(t, path); v != bolt.SchemaVersion+1 {
		t.Errorf("schema after refused open = %d, want it untouched", v)
	}
}

// TestOpenCorrupt damages each data page of a real store in turn (pages
// 0 and 1 are bbolt's meta pages, with checksums) and checks that opening
// and reading everything gives ErrCorrupt or ErrNotTill, never a panic,
// unless the page was not in use.
func TestOpenCorrupt(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	for i := range 30 {
		clk.Add(time.Minute)
		sale := sell(t, r, cart(t, "TEA", 1+i%3, "RICE", 1, "APPLE", 2))
		if i%10 == 0 {
			if _, err := r.Refund(sale.ID, map[int]int64{0: 1}, "refund", "damaged"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.TakeZ(clk.Now(), time.UTC, nil); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	psize := os.Getpagesize()
	inUse := pagesInUse(t, path)
	if len(inUse) < 5 {
		t.Fatalf("only %d pages in use; the fixture is too small", len(inUse))
	}

	damage := map[string]func(page []byte, rng *rand.Rand){
		"random page": func(p []byte, rng *rand.Rand) {
			for i := range p {
				p[i] = byte(rng.Uint32())
			}
		},
		"zero page": func(p []byte, _ *rand.Rand) { clear(p) },
		"random header": func(p []byte, rng *rand.Rand) {
			for i := range 16 {
				p[i] = byte(rng.Uint32())
			}
		},
		"random body": func(p []byte, rng *rand.Rand) {
			for i := 16 + rng.IntN(64); i < len(p); i += 1 + rng.IntN(32) {
				p[i] = byte(rng.Uint32())
			}
		},
	}
	dir := t.TempDir()
	for pg := 2; pg*psize < len(good); pg++ {
		for name, fn := range damage {
			// A fresh file each time: bbolt keeps a file it panicked on
			// mapped, and so locked, until the process exits.
			bad := filepath.Join(dir, fmt.Sprintf("page%d-%s.db", pg, strings.ReplaceAll(name, " ", "_")))
			rng := rand.New(rand.NewPCG(uint64(pg), 7))
			b := bytes.Clone(good)
			fn(b[pg*psize:(pg+1)*psize], rng)
			if err := os.WriteFile(bad, b, 0o600); err != nil {
				t.Fatal(err)
			}
			err := readEverything(bad)
			switch {
			case err == nil && inUse[pg] != "":
				// Damage that leaves a page well-formed (say, JSON still
				// valid after a changed digit) is not detectable, and the
				// receipt index before the last Z is never read again;
				// report only damage the store could have seen.
				if name != "random body" && !closedReceipts(good[pg*psize:(pg+1)*psize]) {
					t.Errorf("page %d (%s), %s: no error", pg, inUse[pg], name)
				}
			case err != nil && !errors.Is(err, bolt.ErrCorrupt) && !errors.Is(err, bolt.ErrNotTill) && !errors.Is(err, journal.ErrBroken):
				// A broken journal chain is damage found too: the verifier
				// names the entry.
				t.Errorf("page %d (%s), %s: %v, want ErrCorrupt or ErrNotTill", pg, inUse[pg], name, err)
			}
		}
	}
}

// closedReceipts reports whether an intact page holds receipt index
// entries (all of the fixture's are before its Z report).
func closedReceipts(page []byte) bool {
	return bytes.Contains(page, []byte(`{"kind":"sale","id":"`)) || bytes.Contains(page, []byte(`{"kind":"refund","id":"`))
}

// readEverything opens path and reads all the store holds, returning
// the first error. A panic fails the test binary, as it would the till.
func readEverything(path string) error {
	s, err := bolt.Open(path, bolt.Options{LockTimeout: 100 * time.Millisecond, NoSync: true})
	if err != nil {
		return err
	}
	defer s.Close()
	far := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []func() error{
		func() error { _, err := s.Products(); return err },
		func() error { _, err := s.Lookup("6901234567892"); return err },
		func() error {
			sales, err := s.SalesBetween(time.UnixMilli(0), far)
			for _, sale := range sales {
				if err == nil {
					_, err = s.Refunded(sale.ID)
				}
			}
			return err
		},
		func() error { _, err := s.RefundsBetween(time.UnixMilli(0), far); return err },
		func() error { _, err := s.XReport(far, time.UTC); return err },
		func() error { _, err := s.ZReports(100); return err },
		func() error { _, err := s.Pending(0, 1<<20); return err },
		func() error { _, _, err := s.OutboxCounts(); return err },
		func() error { _, err := s.ParkedCarts(); return err },
		func() error { _, err := s.LastReceipt(); return err },
		func() error { _, err := s.Shift(); return err },
		func() error { _, err := s.Members(); return err },
		func() error { _, err := s.VerifyJournal(); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// pagesInUse maps the pages reachable from the root (and the freelist) to
// their kind, read with bbolt directly from an intact file.
func pagesInUse(t *testing.T, path string) map[int]string {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	used := map[int]string{}
	err = db.View(func(tx *bbolt.Tx) error {
		for id := 2; id < int(tx.Size())/os.Getpagesize(); id++ {
			info, err := tx.Page(id)
			if err != nil {
				return err
			}
			if info != nil && info.Type != "free" {
				for k := 0; k <= info.OverflowCount; k++ {
					used[id+k] = info.Type
				}
				id += info.OverflowCount
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

func metaSchema(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	err = db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("meta")).Get([]byte("schema"))
		if len(b) != 8 {
			return fmt.Errorf("schema value %x", b)
		}
		v = binary.BigEndian.Uint64(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}
