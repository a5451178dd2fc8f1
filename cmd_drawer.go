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

const drawerUsage = "till drawer payin AMOUNT --reason R | payout AMOUNT --reason R | nosale --reason R | list"

// drawerCmd records the drawer opened outside a sale, through the same
// register calls the counter screen makes: each is stored with the time,
// the cashier and the reason, counted in the X and Z reports and sent to
// head office.
var drawerCmd = command{
	name:  "drawer",
	usage: "payin|payout AMT --reason R | nosale --reason R | list",
	short: i18n.N("cash in or out that is not a sale, or open the drawer with no sale (logged)"),
	summary: i18n.N("put cash in, take cash out or open the drawer with no sale, with a reason\n\n" +
		"  till drawer payin AMOUNT --reason R    cash put in that is not a sale (change from the bank)\n" +
		"  till drawer payout AMOUNT --reason R   cash taken out that is not a refund (a delivery paid)\n" +
		"  till drawer nosale --reason R          open the drawer without a sale\n" +
		"  till drawer list                       the drawer events since the last Z report"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		reason := fs.String("reason", "", "why the drawer is opened (needed)")
		return func(e *env, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("%w: %s", errUsage, drawerUsage)
			}
			cur := e.cfg.currency
			var ev pos.DrawerEvent
			var err error
			switch args[0] {
			case "payin", "payout":
				if len(args) != 2 {
					return fmt.Errorf("%w: till drawer %s AMOUNT --reason R", errUsage, args[0])
				}
				m, perr := e.reg.ParseAmount(args[1])
				if perr != nil {
					return e.p.Errorf("amount: %w", perr)
				}
				if args[0] == "payin" {
					ev, err = e.reg.PayIn(m, *reason)
				} else {
					ev, err = e.reg.PayOut(m, *reason)
				}
			case "nosale":
				if len(args) != 1 {
					return fmt.Errorf("%w: till drawer nosale --reason R", errUsage)
				}
				ev, err = e.reg.NoSale(*reason)
			case "list":
				if len(args) != 1 || *reason != "" {
					return fmt.Errorf("%w: till drawer list", errUsage)
				}
				return drawerList(e)
			default:
				return fmt.Errorf("%w: %s", errUsage, drawerUsage)
			}
			if err != nil {
				return err
			}
			e.log.Info("drawer", "kind", ev.Kind, "id", ev.ID, "amount", ev.Amount, "cashier", ev.Cashier)
			fmt.Fprintf(e.stdout, "%s  %s\n", drawerLine(e.p, ev, cur, e.loc), ev.ID)
			return nil
		}
	},
}

// drawerWords names a drawer event's kind for people.
func drawerWords(p *i18n.Printer, k pos.DrawerKind) string {
	switch k {
	case pos.DrawerFloat:
		return p.T("float")
	case pos.DrawerPayIn:
		return p.T("paid in")
	case pos.DrawerPayOut:
		return p.T("paid out")
	case pos.DrawerNoSale:
		return p.T("no sale")
	}
	return string(k)
}

// drawerLine is one event as "15:04:05  paid in  ¥50.00  ann  reason".
func drawerLine(p *i18n.Printer, ev pos.DrawerEvent, cur pos.Currency, loc *time.Location) string {
	amount := ""
	if ev.Kind != pos.DrawerNoSale {
		amount = receipt.Money(ev.Amount, cur)
	}
	who := ev.Cashier
	if who == "" {
		who = "-"
	}
	kind := drawerWords(p, ev.Kind)
	kind += strings.Repeat(" ", max(0, 8-ansi.StringWidth(kind))) // 已付入 is 6 cells, not 3
	return strings.TrimRight(fmt.Sprintf("%s  %s  %12s  %s  %s", ev.At.In(loc).Format(time.TimeOnly), kind, amount, who, safe(ev.Reason)), " ")
}

func drawerList(e *env) error {
	evs, err := e.store.DrawerEvents()
	if err != nil {
		return err
	}
	for _, ev := range evs {
		fmt.Fprintln(e.stdout, drawerLine(e.p, ev, e.cfg.currency, e.loc))
	}
	fmt.Fprintln(e.stdout, e.p.Plural(len(evs), "1 drawer event since the last Z report", "%d drawer events since the last Z report"))
	return nil
}
