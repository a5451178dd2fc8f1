package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tillpos/till/demo"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/goodscsv"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/tui/receipt"
)

type globals struct{ db, config *string }

func globalFlags(fs *flag.FlagSet, p *i18n.Printer) globals {
	return globals{
		db:     fs.String("db", "", p.T("database `file` (default $TILL_DB, else %s)", defaultDBPath())),
		config: fs.String("config", "", p.T("config `file` (default %s)", defaultConfigPath())),
	}
}

// configPath is the config file --config names, else $TILL_CONFIG, else
// the default one; explicit says a missing file is an error.
func configPath(flagValue string) (path string, explicit bool) {
	if flagValue != "" {
		return flagValue, true
	}
	if p := os.Getenv("TILL_CONFIG"); p != "" {
		return p, true
	}
	return defaultConfigPath(), false
}

// printerFor is the language the command line speaks, settled before the
// flags are parsed so that --help and a mistake in the command line are
// in it too: the config named by a --config among args (or the usual
// one) is read for it. A config that does not load means English, unless
// $TILL_LANGUAGE says otherwise; the command reports the config's problem
// once it has parsed its flags.
func printerFor(args []string) *i18n.Printer {
	flagValue := ""
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "config="); ok && strings.HasPrefix(a, "-") {
			flagValue = v
		} else if (a == "--config" || a == "-config") && i+1 < len(args) {
			flagValue = args[i+1]
		}
	}
	path, explicit := configPath(flagValue)
	cfg, err := loadConfig(path, explicit)
	if err != nil {
		l, lerr := i18n.Parse(os.Getenv("TILL_LANGUAGE"))
		if lerr != nil {
			l = i18n.English
		}
		return i18n.New(l)
	}
	return i18n.New(cfg.lang)
}

// env is what a command works with: its context (cancelled by Ctrl-C or
// SIGTERM), the config, an open store, a logger.
type env struct {
	ctx      context.Context
	cfg      Config
	store    *bolt.Store
	reg      *register.Register
	log      *slog.Logger
	logFile  *os.File
	stdout   io.Writer
	stderr   io.Writer
	loc      *time.Location
	dbPath   string
	cfgPath  string // the config file read (it may not exist)
	demoLoad int
	// p speaks the shop's language to the person at the command line.
	p *i18n.Printer
}

// env is the one place that reads the config, builds the payment clients
// (only for a command that takes payments), opens the database and sets
// up the log (only for a command that uses the store).
func (g globals) env(ctx context.Context, stdout, stderr io.Writer, c *command, p *i18n.Printer) (*env, error) {
	cfgPath, explicit := configPath(*g.config)
	cfg, err := loadConfig(cfgPath, explicit)
	if err != nil {
		return nil, err
	}
	if p.Lang() != cfg.lang {
		p = i18n.New(cfg.lang) // the config the flags named is authoritative
	}
	if c.pays {
		if cfg.qr.Online, err = cfg.paymentProvider(); err != nil {
			return nil, err
		}
		if err := cfg.fillWallets(); err != nil {
			return nil, err
		}
	}
	path := *g.db
	if path == "" {
		path = os.Getenv("TILL_DB")
	}
	if path == "" {
		path = cfg.DB
	}
	if path == "" {
		path = defaultDBPath()
	}
	if c.noStore {
		// No database, so no log file beside it: warnings and errors
		// (a head office's refusals, say) go to standard error.
		return &env{ctx: ctx, cfg: cfg, stdout: stdout, stderr: stderr, loc: time.Local, dbPath: path, cfgPath: cfgPath, p: p,
			log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, p.Errorf("database folder: %w", err)
	}
	e := &env{ctx: ctx, cfg: cfg, stdout: stdout, stderr: stderr, loc: time.Local, dbPath: path, cfgPath: cfgPath, p: p}
	if err := e.openLog(); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(path)
	fresh := errors.Is(statErr, os.ErrNotExist)
	e.store, err = bolt.Open(path, bolt.Options{Identity: pos.Identity{
		Terminal: cfg.Terminal, Shop: cfg.Shop, Currency: cfg.currency.Code, Exponent: cfg.currency.Exponent,
		Created: time.Now().UTC(),
	}, Seed: e.demoGoods})
	if err != nil {
		e.close()
		return nil, err
	}
	id := e.store.Identity()
	if id.Currency != cfg.currency.Code || id.Exponent != cfg.currency.Exponent {
		e.close()
		return nil, p.Errorf("database %s keeps amounts in %s; the config says %s", path, id.Currency, cfg.currency.Code)
	}
	e.demoLoad = e.store.Seeded() // stored with the new database, in its first transaction
	e.reg = register.New(e.store, cfg.currency, cfg.taxIncluded, cfg.Cashier)
	e.reg.QR = &cfg.qr
	if err := e.initStaff(); err != nil { // cmd_staff.go: roles, config journalled
		e.close()
		return nil, err
	}
	e.log.Info("opened", "db", path, "terminal", id.Terminal, "fresh", fresh)
	return e, nil
}

// openLog sends logs to a file beside the database (or the configured
// one): the counter screen owns the terminal.
func (e *env) openLog() error {
	p := e.cfg.Log
	if p == "" {
		p = filepath.Join(filepath.Dir(e.dbPath), "till.log")
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return e.p.Errorf("log file: %w", err)
	}
	e.logFile = f
	e.log = slog.New(slog.NewTextHandler(f, nil))
	return nil
}

// demoGoods are the demo shop's goods a brand-new database starts with.
func (e *env) demoGoods() ([]pos.Product, error) {
	res, err := goodscsv.Parse(bytesReader(demo.Catalog), e.cfg.currency.Exponent)
	if err != nil {
		return nil, fmt.Errorf("demo shop: %w", err)
	}
	return products(res.Rows), nil
}

func (e *env) shop() receipt.Shop {
	return receipt.Shop{Name: e.store.Identity().Shop, Currency: e.cfg.currency, Loc: e.loc,
		P: i18n.New(e.cfg.receiptLang.Lang), Second: e.cfg.receiptLang.Second, Alt: e.altName}
}

// altName is the goods' second name by SKU, for receipts in the reader's
// language.
func (e *env) altName(sku string) string {
	p, err := e.store.Lookup(sku)
	if err != nil {
		return ""
	}
	return p.AltName
}

func (e *env) close() {
	if e.store != nil {
		e.store.Close()
	}
	if e.logFile != nil {
		e.logFile.Close()
	}
}
