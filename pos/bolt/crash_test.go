package bolt_test

import (
	"fmt"
	"math/rand/v2"

	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
)

// crashRegister opens path as a till does (fsync on) and sells through
// it: what a crash test's child sells or records with until it is killed.
func crashRegister(path string) (*register.Register, error) {
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return nil, err
	}
	cur, err := pos.LookupCurrency("CNY")
	if err != nil {
		return nil, err
	}
	return register.New(s, cur, true, "crash"), nil
}

// sellUntilKilled is the crash test's child: it sells (and now and then
// refunds) as fast as the disk allows, with fsync, printing each receipt
// number only after its commit has returned, until it is killed.
func sellUntilKilled(path string) error {
	r, err := crashRegister(path)
	if err != nil {
		return err
	}
	bySKU := map[string]pos.Product{}
	for _, p := range catalog() {
		bySKU[p.SKU] = p
	}
	for i := 0; ; i++ {
		var c pos.Cart
		for _, sku := range []string{"TEA", "RICE", "APPLE", "STAMP"} {
			if q := rand.IntN(4); q > 0 {
				if _, err := c.Add(bySKU[sku], int64(q)); err != nil {
					return err
				}
			}
		}
		if c.Empty() {
			_, _ = c.Add(bySKU["TEA"], 1)
		}
		sale, err := r.Complete(c, time.Time{}, cash())
		if err != nil {
			return err
		}
		fmt.Printf("S %d %s\n", sale.Receipt, sale.ID)
		if i%5 == 4 {
			ref, err := r.Refund(sale.ID, map[int]int64{0: 1}, pos.KindRefund, "crash test")
			if err != nil {
				return err
			}
			fmt.Printf("R %d %s\n", ref.Receipt, ref.ID)
		}
	}
}

// TestCrashMidSale kills a selling process at random moments and checks
// that every receipt it showed survived, the receipt numbers have no gap,
// and each stored sale or refund has its outbox entry and stock change:
// a transaction is all there or not there at all. The same file goes
// through every round, so selling also resumes correctly after a crash.
func TestCrashMidSale(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	seed(t, s)
	if _, err := s.PutProducts([]pos.Product{{SKU: "TEA", Barcodes: []string{"6901234567892"}, Name: "Green tea",
		Price: 350, TaxRate: 1300, TrackStock: true, Stock: 1_000_000}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	initial := map[string]int64{"TEA": 1_000_000, "RICE": 40}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	shown := map[uint64]string{} // receipt -> ID the child reported committed
	const rounds = 5
	for round := range rounds {
		cmd, out, stop := helper(t, "crash", path)
		atLeast := 3 + rng.IntN(15)
		lines := 0
		var killed bool
		for out.Scan() {
			f := strings.Fields(out.Text())
			if len(f) != 3 {
				t.Fatalf("round %d: child said %q", round, out.Text())
			}
			n, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			shown[n] = f[2]
			if lines++; lines == atLeast && !killed {
				// Let it run into its next commit, then pull the plug.
				time.Sleep(time.Duration(rng.IntN(8000)) * time.Microsecond)
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
		}
		stop()
		if !killed {
			t.Fatalf("round %d: child stopped by itself after %d receipts", round, lines)
		}
		t.Logf("round %d: killed after %d receipts shown", round, lines)
		checkIntact(t, path, shown, initial)
	}
}

// checkIntact opens the store left behind by a killed process and checks
// that it is whole.
func checkIntact(t *testing.T, path string, shown map[uint64]string, initial map[string]int64) {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()

	sales := allSales(t, s)
	refunds, err := s.RefundsBetween(time.UnixMilli(0), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	last, err := s.LastReceipt()
	if err != nil {
		t.Fatal(err)
	}
	byReceipt := map[uint64]string{}
	moved := map[string]int64{}
	for _, sale := range sales {
		if prev, dup := byReceipt[sale.Receipt]; dup {
			t.Errorf("receipt %d used by %s and %s", sale.Receipt, prev, sale.ID)
		}
		byReceipt[sale.Receipt] = sale.ID
		for _, l := range sale.Lines {
			moved[l.SKU] -= l.Qty
		}
	}
	refundedBySale := map[string]map[int]int64{}
	for _, r := range refunds {
		if prev, dup := byReceipt[r.Receipt]; dup {
			t.Errorf("receipt %d used by %s and %s", r.Receipt, prev, r.ID)
		}
		byReceipt[r.Receipt] = r.ID
		if refundedBySale[r.SaleID] == nil {
			refundedBySale[r.SaleID] = map[int]int64{}
		}
		for _, l := range r.Lines {
			moved[l.SKU] += l.Qty
			refundedBySale[r.SaleID][l.Line] += l.Qty
		}
	}
	if uint64(len(byReceipt)) != last {
		t.Errorf("%d receipts stored, last receipt number %d", len(byReceipt), last)
	}
	for n := uint64(1); n <= last; n++ {
		if _, ok := byReceipt[n]; !ok {
			t.Errorf("receipt %d missing: the sequence has a gap", n)
		}
	}
	for n, id := range shown {
		if got, ok := byReceipt[n]; !ok || got != id {
			t.Errorf("receipt %d (%s) was shown to the customer but is not stored (have %q)", n, id, got)
		}
	}

	for sku, start := range initial {
		if got, want := stock(t, s, sku), start+moved[sku]; got != want {
			t.Errorf("stock of %s = %d, want %d (initial %d, moved %d)", sku, got, want, start, moved[sku])
		}
	}
	for id, want := range refundedBySale {
		got, err := s.Refunded(id)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("sale %s: refunded index %v, refunds add up to %v", id, got, want)
		}
	}

	// Nothing was acknowledged, so the outbox holds exactly one entry per
	// stored sale and refund, in receipt order.
	queued := map[string]int{}
	var prevReceipt uint64
	for _, e := range pending(t, s) {
		queued[e.ID]++
		var n uint64
		switch e.Kind {
		case pos.RecordSale:
			sale, err := s.Sale(e.ID)
			if err != nil {
				t.Errorf("outbox entry %d for a sale not stored: %v", e.Seq, err)
				continue
			}
			n = sale.Receipt
		case pos.RecordRefund:
			n = receiptOf(refunds, e.ID)
		default:
			t.Errorf("unexpected outbox entry %+v", e)
		}
		if n <= prevReceipt {
			t.Errorf("outbox entry %d (receipt %d) after receipt %d: out of order", e.Seq, n, prevReceipt)
		}
		prevReceipt = n
	}
	for _, id := range byReceipt {
		if queued[id] != 1 {
			t.Errorf("%s has %d outbox entries, want 1", id, queued[id])
		}
	}
	if len(queued) != len(byReceipt) {
		t.Errorf("outbox has %d records, store has %d", len(queued), len(byReceipt))
	}
	if t.Failed() {
		t.FailNow()
	}
}

func receiptOf(refunds []pos.Refund, id string) uint64 {
	for _, r := range refunds {
		if r.ID == id {
			return r.Receipt
		}
	}
	return 0
}
