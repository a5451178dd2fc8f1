package bolt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
	bbolt "go.etcd.io/bbolt"
)

// CheckError names the first bad record Check found.
type CheckError struct {
	Bucket string
	Key    []byte
	Err    error
}

func (e *CheckError) Error() string {
	return fmt.Sprintf("bucket %s, record %s: %v", e.Bucket, keyString(e.Key), e.Err)
}

func (e *CheckError) Unwrap() []error { return []error{ErrCorrupt, e.Err} }

// keyString shows a key: printable text as it is, 8-byte sequence keys
// as their number, anything else in hex.
func keyString(k []byte) string {
	if len(k) == 8 && k[0] == 0 {
		return fmt.Sprintf("#%d", seqOf(k))
	}
	for _, c := range k {
		if c < 0x21 || c > 0x7e {
			return fmt.Sprintf("%x", k)
		}
	}
	return fmt.Sprintf("%q", k)
}

// Check verifies the whole file: that it is as long as its own meta page
// says, bbolt's consistency check of every page, and every record
// decoded as what its bucket holds, with the indexes pointing at records
// that exist. The first problem is returned; a bad record is a
// *CheckError naming its bucket and key. Check reads in one transaction
// and may run while the store is in use by this process.
func (s *Store) Check() error { return s.check(nil) }

// check runs Check and then, if it passed, then(tx) in the same
// transaction.
func (s *Store) check(then func(tx *bbolt.Tx)) error {
	return s.view(func(tx *bbolt.Tx) error {
		fi, err := os.Stat(s.path)
		if err != nil {
			return err
		}
		if fi.Size() < tx.Size() {
			return fmt.Errorf("%s: %w: the file is cut short (%d bytes, its pages need %d)", s.path, ErrCorrupt, fi.Size(), tx.Size())
		}
		meta := tx.Bucket(bMeta)
		if meta == nil || meta.Get(kMagic) == nil {
			return fmt.Errorf("%s: %w", s.path, ErrNotTill)
		}
		if string(meta.Get(kMagic)) != "till terminal" {
			return fmt.Errorf("%s: %w", s.path, ErrHeadOffice)
		}
		if err := checkRecords(tx); err != nil {
			return fmt.Errorf("%s: %w", s.path, err)
		}
		var first error
		for err := range tx.Check() { // drain it all: it runs in its own goroutine on this tx
			if first == nil {
				first = err
			}
		}
		if first != nil {
			return fmt.Errorf("%s: %w: %v", s.path, ErrCorrupt, first)
		}
		if then != nil {
			then(tx)
		}
		return nil
	})
}

// recordCheck decodes one record of a bucket and checks it against the
// rest of the file.
type recordCheck func(tx *bbolt.Tx, k, v []byte) error

// asJSON decodes a record into a new T.
func asJSON[T any](then func(tx *bbolt.Tx, k []byte, v T) error) recordCheck {
	return func(tx *bbolt.Tx, k, data []byte) error {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		if then == nil {
			return nil
		}
		return then(tx, k, v)
	}
}

// refersTo checks that a record's key names a record in bucket.
func refersTo(bucket []byte) recordCheck {
	return func(tx *bbolt.Tx, k, _ []byte) error {
		if b := tx.Bucket(bucket); b == nil || b.Get(k) == nil {
			return fmt.Errorf("refers to %s %q, which is missing", bucket, k)
		}
		return nil
	}
}

func seqKey(k []byte) error {
	if len(k) != 8 {
		return fmt.Errorf("key of %d bytes, want 8", len(k))
	}
	return nil
}

func sameID(k []byte, id string) error {
	if string(k) != id {
		return fmt.Errorf("holds %q under another key", id)
	}
	return nil
}

var outboxCheck = asJSON(func(tx *bbolt.Tx, k []byte, e pos.OutboxEntry) error {
	if err := seqKey(k); err != nil {
		return err
	}
	if e.Seq != seqOf(k) {
		return fmt.Errorf("entry says sequence %d", e.Seq)
	}
	if len(e.Body) == 0 {
		// A damaged record is reported under its own bucket and key.
		if _, err := recordBody(tx, e); err != nil && !errors.Is(err, errChecksum) && !errors.Is(err, errNotRecord) {
			return err
		}
	}
	return nil
})

