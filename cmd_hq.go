package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/reconcile"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
)

const hqUsage = `till hq serve [--addr HOST:PORT] [--cert FILE --key FILE] [--allow-insecure] [--log FILE] [--log-json]
till hq enrol --store S --terminal T [--public-key K]  print a new terminal credential (once)
till hq revoke --terminal T
till hq terminals
till hq import goods.csv --store S [--replace]
till hq report [--date YYYY-MM-DD] [--csv]
till hq staff add|list|disable --store S  staff pulled by the store's terminals
till hq reconcile --statement FILE [--date YYYY-MM-DD] [--store S] [--csv]
                                        compare the day's QR payments with a provider's statement

The storage is --storage (a bbolt file, or a PostgreSQL connection string
without a password), else --storage-file, else $TILL_HQ_STORAGE, else
hq.db beside the till database. A password goes in $TILL_HQ_STORAGE, the
storage file, or PostgreSQL's password file ($PGPASSFILE), never in --storage.`

var hqCmd = command{
	name:    "hq",
	usage:   "serve|enrol|revoke|terminals|import|report|reconcile|staff",
	short:   i18n.N("head office (till hq --help)"),
	summary: i18n.N("head office: receive the terminals' sales, serve their catalogs, report across the chain"),
	more:    hqUsage,
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		storageSpec := fs.String("storage", "", "head office `storage`: a bbolt file, or a PostgreSQL connection string without a password (default $TILL_HQ_STORAGE, else hq.db beside the till database)")
		storageFile := fs.String("storage-file", "", "read the storage (a PostgreSQL connection string, which may hold a password) from `file`")
		addr := fs.String("addr", "127.0.0.1:8443", "serve: listen `address`")
		cert := fs.String("cert", "", "serve: TLS certificate `file`")
		key := fs.String("key", "", "serve: TLS key `file`")
		insecure := fs.Bool("allow-insecure", false, "serve: allow plain HTTP beyond loopback (behind a TLS proxy)")
		store := fs.String("store", "", "enrol, import: the `store` ID; reconcile: only this store (default every store)")
		terminal := fs.String("terminal", "", "enrol, revoke: the `terminal` ID")
		replace := fs.Bool("replace", false, "import: delete the store's goods missing from the file")
		date := fs.String("date", "", "report, reconcile: the `day`, YYYY-MM-DD (default today)")
		asCSV := fs.Bool("csv", false, "report, reconcile: write CSV")
		stmt := fs.String("statement", "", "reconcile: the provider's statement `file` (Alipay bill zip or CSV, WeChat Pay trade bill, or Till's simple CSV)")
		logPath := fs.String("log", "", "serve: log `file` of every request and refusal (\"-\" for standard error; default hq.log beside the head-office file)")
		logJSON := fs.Bool("log-json", false, "serve: log JSON lines")
		maxConns := fs.Int("max-conns", 0, "serve: most connections held (default 1024)")
		maxConnsAddr := fs.Int("max-conns-per-addr", 0, "serve: most connections held from one address (default 128)")
		people := hqPeopleFlags(fs) // cmd_hq_staff.go
		return func(e *env, args []string) error {
			if len(args) == 0 {
				return e.p.Errorf("%w: %s", errUsage, e.p.T(hqUsage))
			}
			sub, rest := args[0], args[1:]
			spec, err := hqStorage(e.p, *storageSpec, *storageFile)
			if err != nil {
				return err
			}
			want := func(n int, usage string) error {
				if len(rest) != n {
					return e.p.Errorf("%w: %s", errUsage, usage)
				}
				return nil
			}
			if sub == "staff" {
				return people.staff(e.ctx, e, func() (storage.Backend, error) { return hq.Open(e.ctx, spec) }, *store, rest)
			}
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
			case "reconcile":
				if err = want(0, reconcileUsage); err == nil && *stmt == "" {
					err = e.p.Errorf("%w: %s", errUsage, reconcileUsage)
				}
			default:
				err = e.p.Errorf("%w: unknown hq command %q\n%s", errUsage, sub, e.p.T(hqUsage))
			}
			if err != nil {
				return err
			}
			var day time.Time
			if sub == "report" || sub == "reconcile" {
				if day, _, err = dayRange(e.p, *date, "", e.loc); err != nil {
					return err
				}
			}
			var f *os.File
			if sub == "import" {
				if f, err = os.Open(rest[0]); err != nil {
					return e.p.Errorf("import: %w", err)
				}
				defer f.Close()
			}
			if sub != "serve" {
				// A head office serving this storage answers on its admin socket.
				if adm, aerr := hq.DialAdmin(e.ctx, hq.AdminSocketFor(spec)); aerr == nil {
					switch sub {
					case "enrol", "enroll":
						return adm.Enrol(e.ctx, e.p, *store, *terminal, e.stdout)
					case "revoke":
						return adm.Revoke(e.ctx, e.p, *terminal, e.stdout)
					case "terminals":
						return adm.ListTerminals(e.ctx, e.p, e.stdout)
					case "import":
						if err := adm.ImportCSV(e.ctx, e.p, *store, f, e.cfg.currency.Exponent, *replace, e.stdout); err != nil {
							return e.p.Errorf("import %s: %w", rest[0], err)
						}
						return nil
					case "report":
						return adm.WriteReport(e.ctx, e.p, day, *asCSV, e.stdout)
					}
				}
			}
			b, err := hq.Open(e.ctx, spec)
			if err != nil {
				return err
			}
			defer b.Close()
			switch sub {
			case "serve":
				lp := *logPath
				if lp == "" {
					lp = filepath.Join(filepath.Dir(defaultDBPath()), "hq.log")
					if hq.AdminSocketFor(spec) != "" {
						lp = filepath.Join(filepath.Dir(spec), "hq.log")
					}
				}
				logger, closer, err := hq.OpenLog(lp, *logJSON)
				if err != nil {
					return err
				}
				defer closer.Close()
				return hq.Serve(e.ctx, hq.Config{Addr: *addr, CertFile: *cert, KeyFile: *key, AllowInsecure: *insecure,
					Storage: b, Logger: logger, MaxConns: *maxConns, MaxConnsPerAddr: *maxConnsAddr, AdminSocket: hq.AdminSocketFor(spec),
					Listening: func(a net.Addr) { e.p.Fprintf(e.stdout, "head office listening on %s (log %s)\n", a, lp) }})
			case "enrol", "enroll":
				if _, err = hq.Enrol(e.ctx, b, e.p, *store, *terminal, e.stdout); err == nil {
					err = people.enrolKey(e.ctx, e, b, *terminal)
				}
			case "revoke":
				err = hq.Revoke(e.ctx, b, e.p, *terminal, e.stdout)
			case "terminals":
				err = hq.ListTerminals(e.ctx, b, e.p, e.stdout)
			case "import":
				_, err = hq.ImportCSV(e.ctx, b, e.p, *store, f, e.cfg.currency.Exponent, *replace, e.stdout)
				if err != nil {
					err = e.p.Errorf("import %s: %w", rest[0], err)
				}
			case "report":
				err = hq.WriteReport(e.ctx, b, e.p, day, *asCSV, e.stdout)
			case "reconcile":
				err = hqReconcile(e, b, day, *store, *stmt, *asCSV)
			}
			return err
		}
	},
}

