package bolt

import (
	"encoding/json"
	"fmt"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	bbolt "go.etcd.io/bbolt"
)

// Drawer stores a no-sale or paid out with the approvals it needed, in
// one transaction, as journal entries (the event's bytes are kept in the
// journal's events). The X and Z reports count it.
func (s *Store) Drawer(d pos.DrawerEvent) (pos.JournalMark, error) {
	if d.Terminal == "" {
		d.Terminal = s.id.Terminal
	}
	if err := d.Check(); err != nil {
		return pos.JournalMark{}, err
	}
	var m pos.JournalMark
	err := s.update(func(tx *bbolt.Tx) error {
		if err := journalApprovals(tx, d.ID, d.Approvals); err != nil {
			return err
		}
		e, err := journalJSON(tx, JDrawer, d.ID, d.At, d)
		m = mark(e)
		return err
	})
	return m, err
}

// tallyDrawer counts the drawer events journalled since the last Z.
func tallyDrawer(tx *bbolt.Tx, t *pos.Tally) error {
	events := tx.Bucket(bEvents)
	c := tx.Bucket(bJournal).Cursor()
	for k, v := c.Seek(u64(metaU64(tx, kLastZSeq) + 1)); k != nil; k, v = c.Next() {
		var e journal.Entry
		if err := e.UnmarshalBinary(v); err != nil {
			return fmt.Errorf("%w: journal entry %d: %v", ErrCorrupt, seqOf(k), err)
		}
		if e.Type != JDrawer {
			continue
		}
		var d pos.DrawerEvent
		if err := json.Unmarshal(events.Get(k), &d); err != nil {
			return fmt.Errorf("%w: drawer event %s: %v", ErrCorrupt, e.Ref, err)
		}
		t.AddDrawer(d)
	}
	return nil
}

// VoidedThisPeriod is the amount a cashier (by staff ID) voided since the
// last Z: a void limit counts it with the void about to be made.
func (s *Store) VoidedThisPeriod(cashierID string) (pos.Money, error) {
	var sum pos.Money
	err := s.view(func(tx *bbolt.Tx) error {
		refunds := tx.Bucket(bRefunds)
		c := tx.Bucket(bReceipts).Cursor()
		for k, v := c.Seek(u64(metaU64(tx, kLastZ) + 1)); k != nil; k, v = c.Next() {
			var e receiptEntry
			if err := decode(k, v, &e); err != nil {
				return err
			}
			if e.Kind != pos.RecordRefund {
				continue
			}
			var r pos.Refund
			if err := getJSON(refunds, []byte(e.ID), &r); err != nil {
				return err
			}
			if r.Kind == pos.KindVoid && r.CashierID == cashierID {
				sum += r.Total + r.Rounding
			}
		}
		return nil
	})
	return sum, err
}
