package bolt_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// openFolding opens path with an idle fold so long that only reads,
// writes and Close fold: what each test does decides when.
func openFolding(t *testing.T, path string, idle time.Duration) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{Identity: testID, FoldIdle: idle})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestStagedSaleIsThereAfterAPowerCut: a sale's commit writes only its
// staged record; a copy of the file taken right after CompleteSale
// returns (what a power cut leaves) opens with the sale numbered, its
// stock moved, its receipt indexed, queued for head office and chained
// into the journal.
func TestStagedSaleIsThereAfterAPowerCut(t *testing.T) {
	dir := t.TempDir()
	s := openFolding(t, filepath.Join(dir, "till.db"), time.Hour)
	seed(t, s)
	r, _ := newRegister(t, s)
	a := sell(t, r, cart(t, "TEA", 2))
	b := sell(t, r, cart(t, "TEA", 1, "RICE", 1))
	if n := bolt.Staged(s); n != 2 {
		t.Fatalf("staged after two sales: %d, want 2 (the commit should not fold)", n)
	}
	if a.Receipt != 1 || b.Receipt != 2 || a.Journal.Seq == 0 || b.Journal.Seq != a.Journal.Seq+1 {
		t.Fatalf("receipts %d, %d, journal %d, %d: want 1, 2 and consecutive entries", a.Receipt, b.Receipt, a.Journal.Seq, b.Journal.Seq)
	}
	cut := filepath.Join(dir, "cut.db")
	copyOpenFile(t, s.Path(), cut)

	c := openFolding(t, cut, time.Hour)
	if got := stock(t, c, "TEA"); got != 97 {
		t.Errorf("TEA stock after the cut: %d, want 97", got)
	}
	if got := stock(t, c, "RICE"); got != 39 {
		t.Errorf("RICE stock after the cut: %d, want 39", got)
	}
	if n := bolt.Staged(c); n != 0 {
		t.Errorf("staged after a read: %d, want 0 (a read folds first)", n)
	}
	for _, want := range []pos.Sale{a, b} {
		got, err := c.Sale(want.ID)
		if err != nil || got.Receipt != want.Receipt || got.Total != want.Total {
			t.Errorf("sale %s after the cut: receipt %d total %d, %v; want %d, %d", want.ID, got.Receipt, got.Total, err, want.Receipt, want.Total)
		}
	}
	es := pending(t, c)
	if len(es) != 2 || es[0].ID != a.ID || es[1].ID != b.ID {
		t.Errorf("outbox after the cut: %+v, want sales %s then %s", es, a.ID, b.ID)
	}
	res, err := c.VerifyJournal()
	if err != nil || res.Head.Seq != b.Journal.Seq || res.Head.Hash.Excerpt() != b.Journal.Excerpt {
		t.Errorf("journal after the cut: head %d %s, %v; want %d %s", res.Head.Seq, res.Head.Hash.Excerpt(), err, b.Journal.Seq, b.Journal.Excerpt)
	}
	if err := c.Check(); err != nil {
		t.Errorf("check after the cut: %v", err)
	}
}

// copyOpenFile copies a store's file while it is open, as a power cut
// would leave it: bbolt's commits are on disk when they return.
func copyOpenFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestStagedSalesNumberBeforeALaterRefund: a refund's transaction folds
// the staged sales first, so its receipt number and journal entry come
// after theirs and the refund finds the sale it refunds.
func TestStagedSalesNumberBeforeALaterRefund(t *testing.T) {
	s := openFolding(t, filepath.Join(t.TempDir(), "till.db"), time.Hour)
	seed(t, s)
	r, _ := newRegister(t, s)
	a := sell(t, r, cart(t, "TEA", 2))
	b := sell(t, r, cart(t, "RICE", 1))
	f, err := r.Refund(a.ID, nil, pos.KindRefund, "changed mind")
	if err != nil {
		t.Fatal(err)
	}
	if f.Receipt != 3 || f.Journal.Seq != b.Journal.Seq+1 {
		t.Errorf("refund receipt %d journal %d, want 3 and %d", f.Receipt, f.Journal.Seq, b.Journal.Seq+1)
	}
	c := sell(t, r, cart(t, "TEA", 1))
	if c.Receipt != 4 {
		t.Errorf("next sale's receipt: %d, want 4", c.Receipt)
	}
	if got := stock(t, s, "TEA"); got != 99 {
		t.Errorf("TEA stock: %d, want 99 (100 - 2 sold + 2 refunded - 1 sold)", got)
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Errorf("journal: %v", err)
	}
}

