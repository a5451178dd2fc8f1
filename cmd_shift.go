package main

import (
	"flag"
	"fmt"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

var shiftCmd = command{
	name:    "shift",
	usage:   "open --float AMT",
	short:   i18n.N("open the drawer with a counted float"),
	summary: i18n.N("open the shift with the float counted into the drawer"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		float := fs.String("float", "", "cash counted into the drawer, e.g. 200.00")
		return func(e *env, args []string) error {
			if len(args) != 1 || args[0] != "open" || *float == "" {
				return fmt.Errorf("%w: till shift open --float AMOUNT", errUsage)
			}
			m, err := pos.ParseAmount(*float, e.cfg.currency)
			if err != nil {
				return e.p.Errorf("--float: %w", err)
			}
			if _, err := e.reg.OpenShift(m); err != nil {
				return err
			}
			e.p.Fprintf(e.stdout, "shift open with a float of %s\n", receipt.Money(m, e.cfg.currency))
			return nil
		}
	},
}
