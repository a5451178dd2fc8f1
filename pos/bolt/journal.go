package bolt

import (
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	bbolt "go.etcd.io/bbolt"
)

// The journal: every write transaction that stores a record appends one
// entry per record to bJournal (journal sequence -> journal.Entry's
// binary form), in that same transaction. A record that has a bucket of
// its own and never changes (a sale, a refund, a Z report) is proven by
// the entry's digest over its JSON (the stored bytes without their
// checksum, recordsum.go); everything else (a payment's
// state at that moment, an approval, a drawer event, a login, a catalog
// or staff change, a config change) keeps its bytes in bEvents under the
// entry's sequence.
var (
	bJournal = []byte("journal")
	bEvents  = []byte("journal_events")

	kSigningKey = []byte("signing_key")    // Ed25519 private key, made when the file is
	kGrandTotal = []byte("grand_total")    // net of every Z ever taken, int64
	kLastZSeq   = []byte("last_z_journal") // journal sequence of the last Z report's entry
	kConfigSeen = []byte("config_digest")  // the config last seen at start-up
	kHQChainSeq = []byte("hq_chain_seq")   // the journal sequence head office last said it holds
)

// Journal entry types.
const (
	JSale        = "sale"
	JRefund      = "refund"
	JZReport     = "zreport"
	JPayment     = "payment"
	JApproval    = "approval"
	JDrawer      = "drawer"
	JLogin       = "login"
	JLoginFailed = "login_failed"
	JLocked      = "locked"
	JLock        = "screen_lock"
	JLogout      = "logout"
	JReprint     = "reprint"
	JCatalog     = "catalog"
	JStaff       = "staff"
	JConfig      = "config"
)

// migration 3: the journal, its events and the signing key.
func migrateJournal(tx *bbolt.Tx) error {
	for _, b := range [][]byte{bJournal, bEvents, bStaff, bLockout} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	if meta.Get(kSigningKey) != nil {
		return nil
	}
	key, err := journal.NewKey()
	if err != nil {
		return err
	}
	return meta.Put(kSigningKey, key)
}

// head returns the last journal entry (the zero Entry when empty).
func head(tx *bbolt.Tx) (journal.Entry, error) {
	var e journal.Entry
	k, v := tx.Bucket(bJournal).Cursor().Last()
	if k == nil {
		return e, nil
	}
	if err := e.UnmarshalBinary(v); err != nil {
		return e, fmt.Errorf("%w: journal entry %d: %v", ErrCorrupt, seqOf(k), err)
	}
	return e, nil
}

// appendJournal adds the entry for a record of type typ and ID ref whose
// JSON is body (what is stored, without its checksum). keep stores body,
// checksummed, in bEvents, for records with no bucket of their own.
func appendJournal(tx *bbolt.Tx, typ, ref string, at time.Time, body []byte, keep bool) (journal.Entry, error) {
	prev, err := head(tx)
	if err != nil {
		return prev, err
	}
	e := journal.Append(prev, typ, ref, at, body)
	data, err := e.MarshalBinary()
	if err != nil {
		return e, err
	}
	if err := appendOnly(tx.Bucket(bJournal)).Put(u64(e.Seq), data); err != nil {
		return e, err
	}
	if keep {
		if err := appendOnly(tx.Bucket(bEvents)).Put(u64(e.Seq), sealRecord(body)); err != nil {
			return e, err
		}
	}
	return e, nil
}

// journalJSON journals v as an event kept in bEvents.
func journalJSON(tx *bbolt.Tx, typ, ref string, at time.Time, v any) (journal.Entry, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return journal.Entry{}, err
	}
	return appendJournal(tx, typ, ref, at, body, true)
}

// Event is what a login, lock or config entry keeps.
type Event struct {
	Member string    `json:"member,omitempty"` // staff ID
	Name   string    `json:"name,omitempty"`
	Detail string    `json:"detail,omitempty"`
	At     time.Time `json:"at"`
}

// RecordEvent journals an event that has no record of its own: a screen
// lock, a logout, a reprint. typ is one of the J... types; member is the
// staff ID ("" on a till without staff).
func (s *Store) RecordEvent(typ, ref, member, name, detail string, at time.Time) error {
	return s.update(func(tx *bbolt.Tx) error {
		_, err := journalJSON(tx, typ, ref, at, Event{Member: member, Name: name, Detail: detail, At: at})
		return err
	})
}

