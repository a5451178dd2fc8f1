package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/display"
	"github.com/tillpos/till/pos/emvqr"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/pay/wechat"
	"github.com/tillpos/till/pos/printer"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/scale"
)

// Config is the shop's settings, read from a TOML file. Every field has
// a default, so Till runs with no file at all.
type Config struct {
	Shop    string `toml:"shop"`    // shop name on receipts and the pay screen
	City    string `toml:"city"`    // for the EMV QR merchant city
	Country string `toml:"country"` // ISO 3166 alpha-2
	// Terminal names this till; used only when its database is created,
	// after which the database's own identity is authoritative.
	Terminal string `toml:"terminal"`
	Cashier  string `toml:"cashier"`
	// Language is what the screens and the command line speak: "zh" or
	// "en"; empty means zh for a shop in CN, else en. $TILL_LANGUAGE, if
	// set, overrides it (never $LANG, which counter machines rarely set
	// right).
	Language string `toml:"language"`
	// ReceiptLanguage is what receipts and reports speak: "zh", "en", or
	// two, "zh+en", for a bilingual receipt whose goods show their name in
	// the first language and then in the second. Empty means Language.
	ReceiptLanguage string `toml:"receipt_language"`
	Currency        string `toml:"currency"`     // ISO 4217 code
	TaxIncluded     *bool  `toml:"tax_included"` // prices include tax (default true)
	// CashRounding is the smallest coin, e.g. "0.05"; empty for none.
	CashRounding string    `toml:"cash_rounding"`
	DB           string    `toml:"db"`  // database file
	Log          string    `toml:"log"` // log file
	QR           *QRConfig `toml:"qr"`
	// Online payment providers and the simulator of both.
	Alipay *alipay.Config `toml:"alipay"`
	WeChat *wechat.Config `toml:"wechat"`
	PaySim paysim.Config  `toml:"paysim"`
	HQ     HQConfig       `toml:"hq"`
	// Counter hardware: the receipt printer (and the drawer on it), and
	// the customer display.
	Printer printer.Config `toml:"printer"`
	Display display.Config `toml:"display"`
	// Scale is the label layouts of the shop's scales, tried in order.
	Scale []scale.Format `toml:"scale"`

	// BackupDir is where the close of day (a Z report) writes a backup
	// of the database, keeping the newest BackupKeep (0: all of them).
	BackupDir  string `toml:"backup_dir"`
	BackupKeep int    `toml:"backup_keep"`

	currency    pos.Currency
	taxIncluded bool
	lang        i18n.Lang
	receiptLang i18n.ReceiptLang
	qr          register.QR // without Online: see paymentProvider
	qrNotes     []string    // what the config check found, for till qr check
	provider    string
	scales      *scale.Scanner
}

// HQConfig says where head office is. The credential is read from a
// file (or $TILL_HQ_TOKEN), never from this config, so the config can be
// shared and shown.
type HQConfig struct {
	URL       string `toml:"url"`        // e.g. "https://hq.example.com:8443"
	TokenFile string `toml:"token_file"` // holds the TERMINAL.SECRET that till hq enrol printed
	CAFile    string `toml:"ca_file"`    // head office's certificate, if self-signed
	// Store is the store ID head office enrolled this terminal at, if
	// given: a sync warns when head office says another.
	Store string `toml:"store"`
	// SyncEvery turns on background sync from the counter, e.g. "5m".
	SyncEvery string `toml:"sync_every"`

	syncEvery time.Duration
}

