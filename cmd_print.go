package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/escpos"
	"github.com/tillpos/till/pos/printer"
	"github.com/tillpos/till/tui/receipt"
)

// configuredPrinter is the [printer] section of the config; --tcp,
// --device and --serial name another printer.
func configuredPrinter(e *env) printer.Config { return e.cfg.Printer }

var printCmd = command{
	name:    "print",
	usage:   "test | receipt SALE|RECEIPT_NO",
	short:   i18n.N("print a test page, or reprint a receipt (COPY)"),
	summary: i18n.N("print a test page, or reprint a receipt (marked COPY 重打) on the receipt printer"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		tcp := fs.String("tcp", "", "network printer `HOST:PORT` (instead of the config's)")
		device := fs.String("device", "", "USB printer device, e.g. /dev/usb/lp0")
		serialPort := fs.String("serial", "", "serial printer port, e.g. /dev/ttyUSB0")
		baud := fs.Int("baud", 0, "serial speed (default 9600)")
		width := fs.Int("width", 0, "paper width in mm, 58 or 80")
		profile := fs.String("profile", "", "printer profile: epson-80, epson-80-42, epson-58, zj-58, generic-80, latin-80")
		return func(e *env, args []string) error {
			c := configuredPrinter(e)
			if *tcp != "" || *device != "" || *serialPort != "" {
				c.TCP, c.Device, c.Serial = *tcp, *device, *serialPort
			}
			if *baud != 0 {
				c.Baud = *baud
			}
			if *width != 0 {
				c.Width = *width
			}
			if *profile != "" {
				c.Profile = *profile
			}
			if len(args) == 0 || (args[0] == "test") != (len(args) == 1) || (args[0] != "test" && args[0] != "receipt") {
				return fmt.Errorf("%w: till print test | till print receipt SALE_ID|RECEIPT_NO", errUsage)
			}
			if !c.Enabled() {
				return e.p.Errorf("no printer configured: set [printer] in the config, or pass --tcp, --device or --serial")
			}
			p, err := printer.New(c)
			if err != nil {
				return err
			}
			p.Log = e.log
			shop := e.store.Identity().Shop
			now := time.Now().In(e.loc)
			var doc escpos.Document
			what := e.p.T("test page")
			if args[0] == "test" {
				doc = escpos.TestPage(p.Profile(), shop, now)
			} else {
				if doc, what, err = reprintDoc(e, args[1], shop); err != nil {
					return err
				}
				doc = printer.Reprint(doc, now)
			}
			ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
			defer cancel()
			if err := p.Print(ctx, doc); err != nil {
				return e.p.Errorf("%s not printed: %w", what, err)
			}
			e.p.Fprintf(e.stdout, "printed %s on %s\n", what, p.Describe())
			return nil
		}
	},
}

// reprintDoc finds a sale or refund by ID or receipt number.
func reprintDoc(e *env, ref, shop string) (escpos.Document, string, error) {
	rs := e.shop()
	if n, err := strconv.ParseUint(ref, 10, 64); err == nil {
		// Receipt numbers are one sequence over sales and refunds; there is
		// no index by number, so this reads the history once.
		sales, err := e.store.SalesBetween(time.Time{}, time.Now().Add(24*time.Hour))
		if err != nil {
			return escpos.Document{}, "", err
		}
		for _, s := range sales {
			if s.Receipt == n {
				return printer.Receipt(s, receipt.Sale(s, rs), shop), e.p.T("receipt %06d", n), nil
			}
		}
		refunds, err := e.store.RefundsBetween(time.Time{}, time.Now().Add(24*time.Hour))
		if err != nil {
			return escpos.Document{}, "", err
		}
		for _, r := range refunds {
			if r.Receipt == n {
				return printer.Refund(r, receipt.Refund(r, rs), shop), e.p.T("refund receipt %06d", n), nil
			}
		}
		return escpos.Document{}, "", e.p.Errorf("no receipt number %d on this till", n)
	}
	s, err := e.store.Sale(ref)
	if err == nil {
		return printer.Receipt(s, receipt.Sale(s, rs), shop), e.p.T("receipt %06d", s.Receipt), nil
	}
	if !errors.Is(err, pos.ErrNotFound) {
		return escpos.Document{}, "", err
	}
	if at, terr := pos.SaleTime(ref); terr == nil {
		refunds, rerr := e.store.RefundsBetween(at.Add(-time.Millisecond), at.Add(time.Millisecond))
		if rerr != nil {
			return escpos.Document{}, "", rerr
		}
		for _, r := range refunds {
			if r.ID == ref {
				return printer.Refund(r, receipt.Refund(r, rs), shop), e.p.T("refund receipt %06d", r.Receipt), nil
			}
		}
	}
	return escpos.Document{}, "", e.p.Errorf("no sale or refund %q on this till", ref)
}
