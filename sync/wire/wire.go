// Package wire is the protocol between a Till terminal and head office:
// the JSON bodies of the versioned HTTP endpoints, shared by the client
// (sync/client) and the server (sync/hq).
//
// # Layout of sync/
//
// The design puts terminal-to-head-office code under sync/. A package named
// sync would shadow the standard library's, so no package there is called
// sync: the folder holds only sub-packages, each named for what it is.
//
//	sync/wire             this package: endpoint paths and message types
//	sync/client           the terminal side: push the outbox, pull the catalog
//	sync/hq               the head-office server, enrolment, catalog import, reports
//	sync/hq/storage       the head-office storage interface and its types
//	sync/hq/boltstore     storage in one bbolt file (the default, no set-up)
//	sync/hq/pgstore       storage in PostgreSQL, for chains
//	sync/hq/storage/storagetest  the conformance suite both storages pass
//
// # Endpoints (all JSON, all but /healthz need a terminal's credential)
//
//	POST /v1/push      PushRequest -> PushResponse
//	GET  /v1/catalog   ?since=N&limit=M -> CatalogResponse
//	GET  /v1/whoami    -> WhoAmI
//	GET  /healthz      -> "ok" (no credential)
//
// A terminal authenticates with "Authorization: Bearer TERMINAL.SECRET",
// the token printed once when head office enrolled it. Errors come back as
// an Error body with the HTTP status: 400 malformed request, 401 missing,
// wrong or revoked credential, 403 a request for another terminal, 413 a
// body over MaxBody, 5xx head office trouble (the terminal retries).
//
// Money in every body is an integer count of minor units, as in package
// pos; there are no floating-point numbers anywhere in the protocol.
package wire

import (
	"encoding/json"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

// Endpoint paths.
const (
	PathPush    = "/v1/push"
	PathCatalog = "/v1/catalog"
	PathWhoAmI  = "/v1/whoami"
	PathHealth  = "/healthz"
)

// Limits both sides agree on.
const (
	// MaxBody is the largest request body head office reads; a larger
	// one is answered 413 and nothing of it is stored.
	MaxBody = 8 << 20
	// MaxRecords is the most records one push may carry.
	MaxRecords = 1000
	// MaxCatalogPage is the most catalog changes one pull returns.
	MaxCatalogPage = 5000
)

// PushRequest carries outbox records of one terminal, in outbox order.
// Currency is the terminal's ISO 4217 code: refunds and Z reports are in
// it, and a sale in another currency is refused.
type PushRequest struct {
	Terminal string   `json:"terminal"`
	Currency string   `json:"currency"`
	Records  []Record `json:"records"`
	// Chain is the terminal's journal head, see ChainProof.
	Chain *ChainProof `json:"chain,omitempty"`
}

// Record is one outbox entry: Seq is the terminal's outbox sequence, Kind
// one of pos.RecordSale, RecordRefund, RecordZReport or RecordDrawer, ID
// the record's globally unique ID, Body the sale, refund, Z report or
// drawer event (pos.DrawerEvent: float, pay-in, pay-out, no-sale) as the
// terminal stored it.
type Record struct {
	Seq  uint64          `json:"seq"`
	Kind string          `json:"kind"`
	ID   string          `json:"id"`
	Body json.RawMessage `json:"body"`
}

// PushResponse answers for every record of a push: Acked lists the
// sequences head office holds (stored now or before); Rejected the ones
// it will never accept, with why. The terminal removes the first from its
// outbox and sets the second aside.
type PushResponse struct {
	Acked    []uint64    `json:"acked"`
	Rejected []Rejection `json:"rejected"`
	// ChainSeq is the journal sequence head office now holds for the
	// terminal: the push's ChainProof.Head, once accepted.
	ChainSeq uint64 `json:"chain_seq,omitempty"`
}

// Rejection is a record head office refused for good.
type Rejection struct {
	Seq    uint64 `json:"seq"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// CatalogResponse is a page of a store's catalog changes after the
// terminal's cursor, oldest first. Cursor is the sequence to ask from
// next; More says another page is waiting.
type CatalogResponse struct {
	Store   string   `json:"store"`
	Changes []Change `json:"changes"`
	Cursor  uint64   `json:"cursor"`
	More    bool     `json:"more"`
}

// Change is the latest state of one SKU: the product, or Deleted.
type Change struct {
	Seq     uint64       `json:"seq"`
	SKU     string       `json:"sku"`
	Product *pos.Product `json:"product,omitempty"`
	Deleted bool         `json:"deleted,omitempty"`
	// Staff, instead of SKU and Product, is a staff member's latest state
	// (PIN hash, never the PIN), under the same change sequence.
	Staff *staff.Member `json:"staff,omitempty"`
}

// WhoAmI tells a terminal what head office knows it as.
type WhoAmI struct {
	Terminal string `json:"terminal"`
	Store    string `json:"store"`
}

// Error is the body of every error response.
type Error struct {
	Error string `json:"error"`
}
