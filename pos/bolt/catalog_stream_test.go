package bolt_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/journal"
)

// importAll streams ps into the store as the import command does.
func importAll(s *bolt.Store, ps []pos.Product) (bolt.ImportResult, error) {
	listed := map[string]bool{}
	for _, p := range ps {
		listed[p.SKU] = true
	}
	return s.ImportProducts(func(put func(pos.Product) error) error {
		for _, p := range ps {
			if err := put(p); err != nil {
				return err
			}
		}
		return nil
	}, func(sku string) bool { return listed[sku] })
}

// The streamed import keeps PutProducts' rules: barcodes swap and move
// between goods it lists, whatever their order; a barcode of goods it
// does not list, or any bad goods, refuse the whole import.
func TestImportProductsBarcodes(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	a := pos.Product{SKU: "A", Name: "A", Price: 100, Barcodes: []string{"CODE-1"}}
	b := pos.Product{SKU: "B", Name: "B", Price: 200, Barcodes: []string{"CODE-2"}}
	if res, err := importAll(s, []pos.Product{a, b}); err != nil || res != (bolt.ImportResult{Added: 2}) {
		t.Fatalf("first import %+v, %v", res, err)
	}
	a.Barcodes, b.Barcodes = []string{"CODE-2"}, []string{"CODE-1", "CODE-3"}
	if res, err := importAll(s, []pos.Product{a, b}); err != nil || res != (bolt.ImportResult{Updated: 2}) {
		t.Fatalf("swapping barcodes in one import: %+v, %v", res, err)
	}
	wantLookup(t, s, map[string]string{"CODE-1": "B", "CODE-2": "A", "CODE-3": "B"})
	a.Barcodes, b.Barcodes = nil, []string{"CODE-1", "CODE-2", "CODE-3"}
	if _, err := importAll(s, []pos.Product{b, a}); err != nil {
		t.Fatalf("moving a barcode in one import: %v", err)
	}
	wantLookup(t, s, map[string]string{"CODE-1": "B", "CODE-2": "B", "CODE-3": "B"})
	// And back, the goods giving it up listed last.
	a.Barcodes, b.Barcodes = []string{"CODE-2"}, []string{"CODE-1", "CODE-3"}
	if _, err := importAll(s, []pos.Product{a, b}); err != nil {
		t.Fatalf("moving a barcode back: %v", err)
	}
	wantLookup(t, s, map[string]string{"CODE-1": "B", "CODE-2": "A", "CODE-3": "B"})
	if p, _ := s.Product("B"); !reflect.DeepEqual(p.Barcodes, []string{"CODE-1", "CODE-3"}) {
		t.Errorf("B's barcodes %v", p.Barcodes)
	}

	before := catalogState(t, s)
	head, err := s.JournalHead()
	if err != nil {
		t.Fatal(err)
	}
	for name, batch := range map[string][]pos.Product{
		"taken by goods not in the import": {
			{SKU: "C", Name: "C", Price: 1, Barcodes: []string{"CODE-9"}},
			{SKU: "D", Name: "D", Price: 1, Barcodes: []string{"CODE-3"}},
		},
		"taken by the tea": {
			{SKU: "A", Name: "A renamed", Price: 5, Barcodes: []string{"6901234567892"}},
		},
		"bad check digit": {
			{SKU: "G", Name: "G", Price: 1},
			{SKU: "H", Name: "H", Price: 1, Barcodes: []string{"6901234567893"}},
		},
		"invalid product last": {
			{SKU: "A", Name: "A renamed", Price: 5},
			{SKU: "", Name: "no sku", Price: 1},
		},
	} {
		res, err := importAll(s, batch)
		if err == nil {
			t.Errorf("%s: import accepted (%+v)", name, res)
		}
		if res != (bolt.ImportResult{}) {
			t.Errorf("%s: refused import counted %+v", name, res)
		}
		if after := catalogState(t, s); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: a refused import changed the catalog:\nbefore %v\nafter  %v", name, before, after)
		}
	}
	var clash pos.BarcodeClash
	if _, err := importAll(s, []pos.Product{{SKU: "D", Name: "D", Price: 1, Barcodes: []string{"CODE-3"}}}); !errors.As(err, &clash) || clash.Owner != "B" {
		t.Errorf("taking B's code: %v, want a clash naming B", err)
	}
	// The source failing half way (a file that changed, a read error)
	// stores nothing either.
	boom := errors.New("boom")
	_, err = s.ImportProducts(func(put func(pos.Product) error) error {
		if err := put(pos.Product{SKU: "NEW", Name: "New", Price: 1}); err != nil {
			return err
		}
		return boom
	}, func(string) bool { return false })
	if !errors.Is(err, boom) {
		t.Errorf("failing source: %v", err)
	}
	if _, err := s.Product("NEW"); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("goods of a failed import stored: %v", err)
	}
	if h, _ := s.JournalHead(); h.Seq != head.Seq {
		t.Errorf("refused imports journalled: head %d, was %d", h.Seq, head.Seq)
	}
}