// recordChecks are what each bucket holds. Buckets not named here (added
// by later versions) are checked by bbolt's own check and, where a value
// looks like JSON, by decoding it.
var recordChecks = map[string]recordCheck{
	string(bProducts): asJSON(func(_ *bbolt.Tx, k []byte, p pos.Product) error { return sameID(k, p.SKU) }),
	string(bBarcodes): func(tx *bbolt.Tx, _, v []byte) error { return refersTo(bProducts)(tx, v, nil) },
	string(bSales): asJSON(func(_ *bbolt.Tx, k []byte, s pos.Sale) error {
		if err := sameID(k, s.ID); err != nil {
			return err
		}
		return s.Check()
	}),
	string(bRefunds): asJSON(func(_ *bbolt.Tx, k []byte, r pos.Refund) error {
		if err := sameID(k, r.ID); err != nil {
			return err
		}
		return r.Check()
	}),
	string(bRefunded): func(tx *bbolt.Tx, k, v []byte) error {
		var m map[int]int64
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		return refersTo(bSales)(tx, k, nil)
	},
	string(bReceipts): asJSON(func(tx *bbolt.Tx, k []byte, r receiptEntry) error {
		if err := seqKey(k); err != nil {
			return err
		}
		switch r.Kind {
		case pos.RecordSale:
			return refersTo(bSales)(tx, []byte(r.ID), nil)
		case pos.RecordRefund:
			return refersTo(bRefunds)(tx, []byte(r.ID), nil)
		}
		return fmt.Errorf("unknown kind %q", r.Kind)
	}),
	string(bOutbox): outboxCheck,
	string(bSetAside): func(tx *bbolt.Tx, k, v []byte) error {
		var e SetAsideEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		return seqKey(k)
	},
	string(bZReports): asJSON(func(_ *bbolt.Tx, k []byte, r pos.Report) error {
		if err := seqKey(k); err != nil {
			return err
		}
		if r.Number != seqOf(k) {
			return fmt.Errorf("report says number %d", r.Number)
		}
		return nil
	}),
	string(bParked):          asJSON(func(_ *bbolt.Tx, k []byte, p pos.Parked) error { return sameID(k, p.ID) }),
	string(bPayments):        asJSON(func(_ *bbolt.Tx, k []byte, p pos.Payment) error { return sameID(k, p.ID) }),
	string(bOpenPayment):     refersTo(bPayments),
	string(bWatchPayment):    refersTo(bPayments),
	string(bLatePayment):     refersTo(bPayments),
	string(bSaleKeys):        asJSON(func(_ *bbolt.Tx, k []byte, s SaleKey) error { return sameID(k, s.Key) }),
	string(bWalletRefunds):   asJSON(func(_ *bbolt.Tx, k []byte, w pos.WalletRefund) error { return sameID(k, w.RequestNo) }),
	string(bWalletOpen):      refersTo(bWalletRefunds),
	string(bWalletByPayment): nil, // an index of composite keys with no value
	string(bMeta):            checkMeta,
	string(bDrawer): asJSON(func(_ *bbolt.Tx, k []byte, ev pos.DrawerEvent) error {
		if err := seqKey(k); err != nil {
			return err
		}
		return nil
	}),
	string(bDrawerIDs): func(tx *bbolt.Tx, _, v []byte) error {
		if err := seqKey(v); err != nil {
			return err
		}
		return refersTo(bDrawer)(tx, v, nil)
	},
	string(bEvents):  asJSON[json.RawMessage](nil),
	string(bStaff):   asJSON(func(_ *bbolt.Tx, k []byte, m staff.Member) error { return sameID(k, m.ID) }),
	string(bLockout): asJSON[staff.Lockout](nil),
	string(bJournal): nil, // binary entries, checked by till verify
	string(bStaged):  checkStaged,
}

// checkStaged decodes a staged sale (staged.go) and checks the sale in it.
func checkStaged(_ *bbolt.Tx, k, data []byte) error {
	r, err := parseStaged(k, data)
	if err != nil {
		return err
	}
	var sale pos.Sale
	if err := json.Unmarshal(r.Body, &sale); err != nil {
		return err
	}
	if err := sameID([]byte(r.ID), sale.ID); err != nil {
		return err
	}
	if sale.Receipt != r.Receipt {
		return fmt.Errorf("staged as receipt %d, the sale says %d", r.Receipt, sale.Receipt)
	}
	return sale.Check()
}

// rawBuckets hold values that are not checksummed records: indexes,
// binary journal entries, and the meta bucket (whose JSON values checkMeta
// opens itself).
var rawBuckets = map[string]bool{
	string(bMeta): true, string(bBarcodes): true, string(bDrawerIDs): true, string(bJournal): true,
	string(bOpenPayment): true, string(bWatchPayment): true, string(bLatePayment): true,
	string(bWalletOpen): true, string(bWalletByPayment): true,
}

func checkMeta(_ *bbolt.Tx, k, v []byte) error {
	switch string(k) {
	case string(kIdentity):
		var id pos.Identity
		v, err := openRecord(v)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(v, &id); err != nil {
			return err
		}
		if id.Terminal == "" || id.Currency == "" {
			return fmt.Errorf("identity without a terminal or currency")
		}
	case string(kShift):
		var sh pos.Shift
		v, err := openRecord(v)
		if err != nil {
			return err
		}
		return json.Unmarshal(v, &sh)
	case string(kSchema), string(kLastZ), string(kCatalogCursor):
		return seqKey(v)
	case string(kLastSync):
		var t time.Time
		return t.UnmarshalBinary(v)
	}
	return nil
}

// checkRecords decodes every record of every bucket.
func checkRecords(tx *bbolt.Tx) error {
	return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
		fn, known := recordChecks[string(name)]
		return b.ForEach(func(k, v []byte) error {
			if v == nil { // a nested bucket: bbolt's check covers it
				return nil
			}
			var err error
			switch {
			case rawBuckets[string(name)]:
			case known:
				v, err = openRecord(v)
			case len(v) > 0 && v[0] == sumMark:
				// A later version's bucket: a checksummed record is checked,
				// anything else (a binary value) left to that version.
				if data, oerr := openRecord(v); oerr == nil {
					v = data
				}
			}
			switch {
			case err != nil:
			case fn != nil:
				err = fn(tx, k, v)
			case !known && len(v) > 0 && (v[0] == '{' || v[0] == '['):
				if !json.Valid(v) {
					err = fmt.Errorf("not valid JSON")
				}
			}
			if err != nil {
				return &CheckError{Bucket: string(name), Key: bytes.Clone(k), Err: err}
			}
			return nil
		})
	})
}
