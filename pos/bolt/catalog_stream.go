package bolt

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// importBatch is how many goods one journal entry of a streamed import
// lists.
const importBatch = 1000

// ImportProducts adds or replaces the goods each yields (by calling put
// with each in turn) in ONE write transaction, so an import is all or
// nothing however long its file: nothing holds the goods but bbolt's
// dirty pages. The goods must have distinct SKUs and barcodes, as a
// checked goods file has (goodscsv.Check); listed says whether the import
// lists goods with a SKU, so that a barcode the catalog gives to such
// goods is theirs to give up. A barcode held by goods the import does not
// list aborts it. The journal gets one catalog entry per 1,000 goods.
func (s *Store) ImportProducts(each func(put func(pos.Product) error) error, listed func(sku string) bool) (ImportResult, error) {
	var res ImportResult
	err := s.update(func(tx *bbolt.Tx) error {
		products, barcodes := tx.Bucket(bProducts), tx.Bucket(bBarcodes)
		batch := make([]pos.Product, 0, importBatch)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			_, err := journalJSON(tx, JCatalog, "import", time.Now(), catalogEvent{Put: batch})
			batch = batch[:0]
			return err
		}
		var old pos.Product
		err := each(func(p pos.Product) error {
			if err := p.Validate(); err != nil {
				return fmt.Errorf("sku %s: %w", p.SKU, err)
			}
			key := []byte(p.SKU)
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
						if err := barcodes.Delete([]byte(b)); err != nil {
							return err
						}
					}
				}
			} else {
				res.Added++
			}
			for _, b := range p.Barcodes {
				if o := barcodes.Get([]byte(b)); o != nil && string(o) != p.SKU && !listed(string(o)) {
					return pos.BarcodeClash{Barcode: b, Owner: string(o), SKU: p.SKU}
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
			if batch = append(batch, p); len(batch) == importBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// EachProduct calls fn with each product in SKU order, from one read
// transaction, without holding the catalog: the product passed is reused
// for the next one, so fn must copy what it keeps.
func (s *Store) EachProduct(fn func(*pos.Product) error) error {
	return s.view(func(tx *bbolt.Tx) error {
		var p pos.Product
		c := tx.Bucket(bProducts).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
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
