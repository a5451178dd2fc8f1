package bolt

import (
	"fmt"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// ByReceipt returns the sale or refund printed with receipt number n.
func (s *Store) ByReceipt(n uint64) (pos.Receipted, error) {
	out := pos.Receipted{Receipt: n}
	err := s.view(func(tx *bbolt.Tx) error {
		var e receiptEntry
		if err := getJSON(tx.Bucket(bReceipts), u64(n), &e); err != nil {
			return err
		}
		m := pos.JournalMark{Seq: e.Journal, Excerpt: e.Excerpt}
		switch e.Kind {
		case pos.RecordSale:
			out.Sale = new(pos.Sale)
			err := getJSON(tx.Bucket(bSales), []byte(e.ID), out.Sale)
			out.Sale.Journal = m
			return err
		case pos.RecordRefund:
			out.Refund = new(pos.Refund)
			err := getJSON(tx.Bucket(bRefunds), []byte(e.ID), out.Refund)
			out.Refund.Journal = m
			return err
		}
		return fmt.Errorf("%w: receipt %d is of unknown kind %q", ErrCorrupt, n, e.Kind)
	})
	if err != nil {
		return pos.Receipted{}, fmt.Errorf("receipt %06d: %w", n, err)
	}
	return out, nil
}

// SaleByReceipt returns the sale printed as receipt n. The receipt of a
// refund gives an error wrapping pos.ErrNotASale that names the sale it
// refunded.
func (s *Store) SaleByReceipt(n uint64) (pos.Sale, error) {
	r, err := s.ByReceipt(n)
	if err != nil {
		return pos.Sale{}, err
	}
	if r.Refund != nil {
		return pos.Sale{}, fmt.Errorf("receipt %06d: %w (a %s of sale %s)", n, pos.ErrNotASale, r.Refund.Kind, r.Refund.SaleID)
	}
	return *r.Sale, nil
}

// FindSale finds a stored sale by what a cashier typed or scanned: its
// receipt number or its sale ID (see pos.ParseReceiptRef).
func (s *Store) FindSale(ref string) (pos.Sale, error) {
	r, err := pos.ParseReceiptRef(ref)
	if err != nil {
		return pos.Sale{}, err
	}
	if r.Number != 0 {
		return s.SaleByReceipt(r.Number)
	}
	return s.Sale(r.ID)
}

// RefundByID returns a stored refund or void.
func (s *Store) RefundByID(id string) (pos.Refund, error) {
	var r pos.Refund
	err := s.view(func(tx *bbolt.Tx) error { return getJSON(tx.Bucket(bRefunds), []byte(id), &r) })
	if err != nil {
		return r, fmt.Errorf("refund %s: %w", id, err)
	}
	return r, nil
}

// RefundsOf returns the refunds and voids of a sale, oldest first.
func (s *Store) RefundsOf(saleID string) ([]pos.Refund, error) {
	m, err := s.RefundsOfSales([]string{saleID})
	return m[saleID], err
}

// RefundsOfSales returns, for each of the sales that has any, its
// refunds and voids, oldest first, read in one transaction: what a list
// of sales needs to mark refunded and voided sales and show their net.
// A refund is always made after its sale, so each sale costs a scan of
// the refunds made since it, and a sale never refunded costs one lookup.
func (s *Store) RefundsOfSales(saleIDs []string) (map[string][]pos.Refund, error) {
	out := map[string][]pos.Refund{}
	err := s.view(func(tx *bbolt.Tx) error {
		for _, id := range saleIDs {
			if tx.Bucket(bRefunded).Get([]byte(id)) == nil {
				continue // never refunded: no scan at all
			}
			at, err := pos.SaleTime(id)
			if err != nil {
				return err
			}
			c := tx.Bucket(bRefunds).Cursor()
			for k, v := c.Seek(idBound(at)); k != nil; k, v = c.Next() {
				var r pos.Refund
				if err := decode(k, v, &r); err != nil {
					return err
				}
				if r.SaleID == id {
					out[id] = append(out[id], r)
				}
			}
		}
		return nil
	})
	return out, err
}
