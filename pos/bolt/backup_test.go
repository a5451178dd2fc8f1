package bolt_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// backupUntilKilled is the backup crash test's child: it backs up the
// store again and again, saying the name of each finished backup, until
// it is killed.
func backupUntilKilled(path string) error {
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return err
	}
	dir := filepath.Join(filepath.Dir(path), "backups")
	for {
		info, err := s.Backup(dir, time.Now())
		if err != nil {
			return err
		}
		fmt.Printf("B %s\n", info.Path)
	}
}

// bigStore makes a store with enough in it that a backup takes a while.
func bigStore(t *testing.T, path string, sales int) (*bolt.Store, uint64) {
	t.Helper()
	s := openAt(t, path)
	seed(t, s)
	var ps []pos.Product
	for i := range 20000 {
		ps = append(ps, pos.Product{SKU: fmt.Sprintf("SKU%06d", i), Name: strings.Repeat("goods ", 10), Price: 100})
	}
	if _, err := s.PutProducts(ps); err != nil {
		t.Fatal(err)
	}
	r, _ := newRegister(t, s)
	for range sales {
		sell(t, r, cart(t, "TEA", 1))
	}
	last, err := s.LastReceipt()
	if err != nil {
		t.Fatal(err)
	}
	return s, last
}

func TestBackupVerifiedAndRotated(t *testing.T) {
	dir := t.TempDir()
	s, last := bigStore(t, filepath.Join(dir, "till.db"), 5)
	bdir := filepath.Join(dir, "backups")
	var names []string
	for i := range 4 {
		info, err := s.CloseOfDayBackup(bdir, 3, t0.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if info.LastReceipt != last || info.Identity.Terminal != testID.Terminal {
			t.Fatalf("backup %+v, want receipt %d of %s", info, last, testID.Terminal)
		}
		names = append(names, info.Path)
	}
	got, err := bolt.Backups(bdir, testID.Terminal)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != strings.Join(names[1:], " ") {
		t.Fatalf("kept %v, want the newest three of %v", got, names)
	}
	if _, err := bolt.Verify(got[0]); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(bdir)
	if len(ents) != 3 {
		t.Fatalf("%d files in the backup folder, want 3 (no temporary left)", len(ents))
	}
}

// TestHalfBackupDoesNotVerify cuts a good backup short at many lengths,
// and flips bytes in it: none passes Verify.
func TestHalfBackupDoesNotVerify(t *testing.T) {
	dir := t.TempDir()
	s, _ := bigStore(t, filepath.Join(dir, "till.db"), 20)
	info, err := s.Backup(dir, t0)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.db")
	for _, n := range []int{0, 1, 4096, 8192, 3 * 4096, len(whole) / 2, len(whole) - 4096, len(whole) - 1} {
		if err := os.WriteFile(cut, whole[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := bolt.Verify(cut); err == nil {
			t.Errorf("a backup cut at %d of %d bytes verified", n, len(whole))
		}
	}
}

// TestKillMidBackup kills a process while it takes backups, again and
// again: the database is untouched, every file under a backup's name
// verifies and matches it, and a leftover temporary is never listed.
func TestKillMidBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "till.db")
	s, last := bigStore(t, path, 50)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bdir := filepath.Join(dir, "backups")
	for round := range 6 {
		cmd, out, stop := helper(t, "backup", path)
		want := 1 + round%3
		for n := 0; n < want && out.Scan(); n++ {
		}
		time.Sleep(time.Duration(rand.IntN(5000)) * time.Microsecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		stop()
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(after) != string(before) {
			t.Fatalf("round %d: the database changed under a backup", round)
		}
		if _, err := bolt.Verify(path); err != nil {
			t.Fatalf("round %d: database: %v", round, err)
		}
		all, err := bolt.Backups(bdir, testID.Terminal)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < want {
			t.Fatalf("round %d: %d backups listed, the child finished at least %d", round, len(all), want)
		}
		for _, b := range all {
			info, err := bolt.Verify(b)
			if err != nil {
				t.Fatalf("round %d: %s has a backup's name but does not verify: %v", round, filepath.Base(b), err)
			}
			if info.LastReceipt != last {
				t.Fatalf("round %d: %s ends at receipt %d, want %d", round, b, info.LastReceipt, last)
			}
		}
		ents, _ := os.ReadDir(bdir)
		temps := len(ents) - len(all)
		t.Logf("round %d: %d backups, %d temporary left by the kill", round, len(all), temps)
	}
}

func TestRestoreRefusesOlderBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "till.db")
	s := openAt(t, path)
	seed(t, s)
	r, _ := newRegister(t, s)
	sell(t, r, cart(t, "TEA", 1))
	old, err := s.Backup(dir, t0)
	if err != nil {
		t.Fatal(err)
	}
	sell(t, r, cart(t, "TEA", 1))
	sell(t, r, cart(t, "TEA", 1))
	// Head office acknowledged receipt 2; receipt 3 is still waiting.
	p := pending(t, s)
	if err := s.Ack(p[1].Seq); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	_, err = bolt.Restore(old.Path, path, bolt.RestoreOptions{})
	if !errors.Is(err, bolt.ErrOlder) || !strings.Contains(err.Error(), "1 of the 2 later receipts already at head office") {
		t.Fatalf("restore of an older backup: %v", err)
	}
	if last := lastOf(t, path); last != 3 {
		t.Fatalf("refused restore changed the database: last receipt %d", last)
	}

	res, err := bolt.Restore(old.Path, path, bolt.RestoreOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lost != 2 || res.Acked != 1 || res.Replaced == "" {
		t.Fatalf("forced restore: %+v", res)
	}
	if last := lastOf(t, path); last != 1 {
		t.Fatalf("after restore: last receipt %d, want 1", last)
	}
	if last := lastOf(t, res.Replaced); last != 3 {
		t.Fatalf("replaced database kept with last receipt %d, want 3", last)
	}

	// No database to compare with: refused if a head office is configured.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := bolt.Restore(old.Path, path, bolt.RestoreOptions{HeadOffice: true}); !errors.Is(err, bolt.ErrUnknownHQ) {
		t.Fatalf("restore without a database, with a head office: %v", err)
	}
	if _, err := bolt.Restore(old.Path, path, bolt.RestoreOptions{}); err != nil {
		t.Fatalf("restore without a database nor head office: %v", err)
	}
	if last := lastOf(t, path); last != 1 {
		t.Fatalf("restored: last receipt %d", last)
	}
}

func lastOf(t *testing.T, path string) uint64 {
	t.Helper()
	info, err := bolt.Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.LastReceipt
}
