package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/wechat"
	"github.com/tillpos/till/pos/reconcile"
)

var reconcileCmd = command{
	name:    "reconcile",
	usage:   "--statement FILE | --fetch alipay|wechat [--save FILE] [--date D] [--csv]",
	short:   i18n.N("compare a day's QR payments with the provider's statement"),
	summary: i18n.N("compare a day's QR payments with the provider's statement"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		date := fs.String("date", "", "day as YYYY-MM-DD (default today)")
		stmt := fs.String("statement", "", "the provider's statement: Alipay bill zip or CSV, WeChat Pay trade bill, or Till's simple CSV")
		fetch := fs.String("fetch", "", "fetch the day's statement from `provider` (alipay or wechat, with its keys in the config) instead of reading a file")
		save := fs.String("save", "", "with --fetch: also write the statement fetched to `file`")
		format := fs.String("format", "", "statement format: alipay, wechat or csv (default: recognised from the file)")
		window := fs.Duration("window", 10*time.Minute, "how far apart in time a payment without an order number may be from its statement line")
		asCSV := fs.Bool("csv", false, "write one CSV row per payment instead of the report")
		return func(e *env, args []string) error {
			if len(args) != 0 || (*stmt == "") == (*fetch == "") || *save != "" && *fetch == "" {
				return fmt.Errorf("%w: till reconcile --statement FILE | --fetch alipay|wechat [--save FILE] [--date YYYY-MM-DD] [--csv]", errUsage)
			}
			from, to, err := dayRange(e.p, *date, "", e.loc)
			if err != nil {
				return err
			}
			var data []byte
			if *fetch != "" {
				if data, err = fetchStatement(e, *fetch, from); err != nil {
					return err
				}
				if *save != "" {
					if err := os.WriteFile(*save, data, 0o600); err != nil {
						return e.p.Errorf("--save: %w", err)
					}
				}
				if *format == "" {
					*format = *fetch
				}
			} else if data, err = os.ReadFile(*stmt); err != nil {
				return e.p.Errorf("statement: %w", err)
			}
			exp := e.cfg.currency.Exponent
			lines, _, err := reconcile.Read(data, *format, exp, e.loc)
			if err != nil {
				return err
			}
			// A payment confirmed just after midnight may belong to a sale
			// begun the day before, so read the neighbouring hours too and
			// keep only the day's own payments.
			sales, err := e.store.SalesBetween(from.Add(-*window), to.Add(*window))
			if err != nil {
				return err
			}
			refunds, err := e.store.RefundsBetween(from.Add(-*window), to.Add(*window))
			if err != nil {
				return err
			}
			till := reconcile.FromTill(sales, refunds, func(t pos.Tender, id string) string {
				if p, err := e.store.Payment(t.PaymentID); err == nil && t.ConfirmedBy != pos.ByCashier {
					return p.OrderNo
				}
				return reconcile.OrderOf(t, id)
			})
			inDay := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
			var day []reconcile.Entry
			for _, t := range till {
				if inDay(t.At) {
					day = append(day, t)
				}
			}
			var stmtDay []reconcile.Entry
			for _, s := range lines {
				if inDay(s.At) {
					stmtDay = append(stmtDay, s)
				}
			}
			r := reconcile.Match(day, stmtDay, reconcile.Options{Window: *window, Loc: e.loc})
			if *asCSV {
				return reconcile.WriteCSV(e.stdout, r, exp, e.loc)
			}
			e.p.Fprintf(e.stdout, "Reconciliation of %s: %d payments in Till, %d in the statement\n", from.Format(time.DateOnly), len(day), len(stmtDay))
			return reconcile.WriteText(e.stdout, r, exp, e.loc, e.p)
		}
	},
}

// fetchStatement fetches the statement of day (its date, as the
// provider's China-time bill date) with the provider's keys from the
// config.
func fetchStatement(e *env, provider string, day time.Time) ([]byte, error) {
	var f interface {
		Statement(ctx context.Context, day time.Time) ([]byte, error)
	}
	switch provider {
	case alipay.Name:
		if e.cfg.Alipay == nil {
			return nil, e.p.Errorf("--fetch alipay needs an [alipay] section with the app's keys")
		}
		c, err := alipay.New(*e.cfg.Alipay)
		if err != nil {
			return nil, e.p.Errorf("config [alipay]: %w", err)
		}
		f = c
	case wechat.Name:
		if e.cfg.WeChat == nil {
			return nil, e.p.Errorf("--fetch wechat needs a [wechat] section with the merchant's keys")
		}
		c, err := wechat.New(*e.cfg.WeChat)
		if err != nil {
			return nil, e.p.Errorf("config [wechat]: %w", err)
		}
		f = c
	default:
		return nil, e.p.Errorf("%w: --fetch %q: want alipay or wechat", errUsage, provider)
	}
	// The bill date is the provider's (China time) day of the same date.
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, reconcile.ChinaTime)
	data, err := f.Statement(e.ctx, d)
	if err != nil {
		return nil, e.p.Errorf("fetch the %s statement of %s: %w", provider, d.Format(time.DateOnly), err)
	}
	return data, nil
}
