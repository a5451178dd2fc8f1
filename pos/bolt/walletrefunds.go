package bolt

import (
	"bytes"
	"fmt"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

var (
	// Refunds to customers' wallets by request number, and the request
	// numbers not yet final. Both are made on first use.
	bWalletRefunds = []byte("wallet_refunds")
	bWalletOpen    = []byte("wallet_refunds_open")
	// payment ID + "/" + request number: the refunds of one payment.
	bWalletByPayment = []byte("wallet_refunds_by_payment")
)

// WalletRefundFunc builds a refund and the parts of it that go back to
// wallets, inside the store's transaction.
type WalletRefundFunc = func(sale pos.Sale, already map[int]int64) (pos.Refund, []pos.WalletRefund, error)

// RefundToWallets stores a refund as Refund does and, in the same
// transaction, its wallet parts as pending with their request numbers,
// before anything is sent: a crash or a retry finds the same requests,
// so money never goes back twice. Each part must refund a paid online
// payment of this sale, and all parts of a payment together never more
// than it paid.
func (s *Store) RefundToWallets(saleID string, build WalletRefundFunc) (pos.Refund, []pos.WalletRefund, error) {
	var r pos.Refund
	var parts []pos.WalletRefund
	err := s.update(func(tx *bbolt.Tx) error {
		var err error
		r, err = storeRefund(tx, saleID, func(sale pos.Sale, already map[int]int64) (pos.Refund, error) {
			var r pos.Refund
			var err error
			r, parts, err = build(sale, already)
			return r, err
		})
		if err != nil {
			return err
		}
		for i := range parts {
			parts[i].RefundID = r.ID
			if err := putWalletRefund(tx, parts[i], true); err != nil {
				return err
			}
		}
		return nil
	})
	return r, parts, err
}

// AddWalletRefund stores a wallet refund with no goods coming back, in
// one transaction with what it resolves: a payment that landed after its
// order was closed (marked resolved), or a paid part of a cart whose
// sale was not made (marked refunded: it can pay no sale).
func (s *Store) AddWalletRefund(w pos.WalletRefund) error {
	return s.update(func(tx *bbolt.Tx) error {
		if err := putWalletRefund(tx, w, true); err != nil {
			return err
		}
		var p pos.Payment
		b := tx.Bucket(bPayments)
		if err := getJSON(b, []byte(w.PaymentID), &p); err != nil {
			return fmt.Errorf("payment %s: %w", w.PaymentID, err)
		}
		switch {
		case p.LateOpen():
			p.LateResolved = w.RequestNo
			if err := deleteIn(tx, bLatePayment, p.ID); err != nil {
				return err
			}
		case p.Refundable():
			// A paid part of a cart whose sale is not made: its money goes
			// back, and it leaves the open list so no restart resumes it.
			p.RefundedTo = w.RequestNo
			if err := tx.Bucket(bOpenPayment).Delete([]byte(p.ID)); err != nil {
				return err
			}
		default:
			return fmt.Errorf("payment %s has no money to send back without a sale", p.ID)
		}
		return putJSON(b, []byte(p.ID), p)
	})
}

// putWalletRefund checks a new wallet refund against its payment and
// what was already refunded from it, and stores it.
func putWalletRefund(tx *bbolt.Tx, w pos.WalletRefund, fresh bool) error {
	wb, err := tx.CreateBucketIfNotExists(bWalletRefunds)
	if err != nil {
		return err
	}
	open, err := tx.CreateBucketIfNotExists(bWalletOpen)
	if err != nil {
		return err
	}
	if fresh {
		if w.RequestNo == "" || w.Amount <= 0 || w.State != pos.WalletPending {
			return fmt.Errorf("wallet refund %q: needs a request number, an amount and the pending state", w.RequestNo)
		}
		if wb.Get([]byte(w.RequestNo)) != nil {
			return fmt.Errorf("wallet refund %s: %w", w.RequestNo, ErrExists)
		}
		var p pos.Payment
		if err := getJSON(tx.Bucket(bPayments), []byte(w.PaymentID), &p); err != nil {
			return fmt.Errorf("wallet refund %s: payment %q: %w", w.RequestNo, w.PaymentID, err)
		}
		if (p.State != pos.PaymentPaid && p.LatePaid.IsZero()) || p.SaleID != w.SaleID || p.Provider != w.Provider || p.OrderNo != w.OrderNo {
			return fmt.Errorf("wallet refund %s does not match paid payment %s", w.RequestNo, p.ID)
		}
		byPay, err := tx.CreateBucketIfNotExists(bWalletByPayment)
		if err != nil {
			return err
		}
		var sum pos.Money
		prefix := []byte(w.PaymentID + "/")
		c := byPay.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			var o pos.WalletRefund
			if err := getJSON(wb, k[len(prefix):], &o); err != nil {
				return err
			}
			if o.State != pos.WalletFailed {
				sum += o.Amount
			}
		}
		if err := byPay.Put(append(prefix, w.RequestNo...), nil); err != nil {
			return err
		}
		if sum+w.Amount > p.Amount {
			return fmt.Errorf("wallet refund %s: %w: payment %s paid %d, refunds would be %d", w.RequestNo, pos.ErrOverRefund, p.ID, p.Amount, sum+w.Amount)
		}
	}
	if err := putJSON(wb, []byte(w.RequestNo), w); err != nil {
		return err
	}
	if w.State.Final() {
		return open.Delete([]byte(w.RequestNo))
	}
	return open.Put([]byte(w.RequestNo), nil)
}

