package bolt

import (
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

var (
	bPayments    = []byte("payments")
	bOpenPayment = []byte("payments_open") // IDs of payments not yet final and applied
	// IDs of online payments closed, cancelled or reversed at the provider
	// -> when; the background check asks about them again for a while,
	// since a payment can land after a close. Made on first use.
	bWatchPayment = []byte("payments_watch")
	// IDs of payments that landed after their order was closed, until
	// the cashier resolves them. Made on first use.
	bLatePayment = []byte("payments_late")
)

// CreatePayment stores a new payment before anything is sent to a
// provider or shown to the customer, so a crash at any later point finds
// it. One payment per sale ID.
func (s *Store) CreatePayment(p pos.Payment) error {
	if p.State != pos.PaymentCreated || p.ID == "" || p.SaleID == "" {
		return errors.New("a new payment needs an ID, a sale ID and the created state")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bPayments)
		if b.Get([]byte(p.ID)) != nil {
			return fmt.Errorf("payment %s: %w", p.ID, ErrExists)
		}
		if tx.Bucket(bSales).Get([]byte(p.SaleID)) != nil {
			return fmt.Errorf("sale %s is already complete", p.SaleID)
		}
		var clash error
		_ = tx.Bucket(bOpenPayment).ForEach(func(k, _ []byte) error {
			var o pos.Payment
			if getJSON(b, k, &o) == nil && o.SaleID == p.SaleID && !o.State.Final() {
				clash = fmt.Errorf("sale %s already has payment %s waiting", p.SaleID, o.ID)
			}
			return nil
		})
		if clash != nil {
			return clash
		}
		if err := putJSON(b, []byte(p.ID), p); err != nil {
			return err
		}
		if _, err := journalJSON(tx, JPayment, p.ID, p.Created, p); err != nil {
			return err
		}
		return tx.Bucket(bOpenPayment).Put([]byte(p.ID), nil)
	})
}

// UpdatePayment changes a payment in one transaction; change usually
// calls p.To, which refuses transitions the state machine forbids.
func (s *Store) UpdatePayment(id string, change func(p *pos.Payment) error) (pos.Payment, error) {
	var p pos.Payment
	err := s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bPayments)
		if err := getJSON(b, []byte(id), &p); err != nil {
			return fmt.Errorf("payment %s: %w", id, err)
		}
		if p.Applied {
			return fmt.Errorf("payment %s is already applied to sale %s", id, p.SaleID)
		}
		was := p.State
		if err := change(&p); err != nil {
			return err
		}
		if p.State.Final() && p.State != pos.PaymentPaid {
			// Nothing to apply: it leaves the open list.
			if err := tx.Bucket(bOpenPayment).Delete([]byte(id)); err != nil {
				return err
			}
			if !was.Final() && p.Online() {
				// Closed at the provider: keep asking about it for a while.
				w, err := tx.CreateBucketIfNotExists(bWatchPayment)
				if err != nil {
					return err
				}
				if err := w.Put([]byte(id), u64(uint64(p.Ended.UnixMilli()))); err != nil {
					return err
				}
			}
		}
		if err := putJSON(b, []byte(id), p); err != nil {
			return err
		}
		_, err := journalJSON(tx, JPayment, p.ID, time.Now(), p)
		return err
	})
	return p, err
}

// Payment returns a stored payment.
func (s *Store) Payment(id string) (pos.Payment, error) {
	var p pos.Payment
	err := s.read(func(tx *bbolt.Tx) error { return getJSON(tx.Bucket(bPayments), []byte(id), &p) })
	return p, err
}

