package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/emvqr"
	"github.com/tillpos/till/pos/register"
)

// StaticCode is one entry of [qr] static: the payload of a sticker and
// what to call it.
type StaticCode struct {
	Code  string `toml:"code"`
	Label string `toml:"label"`
}

// StaticCodes is [qr] static, written either as one string or as
// [[qr.static]] tables.
type StaticCodes []StaticCode

// UnmarshalTOML takes static = "…" or [[qr.static]] entries.
func (s *StaticCodes) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*s = StaticCodes{{Code: v}}
		return nil
	case []map[string]any:
		out := make(StaticCodes, 0, len(v))
		for i, m := range v {
			var e StaticCode
			for k, val := range m {
				str, ok := val.(string)
				switch {
				case !ok:
					return fmt.Errorf("[[qr.static]] entry %d: %s must be a string", i+1, k)
				case k == "code":
					e.Code = str
				case k == "label":
					e.Label = str
				default:
					return fmt.Errorf("[[qr.static]] entry %d: unknown setting %q (want code and label)", i+1, k)
				}
			}
			out = append(out, e)
		}
		*s = out
		return nil
	}
	return fmt.Errorf(`[qr] static: want static = "CODE" or [[qr.static]] entries with code and label, got %T`, v)
}

// checkStatics recognises each of the shop's static codes: an EMV sticker
// by its format and CRC (checked for its scheme and the shop's currency,
// and made dynamic once with a sample sale so a code that cannot be is
// refused now), or a wallet's collection code by its URL. The notes say
// what was found and what each sale will change.
func (c *Config) checkStatics(in StaticCodes) ([]register.StaticCode, []string, error) {
	var out []register.StaticCode
	var notes []string
	seen := map[string]bool{}
	for i, e := range in {
		code := strings.TrimSpace(e.Code)
		where := c.p().T("config [qr] static %d", i+1)
		if len(in) == 1 {
			where = "config [qr] static"
		}
		if code == "" {
			return nil, nil, c.p().Errorf("%s: the code is empty", where)
		}
		sc := register.StaticCode{Code: code, Label: strings.TrimSpace(e.Label)}
		kind, changes, err := c.recogniseStatic(&sc)
		if err != nil {
			return nil, nil, c.p().Errorf("%s: %w", where, err)
		}
		if seen[sc.Label] {
			return nil, nil, c.p().Errorf("%s: label %q is used twice: give each code its own label", where, sc.Label)
		}
		seen[sc.Label] = true
		out = append(out, sc)
		notes = append(notes, c.p().T("static code %q: %s", sc.Label, kind))
		for _, ch := range changes {
			notes = append(notes, "  "+ch)
		}
	}
	return out, notes, nil
}

// recogniseStatic fills in sc.EMV and a default label, and says what kind
// of code it is and, for an EMV sticker, what each sale changes.
func (c *Config) recogniseStatic(sc *register.StaticCode) (string, []string, error) {
	if strings.HasPrefix(sc.Code, "000201") || strings.HasPrefix(sc.Code, "000202") {
		return c.recogniseEMV(sc)
	}
	u, err := url.Parse(sc.Code)
	if err != nil || u.Scheme == "" || strings.ContainsAny(sc.Code, " \t\r\n") {
		return "", nil, c.p().Errorf("%q is neither an EMV QR payload (starting 000201) nor a URL like https://qr.alipay.com/… or wxp://…", short(sc.Code))
	}
	name := ""
	switch host := strings.ToLower(u.Hostname()); {
	case strings.EqualFold(u.Scheme, "wxp"):
		name = "WeChat Pay"
	case host == "qr.alipay.com" || strings.HasSuffix(host, ".alipay.com"):
		name = "Alipay"
	case host != "":
		name = host
	default:
		name = strings.ToLower(u.Scheme)
	}
	if sc.Label == "" {
		sc.Label = name
	}
	return c.p().T("%s collection code, shown as it is; the customer types the amount and the cashier confirms", name), nil, nil
}

func (c *Config) recogniseEMV(sc *register.StaticCode) (string, []string, error) {
	p, err := emvqr.Parse(sc.Code)
	if err != nil {
		return "", nil, c.p().Errorf("looks like an EMV QR payload but cannot be read: %w", err)
	}
	v, err := p.Check()
	if err != nil {
		return "", nil, c.p().Errorf("not a valid EMV QR code: %w", err)
	}
	name := "EMV QR"
	if v.Scheme != nil {
		name = v.Scheme.Name
	}
	if p.Currency != "" && p.Currency != c.currency.Numeric {
		return "", nil, c.p().Errorf("the %s code is in currency %s but the shop's is %s (%s): a sale would ask for the wrong money", name, p.Currency, c.currency.Numeric, c.currency.Code)
	}
	// A sample sale of one major unit, with a bill number as long as a
	// real one, shows (and checks) what every sale will change.
	one := pos.Money(1)
	for range c.currency.Exponent {
		one *= 10
	}
	_, changes, err := emvqr.Dynamize(sc.Code, emvqr.Sale{Amount: int64(one), Exponent: c.currency.Exponent,
		BillNumber: strings.Repeat("0", 25), TerminalLabel: c.Terminal})
	if err != nil {
		return "", nil, c.p().Errorf("the %s code cannot be made dynamic: %w", name, err)
	}
	if sc.Label == "" {
		sc.Label = name
	}
	sc.EMV = true
	var lines []string
	for _, ch := range changes {
		switch ch.Path {
		case "54":
			lines = append(lines, ch.String()+" (the sale's amount; here one "+c.currency.Code+")")
		case "62.01":
			lines = append(lines, c.p().T("62.01 (%s) added: the sale's number", emvqr.FieldName("62.01")))
		case "63":
			lines = append(lines, "63 (CRC) recomputed")
		default:
			lines = append(lines, ch.String())
		}
	}
	lines = append(lines, c.p().T("every other field kept byte for byte"))
	return c.p().T("%s sticker (%s), made dynamic for each sale:", name, v), lines, nil
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

var errNoImage = errors.New("no QR code found in the image")
