package pos

import (
	"strings"

	"github.com/tillpos/till/internal/errmsg"
)

// currencies lists the ISO 4217 currencies Till knows by code: numeric
// code and minor-unit exponent.
var currencies = map[string]Currency{
	"CNY": {Code: "CNY", Numeric: "156", Exponent: 2},
	"HKD": {Code: "HKD", Numeric: "344", Exponent: 2},
	"TWD": {Code: "TWD", Numeric: "901", Exponent: 2},
	"JPY": {Code: "JPY", Numeric: "392", Exponent: 0},
	"KRW": {Code: "KRW", Numeric: "410", Exponent: 0},
	"SGD": {Code: "SGD", Numeric: "702", Exponent: 2},
	"MYR": {Code: "MYR", Numeric: "458", Exponent: 2},
	"THB": {Code: "THB", Numeric: "764", Exponent: 2},
	"IDR": {Code: "IDR", Numeric: "360", Exponent: 2},
	"VND": {Code: "VND", Numeric: "704", Exponent: 0},
	"PHP": {Code: "PHP", Numeric: "608", Exponent: 2},
	"INR": {Code: "INR", Numeric: "356", Exponent: 2},
	"BRL": {Code: "BRL", Numeric: "986", Exponent: 2},
	"USD": {Code: "USD", Numeric: "840", Exponent: 2},
	"EUR": {Code: "EUR", Numeric: "978", Exponent: 2},
	"GBP": {Code: "GBP", Numeric: "826", Exponent: 2},
	"CHF": {Code: "CHF", Numeric: "756", Exponent: 2},
	"AUD": {Code: "AUD", Numeric: "036", Exponent: 2},
	"KWD": {Code: "KWD", Numeric: "414", Exponent: 3},
}

// LookupCurrency returns a known ISO 4217 currency by its alphabetic code.
func LookupCurrency(code string) (Currency, error) {
	c, ok := currencies[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Currency{}, errmsg.Errorf("unknown currency %q: want an ISO 4217 code such as CNY", code)
	}
	return c, nil
}
