package pos

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/tillpos/till/pos/staff"
)

// ErrNotFound says a sale, product, parked cart or outbox entry asked for
// by its ID or code does not exist. Stores wrap it; callers test it with
// errors.Is.
var ErrNotFound = errors.New("not found")

// Kinds of record a terminal sends to head office, in its outbox and on
// the wire alike.
const (
	RecordSale    = "sale"
	RecordRefund  = "refund"
	RecordZReport = "zreport"
	RecordDrawer  = "drawer" // a DrawerEvent: float, pay-in, pay-out, no-sale
)

// OutboxEntry is one record waiting for head office, in the order it was
// committed. Body is the record's JSON.
type OutboxEntry struct {
	Seq  uint64          `json:"seq"`
	Kind string          `json:"kind"` // RecordSale, RecordRefund, RecordZReport, RecordDrawer
	ID   string          `json:"id"`
	Body json.RawMessage `json:"body,omitempty"`
}

// CatalogChange is the latest state of one SKU as head office sends it:
// Product nil means the goods were deleted. Seq is head office's change
// sequence for the terminal's store.
type CatalogChange struct {
	Seq     uint64
	SKU     string
	Product *Product
	// Staff, when set, makes this a staff change instead (SKU empty): the
	// member as head office keeps it, PIN hash and all. Staff travel with
	// the catalog under the same cursor.
	Staff *staff.Member
}

// CatalogApplied counts what applying catalog changes did. Skipped changes
// were applied before (at or below the cursor) or are superseded by a
// later change of the same SKU in the page.
type CatalogApplied struct {
	Put, Deleted, Skipped int
	Staff                 int // staff members pulled
	Cursor                uint64
}

// SyncStatus is what the counter shows about head office.
type SyncStatus struct {
	LastSync      time.Time // last sync that pushed everything and pulled the catalog
	LastError     string    // why the last sync did not finish, "" if it did
	Unsynced      int       // outbox entries waiting: sales, refunds and Z reports
	Waiting       OutboxCount
	SetAside      int // entries head office refused
	CatalogCursor uint64
}

// OutboxCount is what waits for head office, by kind of record. The
// counter's "unsynced" figure is Total: a refund or a Z report not yet
// sent is as unsynced as a sale.
type OutboxCount struct {
	Sales, Refunds, ZReports int
	Other                    int // kinds this version does not know
	Drawer                   int // drawer events: float, pay-in, pay-out, no-sale
}

// Total is every record waiting.
func (c OutboxCount) Total() int { return c.Sales + c.Refunds + c.ZReports + c.Drawer + c.Other }

// Parked is a cart put aside, say for a customer who forgot their wallet.
// It survives a restart.
type Parked struct {
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
	Cart Cart      `json:"cart"`
}

// Identity is a terminal's identity, fixed when its database is created.
// Currency is fixed too: amounts in the file are in its minor unit.
type Identity struct {
	Terminal string    `json:"terminal"`
	Shop     string    `json:"shop"`
	Currency string    `json:"currency"`
	Exponent int       `json:"exponent"`
	Created  time.Time `json:"created"`
}
