package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
)

const hqUsage = `till hq serve [--addr HOST:PORT] [--cert FILE --key FILE] [--allow-insecure]
till hq enrol --store S --terminal T [--public-key K]  print a new terminal credential (once)
till hq revoke --terminal T
till hq terminals
till hq import goods.csv --store S [--replace]
till hq report [--date YYYY-MM-DD] [--csv]
till hq staff add|list|disable --store S  staff pulled by the store's terminals`

var hqCmd = command{
	summary: "head office: receive the terminals' sales, serve their catalogs, report across the chain\n\n" + hqUsage,
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		storageSpec := fs.String("storage", "", "head office `storage`: a bbolt file or a postgres:// URL (default $TILL_HQ_STORAGE, else hq.db beside the till database)")
		addr := fs.String("addr", "127.0.0.1:8443", "serve: listen `address`")
		cert := fs.String("cert", "", "serve: TLS certificate `file`")
		key := fs.String("key", "", "serve: TLS key `file`")
		insecure := fs.Bool("allow-insecure", false, "serve: allow plain HTTP beyond loopback (behind a TLS proxy)")
		store := fs.String("store", "", "enrol, import: the `store` ID")
		terminal := fs.String("terminal", "", "enrol, revoke: the `terminal` ID")
		replace := fs.Bool("replace", false, "import: delete the store's goods missing from the file")
		date := fs.String("date", "", "report: the `day`, YYYY-MM-DD (default today)")
		asCSV := fs.Bool("csv", false, "report: write CSV")
		people := hqPeopleFlags(fs) // cmd_hq_staff.go
		return func(e *env, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("%w: %s", errUsage, hqUsage)
			}
			sub, rest := args[0], args[1:]
			spec := *storageSpec
			if spec == "" {
				spec = os.Getenv("TILL_HQ_STORAGE")
			}
			if spec == "" {
				spec = filepath.Join(filepath.Dir(defaultDBPath()), "hq.db")
				if err := os.MkdirAll(filepath.Dir(spec), 0o700); err != nil {
					return err
				}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			want := func(n int, usage string) error {
				if len(rest) != n {
					return fmt.Errorf("%w: %s", errUsage, usage)
				}
				return nil
			}
			if sub == "staff" {
				return people.staff(ctx, e, func() (storage.Backend, error) { return hq.Open(ctx, spec) }, *store, rest)
			}
			var err error
			switch sub {
			case "serve":
				err = want(0, "till hq serve [--addr HOST:PORT] [--cert FILE --key FILE]")
			case "enrol", "enroll":
				if err = want(0, "till hq enrol --store S --terminal T"); err == nil && (*store == "" || *terminal == "") {
					err = fmt.Errorf("%w: till hq enrol --store S --terminal T", errUsage)
				}
				if err == nil {
					err = people.checkKey()
				}
			case "revoke":
				if err = want(0, "till hq revoke --terminal T"); err == nil && *terminal == "" {
					err = fmt.Errorf("%w: till hq revoke --terminal T", errUsage)
				}
			case "terminals":
				err = want(0, "till hq terminals")
			case "import":
				if err = want(1, "till hq import goods.csv --store S"); err == nil && *store == "" {
					err = fmt.Errorf("%w: till hq import goods.csv --store S", errUsage)
				}
			case "report":
				err = want(0, "till hq report [--date YYYY-MM-DD] [--csv]")
			default:
				err = fmt.Errorf("%w: unknown hq command %q\n%s", errUsage, sub, hqUsage)
			}
			if err != nil {
				return err
			}
			var day time.Time
			if sub == "report" {
				if day, _, err = dayRange(*date, "", e.loc); err != nil {
					return err
				}
			}
			var f *os.File
			if sub == "import" {
				if f, err = os.Open(rest[0]); err != nil {
					return fmt.Errorf("import: %w", err)
				}
				defer f.Close()
			}
			b, err := hq.Open(ctx, spec)
			if err != nil {
				return err
			}
			defer b.Close()
			switch sub {
			case "serve":
				return hq.Serve(ctx, hq.Config{Addr: *addr, CertFile: *cert, KeyFile: *key, AllowInsecure: *insecure,
					Storage: b, Logger: e.log, Listening: func(a net.Addr) { fmt.Fprintf(e.stdout, "head office listening on %s\n", a) }})
			case "enrol", "enroll":
				if _, err = hq.Enrol(ctx, b, *store, *terminal, e.stdout); err == nil {
					err = people.enrolKey(ctx, e, b, *terminal)
				}
			case "revoke":
				err = hq.Revoke(ctx, b, *terminal, e.stdout)
			case "terminals":
				err = hq.ListTerminals(ctx, b, e.stdout)
			case "import":
				_, err = hq.ImportCSV(ctx, b, *store, f, e.cfg.currency.Exponent, *replace, e.stdout)
				if err != nil {
					err = fmt.Errorf("import %s: %w", rest[0], err)
				}
			case "report":
				err = hq.WriteReport(ctx, b, day, *asCSV, e.stdout)
			}
			return err
		}
	},
}
