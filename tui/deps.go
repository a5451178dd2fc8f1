// Package tui is Till's counter screen: a Bubble Tea program the cashier
// drives from the keyboard (and a barcode scanner, which is a keyboard).
// It talks to the domain only through the small interfaces declared here.
package tui

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// Store is what the counter reads and writes in the terminal's database.
// *bolt.Store satisfies it.
type Store interface {
	Products() ([]pos.Product, error)
	Lookup(code string) (pos.Product, error)
	Park(p pos.Parked) error
	ParkedCarts() ([]pos.Parked, error)
	Unpark(id string) (pos.Parked, error)
	SalesBetween(from, to time.Time) ([]pos.Sale, error)
	Sale(id string) (pos.Sale, error)
	Refunded(saleID string) (map[int]int64, error)
	XReport(now time.Time, loc *time.Location) (pos.Report, error)
	TakeZ(now time.Time, loc *time.Location, counted *pos.Money) (pos.Report, error)
	OutboxCounts() (sales, total int, err error)
	OpenPayments() ([]pos.Payment, error)
	SyncStatus() (pos.SyncStatus, error)
}

// Seller commits sales and refunds. *register.Register satisfies it.
type Seller interface {
	NewID() (string, error)
	Complete(c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error)
	CompleteAs(id string, c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error)
	Refund(saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, error)
}

// Deps is everything the counter needs from its caller.
type Deps struct {
	Store       Store
	Seller      Seller
	Shop        string
	Currency    pos.Currency
	TaxIncluded bool
	Loc         *time.Location
	// Log receives error details; it must write to a file, never the screen.
	Log *slog.Logger
	// QR takes QR payments; nil when the shop has none set up.
	QR QRSeller
	// QRDemo says the QR account is a made-up demo one.
	QRDemo bool
	// Sync sends sales to head office; nil when it is not set up.
	Sync SyncFunc
	// SyncEvery, if set, syncs in the background that often.
	SyncEvery time.Duration
	// QROffline says an offline EMV QR can stand in when the online
	// provider cannot be reached.
	QROffline bool
	// ReceiptDir is where saved receipts go. Empty means a receipts
	// directory beside the database file (when the store has a Path) or
	// ./receipts.
	ReceiptDir string
	// Now is the clock; nil means time.Now. Tests pin it.
	Now func() time.Time
	// Ctx bounds the commands the counter runs; nil means Background.
	Ctx context.Context
}

func (d *Deps) fill() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Loc == nil {
		d.Loc = time.Local
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Ctx == nil {
		d.Ctx = context.Background()
	}
	if d.ReceiptDir == "" {
		d.ReceiptDir = "receipts"
		if p, ok := d.Store.(interface{ Path() string }); ok && p.Path() != "" {
			d.ReceiptDir = filepath.Join(filepath.Dir(p.Path()), "receipts")
		}
	}
}

// Run shows the counter until the cashier quits or ctx ends.
func Run(ctx context.Context, deps Deps) error {
	deps.Ctx = ctx
	m := New(deps)
	_, err := tea.NewProgram(&m, tea.WithContext(ctx)).Run()
	return err
}
