package storage

import (
	"context"
	"errors"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
)

// StaffBackend is a Backend that keeps each store's staff. A member
// takes the store's next catalog change sequence, so terminals pull
// staff with the catalog under one cursor (Changes returns them with
// Change.Staff set). Optional: head office says so when its storage does
// not keep staff.
type StaffBackend interface {
	// PutStaff adds or replaces a member (PIN hash, never the PIN) and
	// returns the change sequence it took. A badge belongs to one member
	// of a store: a member given another's badge is refused, and nothing
	// changes.
	PutStaff(ctx context.Context, store string, m staff.Member) (uint64, error)
	// Staff lists a store's members by ID, disabled ones too.
	Staff(ctx context.Context, store string) ([]staff.Member, error)
}

// ChainBackend is a Backend that keeps, per terminal, the journal entry
// head office last accepted as the terminal's chain head (see package
// pos/journal). Optional: without it head office checks no chains.
type ChainBackend interface {
	ChainHead(ctx context.Context, terminal string) (journal.Entry, bool, error)
	// PutChainHead stores e as the terminal's head; it refuses to go
	// back to an earlier sequence.
	PutChainHead(ctx context.Context, terminal string, e journal.Entry) error
}

// ErrChainMoved says the terminal's chain head changed between head
// office's check of a push and the push's transaction (another push of
// the same terminal came first): nothing was stored; check again.
var ErrChainMoved = errors.New("the terminal's chain head changed since it was checked")

// ChainedRecordsBackend is a ChainBackend that stores a push's records
// and the terminal's new chain head in one transaction, so a failure
// between the two never leaves records stored under the old head.
type ChainedRecordsBackend interface {
	ChainBackend
	// PutRecordsChained is PutRecords and, in the same transaction, the
	// terminal's chain head: head becomes the head if it is later than
	// the one held, which is kept otherwise. checked is the head the push
	// was checked against (nil: the terminal had none); if the head held
	// is no longer that one, nothing is stored and the error is
	// ErrChainMoved. held is the head's sequence afterwards.
	PutRecordsChained(ctx context.Context, recs []Record, terminal string, checked *journal.Entry, head journal.Entry) (res []PutResult, held uint64, err error)
}

// KeyBackend is a Backend that keeps each terminal's public signing key,
// registered at enrolment, to check its Z reports' seals.
type KeyBackend interface {
	// PutTerminalKey stores (or replaces) an enrolled terminal's key as
	// `till verify --public-key` prints it; ErrNotFound if the terminal
	// is not enrolled.
	PutTerminalKey(ctx context.Context, terminal, key string) error
	// TerminalKey returns a terminal's key, "" if none is registered.
	TerminalKey(ctx context.Context, terminal string) (string, error)
}
