package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// receiptEntry indexes the gapless receipt sequence: every sale and
// refund takes the next number in the transaction that stores it.
type receiptEntry struct {
	Kind string `json:"kind"` // "sale" or "refund"
	ID   string `json:"id"`
	// Journal and Excerpt are the record's journal entry and the hash
	// excerpt its receipt prints, so a reprint shows the same.
	Journal uint64 `json:"journal,omitempty"`
	Excerpt string `json:"excerpt,omitempty"`
}

// CompleteSale stores a paid sale in one transaction: the next receipt
// number, the sale, its journal entry and the QR payments it uses commit
// together or not at all; its stock changes, receipt index and outbox
// entry follow when it is folded (staged.go), which every later read and
// write does first. A sale ID can complete only once.
func (s *Store) CompleteSale(sale *pos.Sale) error {
	if sale.Terminal != s.id.Terminal {
		return fmt.Errorf("sale %s is for terminal %s, this is %s", sale.ID, sale.Terminal, s.id.Terminal)
	}
	err := s.stage(func(tx *bbolt.Tx) error { return stageSale(tx, sale) })
	if err != nil {
		sale.Receipt = 0 // the number was rolled back with the transaction
		sale.Journal = pos.JournalMark{}
	}
	return err
}

func completeSale(tx *bbolt.Tx, sale *pos.Sale) error {
	sales := appendOnly(tx.Bucket(bSales))
	if sales.Get([]byte(sale.ID)) != nil {
		return fmt.Errorf("sale %s: %w", sale.ID, ErrExists)
	}
	n, err := nextReceipt(tx, pos.RecordSale, sale.ID)
	if err != nil {
		return err
	}
	sale.Receipt = n
	if err := applyPayments(tx, sale); err != nil {
		return err
	}
	for _, l := range sale.Lines {
		if err := moveStock(tx, l.SKU, l.Unit, -l.Qty); err != nil {
			return err
		}
	}
	data, err := json.Marshal(sale)
	if err != nil {
		return err
	}
	if err := sales.Put([]byte(sale.ID), sealRecord(data)); err != nil {
		return err
	}
	if err := journalApprovals(tx, sale.ID, sale.Approvals); err != nil {
		return err
	}
	e, err := appendJournal(tx, JSale, sale.ID, sale.At, data, false)
	if err != nil {
		return err
	}
	sale.Journal = mark(e)
	if err := putJSON(appendOnly(tx.Bucket(bReceipts)), u64(sale.Receipt), receiptEntry{Kind: pos.RecordSale, ID: sale.ID, Journal: e.Seq, Excerpt: sale.Journal.Excerpt}); err != nil {
		return err
	}
	return enqueue(tx, pos.RecordSale, sale.ID)
}

// appendOnly makes b's pages fill up before they split: its keys only
// grow (receipt and outbox sequences, time-ordered sale and refund IDs),
// and bbolt's default split at half a page would leave every page
// of them half empty, the file twice the size and its trees a level
// deeper, which costs every commit a page more to write.
func appendOnly(b *bbolt.Bucket) *bbolt.Bucket {
	b.FillPercent = 1.0
	return b
}

// nextReceipt takes the next receipt number; the caller indexes it
// (receiptEntry) once the record's journal entry is known, in the same
// transaction.
func nextReceipt(tx *bbolt.Tx, _, _ string) (uint64, error) {
	return appendOnly(tx.Bucket(bReceipts)).NextSequence() // rolled back with the transaction: no gaps
}

// moveStock changes tracked stock by delta, a quantity in unit (the sold
// line's). Stock is kept in the goods' own unit: a line sold in another
// mass unit (the goods re-described from kg to 斤 since) is converted
// exactly to the nearest step, and one in a unit that measures something
// else leaves the count alone. Goods no longer in the catalog are still
// sold or refunded; only their stock is not counted.
func moveStock(tx *bbolt.Tx, sku string, unit pos.Unit, delta int64) error {
	b := tx.Bucket(bProducts)
	var p pos.Product
	if err := getJSON(b, []byte(sku), &p); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	if !p.TrackStock {
		return nil
	}
	delta, ok := pos.ConvertQty(delta, unit, p.Unit)
	if !ok {
		return nil
	}
	p.Stock += delta
	return putJSON(b, []byte(sku), p)
}

// Sale returns a stored sale.
func (s *Store) Sale(id string) (pos.Sale, error) {
	var sale pos.Sale
	err := s.view(func(tx *bbolt.Tx) error { return getJSON(tx.Bucket(bSales), []byte(id), &sale) })
	if err != nil {
		return sale, fmt.Errorf("sale %s: %w", id, err)
	}
	return sale, nil
}

// Refunded returns, per line of a sale, the quantity already refunded.
func (s *Store) Refunded(saleID string) (map[int]int64, error) {
	var m map[int]int64
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		m, err = refunded(tx, saleID)
		return err
	})
	return m, err
}

