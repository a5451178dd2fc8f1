package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// multi collects a repeated flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

var sellCmd = command{
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
				p, err := e.store.Lookup(code)
				if err != nil {
					if bad := pos.ValidateBarcode(code); bad != nil {
						return fmt.Errorf("item %q: %w", code, bad)
					}
					return fmt.Errorf("item %q: unknown barcode or SKU", code)
				}
				// A quantity in the goods' unit: 3 pieces, or 1.25 kg.
				qty := int64(1)
				switch {
				case hasQty:
					q, err := pos.ParseQty(qtyText, p.Unit)
					if err == nil {
						err = p.Unit.CheckQty(q)
					}
					if err != nil && !p.Unit.Measured() {
						return fmt.Errorf("item %q: quantity must be a whole number from 1 to %d", it, pos.MaxQty)
					}
					if err != nil {
						return fmt.Errorf("item %q: %w", it, err)
					}
					qty = q
				case p.Unit.Measured():
					return fmt.Errorf("item %q: %s is sold by the %s: give the weight, e.g. %s:1.25", it, p.Name, p.Unit.Symbol(), code)
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

var refundCmd = command{
	summary: "refund a sale, wholly or some lines; money goes back in cash",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var lines multi
		fs.Var(&lines, "line", "refund `N:QTY` of line N (1-based); repeat; default all that is left")
		reason := fs.String("reason", "", "why, for the records")
		void := fs.Bool("void", false, "void the sale (cancel it in full) instead of a refund")
		return func(e *env, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: till refund SALE_ID [--line N:QTY]...", errUsage)
			}
			var want map[int]int64
			for _, l := range lines {
				n, q, ok := strings.Cut(l, ":")
				ln, err1 := strconv.Atoi(n)
				qty, err2 := strconv.ParseInt(q, 10, 64)
				if !ok || err1 != nil || err2 != nil || ln < 1 || qty < 1 {
					return fmt.Errorf("%w: --line %q: want N:QTY, e.g. 2:1", errUsage, l)
				}
				if want == nil {
					want = map[int]int64{}
				}
				want[ln-1] += qty
			}
			kind := pos.KindRefund
			if *void {
				if want != nil {
					return fmt.Errorf("%w: a void cancels the whole sale; drop --line", errUsage)
				}
				kind = pos.KindVoid
			}
			r, err := e.reg.Refund(args[0], want, kind, *reason)
			if err != nil {
				return err
			}
			e.log.Info("refund", "id", r.ID, "sale", r.SaleID, "total", r.Total)
			fmt.Fprint(e.stdout, receipt.Refund(r, e.shop()))
			return nil
		}
	},
}
