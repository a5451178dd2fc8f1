package tui

import (
	"fmt"
	"strings"

	"github.com/tillpos/till/pos"
)

// Reading amounts the cashier types. Every amount box (cash given, the
// cash part of a split, the QR part) goes through here, so a rule about
// what a scanner's digits look like is written once.

// maxWholeDigits is the most digits before the decimal point a cash
// amount may have: more is a scanner, not a banknote.
const maxWholeDigits = 8

// maxOverpay bounds cash given as a multiple of the amount due.
const maxOverpay = 100

// due is what the customer pays for the cart in cash: the total rounded
// to the drawer's smallest coin.
func (c *common) due() (pos.Totals, pos.Money, error) {
	t, err := pos.Price(c.cart, c.deps.TaxIncluded)
	if err != nil {
		return t, 0, err
	}
	return t, pos.RoundCash(t.Total, c.deps.Currency.CashStep), nil
}

// looksLikeBarcode reports digits of a GTIN length with a valid check
// digit: what a scanner types, not what a cashier keys as cash.
func looksLikeBarcode(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
		return isDigits(s) && pos.GTINCheckDigit(s[:len(s)-1]) == s[len(s)-1]
	}
	return false
}

// scanned reports text that is, or ends in, a barcode: a known code or
// GTIN-shaped digits, as when a scan lands on a half-typed amount.
func (c *common) scanned(text string) bool {
	if _, known := c.ix.code(text); known {
		return true
	}
	for _, n := range []int{14, 13, 12, 8} {
		if len(text) < n {
			continue
		}
		tail := text[len(text)-n:]
		if _, known := c.ix.code(tail); known || looksLikeBarcode(tail) && len(text)-n <= maxWholeDigits {
			return true
		}
	}
	return false
}

// cashGiven reads the cash typed, rejecting what a barcode scanned into
// the box would look like: GTIN-shaped or known codes, more than eight
// whole digits, or more than a hundred times the amount due. Empty means
// exact money.
func (c *common) cashGiven(text string, due pos.Money) (pos.Money, string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return due, ""
	}
	if c.scanned(text) {
		return 0, fmt.Sprintf("%s looks like a barcode, not cash. Finish this sale first (esc to add goods).", text)
	}
	whole, _, _ := strings.Cut(text, ".")
	if len(whole) > maxWholeDigits {
		return 0, fmt.Sprintf("%s is not a cash amount (more than %d digits): was it a scan?", text, maxWholeDigits)
	}
	given, err := pos.ParseMoney(text, c.deps.Currency.Exponent)
	if err != nil {
		return 0, fmt.Sprintf("Type the cash given, like 50 or 50.%s.", strings.Repeat("0", c.deps.Currency.Exponent))
	}
	if due > 0 && given > due*maxOverpay {
		return 0, fmt.Sprintf("%s is more than %d times the %s due: check the amount.", c.money(given), maxOverpay, c.money(due))
	}
	if given < due {
		return 0, fmt.Sprintf("%s is not enough: %s short.", c.money(given), c.money(due-given))
	}
	return given, ""
}
