package tui

import (
	"errors"
	"strings"

	"github.com/tillpos/till/pos"
)

// Reading amounts the cashier types. Every amount box (cash given, the
// cash part of a split, the QR part) goes through here, so a rule about
// what a scanner's digits look like is written once.

// maxWholeDigits is the most digits before the decimal point a cash
// amount may have: more is a scanner, not a banknote.
const maxWholeDigits = pos.MaxCashWholeDigits

// maxOverpay bounds cash given as a multiple of the amount due.
const maxOverpay = pos.MaxOverpay

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
	if _, known := c.ix.Code(text); known {
		return true
	}
	for _, n := range []int{14, 13, 12, 8} {
		if len(text) < n {
			continue
		}
		tail := text[len(text)-n:]
		if _, known := c.ix.Code(tail); known || looksLikeBarcode(tail) && len(text)-n <= maxWholeDigits {
			return true
		}
	}
	return false
}

// typingWords says what is wrong with the text typed so far into an
// amount box, or "" while it can still become an amount. Every key in an
// amount box is checked: a letter stays on the screen, refused, and Enter
// does nothing with it.
func (c *common) typingWords(text string) string {
	if err := pos.CheckAmountTyping(text, c.deps.Currency.Exponent); err != nil {
		return amountWords(c, err, c.deps.Currency.Exponent)
	}
	return ""
}

// amountWords is a refused amount in a cashier's words.
func amountWords(c *common, err error, exp int) string {
	example := c.t("%s or %s", "20", "20."+strings.Repeat("0", exp))
	if exp == 0 {
		example = "20"
	}
	switch {
	case errors.Is(err, pos.ErrAmountEmpty):
		return c.t("Type an amount, like %s.", example)
	case errors.Is(err, pos.ErrAmountLetters):
		return c.t("Letters are not an amount (a scan?): backspace, type it like %s.", example)
	case errors.Is(err, pos.ErrAmountDecimals):
		return c.t("Too many decimal places: type it like %s.", example)
	case errors.Is(err, pos.ErrAmountSign):
		return c.t("An amount has no sign: type it like %s.", example)
	case errors.Is(err, pos.ErrAmountSeparator):
		return c.t("No spaces or commas inside an amount: type it like %s.", example)
	case errors.Is(err, pos.ErrOverflow):
		return c.t("That amount is far too large.")
	}
	return c.t("Type the amount like %s.", example)
}

// parseAmount reads an amount box (the QR part, a float, a discount, a
// count): a well-formed amount in the currency's format or a refusal in
// words.
func (c *common) parseAmount(text string) (pos.Money, string) {
	v, err := pos.ParseAmount(text, c.deps.Currency)
	if err != nil {
		return 0, amountWords(c, err, c.deps.Currency.Exponent)
	}
	return v, ""
}

// cashGiven reads the cash typed, rejecting letters, what a barcode
// scanned into the box would look like (GTIN-shaped or known codes, more
// than eight whole digits), more than a hundred times the amount due,
// and less than due. Empty is refused too: exact money is its own key.
func (c *common) cashGiven(text string, due pos.Money) (pos.Money, string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, c.t("Type the cash given, or press %s for exact money (%s).", c.keys.Exact.Help().Key, c.money(due))
	}
	if c.scanned(text) {
		return 0, c.t("%s is a barcode, not cash: finish this sale first (esc adds goods).", text)
	}
	given, err := pos.ParseCashGiven(text, due, c.deps.Currency)
	var short *pos.ShortError
	switch {
	case err == nil:
		return given, ""
	case errors.As(err, &short):
		return 0, c.t("%s is not enough: %s short.", c.money(due-short.Short), c.money(short.Short))
	case errors.Is(err, pos.ErrLooksLikeBarcode):
		return 0, c.t("%s is not a cash amount (more than %d digits): was it a scan?", text, maxWholeDigits)
	case errors.Is(err, pos.ErrImplausibleCash):
		v, _ := pos.ParseAmount(text, c.deps.Currency)
		return 0, c.t("%s is more than %d times the %s due: check the amount.", c.money(v), maxOverpay, c.money(due))
	case errors.Is(err, pos.ErrAmountLetters):
		return 0, amountWords(c, err, c.deps.Currency.Exponent)
	}
	return 0, c.t("Type the cash given, like 50 or 50.%s.", strings.Repeat("0", c.deps.Currency.Exponent))
}
