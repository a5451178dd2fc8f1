package i18n

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"zh": Chinese, "zh-CN": Chinese, "zh-Hans": Chinese, " zh ": Chinese, "ZH": Chinese,
		"en": English, "en-GB": English, "en-US": English} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "fr", "de-DE", "chinese", "ja", "zh+en"} {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %q, want an error", in, got)
		}
	}
	if ForCountry("CN") != Chinese || ForCountry("cn") != Chinese || ForCountry("SG") != English || ForCountry("") != English {
		t.Error("ForCountry")
	}
}

func TestParseReceipt(t *testing.T) {
	for in, want := range map[string]ReceiptLang{"zh": {Lang: Chinese}, "en": {Lang: English},
		"zh+en": {Lang: Chinese, Second: English}, "en+zh-CN": {Lang: English, Second: Chinese}} {
		got, err := ParseReceipt(in)
		if err != nil || got != want {
			t.Errorf("ParseReceipt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if s := (ReceiptLang{Lang: Chinese, Second: English}).String(); s != "zh+en" {
		t.Errorf("String %q", s)
	}
	for _, in := range []string{"", "zh+zh", "zh+", "fr+en", "zh+en+en", "zh,en"} {
		if got, err := ParseReceipt(in); err == nil {
			t.Errorf("ParseReceipt(%q) = %v, want an error", in, got)
		}
	}
}

func TestPrinter(t *testing.T) {
	zhp := New(Chinese)
	var nilp *Printer
	for _, p := range []*Printer{nilp, {}, New(English), New("fr")} {
		if p.Lang() != English || p.T("%d goods", 3) != "3 goods" || p.T("Scan or type") != "Scan or type" {
			t.Errorf("an English printer changed a message: %q", p.T("%d goods", 3))
		}
	}
	zhp.msgs = map[string]string{"%d goods": "%d 件商品", "bad %q: %w": "错误 %q：%w"}
	if got := zhp.T("%d goods", 3); got != "3 件商品" {
		t.Errorf("T = %q", got)
	}
	if got := zhp.T("not in the catalog"); got != "not in the catalog" {
		t.Errorf("a missing key: %q", got)
	}
	inner := errors.New("inner")
	err := zhp.Errorf("bad %q: %w", "x", inner)
	if !errors.Is(err, inner) || err.Error() != `错误 "x"：inner` {
		t.Errorf("Errorf = %v", err)
	}
	// Numbers print as typed: no digit grouping in a receipt number.
	if got := zhp.T("%06d", 1234); got != "001234" {
		t.Errorf("%q", got)
	}
}

func TestFormat(t *testing.T) {
	d := time.Date(2026, 12, 1, 14, 5, 0, 0, time.UTC)
	zhp, en := New(Chinese), New(English)
	for got, want := range map[string]string{
		zhp.Date(d): "2026年12月1日", en.Date(d): "2026-12-01",
		zhp.DateTime(d): "2026年12月1日 14:05", en.DateTime(d): "2026-12-01 14:05",
		zhp.Weekday(d): "星期二", en.Weekday(d): "Tuesday",
		zhp.ShortDay(d): "12月1日 周二", en.ShortDay(d): "Tue 1 Dec",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
	cny, _ := pos.LookupCurrency("CNY")
	chf, _ := pos.LookupCurrency("CHF")
	for got, want := range map[string]string{
		Money(1250, cny): "¥12.50", Money(-40, cny): "-¥0.40", zhp.Money(300, chf): "CHF 3.00",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

func TestBareConsole(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, c := range []struct {
		env  func(string) string
		bare bool
	}{
		{env("TERM", "linux"), true},
		{env("TERM", "linux", "SSH_CONNECTION", "10.0.0.2 5000 10.0.0.1 22"), false},
		{env("TERM", "linux", "SSH_TTY", "/dev/pts/0"), false},
		{env("TERM", "xterm-256color"), false},
		{env("TERM", "fbterm"), false},
		{env(), false},
	} {
		if got := BareConsole(c.env); got != c.bare {
			t.Errorf("TERM=%q SSH_CONNECTION=%q: %v, want %v", c.env("TERM"), c.env("SSH_CONNECTION"), got, c.bare)
		}
	}
	if len(BareConsoleLine) > 80 {
		t.Errorf("the message line is %d columns", len(BareConsoleLine))
	}
}

// Each domain error is keyed by its own text, and ErrorText finds it
// wrapped in a message.
func TestDomainErrors(t *testing.T) {
	for e, key := range DomainErrors {
		if e.Error() != key {
			t.Errorf("DomainErrors keys %v by %q", e, key)
		}
	}
	p := New(Chinese)
	p.msgs = map[string]string{"not enough paid": "付款不足"}
	err := fmt.Errorf("sale: %w: ¥1.00 short", pos.ErrUnderpaid)
	if got := p.ErrorText(err, DomainErrors); got != "sale: 付款不足: ¥1.00 short" {
		t.Errorf("ErrorText = %q", got)
	}
	if got := New(English).ErrorText(err, DomainErrors); got != err.Error() {
		t.Errorf("English ErrorText = %q", got)
	}
	if got := p.ErrorText(errors.New("not enough paid, said a library"), DomainErrors); got != "not enough paid, said a library" {
		t.Errorf("an error not in the chain was translated: %q", got)
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct {
		lang                Lang
		name, alt, one, two string
	}{
		{Chinese, "Cola 330ml can", "可口可乐 330ml", "可口可乐 330ml", "Cola 330ml can"},
		{English, "Cola 330ml can", "可口可乐 330ml", "Cola 330ml can", "可口可乐 330ml"},
		{Chinese, "豆腐 400g", "Tofu", "豆腐 400g", "Tofu"},
		{Chinese, "豆腐 400g", "", "豆腐 400g", ""},
		{Chinese, "Water", "Water", "Water", ""},
	} {
		if one, two := Names(c.lang, c.name, c.alt); one != c.one || two != c.two {
			t.Errorf("Names(%s, %q, %q) = %q, %q", c.lang, c.name, c.alt, one, two)
		}
	}
}
