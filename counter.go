package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"sync"

	"github.com/tillpos/till/i18n"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos/display"
	"github.com/tillpos/till/pos/escpos"
	"github.com/tillpos/till/pos/printer"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/tui"
)

// counterCmd is till with no command name: the counter screen. It takes
// payments, so it is the command the payment clients are built for.
var counterCmd = command{
	usage:   "[--db FILE] [--config FILE]",
	short:   i18n.N("open the counter screen"),
	summary: i18n.N("open the counter screen"),
	pays:    true,
	flags:   func(*flag.FlagSet) func(*env, []string) error { return runCounter },
}

// counterGCPercent is the counter's collector percentage once the catalog
// is in, unless GOGC says otherwise. Go's default, 100, lets the heap
// grow to twice what is live before it collects: with 100,000 goods
// (about 50 MB live) 2,000 searches took the counter from 69 to 120 MB
// resident, at 50 to 96-97 MB (BenchmarkMemory100kGoods in ./tui,
// rss-used-MB).
// A counter makes little garbage, so collecting twice as often costs
// little; the catalog load itself runs at the default.
const counterGCPercent = 50

// runCounter opens the counter screen.
func runCounter(e *env, args []string) error {
	if len(args) > 0 {
		return e.p.Errorf("%w: unexpected %q (see till --help)", errUsage, args[0])
	}
	if e.demoLoad > 0 {
		e.log.Info("new database with the demo shop", "goods", e.demoLoad)
	}
	deps := tui.Deps{
		Store: e.store, Seller: e.reg, Shop: e.store.Identity().Shop, Currency: e.cfg.currency,
		TaxIncluded: e.cfg.taxIncluded, Loc: e.loc, Log: e.log, QR: e.reg, QRDemo: e.cfg.qr.Demo,
		QROffline: e.cfg.qr.Merchant.GUID != "", Staff: e.reg, Scale: e.cfg.scales, Lang: e.cfg.lang, ReceiptLang: e.cfg.receiptLang,
	}
	if os.Getenv("GOGC") == "" {
		deps.GCPercent = counterGCPercent
	}
	if e.cfg.Printer.Enabled() {
		// Checked at start-up already; opened only to print.
		if p, err := printer.New(e.cfg.Printer); err != nil {
			fmt.Fprintf(e.stderr, "till: no receipts will print: %v\n", err)
			e.log.Error("printer not usable", "err", err)
		} else {
			p.Log = e.log
			deps.Printer = &oneJob{p: p}
			e.log.Info("printer", "printer", p.Describe())
		}
	}
	// The customer display: a socket beside the database. A display that
	// cannot start is only logged; the counter sells without it.
	pub, err := display.Start(e.ctx, e.dbPath, e.cfg.Display, e.log)
	if err != nil {
		e.log.Warn("customer display not started", "err", err)
	}
	if pub != nil {
		defer pub.Close()
		deps.Display = pub
	}
	defer e.serveBackups()() // till backup while the counter runs
	if q := e.reg.QR; q != nil && (q.Online != nil || len(q.Wallets) > 0) {
		deps.Code, deps.Watch = e.reg, paymentWatch{e.reg}
	}
	onBareConsole(e, &deps, os.Getenv)
	deps.Seller = e.backupAfterZ(deps.Seller) // a backup into backup_dir after each Z
	if e.cfg.HQ.URL != "" {
		sc, err := e.syncConfig()
		if err != nil {
			return err
		}
		deps.SyncEvery = e.cfg.HQ.syncEvery
		deps.Sync = func(ctx context.Context, progress func(done, total int)) (tui.SyncResult, error) {
			c := sc
			c.Progress = progress
			c.Attempts = 3 // the cashier is waiting: say "later" soon
			res, err := client.Sync(e.ctx, e.store, c)
			return tui.SyncResult{Pushed: res.Pushed, Rejected: res.Rejected, Pulled: res.Pulled}, err
		}
	}
	err = tui.Run(e.ctx, deps)
	if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// oneJob sends the counter's print jobs and drawer kicks to the printer
// one at a time: a receipt printed again while the first is still going
// waits for it instead of opening a second connection, which a network
// printer may refuse or interleave.
type oneJob struct {
	mu sync.Mutex
	p  *printer.Printer
}

func (o *oneJob) Print(ctx context.Context, doc escpos.Document) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.p.Print(ctx, doc)
}

func (o *oneJob) Kick(ctx context.Context, why printer.Reason, who string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.p.Kick(ctx, why, who)
}

// paymentWatch gives the counter the register's background payment check
// in pos types.
type paymentWatch struct{ *register.Register }

func (w paymentWatch) CheckPayments(ctx context.Context) (tui.PaymentCheck, error) {
	c, err := w.Register.CheckPayments(ctx)
	return tui.PaymentCheck{LatePaid: c.LatePaid, Unresolved: c.Unresolved, Refunds: c.Refunds, Clock: c.Clock, Errors: c.Errors}, err
}

// onBareConsole turns the counter to English on the Linux console, whose
// font has no Chinese: the screen would be blanks. It says so in English
// on standard error (seen as the counter opens and after it closes) and
// on the message line, with how to run Till in Chinese; receipts keep
// their language.
func onBareConsole(e *env, deps *tui.Deps, getenv func(string) string) {
	if deps.Lang == i18n.English || !i18n.BareConsole(getenv) {
		return
	}
	fmt.Fprint(e.stderr, i18n.BareConsoleNotice)
	e.log.Warn("bare Linux console: the counter speaks English", "language", deps.Lang)
	deps.Lang, deps.Notice = i18n.English, i18n.BareConsoleLine
}
