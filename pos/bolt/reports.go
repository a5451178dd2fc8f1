package bolt

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
	bbolt "go.etcd.io/bbolt"
)

// TopGoods is how many best sellers a report lists.
const TopGoods = 10

// Shift returns the open shift (a zero Shift if none was opened).
func (s *Store) Shift() (pos.Shift, error) {
	var sh pos.Shift
	err := s.view(func(tx *bbolt.Tx) error { return shift(tx, &sh) })
	return sh, err
}

func shift(tx *bbolt.Tx, sh *pos.Shift) error {
	err := getJSON(tx.Bucket(bMeta), kShift, sh)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// XReport sums everything since the last Z report without closing.
func (s *Store) XReport(now time.Time, loc *time.Location) (pos.Report, error) {
	var r pos.Report
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		r, err = s.tally(tx, pos.XReport, now, loc)
		return err
	})
	return r, err
}

// TakeZ closes the period: it sums exactly the receipts since the previous
// Z, stores the numbered report (never changed afterwards), queues it for
// head office and closes the shift, all in one transaction. counted is
// the cash the cashier counted, if they did.
func (s *Store) TakeZ(now time.Time, loc *time.Location, counted *pos.Money) (pos.Report, error) {
	return s.TakeZCounted(now, loc, pos.Count{Drawer: counted})
}

// TakeZCounted is TakeZ with the drawer's count and, optionally, each
// cashier's (see pos.Count). The report is sealed: it carries the journal
// head and the grand total, signed with the terminal's key.
func (s *Store) TakeZCounted(now time.Time, loc *time.Location, count pos.Count) (pos.Report, error) {
	var r pos.Report
	err := s.update(func(tx *bbolt.Tx) error {
		var err error
		if r, err = s.tally(tx, pos.ZReport, now, loc); err != nil {
			return err
		}
		if err := closeRefusal(tx, r.CheckClose(), loc); err != nil {
			return err
		}
		if err := r.ApplyCount(count); err != nil {
			return err
		}
		// Head office runs the same check: a Z it would refuse is never
		// stored here.
		if err := r.CheckZ(); err != nil {
			return fmt.Errorf("Z report: %w", err)
		}
		zb := tx.Bucket(bZReports)
		if r.Number, err = zb.NextSequence(); err != nil {
			return err
		}
		if err := seal(tx, &r); err != nil {
			return err
		}
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := zb.Put(u64(r.Number), sealRecord(data)); err != nil {
			return err
		}
		meta := tx.Bucket(bMeta)
		if r.LastReceipt > 0 {
			if err := meta.Put(kLastZ, u64(r.LastReceipt)); err != nil {
				return err
			}
		}
		if err := meta.Delete(kShift); err != nil {
			return err
		}
		if err := closeDrawer(tx); err != nil {
			return err
		}
		zid := pos.ZReportID(r.Number, s.id.Terminal)
		e, err := appendJournal(tx, JZReport, zid, r.TakenAt, data, false)
		if err != nil {
			return err
		}
		if err := meta.Put(kLastZSeq, u64(e.Seq)); err != nil {
			return err
		}
		return enqueue(tx, pos.RecordZReport, zid)
	})
	return r, err
}

// tally reads the receipts after the last Z: a seek and a scan of this
// period only, so its cost does not grow with the history.
func (s *Store) tally(tx *bbolt.Tx, kind pos.ReportKind, now time.Time, loc *time.Location) (pos.Report, error) {
	if loc == nil {
		loc = time.Local // as time.Time.In needs one; nil would panic
	}
	var sh pos.Shift
	if err := shift(tx, &sh); err != nil {
		return pos.Report{}, err
	}
	t := pos.NewTally(kind, s.id.Terminal, sh, loc)
	from := metaU64(tx, kLastZ)
	sales, refunds := tx.Bucket(bSales), tx.Bucket(bRefunds)
	c := tx.Bucket(bReceipts).Cursor()
	for k, v := c.Seek(u64(from + 1)); k != nil; k, v = c.Next() {
		var e receiptEntry
		if err := decode(k, v, &e); err != nil {
			return pos.Report{}, err
		}
		switch e.Kind {
		case pos.RecordSale:
			var sale pos.Sale
			if err := getJSON(sales, []byte(e.ID), &sale); err != nil {
				return pos.Report{}, fmt.Errorf("receipt %d: %w", seqOf(k), err)
			}
			t.AddSale(sale)
		case pos.RecordRefund:
			var r pos.Refund
			if err := getJSON(refunds, []byte(e.ID), &r); err != nil {
				return pos.Report{}, fmt.Errorf("receipt %d: %w", seqOf(k), err)
			}
			t.AddRefund(r)
		}
	}
	t.NameStaff(func(id string) string {
		var m staff.Member
		if getJSON(tx.Bucket(bStaff), []byte(id), &m) != nil {
			return ""
		}
		return m.Name
	})
	if err := tallyDrawer(tx, t); err != nil {
		return pos.Report{}, err
	}
	return t.Report(now, TopGoods), nil
}

// ZReports returns the stored Z reports, newest first, up to limit.
func (s *Store) ZReports(limit int) ([]pos.Report, error) {
	var out []pos.Report
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bZReports).Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			var r pos.Report
			if err := decode(k, v, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