// NoteConfig journals the configuration seen at start-up when it differs
// from the one seen last time (by digest); it says whether it did.
func (s *Store) NoteConfig(digest string, at time.Time) (bool, error) {
	same := false
	if err := s.view(func(tx *bbolt.Tx) error {
		same = string(tx.Bucket(bMeta).Get(kConfigSeen)) == digest
		return nil
	}); err != nil || same {
		return false, err // most starts: no write transaction
	}
	changed := false
	err := s.update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if string(meta.Get(kConfigSeen)) == digest {
			return nil
		}
		changed = true
		if _, err := journalJSON(tx, JConfig, digest, at, Event{Detail: digest, At: at}); err != nil {
			return err
		}
		return meta.Put(kConfigSeen, []byte(digest))
	})
	return changed, err
}

// journalApprovals journals each approval of an action, in its
// transaction.
func journalApprovals(tx *bbolt.Tx, ref string, as []staff.Approval) error {
	for _, a := range as {
		if _, err := journalJSON(tx, JApproval, ref, a.At, a); err != nil {
			return err
		}
	}
	return nil
}

// mark is the journal mark a receipt prints.
func mark(e journal.Entry) pos.JournalMark {
	return pos.JournalMark{Seq: e.Seq, Excerpt: e.Hash.Excerpt()}
}

// JournalHead returns the newest journal entry, the zero Entry if none.
func (s *Store) JournalHead() (journal.Entry, error) {
	var e journal.Entry
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		e, err = head(tx)
		return err
	})
	return e, err
}

// JournalEntry returns the entry at seq.
func (s *Store) JournalEntry(seq uint64) (journal.Entry, error) {
	var e journal.Entry
	err := s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bJournal).Get(u64(seq))
		if v == nil {
			return fmt.Errorf("journal entry %d: %w", seq, ErrNotFound)
		}
		return e.UnmarshalBinary(v)
	})
	return e, err
}

// HQChainSeq is the journal sequence head office said it holds after the
// last push (0 before the first).
func (s *Store) HQChainSeq() (uint64, error) {
	var n uint64
	err := s.view(func(tx *bbolt.Tx) error { n = metaU64(tx, kHQChainSeq); return nil })
	return n, err
}

// SetHQChainSeq records the journal sequence head office holds.
func (s *Store) SetHQChainSeq(n uint64) error {
	return s.update(func(tx *bbolt.Tx) error { return tx.Bucket(bMeta).Put(kHQChainSeq, u64(n)) })
}

// PublicKey is the public half of the terminal's signing key.
func (s *Store) PublicKey() (ed25519.PublicKey, error) {
	var pub ed25519.PublicKey
	err := s.view(func(tx *bbolt.Tx) error {
		k := tx.Bucket(bMeta).Get(kSigningKey)
		if len(k) != ed25519.PrivateKeySize {
			return fmt.Errorf("%w: no signing key", ErrCorrupt)
		}
		pub = append(ed25519.PublicKey(nil), ed25519.PrivateKey(k).Public().(ed25519.PublicKey)...)
		return nil
	})
	return pub, err
}

func signingKey(tx *bbolt.Tx) (ed25519.PrivateKey, error) {
	k := tx.Bucket(bMeta).Get(kSigningKey)
	if len(k) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: no signing key", ErrCorrupt)
	}
	return append(ed25519.PrivateKey(nil), k...), nil
}

// seal signs a Z report in its transaction: it covers the journal from
// after the previous Z's entry to the head, and adds the period's net to
// the grand total, which never resets.
func seal(tx *bbolt.Tx, r *pos.Report) error {
	meta := tx.Bucket(bMeta)
	h, err := head(tx)
	if err != nil {
		return err
	}
	key, err := signingKey(tx)
	if err != nil {
		return err
	}
	grand := int64(metaU64(tx, kGrandTotal)) + int64(r.Net)
	if err := meta.Put(kGrandTotal, u64(uint64(grand))); err != nil {
		return err
	}
	r.GrandTotal = pos.Money(grand)
	sl := journal.Seal{Terminal: r.Terminal, Z: int(r.Number), FirstSeq: metaU64(tx, kLastZSeq) + 1, LastSeq: h.Seq,
		Head: h.Hash, Net: int64(r.Net), GrandTotal: grand, At: r.TakenAt}.Sign(key)
	r.Seal = &sl
	return nil
}