// QRConfig is the shop's EMV merchant account for offline QR payments.
// Without it, Till uses a clearly marked demo account so a newcomer can
// try the pay screen; no money can move through it.
type QRConfig struct {
	AccountID string            `toml:"account_id"` // template ID "26"-"51", or a network's "02"-"25"
	GUID      string            `toml:"guid"`       // e.g. "br.gov.bcb.pix"
	Fields    map[string]string `toml:"fields"`     // the template's sub-fields, e.g. {"01" = "key"}
	// Account is the value of a network's primitive merchant account
	// (account_id "02"-"25", such as "15" or "16" for UnionPay).
	Account string `toml:"account"`
	Name    string `toml:"merchant_name"`
	City    string `toml:"merchant_city"`
	// Language, NameLocal and CityLocal fill the merchant information
	// language template (64): "ZH", the shop's Chinese name and city.
	Language  string `toml:"language"`
	NameLocal string `toml:"merchant_name_local"`
	CityLocal string `toml:"merchant_city_local"`
	MCC       string `toml:"mcc"`
	Expiry    string `toml:"expiry"` // how long a shown code is valid, e.g. "5m"
	// Static is the shop's own code: static = "…" for one, or
	// [[qr.static]] entries with code and label, one per wallet.
	Static StaticCodes `toml:"static"`
	// Provider is the online provider that confirms payments by itself:
	// "alipay" or "wechat" (configured in [alipay] or [wechat]); empty
	// for offline EMV QR only.
	Provider string `toml:"provider"`
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
// named with --config is not), fills in defaults and checks the settings.
// It is pure: it opens no other file and builds no client.
func loadConfig(path string, explicit bool) (Config, error) {
	c := Config{}
	if path != "" {
		md, err := toml.DecodeFile(path, &c)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !explicit:
		case err != nil:
			_ = c.fillLanguage(os.Getenv("TILL_LANGUAGE")) // what the file says is unread
			return c, c.p().Errorf("config %s: %w", path, err)
		default:
			if un := md.Undecoded(); len(un) > 0 {
				_ = c.fillLanguage(os.Getenv("TILL_LANGUAGE")) // to say it in the shop's language
				return c, c.p().Errorf("config %s: unknown setting %q", path, un[0].String())
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
	if err := c.fillLanguage(os.Getenv("TILL_LANGUAGE")); err != nil {
		return err
	}
	p := c.p()
	cur, err := pos.LookupCurrency(c.Currency)
	if err != nil {
		return p.Errorf("config: %w", err)
	}
	if c.CashRounding != "" {
		step, err := pos.ParseMoney(c.CashRounding, cur.Exponent)
		if err != nil {
			return p.Errorf("config cash_rounding: %w", err)
		}
		cur.CashStep = step
	}
	c.currency = cur
	c.taxIncluded = c.TaxIncluded == nil || *c.TaxIncluded
	if len(c.Scale) > 0 {
		sc, err := scale.New(c.Scale, cur.Exponent)
		if err != nil {
			return p.Errorf("config [[scale]]: %w", err)
		}
		c.scales = sc
	}
	if err := c.fillQR(); err != nil {
		return err
	}
	if c.HQ.SyncEvery != "" {
		d, err := time.ParseDuration(c.HQ.SyncEvery)
		if err != nil || d < time.Minute {
			return p.Errorf("config [hq] sync_every %q: want a duration of a minute or more, like 5m", c.HQ.SyncEvery)
		}
		c.HQ.syncEvery = d
	}
	if err := pos.CheckTerminalID(c.Terminal); err != nil {
		return p.Errorf("config terminal: %w", err)
	}
	if c.BackupKeep < 0 {
		return p.Errorf("config backup_keep %d: want 0 (keep every backup) or more", c.BackupKeep)
	}
	if c.Printer.Enabled() {
		// Checks the settings only: nothing is opened until a receipt prints.
		if _, err := printer.New(c.Printer); err != nil {
			return p.Errorf("config [printer]: %w", err)
		}
	}
	return nil
}

// p speaks the config's language, for its errors.
func (c *Config) p() *i18n.Printer { return i18n.New(c.lang) }

// fillLanguage settles the screen's and the receipts' languages: env
// ($TILL_LANGUAGE) over the config's language over the shop's country.
// Its errors are in English: the language is what is wrong.
func (c *Config) fillLanguage(env string) error {
	c.lang = i18n.ForCountry(c.Country)
	switch {
	case strings.TrimSpace(env) != "":
		l, err := i18n.Parse(env)
		if err != nil {
			return fmt.Errorf("$TILL_LANGUAGE %q: want zh or en", env)
		}
		c.lang = l
	case strings.TrimSpace(c.Language) != "":
		l, err := i18n.Parse(c.Language)
		if err != nil {
			return fmt.Errorf("config language %q: want zh or en", c.Language)
		}
		c.lang = l
	}
	c.receiptLang = i18n.ReceiptLang{Lang: c.lang}
	if strings.TrimSpace(c.ReceiptLanguage) != "" {
		r, err := i18n.ParseReceipt(c.ReceiptLanguage)
		if err != nil {
			return fmt.Errorf("config receipt_language %q: want zh, en, or zh+en for a receipt in both", c.ReceiptLanguage)
		}
		c.receiptLang = r
	}
	return nil
}

// fillQR builds and checks the merchant account at start-up, so a bad
// set-up is reported in words before a customer is waiting.
func (c *Config) fillQR() error {
	q := c.QR
	demo := q == nil
	if demo {
		q = &QRConfig{AccountID: "26", GUID: "cn.till.demo", Fields: map[string]string{"01": "DEMO-NOT-A-REAL-ACCOUNT"}}
	}
	m := emvqr.Merchant{AccountID: q.AccountID, AccountValue: q.Account, GUID: q.GUID, Name: q.Name, City: q.City, MCC: q.MCC,
		Country: c.Country, Currency: c.currency.Numeric, Language: q.Language, NameLocal: q.NameLocal, CityLocal: q.CityLocal}
	if m.Name == "" {
		m.Name = c.Shop
	}
	if m.City == "" {
		m.City = c.City
	}
	if m.MCC == "" {
		m.MCC = "5411" // grocery stores and supermarkets
	}
	ids := make([]string, 0, len(q.Fields))
	for id := range q.Fields {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		m.AccountFields = append(m.AccountFields, emvqr.Field{ID: id, Value: q.Fields[id]})
	}
	statics, notes, err := c.checkStatics(q.Static)
	if err != nil {
		return err
	}
	if q.Account != "" && q.AccountID == "" {
		return c.p().Errorf(`config [qr] account needs account_id, the network's ID "02"-"25" (15 or 16 for UnionPay)`)
	}
	partial := q.GUID != "" || len(q.Fields) > 0 || q.Account != ""
	complete := q.GUID != "" && len(q.Fields) > 0 || q.Account != ""
	offline := demo || complete
	if !demo && (partial && !complete || !partial && q.Provider == "" && len(statics) == 0) {
		return c.p().Errorf("config [qr]: missing merchant account: set guid and fields (the account sub-fields of your scheme), account (a network's account number), static (the shop's own code), or an online provider")
	}
	if !offline {
		m = emvqr.Merchant{} // online only: no offline fallback
	} else if _, err := emvqr.NewStatic(m); err != nil {
		if !demo {
			return c.p().Errorf("config [qr]: %w (merchant_name and merchant_city set what the code shows)", err)
		}
		m.Name, m.City = "Till Demo Shop", "Shanghai" // the shop's own may be too long or not ASCII
	}
	expiry := 5 * time.Minute
	if q.Expiry != "" {
		d, err := time.ParseDuration(q.Expiry)
		if err != nil || d < 30*time.Second || d > time.Hour {
			return c.p().Errorf("config [qr] expiry %q: want a duration from 30s to 1h, like 5m", q.Expiry)
		}
		expiry = d
	}
	c.qr = register.QR{Merchant: m, Expiry: expiry, Demo: demo, Statics: statics}
	c.qrNotes = notes
	return c.checkProvider(q.Provider)
}

// checkProvider checks the online provider's name and that its section
// is there. It reads no key file: loading the config stays pure, so a
// command that takes no payment works whatever the payment set-up says.
func (c *Config) checkProvider(name string) error {
	switch name {
	case "":
	case alipay.Name:
		if c.Alipay == nil {
			return c.p().Errorf(`config [qr] provider = "alipay" needs an [alipay] section`)
		}
	case wechat.Name:
		if c.WeChat == nil {
			return c.p().Errorf(`config [qr] provider = "wechat" needs a [wechat] section`)
		}
	default:
		return c.p().Errorf("config [qr] provider %q: want alipay or wechat", name)
	}
	c.provider = name
	return nil
}

// fillWallets makes a client for every configured provider (reusing the
// QR one): they take customers' payment codes and refund to wallets.
// Like paymentProvider, it reads key files: only commands that take
// payments call it.
func (c *Config) fillWallets() error {
	c.qr.Wallets = nil
	if c.qr.Online != nil {
		c.qr.Wallets = append(c.qr.Wallets, c.qr.Online)
	}
	if c.Alipay != nil && (c.qr.Online == nil || c.qr.Online.Name() != alipay.Name) {
		p, err := alipay.New(*c.Alipay)
		if err != nil {
			return c.p().Errorf("config [alipay]: %w", err)
		}
		c.qr.Wallets = append(c.qr.Wallets, p)
	}
	if c.WeChat != nil && (c.qr.Online == nil || c.qr.Online.Name() != wechat.Name) {
		p, err := wechat.New(*c.WeChat)
		if err != nil {
			return c.p().Errorf("config [wechat]: %w", err)
		}
		c.qr.Wallets = append(c.qr.Wallets, p)
	}
	return nil
}

// paymentProvider builds the online provider's client, reading its key
// files, for the commands that take payments; nil when the shop has none.
// A missing or bad key is reported here, before a customer is waiting.
func (c *Config) paymentProvider() (pay.Provider, error) {
	var p pay.Provider
	var err error
	switch c.provider {
	case "":
		return nil, nil
	case alipay.Name:
		p, err = alipay.New(*c.Alipay)
	case wechat.Name:
		p, err = wechat.New(*c.WeChat)
	}
	if err != nil {
		return nil, c.p().Errorf("config [%s]: %w", c.provider, err)
	}
	return p, nil
}
