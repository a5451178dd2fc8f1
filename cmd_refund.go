package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

var refundCmd = command{
	name:    "refund",
	usage:   "RECEIPT_NO|SALE_ID [--line N:QTY]...",
	short:   i18n.N("refund a sale (all of it without --line; --void to void)"),
	summary: i18n.N("refund a sale (by receipt number or sale ID), wholly or some lines; money goes back in cash"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var lines multi
		fs.Var(&lines, "line", "refund `N:QTY` of line N (1-based); repeat; default all that is left")
		reason := fs.String("reason", "", "why, for the records")
		void := fs.Bool("void", false, "void the sale (cancel it in full) instead of a refund")
		return func(e *env, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: till refund RECEIPT_NO|SALE_ID [--line N:QTY]...", errUsage)
			}
			var want map[int]int64
			for _, l := range lines {
				n, q, ok := strings.Cut(l, ":")
				ln, err1 := strconv.Atoi(n)
				qty, err2 := strconv.ParseInt(q, 10, 64)
				if !ok || err1 != nil || err2 != nil || ln < 1 || qty < 1 {
					return e.p.Errorf("%w: --line %q: want N:QTY, e.g. 2:1", errUsage, l)
				}
				if want == nil {
					want = map[int]int64{}
				}
				want[ln-1] += qty
			}
			kind := pos.KindRefund
			if *void {
				if want != nil {
					return e.p.Errorf("%w: a void cancels the whole sale; drop --line", errUsage)
				}
				kind = pos.KindVoid
			}
			sale, err := e.store.FindSale(args[0])
			if err != nil {
				return err
			}
			r, err := e.reg.Refund(sale.ID, want, kind, *reason)
			if err != nil {
				return err
			}
			e.log.Info("refund", "id", r.ID, "sale", r.SaleID, "total", r.Total)
			fmt.Fprint(e.userOut(), receipt.Refund(r, e.shop()))
			return nil
		}
	},
}