// OpenPayments lists payments still waiting, or paid but whose sale is
// not stored yet: what a restart must show the cashier. It reads a small
// index, not the payment history.
func (s *Store) OpenPayments() ([]pos.Payment, error) {
	var out []pos.Payment
	err := s.read(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bPayments)
		return tx.Bucket(bOpenPayment).ForEach(func(k, _ []byte) error {
			var p pos.Payment
			if err := getJSON(b, k, &p); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// applyPayments marks the sale's QR tenders' payments applied, inside the
// sale's transaction: each must be paid, for this sale, for this amount,
// and not applied before.
func applyPayments(tx *bbolt.Tx, sale *pos.Sale) error {
	b := tx.Bucket(bPayments)
	for i, t := range sale.Tenders {
		if t.Kind != pos.QR {
			continue
		}
		var p pos.Payment
		if err := getJSON(b, []byte(t.PaymentID), &p); err != nil {
			return fmt.Errorf("tender %d: payment %q: %w", i+1, t.PaymentID, err)
		}
		switch {
		case p.Applied:
			return fmt.Errorf("payment %s is already applied to sale %s", p.ID, p.SaleID)
		case p.SaleID != sale.ID:
			return fmt.Errorf("payment %s belongs to sale %s, not %s", p.ID, p.SaleID, sale.ID)
		case p.State != pos.PaymentPaid && !p.LateOpen():
			return fmt.Errorf("payment %s is %s, not paid", p.ID, p.State)
		case p.RefundedTo != "":
			return fmt.Errorf("payment %s was refunded to the wallet (%s): it pays no sale", p.ID, p.RefundedTo)
		case p.Amount != t.Amount:
			return fmt.Errorf("payment %s is for %d, tender says %d", p.ID, p.Amount, t.Amount)
		}
		p.Applied = true
		if p.LateOpen() {
			p.LateResolved = "sale"
			if err := deleteIn(tx, bLatePayment, p.ID); err != nil {
				return err
			}
		}
		if err := putJSON(b, []byte(p.ID), p); err != nil {
			return err
		}
		if err := tx.Bucket(bOpenPayment).Delete([]byte(p.ID)); err != nil {
			return err
		}
	}
	return nil
}

// deleteIn deletes key from a bucket made on first use, if it exists.
func deleteIn(tx *bbolt.Tx, bucket []byte, key string) error {
	if b := tx.Bucket(bucket); b != nil {
		return b.Delete([]byte(key))
	}
	return nil
}

// WatchedPayments lists the online payments closed at the provider whose
// order the background check still asks about, with when each closed.
func (s *Store) WatchedPayments() ([]pos.Payment, error) {
	var out []pos.Payment
	err := s.read(func(tx *bbolt.Tx) error {
		w := tx.Bucket(bWatchPayment)
		if w == nil {
			return nil
		}
		b := tx.Bucket(bPayments)
		return w.ForEach(func(k, _ []byte) error {
			var p pos.Payment
			if err := getJSON(b, k, &p); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// Unwatch stops the background check asking about a closed payment.
func (s *Store) Unwatch(id string) error {
	return s.update(func(tx *bbolt.Tx) error { return deleteIn(tx, bWatchPayment, id) })
}

// MarkLatePaid records that a closed payment's order was paid after all
// (ref is the provider's transaction number), lists it for the cashier
// to resolve, and stops watching it. Marking it twice changes nothing.
func (s *Store) MarkLatePaid(id, ref string, at time.Time) (pos.Payment, error) {
	var p pos.Payment
	err := s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bPayments)
		if err := getJSON(b, []byte(id), &p); err != nil {
			return fmt.Errorf("payment %s: %w", id, err)
		}
		if p.State == pos.PaymentPaid || !p.State.Final() {
			return fmt.Errorf("payment %s is %s: only a closed payment can be paid late", id, p.State)
		}
		if err := deleteIn(tx, bWatchPayment, id); err != nil {
			return err
		}
		if !p.LatePaid.IsZero() {
			return nil
		}
		p.LatePaid, p.LateRef = at, ref
		l, err := tx.CreateBucketIfNotExists(bLatePayment)
		if err != nil {
			return err
		}
		if err := l.Put([]byte(id), nil); err != nil {
			return err
		}
		return putJSON(b, []byte(id), p)
	})
	return p, err
}

// LatePayments lists payments that landed after their order was closed
// and that nobody has resolved yet.
func (s *Store) LatePayments() ([]pos.Payment, error) {
	var out []pos.Payment
	err := s.read(func(tx *bbolt.Tx) error {
		l := tx.Bucket(bLatePayment)
		if l == nil {
			return nil
		}
		b := tx.Bucket(bPayments)
		return l.ForEach(func(k, _ []byte) error {
			var p pos.Payment
			if err := getJSON(b, k, &p); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}
