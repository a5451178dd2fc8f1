package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	bbolt "go.etcd.io/bbolt"
)

// Staged sales. On a store with a big history every tree a sale writes
// into (the sales, the receipt index, the journal, the outbox, the goods'
// stock) is several levels deep, and a commit writes a page per level of
// each, about 25 pages to a bare update's four or five: the cashier
// waits for all of them. So a sale's commit writes one record into
// bStaged, a small bucket, keyed by the sale's journal sequence: the
// sale's JSON, its receipt number and its journal entries (approvals
// first, the sale's last), all decided in that transaction. Nothing of
// the sale is left to chance: it is durable, numbered and chained when
// CompleteSale returns.
//
// Folding writes staged sales into the buckets they belong in, in order,
// and empties bStaged, in one transaction: the same writes CompleteSale
// made before staging existed, batched. It runs at the start of every
// other write transaction (so every write sees the sales in place and
// takes receipt and journal numbers after them), before any read (view
// folds first), when the till has been idle a moment (foldIdle), and on
// Close. A read-only store (checking a copy) cannot fold: its reads see
// the file as it is, and Check decodes the staged records themselves.
var bStaged = []byte("staged_sales")

// errNothingStaged rolls back a fold that found another had folded first:
// an empty commit would still cost two fsyncs.
var errNothingStaged = errors.New("nothing staged")

// foldNow folds in a transaction of its own.
func (s *Store) foldNow() error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		n, err := foldStaged(tx)
		if err == nil && n == 0 {
			return errNothingStaged
		}
		return err
	})
	if errors.Is(err, errNothingStaged) {
		return nil
	}
	return err
}

// stage runs a sale's transaction without folding first,
// and has the store fold once the till is idle.
func (s *Store) stage(fn func(tx *bbolt.Tx) error) (err error) {
	defer catchFaults()()
	defer recoverCorrupt(s.path, &err)
	if err := s.db.Update(fn); err != nil {
		return err
	}
	s.foldMu.Lock()
	defer s.foldMu.Unlock()
	if s.closed {
		return nil
	}
	if s.folder == nil {
		s.folder = time.AfterFunc(s.foldIdle, s.foldWhenIdle)
	} else {
		s.folder.Reset(s.foldIdle)
	}
	return nil
}

// foldWhenIdle is the idle timer's fold. An error is left for the next
// write or read, which folds too and reports it.
func (s *Store) foldWhenIdle() {
	s.foldMu.Lock()
	if s.closed {
		s.foldMu.Unlock()
		return
	}
	s.folding.Add(1)
	s.foldMu.Unlock()
	defer s.folding.Done()
	_ = s.fold()
}

// fold folds staged sales, if there are any, in a transaction of its own.
func (s *Store) fold() (err error) {
	if s.readOnly {
		return nil
	}
	defer catchFaults()()
	defer recoverCorrupt(s.path, &err)
	staged := false
	if err := s.db.View(func(tx *bbolt.Tx) error { staged = hasStaged(tx); return nil }); err != nil || !staged {
		return err
	}
	return s.foldNow()
}

// stagedSale is one staged record.
type stagedSale struct {
	Receipt uint64
	ID      string
	Body    []byte        // the sale's JSON as it is stored, without its checksum
	Entries []stagedEntry // journal entries in order, the sale's last
}

// stagedEntry is a journal entry and, for an event with no bucket of its
// own (an approval), the body bEvents keeps.
type stagedEntry struct {
	Entry journal.Entry
	Event []byte // nil: the record lives elsewhere (the sale)
}

const stagedVersion = 1

// maxStaged bounds bStaged (in journal entries, about one a sale) for a
// till that sells without a pause or a read long enough to fold: the
// sale that finds it full folds first, in its own transaction.
const maxStaged = 256

