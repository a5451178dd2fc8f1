package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/tui"
)

// runCounter opens the counter screen.
func runCounter(e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected %q (see till --help)", errUsage, args[0])
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if e.demoLoad > 0 {
		e.log.Info("new database with the demo shop", "goods", e.demoLoad)
	}
	err := tui.Run(ctx, tui.Deps{
		Store: e.store, Seller: e.reg, Shop: e.store.Identity().Shop, Currency: e.cfg.currency,
		TaxIncluded: e.cfg.taxIncluded, Loc: e.loc, Log: e.log, QR: e.reg, QRDemo: e.cfg.qr.Demo,
		QROffline: e.cfg.qr.Merchant.GUID != "",
	})
	if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