// hqStorage finds head office's storage: --storage, else the file named
// by --storage-file, else $TILL_HQ_STORAGE, else hq.db beside the till
// database. A password is refused on the command line, where every local
// user sees it in the process list; it belongs in $TILL_HQ_STORAGE, in a
// storage file only its owner can read, or in PostgreSQL's password file.
// No message repeats the connection string.
func hqStorage(p *i18n.Printer, flagSpec, flagFile string) (string, error) {
	switch {
	case flagSpec != "" && flagFile != "":
		return "", p.Errorf("%w: give --storage or --storage-file, not both", errUsage)
	case flagSpec != "":
		if hq.HasPassword(flagSpec) {
			return "", p.Errorf("%w: --storage holds a password, which every user of this machine can read in the process list; "+
				"put the connection string in $TILL_HQ_STORAGE or in a file named by --storage-file, "+
				"or the password in PostgreSQL's password file ($PGPASSFILE, or passfile= in the connection string)", errUsage)
		}
		return flagSpec, nil
	case flagFile != "":
		b, err := os.ReadFile(flagFile)
		if err != nil {
			return "", p.Errorf("--storage-file: %w", err)
		}
		spec := strings.TrimSpace(string(b))
		if spec == "" || strings.Contains(spec, "\n") {
			return "", p.Errorf("--storage-file %s: want one line, the connection string", flagFile)
		}
		if fi, err := os.Stat(flagFile); err == nil && fi.Mode().Perm()&0o077 != 0 && hq.HasPassword(spec) {
			return "", p.Errorf("--storage-file %s holds a password and others can read it (mode %04o); chmod 600 it", flagFile, fi.Mode().Perm())
		}
		return spec, nil
	}
	if spec := os.Getenv("TILL_HQ_STORAGE"); spec != "" {
		return spec, nil
	}
	spec := filepath.Join(filepath.Dir(defaultDBPath()), "hq.db")
	if err := os.MkdirAll(filepath.Dir(spec), 0o700); err != nil {
		return "", err
	}
	return spec, nil
}

const reconcileUsage = "till hq reconcile --statement FILE [--date YYYY-MM-DD] [--store S] [--csv]"

// hqReconcile compares the QR payments head office holds for day (of one
// store, or of the chain) with a provider's statement.
func hqReconcile(e *env, b storage.Backend, day time.Time, store, file string, asCSV bool) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return e.p.Errorf("statement: %w", err)
	}
	exp := e.cfg.currency.Exponent
	lines, _, err := reconcile.Read(data, "", exp, e.loc)
	if err != nil {
		return err
	}
	r, err := hq.Reconcile(e.ctx, b, day, store, lines, 0)
	if err != nil {
		return err
	}
	if asCSV {
		return reconcile.WriteCSV(e.stdout, r, exp, e.loc)
	}
	of := e.p.T("every store")
	if store != "" {
		of = e.p.T("store %s", store)
	}
	e.p.Fprintf(e.stdout, "Reconciliation of %s, %s, with %s\n", day.Format(time.DateOnly), of, filepath.Base(file))
	return reconcile.WriteText(e.stdout, r, exp, e.loc, e.p)
}