// encode lays a staged record out as: version, receipt (uvarint), ID,
// body, the number of entries and each entry's binary form and event,
// every variable part length-prefixed. It is stored checksummed.
func (r stagedSale) encode() ([]byte, error) {
	b := make([]byte, 0, 64+len(r.ID)+len(r.Body)+len(r.Entries)*160)
	b = append(b, stagedVersion)
	b = binary.AppendUvarint(b, r.Receipt)
	b = appendBytes(b, []byte(r.ID))
	b = appendBytes(b, r.Body)
	b = binary.AppendUvarint(b, uint64(len(r.Entries)))
	for _, e := range r.Entries {
		data, err := e.Entry.MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = appendBytes(b, data)
		if e.Event == nil {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = appendBytes(b, e.Event)
	}
	return sealRecord(b), nil
}

func appendBytes(b, v []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

var errStagedBytes = errors.New("malformed staged sale")

// decodeStaged reads a stored staged record (checksum included) and
// copies what it keeps.
func decodeStaged(k, v []byte) (stagedSale, error) {
	data, err := openNamed("staged sale", k, v)
	if err != nil {
		return stagedSale{}, err
	}
	return parseStaged(k, data)
}

// parseStaged reads a staged record's bytes, its checksum already
// checked.
func parseStaged(k, data []byte) (stagedSale, error) {
	var r stagedSale
	bad := func() (stagedSale, error) {
		return stagedSale{}, fmt.Errorf("%w: staged sale %s: %w", ErrCorrupt, keyString(k), errStagedBytes)
	}
	if len(k) != 8 {
		return bad()
	}
	d := stagedReader{b: data}
	if ver := d.byte(); ver != stagedVersion {
		if d.bad {
			return bad()
		}
		return r, fmt.Errorf("%w: staged sale %s: layout %d, this Till knows %d", ErrTooNew, keyString(k), ver, stagedVersion)
	}
	r.Receipt = d.uvarint()
	r.ID = string(d.bytes())
	r.Body = append([]byte(nil), d.bytes()...)
	n := d.uvarint()
	if d.bad || n > uint64(len(data)) {
		return bad()
	}
	r.Entries = make([]stagedEntry, 0, n)
	for range n {
		var e stagedEntry
		if err := e.Entry.UnmarshalBinary(d.bytes()); err != nil && !d.bad {
			return bad()
		}
		switch d.byte() {
		case 0:
		case 1:
			e.Event = append([]byte(nil), d.bytes()...)
		default:
			return bad()
		}
		r.Entries = append(r.Entries, e)
	}
	if d.bad || len(d.b) != 0 || len(r.Entries) == 0 || r.Entries[len(r.Entries)-1].Entry.Seq != seqOf(k) {
		return bad()
	}
	return r, nil
}

// stagedReader reads the fields encode wrote; a short or bad field sets bad.
type stagedReader struct {
	b   []byte
	bad bool
}

func (d *stagedReader) byte() byte {
	if len(d.b) < 1 {
		d.bad = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *stagedReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *stagedReader) bytes() []byte {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.b)) {
		d.bad = true
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// hasStaged says whether sales wait to be folded.
func hasStaged(tx *bbolt.Tx) bool {
	b := tx.Bucket(bStaged)
	if b == nil {
		return false
	}
	k, _ := b.Cursor().First()
	return k != nil
}

// lastStaged returns the newest staged record, ok false if none.
func lastStaged(tx *bbolt.Tx) (stagedSale, bool, error) {
	b := tx.Bucket(bStaged)
	if b == nil {
		return stagedSale{}, false, nil
	}
	k, v := b.Cursor().Last()
	if k == nil {
		return stagedSale{}, false, nil
	}
	r, err := decodeStaged(k, v)
	return r, err == nil, err
}

// stagedHas says whether a sale ID is staged. bStaged holds the sales
// since the last fold, a few at a counter, so it is read through.
func stagedHas(tx *bbolt.Tx, id string) (bool, error) {
	b := tx.Bucket(bStaged)
	if b == nil {
		return false, nil
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		// Only the ID is compared: the checksum is checked when a
		// record is decoded (the last one by every sale, all by a fold).
		if len(v) < sumLen {
			return false, fmt.Errorf("%w: staged sale %s: %w", ErrCorrupt, keyString(k), errStagedBytes)
		}
		d := stagedReader{b: v[sumLen:]}
		d.byte()
		d.uvarint()
		got := d.bytes()
		if d.bad {
			return false, fmt.Errorf("%w: staged sale %s: %w", ErrCorrupt, keyString(k), errStagedBytes)
		}
		if string(got) == id {
			return true, nil
		}
	}
	return false, nil
}

// stageSale stores a paid sale as a staged record: the checks, the
// receipt number, the QR payments it uses and its journal entries are
// CompleteSale's, decided now; the sale's own bucket, the receipt index,
// the stock and the outbox are written when it is folded.
func stageSale(tx *bbolt.Tx, sale *pos.Sale) error {
	if b := tx.Bucket(bStaged); b != nil {
		c := b.Cursor()
		first, _ := c.First()
		last, _ := c.Last()
		if first != nil && seqOf(last)-seqOf(first) >= maxStaged {
			if _, err := foldStaged(tx); err != nil {
				return err
			}
		}
	}
	if tx.Bucket(bSales).Get([]byte(sale.ID)) != nil {
		return fmt.Errorf("sale %s: %w", sale.ID, ErrExists)
	}
	if has, err := stagedHas(tx, sale.ID); err != nil || has {
		if err == nil {
			err = fmt.Errorf("sale %s: %w", sale.ID, ErrExists)
		}
		return err
	}
	last, staged, err := lastStaged(tx)
	if err != nil {
		return err
	}
	prev := journal.Entry{}
	if staged {
		sale.Receipt = last.Receipt + 1
		prev = last.Entries[len(last.Entries)-1].Entry
	} else {
		sale.Receipt = tx.Bucket(bReceipts).Sequence() + 1
		if prev, err = head(tx); err != nil {
			return err
		}
	}
	if err := applyPayments(tx, sale); err != nil {
		return err
	}
	for _, l := range sale.Lines { // a damaged record stops the sale now, not the fold
		if v := tx.Bucket(bProducts).Get([]byte(l.SKU)); v != nil {
			if _, err := openNamed("record", []byte(l.SKU), v); err != nil {
				return err
			}
		}
	}
	data, err := json.Marshal(sale)
	if err != nil {
		return err
	}
	r := stagedSale{Receipt: sale.Receipt, ID: sale.ID, Body: data}
	for _, a := range sale.Approvals {
		body, err := json.Marshal(a)
		if err != nil {
			return err
		}
		prev = journal.Append(prev, JApproval, sale.ID, a.At, body)
		r.Entries = append(r.Entries, stagedEntry{Entry: prev, Event: body})
	}
	e := journal.Append(prev, JSale, sale.ID, sale.At, data)
	r.Entries = append(r.Entries, stagedEntry{Entry: e})
	v, err := r.encode()
	if err != nil {
		return err
	}
	b, err := tx.CreateBucketIfNotExists(bStaged)
	if err != nil {
		return err
	}
	if err := appendOnly(b).Put(u64(e.Seq), v); err != nil {
		return err
	}
	sale.Journal = mark(e)
	return nil
}

// foldStaged writes every staged sale where it belongs, in order, and
// empties bStaged. It returns how many it folded.
func foldStaged(tx *bbolt.Tx) (int, error) {
	b := tx.Bucket(bStaged)
	if b == nil {
		return 0, nil
	}
	var recs []stagedSale
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r, err := decodeStaged(k, v)
		if err != nil {
			return 0, err
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		return 0, nil
	}
	for _, r := range recs {
		if err := foldSale(tx, r); err != nil {
			return 0, fmt.Errorf("fold staged sale %s: %w", r.ID, err)
		}
	}
	if err := tx.DeleteBucket(bStaged); err != nil {
		return 0, err
	}
	_, err := tx.CreateBucket(bStaged)
	return len(recs), err
}

// foldSale makes the writes completeSale makes, from a staged record.
func foldSale(tx *bbolt.Tx, r stagedSale) error {
	sales := appendOnly(tx.Bucket(bSales))
	if sales.Get([]byte(r.ID)) != nil {
		return fmt.Errorf("%w: sale %s is both staged and stored", ErrCorrupt, r.ID)
	}
	var sale pos.Sale
	if err := json.Unmarshal(r.Body, &sale); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	receipts := appendOnly(tx.Bucket(bReceipts))
	if r.Receipt != receipts.Sequence()+1 || sale.Receipt != r.Receipt || sale.ID != r.ID {
		return fmt.Errorf("%w: staged as receipt %d (sale says %d), the receipts are at %d", ErrCorrupt, r.Receipt, sale.Receipt, receipts.Sequence())
	}
	if err := receipts.SetSequence(r.Receipt); err != nil {
		return err
	}
	for _, l := range sale.Lines {
		if err := moveStock(tx, l.SKU, l.Unit, -l.Qty); err != nil {
			return err
		}
	}
	if err := sales.Put([]byte(r.ID), sealRecord(r.Body)); err != nil {
		return err
	}
	jb := appendOnly(tx.Bucket(bJournal))
	prev, err := head(tx)
	if err != nil {
		return err
	}
	for _, se := range r.Entries {
		if se.Entry.Seq != prev.Seq+1 || (prev.Seq > 0 && se.Entry.Prev != prev.Hash) {
			return fmt.Errorf("%w: journal entry %d does not follow entry %d", ErrCorrupt, se.Entry.Seq, prev.Seq)
		}
		data, err := se.Entry.MarshalBinary()
		if err != nil {
			return err
		}
		if err := jb.Put(u64(se.Entry.Seq), data); err != nil {
			return err
		}
		if se.Event != nil {
			if err := appendOnly(tx.Bucket(bEvents)).Put(u64(se.Entry.Seq), sealRecord(se.Event)); err != nil {
				return err
			}
		}
		prev = se.Entry
	}
	if err := putJSON(receipts, u64(r.Receipt), receiptEntry{Kind: pos.RecordSale, ID: r.ID, Journal: prev.Seq, Excerpt: prev.Hash.Excerpt()}); err != nil {
		return err
	}
	return enqueue(tx, pos.RecordSale, r.ID)
}
