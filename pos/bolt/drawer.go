package bolt

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tillpos/till/internal/errmsg"
	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// Drawer events (float, pay-in, pay-out, no-sale) live in "drawer" under
// a big-endian sequence, so a report seeks past the last Z's and scans
// only its period whatever the clock did; "drawer_ids" maps an event's ID
// to its sequence, for the outbox and to store an ID once. Both buckets
// are made by the first write, so files of earlier versions need no
// migration.
var (
	bDrawer      = []byte("drawer")
	bDrawerIDs   = []byte("drawer_ids")
	kLastZDrawer = []byte("last_z_drawer")
)

// ErrDrawerShort is pos.ErrDrawerShort.
var ErrDrawerShort = pos.ErrDrawerShort

// RecordDrawer stores a drawer event in one transaction with its outbox
// entry. A float event also opens the shift (refused while one is open);
// a pay-out may not take more than the drawer should hold.
func (s *Store) RecordDrawer(ev pos.DrawerEvent) error {
	if ev.Terminal != s.id.Terminal {
		return fmt.Errorf("drawer event %s is for terminal %s, this is %s", ev.ID, ev.Terminal, s.id.Terminal)
	}
	if err := ev.Check(); err != nil {
		return err // before a write transaction
	}
	return s.update(func(tx *bbolt.Tx) error { return s.recordDrawer(tx, ev) })
}

func (s *Store) recordDrawer(tx *bbolt.Tx, ev pos.DrawerEvent) error {
	switch ev.Kind {
	case pos.DrawerFloat:
		var cur pos.Shift
		if err := shift(tx, &cur); err != nil {
			return err
		}
		sh := ev.Shift()
		if err := sh.CheckOpen(cur); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bMeta), kShift, sh); err != nil {
			return err
		}
	case pos.DrawerPayOut:
		r, err := s.tally(tx, pos.XReport, ev.At, time.UTC)
		if err != nil {
			return err
		}
		if ev.Amount > r.Expected {
			return ErrDrawerShort
		}
	}
	ids, err := tx.CreateBucketIfNotExists(bDrawerIDs)
	if err != nil {
		return err
	}
	if ids.Get([]byte(ev.ID)) != nil {
		return fmt.Errorf("drawer event %s: %w", ev.ID, ErrExists)
	}
	b, err := tx.CreateBucketIfNotExists(bDrawer)
	if err != nil {
		return err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if err := b.Put(u64(seq), sealRecord(data)); err != nil {
		return err
	}
	if err := ids.Put([]byte(ev.ID), u64(seq)); err != nil {
		return err
	}
	// Journalled with the approvals it needed, over the bytes kept in the
	// drawer bucket, so an edited event breaks the chain.
	if err := journalApprovals(tx, ev.ID, ev.Approvals); err != nil {
		return err
	}
	if _, err := appendJournal(tx, JDrawer, ev.ID, ev.At, data, false); err != nil {
		return err
	}
	return enqueue(tx, pos.RecordDrawer, ev.ID)
}

// OpenShift records the float counted into the drawer, as a float event
// with a fresh ID. A shift can be opened once per Z period.
func (s *Store) OpenShift(sh pos.Shift) error {
	if err := sh.CheckOpen(pos.Shift{}); err != nil {
		return err
	}
	id, err := pos.NewSaleID(sh.OpenedAt, s.id.Terminal, rand.Reader)
	if err != nil {
		return err
	}
	return s.RecordDrawer(pos.DrawerEvent{ID: id, Terminal: s.id.Terminal, Kind: pos.DrawerFloat,
		At: sh.OpenedAt, Cashier: sh.Cashier, Amount: sh.Float})
}

// DrawerEvents returns the drawer events since the last Z report, oldest
// first.
func (s *Store) DrawerEvents() ([]pos.DrawerEvent, error) {
	var out []pos.DrawerEvent
	err := s.view(func(tx *bbolt.Tx) error {
		return eachDrawer(tx, func(ev pos.DrawerEvent) { out = append(out, ev) })
	})
	return out, err
}

// CheckZ says whether a Z report now would close anything: nil, or an
// error wrapping pos.ErrNothingToClose. A screen asks before it asks for
// the counted cash.
func (s *Store) CheckZ(now time.Time, loc *time.Location) error {
	return s.view(func(tx *bbolt.Tx) error {
		r, err := s.tally(tx, pos.ZReport, now, loc)
		if err != nil {
			return err
		}
		return closeRefusal(tx, r.CheckClose(), loc)
	})
}

// closeRefusal names the last Z in a refusal to close an empty period,
// so a cashier who pressed Z twice sees that it was taken.
func closeRefusal(tx *bbolt.Tx, err error, loc *time.Location) error {
	if err == nil {
		return nil
	}
	k, v := tx.Bucket(bZReports).Cursor().Last()
	if k == nil {
		return err
	}
	var last pos.Report
	if derr := decode(k, v, &last); derr != nil {
		return err
	}
	if loc == nil {
		loc = time.Local
	}
	return errmsg.Errorf("%w (Z report %d was taken %s)", err, last.Number, last.TakenAt.In(loc).Format(time.DateTime))
}

// eachDrawer calls fn with the drawer events after the last Z's.
func eachDrawer(tx *bbolt.Tx, fn func(pos.DrawerEvent)) error {
	b := tx.Bucket(bDrawer)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.Seek(u64(metaU64(tx, kLastZDrawer) + 1)); k != nil; k, v = c.Next() {
		var ev pos.DrawerEvent
		if err := decode(k, v, &ev); err != nil {
			return err
		}
		fn(ev)
	}
	return nil
}

// tallyDrawer adds the period's drawer events to a report.
func tallyDrawer(tx *bbolt.Tx, t *pos.Tally) error { return eachDrawer(tx, t.AddDrawer) }

// closeDrawer ends the drawer's period with a Z: later reports start
// after its last event.
func closeDrawer(tx *bbolt.Tx) error {
	b := tx.Bucket(bDrawer)
	if b == nil || b.Sequence() == 0 {
		return nil
	}
	return tx.Bucket(bMeta).Put(kLastZDrawer, u64(b.Sequence()))
}

// drawerBody returns the stored body of a drawer event by ID, nil if none.
func drawerBody(tx *bbolt.Tx, id string) []byte {
	ids, b := tx.Bucket(bDrawerIDs), tx.Bucket(bDrawer)
	if ids == nil || b == nil {
		return nil
	}
	seq := ids.Get([]byte(id))
	if seq == nil {
		return nil
	}
	return b.Get(seq)
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
