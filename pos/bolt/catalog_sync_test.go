package bolt_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
)

// The helpers here carry a cs prefix so they never clash with the other
// test files of the package.

func csOpen(t *testing.T) *bolt.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "till.db")
	s, err := bolt.Open(path, bolt.Options{NoSync: true, Identity: pos.Identity{Terminal: "T1", Shop: "S1", Currency: "CNY", Exponent: 2}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.PutProducts([]pos.Product{
		{SKU: "TEA", Barcodes: []string{"6901234567892"}, Name: "Green tea", Price: 350, TaxRate: 1300, TrackStock: true, Stock: 100},
		{SKU: "RICE", Barcodes: []string{"RICE-5KG", "RICE-OLD"}, Name: "Rice 5kg", Price: 4990, TaxRate: 900, TrackStock: true, Stock: 40},
		{SKU: "STAMP", Name: "Stamp", Price: 120},
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

func csReopen(t *testing.T, s *bolt.Store) *bolt.Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := bolt.Open(s.Path(), bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s2.Close() })
	return s2
}

func csRegister(t *testing.T, s *bolt.Store) *register.Register {
	t.Helper()
	cur, err := pos.LookupCurrency("CNY")
	if err != nil {
		t.Fatal(err)
	}
	return register.New(s, cur, true, "ann")
}

func csProduct(t *testing.T, s *bolt.Store, code string) pos.Product {
	t.Helper()
	p, err := s.Lookup(code)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func csCursor(t *testing.T, s *bolt.Store) uint64 {
	t.Helper()
	c, err := s.CatalogCursor()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestApplyCatalog(t *testing.T) {
	s := csOpen(t)
	reg := csRegister(t, s)
	var c pos.Cart
	if _, err := c.Add(csProduct(t, s, "TEA"), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Complete(c, time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 1000}}); err != nil {
		t.Fatal(err)
	}
	if got := csCursor(t, s); got != 0 {
		t.Fatalf("fresh cursor %d", got)
	}
	tea := pos.Product{SKU: "TEA", Barcodes: []string{"6901234567892"}, Name: "Green tea 250g", Price: 399, TaxRate: 1300, TrackStock: true, Stock: 5}
	newGoods := pos.Product{SKU: "NEW", Barcodes: []string{"RICE-5KG"}, Name: "New rice", Price: 5200, TaxRate: 900, TrackStock: true, Stock: 7}
	res, err := s.ApplyCatalog([]pos.CatalogChange{
		{Seq: 4, SKU: "TEA", Product: &tea},
		{Seq: 7, SKU: "STAMP"},
		{Seq: 9, SKU: "NEW", Product: &newGoods},
	}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if res != (pos.CatalogApplied{Put: 2, Deleted: 1, Cursor: 10}) {
		t.Fatalf("apply: %+v", res)
	}
	// New price and name; the terminal's own stock count stays (100 less
	// the one sold), head office's figure is not applied over it.
	got := csProduct(t, s, "TEA")
	if got.Price != 399 || got.Name != "Green tea 250g" || got.Stock != 99 {
		t.Fatalf("TEA after apply: %+v", got)
	}
	if got := csProduct(t, s, "NEW"); got.Stock != 7 || got.Price != 5200 {
		t.Fatalf("new goods: %+v", got)
	}
	if _, err := s.Lookup("STAMP"); !errors.Is(err, pos.ErrNotFound) {
		t.Fatalf("deleted goods: %v", err)
	}
	// Head office moved RICE-5KG to NEW: it was taken off RICE, which
	// keeps its other barcode.
	if got := csProduct(t, s, "RICE-5KG"); got.SKU != "NEW" {
		t.Fatalf("RICE-5KG finds %s", got.SKU)
	}
	if got := csProduct(t, s, "RICE"); !slices.Equal(got.Barcodes, []string{"RICE-OLD"}) {
		t.Fatalf("RICE barcodes %v", got.Barcodes)
	}
	if got := csProduct(t, s, "RICE-OLD"); got.SKU != "RICE" {
		t.Fatalf("RICE-OLD finds %s", got.SKU)
	}
	s = csReopen(t, s)
	if got := csCursor(t, s); got != 10 {
		t.Fatalf("cursor %d after reopen, want 10", got)
	}

	// The same page again, or an older one, changes nothing: the cursor
	// never goes back and changes at or below it are skipped.
	old := tea
	old.Price = 1
	res, err = s.ApplyCatalog([]pos.CatalogChange{{Seq: 4, SKU: "TEA", Product: &old}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if res != (pos.CatalogApplied{Skipped: 1, Cursor: 10}) || csProduct(t, s, "TEA").Price != 399 || csCursor(t, s) != 10 {
		t.Fatalf("stale apply: %+v, TEA at %d, cursor %d", res, csProduct(t, s, "TEA").Price, csCursor(t, s))
	}
}

// TestApplyCatalogAllOrNothing: a page with one bad product applies
// nothing, and the cursor stays where it was.
func TestApplyCatalogAllOrNothing(t *testing.T) {
	s := csOpen(t)
	good := pos.Product{SKU: "TEA", Name: "Dear tea", Price: 999, TaxRate: 1300}
	bad := pos.Product{SKU: "BAD", Name: "", Price: -1}
	clash := pos.Product{SKU: "RICE", Name: "Rice", Price: 1, Barcodes: []string{"X"}}
	mismatch := pos.Product{SKU: "OTHER", Name: "Other", Price: 1}
	for name, changes := range map[string][]pos.CatalogChange{
		"invalid goods": {{Seq: 1, SKU: "TEA", Product: &good}, {Seq: 2, SKU: "STAMP"}, {Seq: 3, SKU: "BAD", Product: &bad}},
		"sku mismatch":  {{Seq: 1, SKU: "TEA", Product: &good}, {Seq: 2, SKU: "STAMP", Product: &mismatch}},
		"barcode twice": {{Seq: 1, SKU: "TEA", Product: &pos.Product{SKU: "TEA", Name: "t", Barcodes: []string{"X"}}}, {Seq: 2, SKU: "RICE", Product: &clash}},
	} {
		if _, err := s.ApplyCatalog(changes, 3); err == nil {
			t.Errorf("%s: applied", name)
		}
		if got := csProduct(t, s, "TEA"); got.Price != 350 {
			t.Fatalf("%s: TEA changed to %+v", name, got)
		}
		if _, err := s.Lookup("STAMP"); err != nil {
			t.Fatalf("%s: STAMP gone: %v", name, err)
		}
		if got := csCursor(t, s); got != 0 {
			t.Fatalf("%s: cursor moved to %d", name, got)
		}
	}
}

// TestOpenCartKeepsPrice: a cart line carries the price captured when the
// goods were scanned, so a price change pulled mid-sale does not change
// the sale; goods scanned afterwards get the new price.
func TestOpenCartKeepsPrice(t *testing.T) {
	s := csOpen(t)
	reg := csRegister(t, s)
	var open pos.Cart
	if _, err := open.Add(csProduct(t, s, "TEA"), 2); err != nil {
		t.Fatal(err)
	}
	tea := csProduct(t, s, "TEA")
	tea.Price = 500
	if _, err := s.ApplyCatalog([]pos.CatalogChange{{Seq: 1, SKU: "TEA", Product: &tea}}, 1); err != nil {
		t.Fatal(err)
	}
	sale, err := reg.Complete(open, time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 10_000}})
	if err != nil {
		t.Fatal(err)
	}
	if sale.Lines[0].UnitPrice != 350 || sale.Total != 700 {
		t.Fatalf("open cart sold at %d (total %d), want the captured 350", sale.Lines[0].UnitPrice, sale.Total)
	}
	var next pos.Cart
	if _, err := next.Add(csProduct(t, s, "TEA"), 1); err != nil {
		t.Fatal(err)
	}
	if next.Lines[0].UnitPrice != 500 {
		t.Fatalf("goods scanned after the pull at %d, want 500", next.Lines[0].UnitPrice)
	}
}

func TestSetAside(t *testing.T) {
	s := csOpen(t)
	reg := csRegister(t, s)
	var ids []string
	for range 3 {
		var c pos.Cart
		if _, err := c.Add(csProduct(t, s, "STAMP"), 1); err != nil {
			t.Fatal(err)
		}
		sale, err := reg.Complete(c, time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sale.ID)
	}
	pending := func() []uint64 {
		es, err := s.Pending(0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []uint64
		for _, e := range es {
			seqs = append(seqs, e.Seq)
		}
		return seqs
	}
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	if err := s.SetAside(2, "totals do not add up", at); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAside(2, "again", at); err != nil { // gone from the outbox: left alone
		t.Fatal(err)
	}
	if err := s.SetAside(42, "never was", at); err != nil {
		t.Fatal(err)
	}
	if got := pending(); !slices.Equal(got, []uint64{1, 3}) {
		t.Fatalf("outbox %v, want [1 3]", got)
	}
	s = csReopen(t, s)
	es, err := s.SetAsideEntries()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Seq != 2 || es[0].ID != ids[1] || es[0].Kind != pos.RecordSale ||
		es[0].Reason != "totals do not add up" || !es[0].At.Equal(at) || len(es[0].Body) == 0 {
		t.Fatalf("set aside: %+v", es)
	}
	st, err := s.SyncStatus()
	if err != nil {
		t.Fatal(err)
	}
	if st.Unsynced != 2 || st.SetAside != 1 {
		t.Fatalf("status %+v", st)
	}
	// The sale itself is still the terminal's.
	if _, err := s.Sale(ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := s.Requeue(2); err != nil {
		t.Fatal(err)
	}
	if got := pending(); !slices.Equal(got, []uint64{1, 2, 3}) {
		t.Fatalf("outbox after requeue %v", got)
	}
	if err := s.Requeue(2); !errors.Is(err, pos.ErrNotFound) {
		t.Fatalf("requeue twice: %v", err)
	}
}

func TestSyncStatus(t *testing.T) {
	s := csOpen(t)
	st, err := s.SyncStatus()
	if err != nil {
		t.Fatal(err)
	}
	if st != (pos.SyncStatus{}) {
		t.Fatalf("fresh status %+v", st)
	}
	t1 := time.Date(2025, 3, 3, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if err := s.MarkSynced(t1, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSynced(t1.Add(time.Hour), "head office unreachable"); err != nil {
		t.Fatal(err)
	}
	s = csReopen(t, s)
	st, err = s.SyncStatus()
	if err != nil {
		t.Fatal(err)
	}
	if !st.LastSync.Equal(t1) || st.LastError != "head office unreachable" {
		t.Fatalf("status %+v", st)
	}
	if err := s.MarkSynced(t1.Add(2*time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	st, _ = s.SyncStatus()
	if !st.LastSync.Equal(t1.Add(2*time.Hour)) || st.LastError != "" {
		t.Fatalf("status %+v", st)
	}
}

// TestApplyCatalogLastChangeWins: changes of one SKU within a page apply
// in sequence order, so the page ends with the SKU as its last change
// says: put then delete leaves it gone, delete then put leaves it there.
func TestApplyCatalogLastChangeWins(t *testing.T) {
	s := csOpen(t)
	tea := csProduct(t, s, "TEA")
	tea.Price = 999
	fresh := pos.Product{SKU: "NEW", Barcodes: []string{"NEW-1"}, Name: "New", Price: 100}
	res, err := s.ApplyCatalog([]pos.CatalogChange{
		{Seq: 1, SKU: "TEA", Product: &tea},
		{Seq: 2, SKU: "NEW", Product: &fresh},
		{Seq: 3, SKU: "TEA"},
		{Seq: 4, SKU: "NEW"},
		{Seq: 5, SKU: "STAMP"},
		{Seq: 6, SKU: "STAMP", Product: &pos.Product{SKU: "STAMP", Name: "Stamp", Price: 150}},
	}, 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"TEA", "6901234567892", "NEW", "NEW-1"} {
		if p, err := s.Lookup(code); !errors.Is(err, pos.ErrNotFound) {
			t.Errorf("%s after put then delete: %+v %v, want gone", code, p, err)
		}
	}
	if got := csProduct(t, s, "STAMP"); got.Price != 150 {
		t.Errorf("STAMP after delete then put: %+v", got)
	}
	if res != (pos.CatalogApplied{Put: 1, Deleted: 2, Skipped: 3, Cursor: 6}) || csCursor(t, s) != 6 {
		t.Errorf("apply: %+v, stored cursor %d", res, csCursor(t, s))
	}
}
