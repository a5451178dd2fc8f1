package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// What head-office sync keeps in the terminal file. The set-aside bucket
// is created the first time a record is set aside, so files without it
// need no migration and older Tills ignore it.
var (
	bSetAside       = []byte("outbox_rejected")
	kCatalogCursor  = []byte("catalog_cursor")
	kLastSync       = []byte("last_sync")
	kLastSyncDetail = []byte("last_sync_error")
)

// CatalogCursor returns head office's change sequence up to which the
// catalog is applied; 0 before the first pull.
func (s *Store) CatalogCursor() (uint64, error) {
	var c uint64
	err := s.view(func(tx *bbolt.Tx) error {
		c = metaU64(tx, kCatalogCursor)
		return nil
	})
	return c, err
}

func metaU64(tx *bbolt.Tx, k []byte) uint64 {
	if v := tx.Bucket(bMeta).Get(k); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// ApplyCatalog applies changes pulled from head office and stores the new
// cursor, in one transaction: after a crash either both are there or
// neither, and the next pull asks again from the old cursor.
//
// Changes at or below the stored cursor were applied before and are
// skipped, so applying the same page twice is harmless and the cursor
// never goes back. Head office's catalog wins: a barcode it gives to one
// SKU is taken off any other local goods that had it. The stock count
// stays the terminal's own: for goods already here only the description,
// price, tax, unit, reorder level, mnemonic and barcodes change; head
// office's stock figure seeds new goods (or goods that start being
// counted, or are now counted in a unit of another kind) only.
//
// Carts are not touched: a cart line carries the unit price and tax rate
// captured when the goods were scanned (pos.Line), so an open or parked
// cart keeps its prices and only goods scanned afterwards get new ones.
//
// Only the latest change of each SKU in the page counts (the others are
// counted as skipped), so a page that puts and then deletes goods ends
// without them, whatever order deletes and puts are written in below.
func (s *Store) ApplyCatalog(changes []pos.CatalogChange, cursor uint64) (pos.CatalogApplied, error) {
	var res pos.CatalogApplied
	err := s.update(func(tx *bbolt.Tx) (err error) {
		cur := metaU64(tx, kCatalogCursor)
		all := changes
		changes, res.Staff, err = applyStaff(tx, changes, cur)
		if err != nil {
			return err
		}
		latest := map[string]int{} // SKU -> index of its latest change
		for i, c := range changes {
			if c.Product != nil && c.Product.SKU != c.SKU {
				return fmt.Errorf("catalog change %d: sku %q carries goods %q", c.Seq, c.SKU, c.Product.SKU)
			}
			if j, seen := latest[c.SKU]; c.Seq > cur && (!seen || c.Seq >= changes[j].Seq) {
				latest[c.SKU] = i
			}
		}
		products, barcodes := tx.Bucket(bProducts), tx.Bucket(bBarcodes)
		var puts []pos.Product
		for i, c := range changes {
			switch j, ok := latest[c.SKU]; {
			case !ok || j != i:
				res.Skipped++
				continue
			case c.Product == nil:
				if err := deleteProduct(tx, c.SKU); err != nil {
					return fmt.Errorf("delete %s: %w", c.SKU, err)
				}
				res.Deleted++
				continue
			}
			p := *c.Product
			p.Barcodes = append([]string(nil), p.Barcodes...)
			var local pos.Product
			switch err := getJSON(products, []byte(p.SKU), &local); {
			case err == nil:
				// The terminal's count, in the goods' new unit if head
				// office re-described them (kg to 斤); a count of pieces
				// means nothing in kg, so then head office's figure seeds
				// the new count.
				if local.TrackStock && p.TrackStock {
					if n, ok := pos.ConvertQty(local.Stock, local.Unit, p.Unit); ok {
						p.Stock = n
					}
				}
			case !errors.Is(err, ErrNotFound):
				return err
			}
			puts = append(puts, p)
		}
		// Take barcodes head office has moved away from goods that this
		// page does not change (putProducts moves them between goods it
		// puts; goods it deletes are gone already).
		owner := func(b string) string { return string(barcodes.Get([]byte(b))) }
		for _, c := range pos.CheckBarcodes(puts, owner) {
			if _, inPage := latest[c.Owner]; inPage {
				continue // a clash within the page: putProducts refuses it
			}
			if err := dropBarcode(tx, c.Owner, c.Barcode); err != nil {
				return err
			}
		}
		if _, err := putProducts(tx, puts); err != nil {
			return fmt.Errorf("apply catalog: %w", err)
		}
		res.Put = len(puts)
		res.Cursor = max(cur, cursor)
		if res.Put+res.Deleted+res.Staff > 0 {
			if _, err := journalJSON(tx, JCatalog, "pull", time.Now(), catalogEvent{Pulled: all, Cursor: res.Cursor}); err != nil {
				return err
			}
		}
		if res.Cursor != cur {
			return tx.Bucket(bMeta).Put(kCatalogCursor, u64(res.Cursor))
		}
		return nil
	})
	return res, err
}

// dropBarcode removes barcode b from the goods with sku.
func dropBarcode(tx *bbolt.Tx, sku, b string) error {
	var p pos.Product
	if err := getJSON(tx.Bucket(bProducts), []byte(sku), &p); err != nil {
		return fmt.Errorf("barcode %s of %s: %w", b, sku, err)
	}
	kept := p.Barcodes[:0]
	for _, x := range p.Barcodes {
		if x != b {
			kept = append(kept, x)
		}
	}
	p.Barcodes = kept
	if err := putJSON(tx.Bucket(bProducts), []byte(sku), p); err != nil {
		return err
	}
	return tx.Bucket(bBarcodes).Delete([]byte(b))
}

// MarkSynced records the end of a sync: at is stored as the last
// successful sync when failure is "", else failure is kept for the
// status line and the last success stays as it was.
func (s *Store) MarkSynced(at time.Time, failure string) error {
	return s.update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if failure != "" {
			return meta.Put(kLastSyncDetail, []byte(failure))
		}
		if err := meta.Delete(kLastSyncDetail); err != nil {
			return err
		}
		data, err := at.MarshalBinary()
		if err != nil {
			return err
		}
		return meta.Put(kLastSync, data)
	})
}

// SyncStatus returns the sync state. Counting walks only the outbox and
// the set-aside list, so it grows with unsynced work, not history.
func (s *Store) SyncStatus() (pos.SyncStatus, error) {
	var st pos.SyncStatus
	err := s.view(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if v := meta.Get(kLastSync); v != nil {
			if err := st.LastSync.UnmarshalBinary(v); err != nil {
				return fmt.Errorf("%w: last sync time: %v", ErrCorrupt, err)
			}
		}
		st.LastError = string(meta.Get(kLastSyncDetail))
		st.CatalogCursor = metaU64(tx, kCatalogCursor)
		var err error
		if st.Waiting, err = countOutbox(tx); err != nil {
			return err
		}
		st.Unsynced = st.Waiting.Total()
		if b := tx.Bucket(bSetAside); b != nil {
			st.SetAside = b.Stats().KeyN
		}
		return nil
	})
	return st, err
}
