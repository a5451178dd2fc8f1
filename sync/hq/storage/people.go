package storage

import (
	"context"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
)

// StaffBackend is a Backend that keeps each store's staff. A member
// takes the store's next catalog change sequence, so terminals pull
// staff with the catalog under one cursor. Optional: head office says so
// when its storage does not keep staff yet.
type StaffBackend interface {
	// PutStaff adds or replaces a member (PIN hash, never the PIN) and
	// returns the change sequence it took. A badge belongs to one member.
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
