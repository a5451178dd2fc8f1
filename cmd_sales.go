package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

var salesCmd = command{
	name:    "sales",
	usage:   "[--date D]",
	short:   "list a day's sales (default today)",
	summary: "list the sales of a day",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		date := fs.String("date", "", "day as YYYY-MM-DD (default today)")
		return func(e *env, args []string) error {
			if len(args) != 0 {
				return fmt.Errorf("%w: till sales [--date YYYY-MM-DD]", errUsage)
			}
			from, to, err := dayRange(*date, "", e.loc)
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
				fmt.Fprintf(out, "%06d  %s  %s  %9s  %12s\n", s.Receipt, s.At.In(e.loc).Format("15:04:05"),
					s.ID, count(itemCount(s), "item"), receipt.Amount(s.Due, cur))
			}
			fmt.Fprintf(e.stdout, "%d sale(s) on %s\n", len(sales), from.Format(time.DateOnly))
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

// count says "1 item", "3 items".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
