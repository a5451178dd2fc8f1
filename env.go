package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/tillpos/till/demo"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/goodscsv"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/tui/receipt"
)

type globals struct{ db, config *string }

func globalFlags(fs *flag.FlagSet) globals {
	return globals{
		db:     fs.String("db", "", "database `file` (default $TILL_DB, else "+defaultDBPath()+")"),
		config: fs.String("config", "", "config `file` (default "+defaultConfigPath()+")"),
	}
}

// env is what a command works with: config, an open store, a logger.
type env struct {
	cfg      Config
	store    *bolt.Store
	reg      *register.Register
	log      *slog.Logger
	logFile  *os.File
	stdout   io.Writer
	stderr   io.Writer
	loc      *time.Location
	dbPath   string
	demoLoad int
}

// env loads the config and, if withStore, opens the database and the log.
func (g globals) env(stdout, stderr io.Writer, withStore bool) (*env, error) {
	cfgPath, explicit := *g.config, *g.config != ""
	if !explicit {
		cfgPath = os.Getenv("TILL_CONFIG")
		explicit = cfgPath != ""
		if !explicit {
			cfgPath = defaultConfigPath()
		}
	}
	cfg, err := loadConfig(cfgPath, explicit)
	if err != nil {
		return nil, err
	}
	if !withStore {
		return &env{cfg: cfg, stdout: stdout, stderr: stderr, loc: time.Local}, nil
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
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("database folder: %w", err)
	}
	e := &env{cfg: cfg, stdout: stdout, stderr: stderr, loc: time.Local, dbPath: path}
	if err := e.openLog(); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(path)
	fresh := errors.Is(statErr, os.ErrNotExist)
	e.store, err = bolt.Open(path, bolt.Options{Identity: pos.Identity{
		Terminal: cfg.Terminal, Shop: cfg.Shop, Currency: cfg.currency.Code, Exponent: cfg.currency.Exponent,
		Created: time.Now().UTC(),
	}})
	if err != nil {
		e.close()
		return nil, err
	}
	id := e.store.Identity()
	if id.Currency != cfg.currency.Code || id.Exponent != cfg.currency.Exponent {
		e.close()
		return nil, fmt.Errorf("database %s keeps amounts in %s; the config says %s", path, id.Currency, cfg.currency.Code)
	}
	if fresh {
		if err := e.loadDemo(); err != nil {
			e.close()
			return nil, fmt.Errorf("load demo shop: %w", err)
		}
	}
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
		return fmt.Errorf("log file: %w", err)
	}
	e.logFile = f
	e.log = slog.New(slog.NewTextHandler(f, nil))
	return nil
}

// loadDemo fills a brand-new database with the demo shop's goods.
func (e *env) loadDemo() error {
	res, err := goodscsv.Parse(bytesReader(demo.Catalog), e.cfg.currency.Exponent)
	if err != nil {
		return err
	}
	ps := products(res.Rows)
	if _, err := e.store.PutProducts(ps); err != nil {
		return err
	}
	e.demoLoad = len(ps)
	return nil
}

func (e *env) shop() receipt.Shop {
	return receipt.Shop{Name: e.store.Identity().Shop, Currency: e.cfg.currency, Loc: e.loc}
}

func (e *env) close() {
	if e.store != nil {
		e.store.Close()
	}
	if e.logFile != nil {
		e.logFile.Close()
	}
}
