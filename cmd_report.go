package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
	"github.com/tillpos/till/tui/receipt"
)

var reportCmd = command{
	summary: "print the X report (day so far), or take the Z report that closes the day",
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
					return fmt.Errorf("--counted: %w", err)
				}
				cnt = &m
			}
			var r pos.Report
			var err error
			if args[0] == "x" {
				if cnt != nil {
					return fmt.Errorf("%w: --counted is for the Z report", errUsage)
				}
				r, err = e.store.XReport(time.Now(), e.loc)
			} else {
				r, err = e.store.TakeZ(time.Now(), e.loc, cnt)
				if err == nil {
					e.log.Info("z report", "number", r.Number, "net", r.Net)
				}
			}
			if err != nil {
				return err
			}
			fmt.Fprint(e.stdout, receipt.Report(r, e.shop()))
			return nil
		}
	},
}

var shiftCmd = command{
	summary: "open the shift with the float counted into the drawer",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		float := fs.String("float", "", "cash counted into the drawer, e.g. 200.00")
		return func(e *env, args []string) error {
			if len(args) != 1 || args[0] != "open" || *float == "" {
				return fmt.Errorf("%w: till shift open --float AMOUNT", errUsage)
			}
			m, err := pos.ParseAmount(*float, e.cfg.currency)
			if err != nil {
				return fmt.Errorf("--float: %w", err)
			}
			if _, err := e.reg.OpenShift(m); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "shift open with a float of %s\n", receipt.Money(m, e.cfg.currency))
			return nil
		}
	},
}

// dayRange reads --from/--to dates (YYYY-MM-DD, local time) into [from, to).
func dayRange(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	f, t := pos.Day(time.Now(), loc)
	var err error
	if from != "" {
		if f, err = time.ParseInLocation(time.DateOnly, from, loc); err != nil {
			return f, t, fmt.Errorf("%w: --from %q: want a date like 2026-11-29", errUsage, from)
		}
		t = f.AddDate(0, 0, 1)
	}
	if to != "" {
		if t, err = time.ParseInLocation(time.DateOnly, to, loc); err != nil {
			return f, t, fmt.Errorf("%w: --to %q: want a date like 2026-11-29", errUsage, to)
		}
		t = t.AddDate(0, 0, 1) // inclusive
	}
	if !t.After(f) {
		return f, t, fmt.Errorf("%w: --to is before --from", errUsage)
	}
	return f, t, nil
}

var salesCmd = command{
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
				fmt.Fprintf(e.stdout, "%06d  %s  %s  %9s  %12s\n", s.Receipt, s.At.In(e.loc).Format("15:04:05"),
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

var exportCmd = command{
	summary: "write goods or sales as CSV to standard output",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		from := fs.String("from", "", "first day of sales, YYYY-MM-DD (default today)")
		to := fs.String("to", "", "last day of sales, YYYY-MM-DD (default --from)")
		return func(e *env, args []string) error {
			if len(args) != 1 || (args[0] != "goods" && args[0] != "sales") {
				return fmt.Errorf("%w: till export goods|sales [--from D --to D]", errUsage)
			}
			exp := e.cfg.currency.Exponent
			if args[0] == "goods" {
				ps, err := e.store.Products()
				if err != nil {
					return err
				}
				return goodscsv.Write(e.stdout, ps, exp)
			}
			f, t, err := dayRange(*from, *to, e.loc)
			if err != nil {
				return err
			}
			sales, err := e.store.SalesBetween(f, t)
			if err != nil {
				return err
			}
			w := csv.NewWriter(e.stdout)
			_ = w.Write([]string{"sale_id", "receipt", "time", "cashier", "line", "sku", "name", "qty", "unit_price", "discount", "net", "tax_rate", "tax", "sale_total"})
			for _, s := range sales {
				for i, l := range s.Lines {
					_ = w.Write([]string{s.ID, strconv.FormatUint(s.Receipt, 10), s.At.In(e.loc).Format(time.RFC3339), s.Cashier,
						strconv.Itoa(i + 1), l.SKU, l.Name, strconv.FormatInt(l.Qty, 10), l.UnitPrice.Format(exp),
						(l.LineDiscount + l.CartDiscount).Format(exp), l.Net.Format(exp), l.TaxRate.String(), l.Tax.Format(exp), s.Due.Format(exp)})
				}
			}
			w.Flush()
			return w.Error()
		}
	},
}
