package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

var reportCmd = command{
	name:    "report",
	usage:   "x|z [--counted AMT]",
	short:   i18n.N("X report, or take the Z report that closes the day"),
	summary: i18n.N("print the X report (day so far), or take the Z report that closes the day"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		counted := fs.String("counted", "", "cash counted in the drawer, for the Z report's difference")
		return func(e *env, args []string) error {
			if len(args) != 1 || (args[0] != "x" && args[0] != "z") {
				return fmt.Errorf("%w: till report x|z", errUsage)
			}
			var cnt *pos.Money
			if *counted != "" {
				m, err := pos.ParseAmount(*counted, e.cfg.currency)
				if err != nil {
					return e.p.Errorf("--counted: %w", err)
				}
				cnt = &m
			}
			var r pos.Report
			var err error
			if args[0] == "x" {
				if cnt != nil {
					return e.p.Errorf("%w: --counted is for the Z report", errUsage)
				}
				r, err = e.store.XReport(time.Now(), e.loc)
			} else {
				r, err = e.store.TakeZ(time.Now(), e.loc, cnt)
				if err == nil {
					e.log.Info("z report", "number", r.Number, "net", r.Net)
					if berr := e.closeOfDayBackup(); berr != nil {
						fmt.Fprintln(e.stderr, "till: the Z report is taken, but the backup failed:", berr)
					}
				}
			}
			if err != nil {
				return err
			}
			fmt.Fprint(e.userOut(), receipt.Report(r, e.shop()))
			return nil
		}
	},
}