// VerifyResult is what a whole-journal check found.
type VerifyResult struct {
	Entries  uint64
	ZReports int
	Head     journal.Entry
}

// ErrBadSeal reports a Z report whose seal does not hold.
var ErrBadSeal = errors.New("z report seal does not hold")

// VerifyJournal checks the whole journal in one pass: each entry follows
// the one before, its hash matches its content, the record it names has
// the bytes it journalled, and each Z report's seal covers the chain up
// to the entry before it with a grand total that adds up, signed with the
// terminal's key. The first error names the first bad entry.
func (s *Store) VerifyJournal() (VerifyResult, error) {
	var res VerifyResult
	pub, err := s.PublicKey()
	if err != nil {
		return res, err
	}
	err = s.view(func(tx *bbolt.Tx) error {
		var v journal.Verifier
		var grand int64
		var lastZ uint64
		var prev journal.Entry
		events, sales, refunds, zs := tx.Bucket(bEvents), tx.Bucket(bSales), tx.Bucket(bRefunds), tx.Bucket(bZReports)
		c := tx.Bucket(bJournal).Cursor()
		for k, val := c.First(); k != nil; k, val = c.Next() {
			var e journal.Entry
			if err := e.UnmarshalBinary(val); err != nil {
				return &journal.BadEntry{Seq: seqOf(k), Reason: "unreadable: " + err.Error()}
			}
			var body []byte
			switch e.Type {
			case JSale:
				body = sales.Get([]byte(e.Ref))
			case JRefund:
				body = refunds.Get([]byte(e.Ref))
			case JZReport:
				if n, ok := pos.ZReportNumber(e.Ref); ok {
					body = zs.Get(u64(n))
				}
			case JDrawer:
				body = drawerBody(tx, e.Ref)
			default:
				body = events.Get(k)
			}
			if body == nil {
				return &journal.BadEntry{Seq: e.Seq, Ref: e.Ref, Reason: fmt.Sprintf("the %s it journalled is missing: the record was deleted", e.Type)}
			}
			// The digest covers the record's JSON, without its checksum.
			body, err := openRecord(body)
			if err != nil {
				return &journal.BadEntry{Seq: e.Seq, Ref: e.Ref, Reason: fmt.Sprintf("the %s it journalled is damaged: %v", e.Type, err)}
			}
			if err := v.Next(e, body); err != nil {
				return err
			}
			if e.Type == JZReport {
				bad := func(format string, a ...any) error {
					return fmt.Errorf("%w: %w", ErrBadSeal, &journal.BadEntry{Seq: e.Seq, Ref: e.Ref, Reason: fmt.Sprintf(format, a...)})
				}
				var r pos.Report
				if err := json.Unmarshal(body, &r); err != nil {
					return bad("unreadable Z report: %v", err)
				}
				switch sl := r.Seal; {
				case sl == nil:
					return bad("Z report %d is not sealed", r.Number)
				case sl.Verify(pub) != nil:
					return bad("Z report %d: its signature does not verify with this terminal's key", r.Number)
				case sl.LastSeq != prev.Seq || sl.Head != prev.Hash:
					return bad("Z report %d seals entry %d, not the entry before it (%d)", r.Number, sl.LastSeq, prev.Seq)
				case sl.FirstSeq != lastZ+1:
					return bad("Z report %d starts at entry %d, not %d after the previous Z", r.Number, sl.FirstSeq, lastZ+1)
				case sl.Net != int64(r.Net) || sl.GrandTotal != grand+sl.Net || int64(r.GrandTotal) != sl.GrandTotal:
					return bad("Z report %d: the grand total does not add up (%d before, net %d, sealed %d)", r.Number, grand, sl.Net, sl.GrandTotal)
				}
				grand = r.Seal.GrandTotal
				lastZ = e.Seq
				res.ZReports++
			}
			prev = e
		}
		res.Entries, res.Head = v.Count(), v.Head()
		return nil
	})
	return res, err
}

// JournalEntries calls fn for each entry from seq from on, in order.
func (s *Store) JournalEntries(from uint64, fn func(journal.Entry) error) error {
	return s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bJournal).Cursor()
		for k, v := c.Seek(u64(from)); k != nil; k, v = c.Next() {
			var e journal.Entry
			if err := e.UnmarshalBinary(v); err != nil {
				return fmt.Errorf("%w: journal entry %d: %v", ErrCorrupt, binary.BigEndian.Uint64(k), err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}
