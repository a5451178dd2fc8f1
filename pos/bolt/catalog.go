package bolt

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// ImportResult counts what an import did.
type ImportResult struct{ Added, Updated int }

// PutProducts adds or replaces products by SKU in one transaction. A
// barcode may belong to one SKU only; any conflict aborts the whole batch.
func (s *Store) PutProducts(ps []pos.Product) (ImportResult, error) {
	var res ImportResult
	err := s.update(func(tx *bbolt.Tx) error {
		var err error
		if res, err = putProducts(tx, ps); err != nil {
			return err
		}
		_, err = journalJSON(tx, JCatalog, "import", time.Now(), catalogEvent{Put: ps})
		return err
	})
	return res, err
}

func putProducts(tx *bbolt.Tx, ps []pos.Product) (ImportResult, error) {
	var res ImportResult
	products, barcodes := tx.Bucket(bProducts), tx.Bucket(bBarcodes)
	// Goods listed twice: the last listing wins. Only it is stored and
	// only its barcodes are indexed; indexing an earlier listing's too
	// would leave barcodes finding goods that no longer have them.
	last := make(map[string]int, len(ps))
	for i, p := range ps {
		last[p.SKU] = i
	}
	var kept []pos.Product
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return res, fmt.Errorf("sku %s: %w", p.SKU, err)
		}
		if last[p.SKU] == i {
			kept = append(kept, p)
		}
	}
	if clashes := pos.CheckBarcodes(kept, func(b string) string { return string(barcodes.Get([]byte(b))) }); len(clashes) > 0 {
		return res, clashes[0]
	}
	for _, p := range kept {
		var old pos.Product
		switch err := getJSON(products, []byte(p.SKU), &old); {
		case err == nil:
			res.Updated++
			for _, b := range old.Barcodes {
				if err := barcodes.Delete([]byte(b)); err != nil {
					return res, err
				}
			}
		case errors.Is(err, ErrNotFound):
			res.Added++
		default:
			return res, err
		}
		if err := putJSON(products, []byte(p.SKU), p); err != nil {
			return res, err
		}
	}
	// Index barcodes after all old ones are gone, so goods that swap a
	// barcode within one import do not trip over each other.
	for _, p := range kept {
		for _, b := range p.Barcodes {
			if err := barcodes.Put([]byte(b), []byte(p.SKU)); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// DeleteProduct removes a product and its barcodes.
func (s *Store) DeleteProduct(sku string) error {
	return s.update(func(tx *bbolt.Tx) error {
		if err := deleteProduct(tx, sku); err != nil {
			return err
		}
		_, err := journalJSON(tx, JCatalog, sku, time.Now(), catalogEvent{Delete: []string{sku}})
		return err
	})
}

func deleteProduct(tx *bbolt.Tx, sku string) error {
	var p pos.Product
	if err := getJSON(tx.Bucket(bProducts), []byte(sku), &p); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	for _, b := range p.Barcodes {
		if err := tx.Bucket(bBarcodes).Delete([]byte(b)); err != nil {
			return err
		}
	}
	return tx.Bucket(bProducts).Delete([]byte(sku))
}

// Product returns the product with the SKU.
func (s *Store) Product(sku string) (pos.Product, error) {
	var p pos.Product
	err := s.view(func(tx *bbolt.Tx) error {
		return getJSON(tx.Bucket(bProducts), []byte(sku), &p)
	})
	if err != nil {
		return p, fmt.Errorf("product %s: %w", sku, err)
	}
	return p, nil
}

// Lookup finds goods by exact barcode, then by exact SKU: two gets, never
// a scan, so a scanner is answered at once.
func (s *Store) Lookup(code string) (pos.Product, error) {
	code = strings.TrimSpace(code)
	var p pos.Product
	err := s.view(func(tx *bbolt.Tx) error {
		sku := code
		if v := tx.Bucket(bBarcodes).Get([]byte(code)); v != nil {
			sku = string(v)
		}
		return getJSON(tx.Bucket(bProducts), []byte(sku), &p)
	})
	if err != nil {
		return p, fmt.Errorf("no goods with barcode or SKU %q: %w", code, err)
	}
	return p, nil
}

// BarcodeOwner names the goods a barcode belongs to, for an import that
// checks a file against the catalog line by line (goodscsv.Options.Owner).
// A barcode no goods have, or a store that cannot be read, is ok false:
// PutProducts checks again in its transaction.
func (s *Store) BarcodeOwner(code string) (sku, name string, ok bool) {
	if s.owners.Add(1)%releaseEvery == 0 { // a million-line import asks a million times
		s.releaseMapped()
	}
	_ = s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bBarcodes).Get([]byte(code))
		if v == nil {
			return nil
		}
		data := tx.Bucket(bProducts).Get(v)
		if data == nil {
			return nil
		}
		var p pos.Product
		if err := decodeProduct(v, data, &p); err != nil {
			return nil
		}
		sku, name, ok = p.SKU, p.Name, true
		return nil
	})
	return sku, name, ok
}

