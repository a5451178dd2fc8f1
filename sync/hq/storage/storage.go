// Package storage is what head office keeps: enrolled terminals and the
// hashes of their credentials, the records terminals push (sales, refunds,
// Z reports), and each store's catalog with its change sequence. Backend
// is the small interface the server uses; sync/hq/boltstore and
// sync/hq/pgstore implement it, and storagetest holds the suite both pass.
package storage

import (
	"context"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

// Errors callers tell apart with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	// ErrEnrolled reports a terminal ID already enrolled at another store:
	// terminal IDs are part of sale IDs, so they are unique chain-wide.
	ErrEnrolled = errors.New("terminal is enrolled at another store")
)

// Terminal is an enrolled terminal. Hash is the SHA-256 of its secret;
// the secret itself is never stored. A revoked terminal has Revoked set.
type Terminal struct {
	ID       string
	Store    string
	Hash     []byte
	Enrolled time.Time
	Revoked  time.Time
}

// Active reports whether the terminal may sync.
func (t Terminal) Active() bool { return t.Revoked.IsZero() }

// Record is a sale, refund or Z report as head office keeps it: the body
// exactly as the terminal sent it, and the fields reports and queries
// need. Total and Tax are minor units: for a sale what the customer paid
// (Due) and its tax; for a refund what went back and its tax; for a Z
// report its net and tax; for a drawer event the cash it put in the
// drawer (negative for a pay-out, 0 for a no-sale) and no tax.
type Record struct {
	Kind     string
	ID       string
	Store    string
	Terminal string
	At       time.Time
	Currency string
	Total    pos.Money
	Tax      pos.Money
	Body     []byte
}

// Digest identifies a record's content, to tell a harmless resend from a
// different record under an ID already used.
func Digest(body []byte) []byte {
	d := sha256.Sum256(body)
	return d[:]
}

// PutResult says what storing one record did.
type PutResult int

const (
	// Stored: the record is new and now stored.
	Stored PutResult = iota
	// Duplicate: the same record was stored before; nothing changed.
	Duplicate
	// Conflict: a different record is stored under the same kind and ID;
	// nothing changed.
	Conflict
)

func (r PutResult) String() string {
	switch r {
	case Stored:
		return "stored"
	case Duplicate:
		return "duplicate"
	case Conflict:
		return "conflict"
	}
	return "unknown"
}

// Change is the latest state of one SKU of a store's catalog. A nil
// Product means the SKU was deleted. Seq is the store's change sequence
// when the SKU last changed.
type Change struct {
	Seq     uint64
	SKU     string
	Product *pos.Product
	// Staff, when set, is a staff member's latest state instead (SKU
	// empty): see StaffBackend.
	Staff *staff.Member
}

// CatalogImport changes a store's catalog: Put adds or replaces goods by
// SKU, Delete removes SKUs, and Replace deletes every SKU not in Put.
type CatalogImport struct {
	Put     []pos.Product
	Delete  []string
	Replace bool
}

// ImportResult counts what an import did; Seq is the store's change
// sequence after it. Unchanged goods take no new sequence number.
type ImportResult struct {
	Added, Updated, Unchanged, Deleted int
	Seq                                uint64
}

// Refusal counts the requests head office refused for one terminal and
// reason (401s, 403s, malformed or too large pushes, rejected records).
// Terminal is "" for credentials naming no enrolled terminal, so the
// tallies stay bounded whatever a stranger sends.
type Refusal struct {
	Terminal string
	Reason   string
	Count    int64
	Last     time.Time
}

// Backend is head office's storage. Every method is one transaction:
// it happens whole or not at all, and is safe to call concurrently.
type Backend interface {
	// Enrol stores a terminal's credential hash, replacing (and
	// un-revoking) an earlier one of the same terminal and store. It
	// fails with ErrEnrolled if the ID belongs to another store.
	Enrol(ctx context.Context, t Terminal) error
	// Terminal returns an enrolled terminal, or ErrNotFound.
	Terminal(ctx context.Context, id string) (Terminal, error)
	// Terminals lists enrolled terminals by ID.
	Terminals(ctx context.Context) ([]Terminal, error)
	// Revoke marks a terminal revoked from at on; ErrNotFound if unknown.
	Revoke(ctx context.Context, id string, at time.Time) error

	// PutRecords stores records keyed by kind and ID, once each: the
	// result for every record says whether it was stored, already there,
	// or conflicts with a different record under the same ID.
	PutRecords(ctx context.Context, recs []Record) ([]PutResult, error)
	// Records calls fn for each record with At in [from, to), in time
	// order.
	Records(ctx context.Context, from, to time.Time, fn func(Record) error) error

	// ImportCatalog applies an import to a store's catalog. It is
	// validated whole (each product, and barcodes unique in the resulting
	// catalog) before anything is written.
	ImportCatalog(ctx context.Context, store string, imp CatalogImport) (ImportResult, error)
	// Changes returns up to limit changes of a store's catalog with a
	// sequence after since, oldest first: the latest state of each SKU
	// changed since then.
	Changes(ctx context.Context, store string, since uint64, limit int) ([]Change, error)

	// AddRefusals adds counts to the refusal tallies kept per terminal
	// and reason (Last is the later of the stored and the added).
	AddRefusals(ctx context.Context, rs []Refusal) error
	// Refusals returns the tallies by terminal, then reason.
	Refusals(ctx context.Context) ([]Refusal, error)

	Close() error
}
