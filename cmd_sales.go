package main

import (
	"flag"
	"fmt"
	"time"

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
			for _, s := range sales {
				fmt.Fprintf(e.stdout, "%06d  %s  %s  %3d item(s)  %12s\n", s.Receipt, s.At.In(e.loc).Format("15:04:05"),
					s.ID, len(s.Lines), receipt.Amount(s.Due, cur))
			}
			fmt.Fprintf(e.stdout, "%d sale(s) on %s\n", len(sales), from.Format(time.DateOnly))
			return nil
		}
	},
}
