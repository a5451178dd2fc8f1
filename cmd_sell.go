package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/printer"
	"github.com/tillpos/till/tui/receipt"
)

var sellCmd = command{
	name:    "sell",
	usage:   "--item CODE[:QTY]... [--cash AMT] [--id KEY]",
	short:   i18n.N("record a cash sale and print its receipt"),
	summary: i18n.N("record a cash sale without the screen, through the same path as the counter, and print its receipt"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var items multi
		fs.Var(&items, "item", "goods as `BARCODE_OR_SKU[:QTY]`; repeat for more lines")
		cash := fs.String("cash", "", "cash given, e.g. 50.00 (default: exact amount)")
		discount := fs.String("discount", "", "cart discount, `AMOUNT or PERCENT%`")
		key := fs.String("id", "", "a `key` of your choosing stored with the sale: a retry with the same key prints the stored receipt and sells nothing")
		noPrint := fs.Bool("no-print", false, "with a [printer] configured: do not print the receipt or open the drawer")
		return func(e *env, args []string) error {
			if len(args) > 0 || len(items) == 0 {
				return fmt.Errorf("%w: till sell --item CODE[:QTY]... [--cash AMOUNT] [--id KEY]", errUsage)
			}
			// Every line is looked up and its quantity read in the goods'
			// unit (3 pieces, or 1.25 kg) before anything is sold, so that
			// the request a --id is checked against is the normalised one.
			var cart pos.Cart
			req := make([]string, 0, len(items)+2)
			for _, it := range items {
				code, qtyText, hasQty := strings.Cut(it, ":")
				p, err := e.store.Lookup(code)
				if err != nil {
					if errors.Is(err, bolt.ErrCorrupt) { // a damaged record is named, not called unknown
						return e.p.Errorf("item %q: %w", code, err)
					}
					if bad := pos.ValidateBarcode(code); bad != nil {
						return e.p.Errorf("item %q: %w", code, bad)
					}
					return e.p.Errorf("item %q: unknown barcode or SKU", code)
				}
				qty := int64(1)
				switch {
				case hasQty:
					q, err := pos.ParseQty(qtyText, p.Unit)
					if err == nil {
						err = p.Unit.CheckQty(q)
					}
					if err != nil && !p.Unit.Measured() {
						return e.p.Errorf("item %q: quantity must be a whole number from 1 to %d", it, pos.MaxQty)
					}
					if err != nil {
						return e.p.Errorf("item %q: %w", it, err)
					}
					qty = q
				case p.Unit.Measured():
					return e.p.Errorf("item %q: %s is sold by the %s: give the weight, e.g. %s:1.25", it, p.Name, p.Unit.Symbol(), code)
				}
				if _, err := cart.Add(p, qty); err != nil {
					return e.p.Errorf("item %q: %w", it, err)
				}
				req = append(req, fmt.Sprintf("--item %s:%d", code, qty))
			}
			if *discount != "" {
				req = append(req, "--discount "+*discount)
			}
			if *cash != "" {
				req = append(req, "--cash "+*cash)
			}
			request := strings.Join(req, " ")
			keyed := false
			fs.Visit(func(f *flag.Flag) { keyed = keyed || f.Name == "id" })
			if keyed {
				// An empty --id (an unset variable in a script) must not
				// quietly sell without the protection it asked for.
				if err := checkSaleKey(e, *key); err != nil {
					return err
				}
				if done, err := soldBefore(e, *key, request, !*noPrint); done || err != nil {
					return err
				}
			}
			if *discount != "" {
				d, err := pos.ParseDiscount(*discount, e.cfg.currency.Exponent)
				if err != nil {
					return e.p.Errorf("--discount: %w", err)
				}
				cart.Discount = d
			}
			t, err := pos.Price(cart, e.cfg.taxIncluded)
			if err != nil {
				return err
			}
			given := pos.RoundCash(t.Total, e.cfg.currency.CashStep)
			if *cash != "" {
				if given, err = pos.ParseAmount(*cash, e.cfg.currency); err != nil {
					return e.p.Errorf("--cash: %w", err)
				}
			}
			tenders := []pos.Tender{{Kind: pos.Cash, Given: given}}
			var s pos.Sale
			if !keyed {
				s, err = e.reg.Complete(cart, e.reg.Now(), tenders)
			} else {
				s, err = e.reg.CompleteKeyed(*key, request, cart, e.reg.Now(), tenders)
			}
			if se := (*pos.ShortError)(nil); errors.As(err, &se) {
				return e.p.Errorf("%w: %s given, %s short", pos.ErrUnderpaid, receipt.Money(given, e.cfg.currency), receipt.Money(se.Short, e.cfg.currency))
			}
			if err != nil {
				return err
			}
			e.log.Info("sale", "id", s.ID, "receipt", s.Receipt, "total", s.Total, "key", *key)
			text := receipt.Sale(s, e.shop())
			fmt.Fprint(e.userOut(), text)
			if !*noPrint {
				printSale(e, s, text, false)
			}
			return nil
		}
	},
}