// A big import journals its goods 1,000 to an entry, all of them, and
// the journal verifies; EachProduct gives every product in SKU order,
// each whole (nothing left over from the one before), and stops at fn's
// error.
func TestImportProductsJournalAndEachProduct(t *testing.T) {
	s := openNew(t)
	head, err := s.JournalHead()
	if err != nil {
		t.Fatal(err)
	}
	var ps []pos.Product
	for i := range 2500 {
		p := pos.Product{SKU: fmt.Sprintf("S%05d", i), Name: fmt.Sprint("Goods ", i), Price: pos.Money(100 + i)}
		if i%2 == 0 { // every other one with a barcode and counted stock
			p.Barcodes, p.TrackStock, p.Stock = []string{fmt.Sprintf("CODE-%d", i)}, true, int64(i)
		}
		ps = append(ps, p)
	}
	if res, err := importAll(s, ps); err != nil || res.Added != 2500 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	var entries []journal.Entry
	if err := s.JournalEntries(head.Seq+1, func(e journal.Entry) error {
		entries = append(entries, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("%d journal entries for 2,500 goods, want 3", len(entries))
	}
	for _, e := range entries {
		if e.Type != bolt.JCatalog || e.Ref != "import" {
			t.Errorf("entry %d: %s %s", e.Seq, e.Type, e.Ref)
		}
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Errorf("journal after a streamed import: %v", err)
	}
	var got []pos.Product
	if err := s.EachProduct(func(p *pos.Product) error {
		got = append(got, *p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ps) {
		t.Fatalf("EachProduct gave %d goods, not the 2,500 imported (first %+v)", len(got), got[:min(len(got), 2)])
	}
	stop := errors.New("stop")
	n := 0
	if err := s.EachProduct(func(*pos.Product) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachProduct after fn's error: %v, %d calls", err, n)
	}
}

// manyGoods is n goods with a barcode each, SKUs from prefix.
func manyGoods(prefix string, n int) []pos.Product {
	ps := make([]pos.Product, n)
	for i := range ps {
		ps[i] = pos.Product{SKU: fmt.Sprintf("%s%06d", prefix, i), Name: fmt.Sprint("Goods ", i), Price: 100,
			Barcodes: []string{fmt.Sprintf("%s-CODE-%d", prefix, i)}}
	}
	return ps
}

// An import of several transactions that fails in its last one (a
// barcode of goods it does not list) is undone whole: the goods it had
// written, the barcodes it moved, and the journal says what was put back.
func TestImportProductsUndoneAcrossTransactions(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	if _, err := importAll(s, manyGoods("OLD", 100)); err != nil {
		t.Fatal(err)
	}
	before := catalogState(t, s)
	ps := manyGoods("NEW", 25_000)
	ps[0].Barcodes = []string{"OLD-CODE-7"}  // OLD000007's, and it is listed: fine
	ps = append(ps, manyGoods("OLD", 10)...) // updates
	ps[len(ps)-1].Name = "renamed"
	ps[len(ps)-3].Barcodes = nil                                                                           // OLD000007 giving its code up
	ps = append(ps, pos.Product{SKU: "LAST", Name: "Last", Price: 1, Barcodes: []string{"6901234567892"}}) // the tea's
	if res, err := importAll(s, ps); err == nil {
		t.Fatalf("import taking the tea's barcode accepted: %+v", res)
	}
	if after := catalogState(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused import of 25,011 goods changed the catalog (%d entries before, %d after)", len(before), len(after))
	}
	wantLookup(t, s, map[string]string{"OLD-CODE-7": "OLD000007"})
	if _, err := s.Lookup("NEW-CODE-1"); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("barcode of an undone import: %v", err)
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Errorf("journal after an undone import: %v", err)
	}
	// Without the bad line it goes in, every transaction of it.
	res, err := importAll(s, ps[:len(ps)-1])
	if err != nil || res != (bolt.ImportResult{Added: 25_000, Updated: 10}) {
		t.Fatalf("import: %+v, %v", res, err)
	}
	wantLookup(t, s, map[string]string{"OLD-CODE-7": "NEW000000", "NEW-CODE-24999": "NEW024999", "OLD-CODE-6": "OLD000006"})
	if p, _ := s.Product("OLD000009"); p.Name != "renamed" {
		t.Errorf("OLD000009 named %q", p.Name)
	}
	if p, _ := s.Product("OLD000007"); len(p.Barcodes) != 0 {
		t.Errorf("OLD000007 kept %v", p.Barcodes)
	}
}

// importUntilKilled is the child of TestImportKilledHalfWay: it streams
// 25,000 goods into the store, and after the second transaction's worth
// says "ready" and waits to be killed.
func importUntilKilled(path string) error {
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return err
	}
	ps := manyGoods("NEW", 25_000)
	ps = append(ps, manyGoods("OLD", 10)...)
	_, err = s.ImportProducts(func(put func(pos.Product) error) error {
		for i, p := range ps {
			if i == 20_500 {
				fmt.Println("ready")
				select {} // killed here
			}
			if err := put(p); err != nil {
				return err
			}
		}
		return nil
	}, func(string) bool { return true })
	return err
}

// A till killed half way through an import has its catalog back as it
// was when it opens the file again.
func TestImportKilledHalfWay(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process half way through a 25,000-goods import; not under -short")
	}
	s := openNew(t)
	seed(t, s)
	if _, err := importAll(s, manyGoods("OLD", 100)); err != nil {
		t.Fatal(err)
	}
	before := catalogState(t, s)
	path := s.Path()
	s.Close()
	_, out, stop := helper(t, "import", path)
	if !out.Scan() || out.Text() != "ready" {
		stop()
		t.Fatalf("helper said %q", out.Text())
	}
	stop() // SIGKILL
	s = openAt(t, path)
	if after := catalogState(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("after a killed import the catalog differs (%d entries before, %d after)", len(before), len(after))
	}
	if _, err := s.Lookup("NEW-CODE-3"); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("goods of the killed import: %v", err)
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Errorf("journal: %v", err)
	}
}
