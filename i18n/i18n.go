// Package i18n is Till's one message catalog: every string a person reads
// (screens, dialogs, help lines, receipts, reports, CLI messages and
// --help) is written in English in the code, as the key, and looked up
// here for the language the shop chose. Log lines stay English and never
// come here.
//
// Wrapping a string is a small edit: fmt.Sprintf("%d goods", n) becomes
// p.T("%d goods", n), fmt.Errorf becomes p.Errorf, fmt.Fprintf(w, ...)
// becomes p.Fprintf(w, ...). A string kept in a table and translated
// later is marked where it is written with N("..."). Flag usage strings
// are keys too: the command line translates them when it registers the
// flags. catalog_test.go walks the Go source of the module and fails when
// a key used in the code is missing from a language, when a translation's
// verbs do not match its key's, or when the catalog holds a key no code
// uses.
//
// Languages are golang.org/x/text/language tags, matched so that "zh",
// "zh-CN" and "zh-Hans" all mean Chinese. The catalog itself is a Go map
// per language, and formatting is fmt's: golang.org/x/text/message's
// printer groups digits ("receipt 001,234") and cannot wrap errors (%w),
// and a receipt number or a SKU must print as it is typed.
package i18n

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language Till speaks.
type Lang string

// The languages Till speaks. English is the language of the keys.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// Langs lists every language, English first.
var Langs = []Lang{English, Chinese}

var matcher = language.NewMatcher([]language.Tag{language.English, language.Chinese})

// Parse reads a language setting: "zh", "zh-CN", "zh-Hans", "en",
// "en-GB", ... Anything else is refused.
func Parse(s string) (Lang, error) {
	t, err := language.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("language %q: want zh or en", s)
	}
	_, i, conf := matcher.Match(t)
	if conf < language.High {
		return "", fmt.Errorf("language %q: want zh or en", s)
	}
	return Langs[i], nil
}

// ForCountry is the default language of a shop in country (ISO 3166
// alpha-2): Chinese in mainland China, else English.
func ForCountry(country string) Lang {
	if strings.EqualFold(strings.TrimSpace(country), "CN") {
		return Chinese
	}
	return English
}

// Tag is the language's BCP 47 tag.
func (l Lang) Tag() language.Tag {
	if l == Chinese {
		return language.SimplifiedChinese
	}
	return language.English
}

// catalogs maps a language to its messages, by English key. English has
// no map: the key is the message.
var catalogs = map[Lang]map[string]string{Chinese: zh}

// Printer translates and formats the messages of one language. The zero
// value and a nil *Printer speak English.
type Printer struct {
	lang Lang
	msgs map[string]string
}

// New returns the printer for lang (English for an unknown one).
func New(lang Lang) *Printer {
	m, ok := catalogs[lang]
	if !ok {
		lang = English
	}
	return &Printer{lang: lang, msgs: m}
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang {
	if p == nil || p.lang == "" {
		return English
	}
	return p.lang
}

// lookup is key in the printer's language; a key missing from the
// catalog (a test catches that) prints in English rather than not at all.
func (p *Printer) lookup(key string) string {
	if p == nil {
		return key
	}
	if s, ok := p.msgs[key]; ok {
		return s
	}
	return key
}

// T translates key and, given arguments, formats it as fmt.Sprintf does.
func (p *Printer) T(key string, args ...any) string {
	f := p.lookup(key)
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// Errorf is fmt.Errorf with a translated format: %w wraps as it does
// there. For errors a person reads; an error only logged stays fmt.Errorf.
func (p *Printer) Errorf(key string, args ...any) error {
	return fmt.Errorf(p.lookup(key), args...)
}

// Fprintf writes the translated, formatted key to w.
func (p *Printer) Fprintf(w io.Writer, key string, args ...any) (int, error) {
	return fmt.Fprintf(w, p.lookup(key), args...)
}

// Plural is one when n is 1, else many formatted with n: p.Plural(n,
// "1 item", "%d items"). Both are keys.
func (p *Printer) Plural(n int, one, many string) string {
	if n == 1 {
		return p.T(one)
	}
	return p.T(many, n)
}

// N marks s as a key where it is written, for a string kept (in a table,
// a struct) and translated later with T. It returns s unchanged.
func N(s string) string { return s }

// ReceiptLang is the language of receipts and reports and, for a
// bilingual receipt, the second language: each line's goods name in Lang,
// then its name in Second under it.
type ReceiptLang struct {
	Lang   Lang
	Second Lang // empty for a receipt in one language
}

// ParseReceipt reads a receipt_language setting: "zh", "en", or two
// joined by "+", "zh+en", for a bilingual receipt.
func ParseReceipt(s string) (ReceiptLang, error) {
	first, second, two := strings.Cut(s, "+")
	l, err := Parse(first)
	if err != nil {
		return ReceiptLang{}, fmt.Errorf("language %q: want zh, en, or zh+en for both", s)
	}
	r := ReceiptLang{Lang: l}
	if two {
		if r.Second, err = Parse(second); err != nil || r.Second == l {
			return ReceiptLang{}, fmt.Errorf("language %q: want zh, en, or zh+en for both", s)
		}
	}
	return r, nil
}

// String is the setting that reads back as r.
func (r ReceiptLang) String() string {
	if r.Second == "" {
		return string(r.Lang)
	}
	return string(r.Lang) + "+" + string(r.Second)
}