// TestStagedSaleIDCompletesOnce: a sale ID staged but not folded is
// refused a second time, as a stored one is.
func TestStagedSaleIDCompletesOnce(t *testing.T) {
	s := openFolding(t, filepath.Join(t.TempDir(), "till.db"), time.Hour)
	seed(t, s)
	r, _ := newRegister(t, s)
	a := sell(t, r, cart(t, "TEA", 1))
	again := a
	again.Receipt = 0
	err := s.CompleteSale(&again)
	if !errors.Is(err, bolt.ErrExists) {
		t.Fatalf("the same sale again: %v, want ErrExists", err)
	}
	if again.Receipt != 0 {
		t.Errorf("a refused sale keeps receipt %d", again.Receipt)
	}
	if n := bolt.Staged(s); n != 1 {
		t.Errorf("staged: %d, want 1", n)
	}
}

// TestStoreFoldsWhenIdle: with nobody reading or writing, the staged
// sale is folded a moment after it was sold.
func TestStoreFoldsWhenIdle(t *testing.T) {
	s := openFolding(t, filepath.Join(t.TempDir(), "till.db"), 20*time.Millisecond)
	seed(t, s)
	r, _ := newRegister(t, s)
	sell(t, r, cart(t, "TEA", 1))
	deadline := time.Now().Add(5 * time.Second)
	for bolt.Staged(s) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the staged sale was not folded within 5 s of idling")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStagedSalesStayBounded: a till selling with no pause and no read
// folds once the staged bucket is full, in the sale that finds it so.
func TestStagedSalesStayBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 600 fsynced sales")
	}
	s := openFolding(t, filepath.Join(t.TempDir(), "till.db"), time.Hour)
	seed(t, s)
	r, _ := newRegister(t, s)
	most := 0
	for range 600 {
		sell(t, r, cart(t, "STAMP", 1))
		most = max(most, bolt.Staged(s))
	}
	if most > 257 {
		t.Errorf("staged reached %d, want at most 257", most)
	}
	if got := len(allSales(t, s)); got != 600 {
		t.Errorf("sales: %d, want 600", got)
	}
}

// TestCloseFolds: Close leaves nothing staged, and an older Till, which
// would not see staged sales, is refused the file (schema 4).
func TestCloseFolds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openFolding(t, path, time.Hour)
	seed(t, s)
	r, _ := newRegister(t, s)
	sell(t, r, cart(t, "TEA", 1))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if bolt.SchemaVersion < 4 {
		t.Errorf("schema %d: an older Till would open a file with staged sales", bolt.SchemaVersion)
	}
	info, err := bolt.Verify(path) // read-only: cannot fold, must not need to
	if err != nil || info.LastReceipt != 1 {
		t.Errorf("verify after close: last receipt %d, %v; want 1", info.LastReceipt, err)
	}
}

// TestCheckNamesADamagedStagedSale: a read-only check of a file with a
// staged sale decodes it, and a damaged one is named by its bucket.
func TestCheckNamesADamagedStagedSale(t *testing.T) {
	dir := t.TempDir()
	s := openFolding(t, filepath.Join(dir, "till.db"), time.Hour)
	seed(t, s)
	r, _ := newRegister(t, s)
	a := sell(t, r, cart(t, "TEA", 1))
	cut := filepath.Join(dir, "cut.db")
	copyOpenFile(t, s.Path(), cut)
	info, err := bolt.Verify(cut)
	if err != nil {
		t.Fatalf("verify a copy with a staged sale: %v", err)
	}
	if info.LastReceipt != a.Receipt || info.Pending != 1 {
		t.Errorf("a copy with a staged sale: last receipt %d, %d pending; want %d and 1", info.LastReceipt, info.Pending, a.Receipt)
	}
	flipDigit(t, cut, "staged_sales", binary.BigEndian.AppendUint64(nil, a.Journal.Seq), "total")
	_, err = bolt.Verify(cut)
	var ce *bolt.CheckError
	if !errors.As(err, &ce) || ce.Bucket != "staged_sales" || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("verify a damaged staged sale: %v, want it named", err)
	}
}