// checkSaleKey accepts 1 to 128 bytes of printable text.
func checkSaleKey(e *env, key string) error {
	if key == "" || len(key) > 128 || !utf8.ValidString(key) {
		return e.p.Errorf("%w: --id: want 1 to 128 bytes of printable text", errUsage)
	}
	for _, r := range key {
		if !unicode.IsPrint(r) {
			return e.p.Errorf("%w: --id %q: want printable text, without %U", errUsage, key, r)
		}
	}
	return nil
}

// soldBefore handles a retry: when key already made a sale with the same
// request, it prints that sale's stored receipt and reports done; with
// another request it refuses. Nothing is sold either way.
func soldBefore(e *env, key, request string, print bool) (bool, error) {
	k, err := e.store.SaleByKey(key)
	if errors.Is(err, pos.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if k.Request != request {
		return false, e.p.Errorf("--id %q was used for sale %s with another cart or payment (%s); nothing sold", key, k.SaleID, k.Request)
	}
	s, err := e.store.Sale(k.SaleID)
	if err != nil {
		return false, err
	}
	if r, err := e.store.ByReceipt(s.Receipt); err == nil && r.Sale != nil {
		s.Journal = r.Sale.Journal // the receipt prints its journal entry as the first time
	}
	e.p.Fprintf(e.stderr, "till: --id %q: already sold as receipt %06d; printing it again, nothing sold\n", key, s.Receipt)
	e.log.Info("sale retried", "id", s.ID, "receipt", s.Receipt, "key", key)
	text := receipt.Sale(s, e.shop())
	fmt.Fprint(e.userOut(), text)
	if print {
		printSale(e, s, text, true)
	}
	return true, nil
}

// printSale prints a stored sale's receipt on the configured printer and,
// for a cash sale, opens the drawer; a reprint (a retried --id) is marked
// COPY and opens nothing. The sale is stored already: a printer that is
// off or out of paper is reported on standard error, never as a failed
// sale, since a retry would sell again.
func printSale(e *env, s pos.Sale, text string, reprint bool) {
	if !e.cfg.Printer.Enabled() {
		return
	}
	p, err := printer.New(e.cfg.Printer)
	if err == nil {
		p.Log = e.log
		doc := printer.Receipt(s, text, e.store.Identity().Shop)
		if reprint {
			doc = printer.Reprint(doc, time.Now())
		}
		err = p.Print(e.ctx, doc)
	}
	if err != nil {
		e.log.Warn("receipt not printed", "sale", s.ID, "err", err)
		e.p.Fprintf(e.stderr, "till: sale stored as receipt %06d, but the receipt did not print: %s; reprint it with: till print receipt %d\n",
			s.Receipt, printer.ProblemOf(err), s.Receipt)
	}
}
