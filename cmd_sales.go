package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

var salesCmd = command{
	name:    "sales",
	usage:   "[--date D]",
	short:   i18n.N("list a day's sales (default today)"),
	summary: i18n.N("list the sales of a day"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		date := fs.String("date", "", "day as YYYY-MM-DD (default today)")
		return func(e *env, args []string) error {
			if len(args) != 0 {
				return fmt.Errorf("%w: till sales [--date YYYY-MM-DD]", errUsage)
			}
			from, to, err := dayRange(e.p, *date, "", e.loc)
			if err != nil {
				return err
			}
			sales, err := e.store.SalesBetween(from, to)
			if err != nil {
				return err
			}
			cur := e.cfg.currency
			out := e.userOut()
			for _, s := range sales {
				items := e.p.Plural(itemCount(s), "1 item", "%d items")
				fmt.Fprintf(out, "%06d  %s  %s  %s  %12s\n", s.Receipt, s.At.In(e.loc).Format("15:04:05"),
					s.ID, strings.Repeat(" ", max(0, 9-ansi.StringWidth(items)))+items, receipt.Amount(s.Due, cur))
			}
			e.p.Fprintf(e.stdout, "%d sale(s) on %s\n", len(sales), from.Format(time.DateOnly))
			return nil
		}
	},
}

// itemCount is how many goods a sale has: 3 for two cans and a loaf,
// whatever the number of lines.
func itemCount(s pos.Sale) int {
	n := 0
	for _, l := range s.Lines {
		n += int(l.Qty)
	}
	return n
}