// UpdateWalletRefund changes a stored wallet refund in one transaction.
// A final one cannot change.
func (s *Store) UpdateWalletRefund(requestNo string, change func(w *pos.WalletRefund) error) (pos.WalletRefund, error) {
	var w pos.WalletRefund
	err := s.update(func(tx *bbolt.Tx) error {
		wb := tx.Bucket(bWalletRefunds)
		if wb == nil {
			return fmt.Errorf("wallet refund %s: %w", requestNo, ErrNotFound)
		}
		if err := getJSON(wb, []byte(requestNo), &w); err != nil {
			return fmt.Errorf("wallet refund %s: %w", requestNo, err)
		}
		if w.State.Final() {
			return fmt.Errorf("wallet refund %s is already %s", requestNo, w.State)
		}
		if err := change(&w); err != nil {
			return err
		}
		if w.RequestNo != requestNo {
			return fmt.Errorf("wallet refund %s: the request number cannot change", requestNo)
		}
		return putWalletRefund(tx, w, false)
	})
	return w, err
}

// WalletRefund returns a stored wallet refund.
func (s *Store) WalletRefund(requestNo string) (pos.WalletRefund, error) {
	var w pos.WalletRefund
	err := s.view(func(tx *bbolt.Tx) error {
		wb := tx.Bucket(bWalletRefunds)
		if wb == nil {
			return ErrNotFound
		}
		return getJSON(wb, []byte(requestNo), &w)
	})
	return w, err
}

// OpenWalletRefunds lists the wallet refunds the provider has not given
// its last word on: what the reports screen shows until done. It reads
// a small index, not the refund history.
func (s *Store) OpenWalletRefunds() ([]pos.WalletRefund, error) {
	var out []pos.WalletRefund
	err := s.view(func(tx *bbolt.Tx) error {
		open, wb := tx.Bucket(bWalletOpen), tx.Bucket(bWalletRefunds)
		if open == nil || wb == nil {
			return nil
		}
		return open.ForEach(func(k, _ []byte) error {
			var w pos.WalletRefund
			if err := getJSON(wb, k, &w); err != nil {
				return err
			}
			out = append(out, w)
			return nil
		})
	})
	return out, err
}

// WalletRefundsOf lists the wallet refunds of one refund record, in
// request-number order, for its receipt.
func (s *Store) WalletRefundsOf(refundID string) ([]pos.WalletRefund, error) {
	var out []pos.WalletRefund
	err := s.view(func(tx *bbolt.Tx) error {
		wb := tx.Bucket(bWalletRefunds)
		if wb == nil {
			return nil
		}
		prefix := pos.RefundRequestNo(refundID, 0)
		prefix = prefix[:len(prefix)-2]
		c := wb.Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == prefix; k, v = c.Next() {
			var w pos.WalletRefund
			if err := decode(k, v, &w); err != nil {
				return err
			}
			if w.RefundID == refundID {
				out = append(out, w)
			}
		}
		return nil
	})
	return out, err
}