func refunded(tx *bbolt.Tx, saleID string) (map[int]int64, error) {
	m := map[int]int64{}
	err := getJSON(tx.Bucket(bRefunded), []byte(saleID), &m)
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return m, err
}

// RefundFunc builds a refund from the stored sale and what earlier
// refunds already gave back; it runs inside the store's transaction.
type RefundFunc = func(sale pos.Sale, already map[int]int64) (pos.Refund, error)

// Refund stores a refund of a sale in one transaction: the refund with the
// next receipt number, the refunded quantities, the stock put back and
// the outbox entry. The sale and the earlier refunds are read in the same
// transaction, so two refunds can never together exceed the sale.
func (s *Store) Refund(saleID string, build RefundFunc) (pos.Refund, error) {
	var r pos.Refund
	err := s.update(func(tx *bbolt.Tx) error {
		var err error
		r, err = storeRefund(tx, saleID, build)
		return err
	})
	return r, err
}

// storeRefund is Refund inside a transaction the caller holds.
func storeRefund(tx *bbolt.Tx, saleID string, build RefundFunc) (r pos.Refund, err error) {
	var sale pos.Sale
	if err := getJSON(tx.Bucket(bSales), []byte(saleID), &sale); err != nil {
		return r, fmt.Errorf("sale %s: %w", saleID, err)
	}
	already, err := refunded(tx, saleID)
	if err != nil {
		return r, err
	}
	if r, err = build(sale, already); err != nil {
		return r, err
	}
	// The builder is the caller's code: check what it wrote before it
	// indexes the sale or moves stock.
	after, err := r.CheckAgainst(sale, already)
	if err != nil {
		return r, err
	}
	if tx.Bucket(bRefunds).Get([]byte(r.ID)) != nil {
		return r, fmt.Errorf("refund %s: %w", r.ID, ErrExists)
	}
	if r.Receipt, err = nextReceipt(tx, pos.RecordRefund, r.ID); err != nil {
		return r, err
	}
	for _, l := range r.Lines {
		if err := moveStock(tx, l.SKU, sale.Lines[l.Line].Unit, l.Qty); err != nil {
			return r, err
		}
	}
	if err := putJSON(tx.Bucket(bRefunded), []byte(saleID), after); err != nil {
		return r, err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return r, err
	}
	if err := appendOnly(tx.Bucket(bRefunds)).Put([]byte(r.ID), sealRecord(data)); err != nil {
		return r, err
	}
	if err := journalApprovals(tx, r.ID, r.Approvals); err != nil {
		return r, err
	}
	e, err := appendJournal(tx, JRefund, r.ID, r.At, data, false)
	if err != nil {
		return r, err
	}
	r.Journal = mark(e)
	if err := putJSON(appendOnly(tx.Bucket(bReceipts)), u64(r.Receipt), receiptEntry{Kind: pos.RecordRefund, ID: r.ID, Journal: e.Seq, Excerpt: r.Journal.Excerpt}); err != nil {
		return r, err
	}
	return r, enqueue(tx, pos.RecordRefund, r.ID)
}

// SalesBetween returns the sales started in [from, to), in time order.
// Sale IDs start with their time, so this is one range scan.
func (s *Store) SalesBetween(from, to time.Time) ([]pos.Sale, error) {
	return between[pos.Sale](s, bSales, from, to)
}

// RefundsBetween returns the refunds made in [from, to), in time order.
func (s *Store) RefundsBetween(from, to time.Time) ([]pos.Refund, error) {
	return between[pos.Refund](s, bRefunds, from, to)
}

// between decodes the records of a bucket keyed by time-ordered IDs
// whose time is in [from, to).
func between[T any](s *Store, bucket []byte, from, to time.Time) ([]T, error) {
	var out []T
	lo, hi := idBound(from), idBound(to)
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		for k, v := c.Seek(lo); k != nil && string(k) < string(hi); k, v = c.Next() {
			var rec T
			if err := decode(k, v, &rec); err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

// idBound is the smallest ID at time t: a ULID of t with zero entropy.
func idBound(t time.Time) []byte {
	var id ulid.ULID
	if t.Before(time.UnixMilli(0)) {
		t = time.UnixMilli(0)
	}
	_ = id.SetTime(ulid.Timestamp(t))
	return []byte(id.String())
}

// LastReceipt returns the newest receipt number, 0 before the first sale.
func (s *Store) LastReceipt() (uint64, error) {
	var n uint64
	err := s.view(func(tx *bbolt.Tx) error {
		if k, _ := tx.Bucket(bReceipts).Cursor().Last(); k != nil {
			n = binary.BigEndian.Uint64(k)
		}
		return nil
	})
	return n, err
}
