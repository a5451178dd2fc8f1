package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

var sellCmd = command{
	name:    "sell",
	usage:   "--item CODE[:QTY]... [--cash AMT] [--id KEY]",
	short:   "record a cash sale and print its receipt",
	summary: "record a cash sale without the screen, through the same path as the counter, and print its receipt",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var items multi
		fs.Var(&items, "item", "goods as `BARCODE_OR_SKU[:QTY]`; repeat for more lines")
		cash := fs.String("cash", "", "cash given, e.g. 50.00 (default: exact amount)")
		discount := fs.String("discount", "", "cart discount, `AMOUNT or PERCENT%`")
		return func(e *env, args []string) error {
			if len(args) > 0 || len(items) == 0 {
				return fmt.Errorf("%w: till sell --item CODE[:QTY]... [--cash AMOUNT]", errUsage)
			}
			var cart pos.Cart
			for _, it := range items {
				code, qtyText, hasQty := strings.Cut(it, ":")
				qty := int64(1)
				if hasQty {
					q, err := strconv.ParseInt(qtyText, 10, 64)
					if err != nil || q < 1 || q > pos.MaxQty {
						return fmt.Errorf("item %q: quantity must be a whole number from 1 to %d", it, pos.MaxQty)
					}
					qty = q
				}
				p, err := e.store.Lookup(code)
				if err != nil {
					if bad := pos.ValidateBarcode(code); bad != nil {
						return fmt.Errorf("item %q: %w", code, bad)
					}
					return fmt.Errorf("item %q: unknown barcode or SKU", code)
				}
				if _, err := cart.Add(p, qty); err != nil {
					return fmt.Errorf("item %q: %w", it, err)
				}
			}
			if *discount != "" {
				d, err := pos.ParseDiscount(*discount, e.cfg.currency.Exponent)
				if err != nil {
					return fmt.Errorf("--discount: %w", err)
				}
				cart.Discount = d
			}
			t, err := pos.Price(cart, e.cfg.taxIncluded)
			if err != nil {
				return err
			}
			given := pos.RoundCash(t.Total, e.cfg.currency.CashStep)
			if *cash != "" {
				if given, err = pos.ParseMoney(*cash, e.cfg.currency.Exponent); err != nil {
					return fmt.Errorf("--cash: %w", err)
				}
			}
			s, err := e.reg.Complete(cart, e.reg.Now(), []pos.Tender{{Kind: pos.Cash, Given: given}})
			if err != nil {
				return err
			}
			e.log.Info("sale", "id", s.ID, "receipt", s.Receipt, "total", s.Total)
			fmt.Fprint(e.stdout, receipt.Sale(s, e.shop()))
			return nil
		}
	},
}
