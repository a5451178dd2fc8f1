// Package tui is Till's counter screen: a Bubble Tea program the cashier
// drives from the keyboard (and a barcode scanner, which is a keyboard).
// It talks to the domain only through small interfaces in pos types,
// each declared beside the screen that uses it; README.md has its rules.
package tui

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/scale"
)

// Store is everything the counter reads from the terminal's database:
// the small ports each screen declares beside the code that uses it.
// Writes go through the Seller. *bolt.Store satisfies it.
type Store interface {
	Catalog
	Outbox
	SalesLog
	Receipts
	Reports
	ParkedCarts
	OpenPayments
}

// Seller is everything the counter writes: sales, refunds, parked carts
// and the Z report, each through the register. *register.Register
// satisfies it.
type Seller interface {
	Complete(c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error)
	Refunder
	WalletRefunds
	Parker
	ZTaker
	Drawer
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
	// Code charges the customer's payment code scanned at checkout; nil
	// when no online provider is set up.
	Code CodeSeller
	// Watch is the background payment check; nil when no online provider
	// is set up.
	Watch PaymentWatch
	// Scale reads scale labels (the [[scale]] formats of the config);
	// nil when none are set up.
	Scale *scale.Scanner
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
	// Lang is what the screens speak; empty means English.
	Lang i18n.Lang
	// ReceiptLang is what receipts and reports speak; empty means Lang.
	ReceiptLang i18n.ReceiptLang
	// Notice, if set, is on the message line when the counter opens.
	Notice string
	// Printer prints receipts, refunds and reports and opens the cash
	// drawer; nil when none is configured (hardware.go).
	Printer Printer
	// Display is the display facing the customer; nil when none.
	Display Display
	// Staff is the till's people: login, lock and managers' approvals;
	// nil, or a till with no staff yet, sells as before staff existed.
	Staff Staff
	// Now is the clock; nil means time.Now. Tests pin it.
	Now func() time.Time
	// Ctx bounds the commands the counter runs; nil means Background.
	Ctx context.Context
	// GCPercent, if set, is the collector's percentage (debug.SetGCPercent)
	// once the catalog is in; the load's garbage is then returned to the
	// system at once (debug.FreeOSMemory), off the screen's goroutine.
	// Zero leaves the collector as it is (tests).
	GCPercent int
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
	if d.ReceiptLang.Lang == "" {
		d.ReceiptLang.Lang = d.Lang
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
	_, err := program(ctx, deps).Run()
	return err
}

// program is the counter as Run runs it. The root is wrapped in SplitEsc:
// Esc and the next key within the terminal's escape timeout arrive as
// one alt+key, which Till reads as the two keys they were (esckeys.go).
func program(ctx context.Context, deps Deps, opts ...tea.ProgramOption) *tea.Program {
	deps.Ctx = ctx
	return tea.NewProgram(SplitEsc(New(deps)), append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)...)
}
