package bolt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// A streamed import writes its goods in transactions of importTx goods:
// one transaction holding a million goods keeps every page it writes in
// memory until it commits (1.9 GB for a million). It stays all or
// nothing through bImportUndo: before a transaction changes a product or
// a barcode for the first time in an import it keeps the old value
// there, and the import's last transaction drops the bucket. An import
// that fails, or a process that dies half way, leaves the bucket, and
// the import is undone from it (by the import itself, or by Open).
var bImportUndo = []byte("import_undo")

const (
	releaseEvery = 8192   // goods read between two releaseMapped
	importTx     = 10_000 // goods a transaction of a streamed import writes
	importBatch  = 1000   // goods a journal entry of it lists
)

// kImportDone in bImportUndo marks an import that finished: what is left
// of the bucket is cleared, not put back. (Dropping a million-entry bucket
// in one transaction reads every page of it: cleared importTx keys a
// transaction, the till's memory stays bounded.)
var kImportDone = []byte("!done")

// Undo keys: 'p'+SKU for a product, 'b'+barcode for the barcode index.
// Values: 0 when there was none, else 1 and the old stored bytes.
const (
	undoProduct = 'p'
	undoBarcode = 'b'
)

// ImportProducts adds or replaces the goods each yields (by calling put
// with each in turn), all or nothing, in bounded memory however many
// there are: it holds at most importTx goods at a time (see bImportUndo).
// The goods must have distinct SKUs and barcodes, as a checked goods file
// has (goodscsv.Check); listed says whether the import lists goods with a
// SKU, so that a barcode the catalog gives to such goods is theirs to
// give up. A barcode held by goods the import does not list, a product
// that does not validate, or an error from each undoes the import. The
// journal gets a catalog entry per 1,000 goods, and an undone import one
// entry per transaction of the undoing, with what it put back.
//
// Nothing else may write the catalog while an import runs: the till's
// file lock keeps other processes out, and the CLI imports with no
// counter open.
func (s *Store) ImportProducts(each func(put func(pos.Product) error) error, listed func(sku string) bool) (ImportResult, error) {
	if err := s.undoImport(); err != nil { // an import a crash left half done
		return ImportResult{}, err
	}
	var res ImportResult
	batch := make([]pos.Product, 0, importTx)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.update(func(tx *bbolt.Tx) error { return importBatchTx(tx, batch, listed, &res) })
		batch = batch[:0]
		s.releaseMapped()
		return err
	}
	err := each(func(p pos.Product) error {
		if batch = append(batch, p); len(batch) == importTx {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		// The commit: from here on the import stands, and the old values
		// are only cleared away.
		err = s.update(func(tx *bbolt.Tx) error {
			if undo := tx.Bucket(bImportUndo); undo != nil {
				return undo.Put(kImportDone, []byte{1})
			}
			return nil
		})
		if err == nil {
			if err := s.undoImport(); err != nil {
				return res, fmt.Errorf("the goods are stored, but clearing the import's old values failed (the next open finishes it): %w", err)
			}
			return res, nil
		}
	}
	if err != nil {
		if uerr := s.undoImport(); uerr != nil {
			return ImportResult{}, fmt.Errorf("%w; undoing the import: %w", err, uerr)
		}
		return ImportResult{}, err
	}
	return res, nil
}

// importBatchTx writes one transaction's goods of a streamed import.
func importBatchTx(tx *bbolt.Tx, ps []pos.Product, listed func(string) bool, res *ImportResult) error {
	products, barcodes := tx.Bucket(bProducts), tx.Bucket(bBarcodes)
	undo, err := tx.CreateBucketIfNotExists(bImportUndo)
	if err != nil {
		return err
	}
	// keep notes the old value of key in b, the first time only.
	keep := func(kind byte, b *bbolt.Bucket, key []byte) error {
		uk := append([]byte{kind}, key...)
		if undo.Get(uk) != nil {
			return nil
		}
		v := []byte{0}
		if old := b.Get(key); old != nil {
			v = append([]byte{1}, old...)
		}
		return undo.Put(uk, v)
	}
	var old pos.Product
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("sku %s: %w", p.SKU, err)
		}
		key := []byte(p.SKU)
		if err := keep(undoProduct, products, key); err != nil {
			return err
		}
		if v := products.Get(key); v != nil {
			old = pos.Product{}
			if err := decodeProduct(key, v, &old); err != nil {
				return err
			}
			res.Updated++
			// Only barcodes still its own: goods imported before it
			// may have taken one over.
			for _, b := range old.Barcodes {
				if string(barcodes.Get([]byte(b))) == p.SKU {
					if err := keep(undoBarcode, barcodes, []byte(b)); err != nil {
						return err
					}
					if err := barcodes.Delete([]byte(b)); err != nil {
						return err
					}
				}
			}
		} else {
			res.Added++
		}
		for _, b := range p.Barcodes {
			o := barcodes.Get([]byte(b))
			if o != nil && string(o) != p.SKU && !listed(string(o)) {
				return pos.BarcodeClash{Barcode: b, Owner: string(o), SKU: p.SKU}
			}
			if err := keep(undoBarcode, barcodes, []byte(b)); err != nil {
				return err
			}
			if err := barcodes.Put([]byte(b), key); err != nil {
				return err
			}
		}
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := products.Put(key, data); err != nil {
			return err
		}
		if (i+1)%importBatch == 0 || i == len(ps)-1 {
			from := i / importBatch * importBatch
			if _, err := journalJSON(tx, JCatalog, "import", time.Now(), catalogEvent{Put: ps[from : i+1]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// undoImport puts back what a streamed import that did not finish
// changed, importTx values a transaction, journalling what each puts
// back, then drops bImportUndo; of an import that finished (kImportDone)
// it only clears the old values. With neither it only looks.
func (s *Store) undoImport() error {
	pending := false
	if err := s.view(func(tx *bbolt.Tx) error {
		pending = tx.Bucket(bImportUndo) != nil
		return nil
	}); err != nil || !pending {
		return err
	}
	for {
		done := false
		err := s.update(func(tx *bbolt.Tx) error {
			undo := tx.Bucket(bImportUndo)
			if undo == nil {
				done = true
				return nil
			}
			products, barcodes := tx.Bucket(bProducts), tx.Bucket(bBarcodes)
			finished := undo.Get(kImportDone) != nil
			var ev catalogEvent
			var keys [][]byte
			c := undo.Cursor()
			for k, v := c.First(); k != nil && len(keys) < importTx; k, v = c.Next() {
				if bytes.Equal(k, kImportDone) {
					continue
				}
				keys = append(keys, k)
				if finished {
					continue
				}
				if len(k) < 2 {
					return fmt.Errorf("%w: import undo key %q", ErrCorrupt, k)
				}
				b, key := products, k[1:]
				if k[0] == undoBarcode {
					b = barcodes
				}
				var err error
				if len(v) == 0 || v[0] == 0 {
					err = b.Delete(key)
					if k[0] == undoProduct {
						ev.Delete = append(ev.Delete, string(key))
					}
				} else {
					err = b.Put(key, v[1:])
					if k[0] == undoProduct {
						var p pos.Product
						if err := decodeProduct(key, v[1:], &p); err != nil {
							return err
						}
						ev.Put = append(ev.Put, p)
					}
				}
				if err != nil {
					return err
				}
			}
			if len(keys) == 0 {
				done = true
				return tx.DeleteBucket(bImportUndo)
			}
			for _, k := range keys {
				if err := undo.Delete(k); err != nil {
					return err
				}
			}
			if len(ev.Put)+len(ev.Delete) == 0 {
				return nil
			}
			_, err := journalJSON(tx, JCatalog, "import undone", time.Now(), ev)
			return err
		})
		s.releaseMapped()
		if err != nil || done {
			return err
		}
	}
}

// EachProduct calls fn with each product in SKU order, from one read
// transaction, without holding the catalog: the product passed is reused
// for the next one, so fn must copy what it keeps.
func (s *Store) EachProduct(fn func(*pos.Product) error) error {
	return s.view(func(tx *bbolt.Tx) error {
		var p pos.Product
		c := tx.Bucket(bProducts).Cursor()
		n := 0
		defer s.releaseMappedInTx()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%releaseEvery == 0 {
				s.releaseMappedInTx()
			}
			p = pos.Product{}
			if err := decodeProduct(k, v, &p); err != nil {
				return err
			}
			if err := fn(&p); err != nil {
				return err
			}
		}
		return nil
	})
}
