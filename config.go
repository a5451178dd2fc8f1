package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/tillpos/till/pos"
)

// Config is the shop's settings, read from a TOML file. Every field has
// a default, so Till runs with no file at all.
type Config struct {
	Shop    string `toml:"shop"`    // shop name on receipts and the pay screen
	City    string `toml:"city"`    // for the EMV QR merchant city
	Country string `toml:"country"` // ISO 3166 alpha-2
	// Terminal names this till; used only when its database is created,
	// after which the database's own identity is authoritative.
	Terminal    string `toml:"terminal"`
	Cashier     string `toml:"cashier"`
	Currency    string `toml:"currency"`     // ISO 4217 code
	TaxIncluded *bool  `toml:"tax_included"` // prices include tax (default true)
	// CashRounding is the smallest coin, e.g. "0.05"; empty for none.
	CashRounding string `toml:"cash_rounding"`
	DB           string `toml:"db"`  // database file
	Log          string `toml:"log"` // log file

	currency    pos.Currency
	taxIncluded bool
}

func defaultConfigPath() string {
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "till", "till.toml")
	}
	return "till.toml"
}

// defaultDBPath follows the XDG base directories: $XDG_DATA_HOME/till.
func defaultDBPath() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "till", "till.db")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "till", "till.db")
	}
	return "till.db"
}

// loadConfig reads path (a missing default file is fine; a missing file
// named with --config is not) and fills in defaults.
func loadConfig(path string, explicit bool) (Config, error) {
	c := Config{}
	if path != "" {
		md, err := toml.DecodeFile(path, &c)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !explicit:
		case err != nil:
			return c, fmt.Errorf("config %s: %w", path, err)
		default:
			if un := md.Undecoded(); len(un) > 0 {
				return c, fmt.Errorf("config %s: unknown setting %q", path, un[0].String())
			}
		}
	}
	return c, c.fill()
}

func (c *Config) fill() error {
	def := func(s *string, v string) {
		if strings.TrimSpace(*s) == "" {
			*s = v
		}
	}
	def(&c.Shop, "Till Demo Shop")
	def(&c.City, "Shanghai")
	def(&c.Country, "CN")
	def(&c.Terminal, "T1")
	def(&c.Cashier, "cashier")
	def(&c.Currency, "CNY")
	cur, err := pos.LookupCurrency(c.Currency)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if c.CashRounding != "" {
		step, err := pos.ParseMoney(c.CashRounding, cur.Exponent)
		if err != nil {
			return fmt.Errorf("config cash_rounding: %w", err)
		}
		cur.CashStep = step
	}
	c.currency = cur
	c.taxIncluded = c.TaxIncluded == nil || *c.TaxIncluded
	if len(c.Terminal) > 16 || strings.ContainsAny(c.Terminal, " -/\t") {
		return fmt.Errorf("config terminal %q: at most 16 characters, no spaces, dashes or slashes", c.Terminal)
	}
	return nil
}
