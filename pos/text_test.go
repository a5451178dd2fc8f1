package pos

import (
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, ok := range []string{"", "Green tea 500g", "绿茶", "Café crème", "ÅSA-01", "emoji 🍵", "tab-less"} {
		if err := CheckText("name", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"AB\x1b]0;pwned\x07", `sku "AB\x1b]0;pwned\a": control character \x1b at character 3`},
		{"Tea\u202egnp.exe", `"Tea\u202egnp.exe": bidi control \u202e at character 4`},
		{"\u2066x", `bidi control \u2066 at character 1`},
		{"Te\u200ba", `zero-width character \u200b at character 3`},
		{"Te\u200da", `zero-width character \u200d`},
		{"\ufeffTea", `zero-width character \ufeff at character 1`},
		{"Te\u2060a", `zero-width character \u2060`},
		{"a\tb", `control character \t`},
		{"a\rb", `control character \r`},
		{"a\u0085b", `control character \u0085`},
		{"a\u2028b", `line separator \u2028`},
		{"a\xffb", `invalid UTF-8 at character 2`},
	} {
		err := CheckText("sku", tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckText(%q) = %v, want it to contain %s", tc.in, err, tc.want)
			continue
		}
		for _, r := range err.Error() {
			if hiddenKind(r) != "" {
				t.Errorf("the message for %q carries %U itself", tc.in, r)
			}
		}
	}
}

// The product check applies the rule to SKUs, barcodes and names.
func TestValidateRefusesHiddenText(t *testing.T) {
	for _, p := range []Product{
		{SKU: "A\x1b[2J", Name: "Tea", Price: 1},
		{SKU: "A", Name: "Tea\u202e", Price: 1},
		{SKU: "A", Name: "Tea", AltName: "绿\u200b茶", Price: 1},
		{SKU: "A", Name: "Tea", Category: "\ufeffdrinks", Price: 1},
		{SKU: "A\u200d", Name: "Tea", Price: 1},
	} {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}