// Products returns the whole catalog in SKU order. It reads the bucket
// in one transaction: a pass over the records collects them (where they
// lie in the file's map), the slice is made once at its size (the catalog
// is the biggest thing a till holds, and growing it by appending
// allocated five times its final size), then the records are decoded in
// place without reflection (decodeProduct), split between the cores: the
// decoding is most of the read, and the counter waits for it at start-up.
// Goods share one copy of each category name (one per core).
func (s *Store) Products() ([]pos.Product, error) {
	var ps []pos.Product
	err := s.view(func(tx *bbolt.Tx) error {
		// The pages read stay in the process's resident set (see
		// releaseMapped): 100,000 goods' pages are 40 MB of it. They are
		// given back once the goods are decoded, before the counter
		// builds its index: given back as the read went, each page would
		// be mapped again (a page fault each) by the decoding.
		defer s.releaseMappedInTx()
		// In blocks, never copied: a slice grown by appending would
		// allocate five times its size.
		var blocks [][]record
		n := 0
		c := tx.Bucket(bProducts).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n%decodeShare == 0 {
				blocks = append(blocks, make([]record, 0, decodeShare))
			}
			blocks[len(blocks)-1] = append(blocks[len(blocks)-1], record{k, v})
			n++
		}
		ps = make([]pos.Product, n)
		return s.decodeProducts(blocks, ps)
	})
	return ps, err
}

// record is a key and value as bbolt holds them, valid in their
// transaction.
type record struct{ k, v []byte }

// decodeProducts decodes blocks of records (each decodeShare long but the
// last) into ps, on up to decodeWorkers goroutines, returning the first
// record's error. Each goroutine turns a bad access to the map into an
// error, as view does.
func (s *Store) decodeProducts(blocks [][]record, ps []pos.Product) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), decodeWorkers, len(blocks)))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(blocks)*w/workers, len(blocks)*(w+1)/workers
		wg.Go(func() {
			for b := lo; b < hi && errs[w] == nil; b++ {
				at := b * decodeShare
				errs[w] = s.decodeRange(blocks[b], ps[at:at+len(blocks[b])])
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

const (
	decodeWorkers = 4    // goroutines decoding the catalog at most
	decodeShare   = 4096 // goods in a block of records, a goroutine's least
)

func (s *Store) decodeRange(recs []record, ps []pos.Product) (err error) {
	defer catchFaults()()
	defer recoverCorrupt(s.path, &err)
	cats := map[string]string{}
	for i, r := range recs {
		p := &ps[i]
		if err := decodeProduct(r.k, r.v, p); err != nil {
			return err
		}
		if cat, ok := cats[p.Category]; ok {
			p.Category = cat
		} else {
			cats[p.Category] = p.Category
		}
	}
	return nil
}

// CatalogEmpty reports whether no goods are stored yet.
func (s *Store) CatalogEmpty() (bool, error) {
	empty := true
	err := s.view(func(tx *bbolt.Tx) error {
		k, _ := tx.Bucket(bProducts).Cursor().First()
		empty = k == nil
		return nil
	})
	return empty, err
}

// catalogEvent is what a catalog change's journal entry keeps.
type catalogEvent struct {
	Put    []pos.Product       `json:"put,omitempty"`
	Delete []string            `json:"delete,omitempty"`
	Pulled []pos.CatalogChange `json:"pulled,omitempty"`
	Cursor uint64              `json:"cursor,omitempty"`
}
