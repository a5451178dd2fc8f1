package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/pos/pay/paysim"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "till.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigDefaultsWithoutFile(t *testing.T) {
	c, err := loadConfig(filepath.Join(t.TempDir(), "absent.toml"), false)
	if err != nil {
		t.Fatal(err)
	}
	if c.currency.Code != "CNY" || c.currency.Exponent != 2 || !c.taxIncluded || c.Terminal != "T1" || !c.qr.Demo ||
		c.qr.Expiry != 5*time.Minute || c.qr.Merchant.Currency != "156" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestConfigReadsSettings(t *testing.T) {
	p := writeConfig(t, `shop = "Corner Shop"
currency = "SGD"
country = "SG"
city = "Singapore"
tax_included = false
cash_rounding = "0.05"
terminal = "LANE2"
[qr]
account_id = "26"
guid = "SG.PAYNOW"
fields = { "01" = "2", "02" = "201403121W", "03" = "0" }
expiry = "3m"
`)
	c, err := loadConfig(p, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.currency.Code != "SGD" || c.currency.CashStep != 5 || c.taxIncluded || c.Terminal != "LANE2" || c.qr.Demo ||
		c.qr.Expiry != 3*time.Minute || len(c.qr.Merchant.AccountFields) != 3 || c.qr.Merchant.AccountFields[1].Value != "201403121W" {
		t.Fatalf("settings: %+v", c)
	}
}

func TestBadConfigIsReportedInWords(t *testing.T) {
	long := strings.Repeat("x", 30)
	cases := map[string]string{
		`currency = "XYZ"`:        "unknown currency",
		`shpo = "typo"`:           `unknown setting "shpo"`,
		`cash_rounding = "0.055"`: "cash_rounding",
		"terminal = \"T 1\"":      "terminal",
		"terminal = \"收银1\"":      "not ASCII",
		"[qr]\nguid = \"x\"":      "missing merchant account",
		"[qr]\naccount_id = \"26\"\nguid = \"br.gov.bcb.pix\"\nfields = {\"01\" = \"k\"}\nmerchant_name = \"" + long + "\"": "merchant name",
		"[qr]\naccount_id = \"26\"\nguid = \"g\"\nfields = {\"01\" = \"k\"}\nexpiry = \"1s\"":                               "expiry",
		"[qr]\naccount_id = \"99\"\nguid = \"g\"\nfields = {\"01\" = \"k\"}":                                                "between 02 and 51",
	}
	for text, want := range cases {
		_, err := loadConfig(writeConfig(t, text), true)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	if _, err := loadConfig(filepath.Join(t.TempDir(), "absent.toml"), true); err == nil {
		t.Error("a missing --config file was ignored")
	}
}

func TestDemoQRSurvivesAnUnfitShopName(t *testing.T) {
	c, err := loadConfig(writeConfig(t, `shop = "小卖部 on the corner of a very long street"`), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.qr.Merchant.Name != "Till Demo Shop" {
		t.Fatalf("demo merchant %q", c.qr.Merchant.Name)
	}
}

func TestOnlineProviderConfig(t *testing.T) {
	// The simulator writes key files and a config snippet for the till.
	dir := t.TempDir()
	out := &syncWriter{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- paysim.Serve(ctx, paysim.Config{Addr: "127.0.0.1:0", KeyDir: dir}, out) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "notify_url") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	snippet := out.String()
	snippet = snippet[strings.Index(snippet, "[alipay]"):]
	c, err := loadConfig(writeConfig(t, "[qr]\nprovider = \"wechat\"\n"+snippet), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.qr.Online != nil {
		t.Fatal("loading the config built a payment client")
	}
	online, err := c.paymentProvider()
	if err != nil {
		t.Fatal(err)
	}
	if online == nil || online.Name() != "wechat" || c.qr.Merchant.GUID != "" {
		t.Fatalf("online-only config: %+v, %v", c.qr, online)
	}
	for text, want := range map[string]string{
		"[qr]\nprovider = \"alipay\"\n": "needs an [alipay] section",
		"[qr]\nprovider = \"paypal\"\n": "want alipay or wechat",
	} {
		if _, err := loadConfig(writeConfig(t, text), true); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	// A missing key file is found when the client is built, not when the
	// config is read: loading stays pure (see testdata/script/counter.txtar).
	c, err = loadConfig(writeConfig(t, "[qr]\nprovider = \"alipay\"\n[alipay]\nprivate_key = \"/nope.pem\"\nalipay_public_key = \"/nope-pub.pem\"\n"), true)
	if err != nil {
		t.Fatalf("config with a missing key file: %v", err)
	}
	if _, err := c.paymentProvider(); err == nil || !strings.Contains(err.Error(), "[alipay]") || !strings.Contains(err.Error(), "/nope.pem") {
		t.Errorf("missing key file: %v", err)
	}
}

// syncWriter is a strings.Builder safe to write from a server goroutine.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
