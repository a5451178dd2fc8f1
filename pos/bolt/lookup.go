package bolt

import (
	"errors"
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
		switch e.Kind {
		case pos.RecordSale:
			out.Sale = new(pos.Sale)
			return getJSON(tx.Bucket(bSales), []byte(e.ID), out.Sale)
		case pos.RecordRefund:
			out.Refund = new(pos.Refund)
			return getJSON(tx.Bucket(bRefunds), []byte(e.ID), out.Refund)
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

// RefundsOf returns the refunds and voids of a sale, oldest first. A
// refund is always made after its sale, so this scans refunds from the
// sale's time on, not the whole history.
func (s *Store) RefundsOf(saleID string) ([]pos.Refund, error) {
	at, err := pos.SaleTime(saleID)
	if err != nil {
		return nil, err
	}
	var out []pos.Refund
	err = s.view(func(tx *bbolt.Tx) error {
		if tx.Bucket(bRefunded).Get([]byte(saleID)) == nil {
			return nil // never refunded: no scan at all
		}
		c := tx.Bucket(bRefunds).Cursor()
		for k, v := c.Seek(idBound(at)); k != nil; k, v = c.Next() {
			var r pos.Refund
			if err := decode(k, v, &r); err != nil {
				return err
			}
			if r.SaleID == saleID {
				out = append(out, r)
			}
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return out, err
}
