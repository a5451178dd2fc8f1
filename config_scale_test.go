package main

import (
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
)

// [[scale]] label layouts are built when the config is loaded: a bad one
// stops the till at start-up, in words, before a label is scanned.
func TestScaleFormatsInTheConfig(t *testing.T) {
	c, err := loadConfig(writeConfig(t, `
[[scale]]
format = "21PPPPPWWWWWC"
[[scale]]
format = "26PPPPP$$$$$WWWWWC"
check = "none"
`), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.scales == nil || strings.Join(c.scales.Formats(), ",") != "21PPPPPWWWWWC,26PPPPP$$$$$WWWWWC" {
		t.Fatalf("scales %+v", c.scales)
	}
	apple := pos.Product{SKU: "SKU1027", Name: "Apple", Price: 1200, Unit: pos.Kilogram, PLU: "1027"}
	code := "210102701250"
	code += string(pos.GTINCheckDigit(code))
	lb, err := c.scales.Parse(code, func(plu string) (pos.Product, bool) { return apple, plu == "01027" })
	if err != nil || lb.Qty != 1250 {
		t.Fatalf("label %s: %+v %v", code, lb, err)
	}

	for _, bad := range []string{
		"[[scale]]\nformat = \"21PPPPPQQQQQC\"\n",
		"[[scale]]\nformat = \"21PPPPPWWWWWC\"\nunit = \"lb\"\n",
		"[[scale]]\nformat = \"21PPPPPWWWWWC\"\ncheck = \"luhn\"\n",
	} {
		_, err := loadConfig(writeConfig(t, bad), true)
		if err == nil || !strings.Contains(err.Error(), "[[scale]]") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	c, err = loadConfig(writeConfig(t, `shop = "x"`), true)
	if err != nil || c.scales != nil {
		t.Fatalf("no [[scale]]: %+v %v", c.scales, err)
	}
}
