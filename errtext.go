package main

import (
	"errors"
	"strings"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
)

// domainErrors are the domain's errors a person at the command line
// reads, with their English text as the catalog key: the domain speaks
// English (its errors are also logged), and errorText says them in the
// shop's language where they appear in a command's error.
var domainErrors = map[error]string{
	pos.ErrCheckDigit:        i18n.N("bad check digit"),
	pos.ErrLooksLikeBarcode:  i18n.N("looks like a scanned barcode, not cash"),
	pos.ErrImplausibleCash:   i18n.N("far more than the amount due"),
	pos.ErrNoReason:          i18n.N("say why: a reason is needed"),
	pos.ErrNoAmount:          i18n.N("the amount must be more than zero"),
	pos.ErrDrawerShort:       i18n.N("that is more cash than the drawer should hold"),
	pos.ErrOverflow:          i18n.N("amount too large"),
	pos.ErrAmount:            i18n.N("invalid amount"),
	pos.ErrAmountEmpty:       i18n.N("nothing typed"),
	pos.ErrAmountLetters:     i18n.N("letters are not part of an amount"),
	pos.ErrAmountSign:        i18n.N("an amount has no sign"),
	pos.ErrAmountSeparator:   i18n.N("no thousands separators or spaces inside an amount"),
	pos.ErrAmountShape:       i18n.N("want digits like 12.50"),
	pos.ErrAmountDecimals:    i18n.N("too many decimal places"),
	pos.ErrNotFound:          i18n.N("not found"),
	pos.ErrNotASale:          i18n.N("that receipt is a refund, not a sale"),
	pos.ErrOverRefund:        i18n.N("refund exceeds what was sold"),
	pos.ErrNothingToClose:    i18n.N("nothing to close: no sales, refunds, drawer events or open shift since the last Z report"),
	pos.ErrUnderpaid:         i18n.N("not enough paid"),
	pos.ErrQty:               i18n.N("invalid quantity"),
	bolt.ErrKeyUsed:          i18n.N("sale key already used"),
	bolt.ErrInUse:            i18n.N("database is already in use by another Till"),
	bolt.ErrNotTill:          i18n.N("not a Till database"),
	bolt.ErrCorrupt:          i18n.N("database is corrupt"),
	bolt.ErrTooNew:           i18n.N("database was written by a newer Till"),
	bolt.ErrExists:           i18n.N("already recorded"),
	bolt.ErrHeadOffice:       i18n.N("this is a head-office database, not a terminal's"),
	register.ErrNotPayCode:   i18n.N("not a payment code"),
	register.ErrAttemptOpen:  i18n.N("the previous payment-code attempt is not finished yet"),
	register.ErrNotConfirmed: i18n.N("the provider has not confirmed the order closed; the customer may still pay it: do not take other money yet"),
	register.ErrNoQR:         i18n.N("QR payment is not set up"),
}

// errorText is err's message for the person at the command line: the
// text of each domain error in its chain in p's language.
func errorText(p *i18n.Printer, err error) string {
	msg := err.Error()
	if p.Lang() == i18n.English {
		return msg
	}
	for e, key := range domainErrors {
		if errors.Is(err, e) {
			msg = strings.Replace(msg, key, p.T(key), 1)
		}
	}
	return msg
}
