package i18n

import (
	"encoding/csv"
	"errors"
	"strings"

	"github.com/tillpos/till/pos"
)

// DomainErrors are the domain's errors people read (in a CLI error, a
// prompt's retry line), each with its English text as the catalog key.
// The domain speaks English, as its logs do; ErrorText says these in the
// shop's language wherever they appear in an error's message. Adapters
// keep their own tables beside the code that shows them (the command
// line's errtext.go).
var DomainErrors = map[error]string{
	pos.ErrCheckDigit:       N("bad check digit"),
	pos.ErrLooksLikeBarcode: N("looks like a scanned barcode, not cash"),
	pos.ErrImplausibleCash:  N("far more than the amount due"),
	pos.ErrNoReason:         N("say why: a reason is needed"),
	pos.ErrNoAmount:         N("the amount must be more than zero"),
	pos.ErrDrawerShort:      N("that is more cash than the drawer should hold"),
	pos.ErrOverflow:         N("amount too large"),
	pos.ErrAmount:           N("invalid amount"),
	pos.ErrAmountEmpty:      N("nothing typed"),
	pos.ErrAmountLetters:    N("letters are not part of an amount"),
	pos.ErrAmountSign:       N("an amount has no sign"),
	pos.ErrAmountSeparator:  N("no thousands separators or spaces inside an amount"),
	pos.ErrAmountShape:      N("want digits like 12.50"),
	pos.ErrAmountDecimals:   N("too many decimal places"),
	pos.ErrNotFound:         N("not found"),
	pos.ErrNotASale:         N("that receipt is a refund, not a sale"),
	pos.ErrOverRefund:       N("refund exceeds what was sold"),
	pos.ErrNothingToClose:   N("nothing to close: no sales, refunds, drawer events or open shift since the last Z report"),
	pos.ErrUnderpaid:        N("not enough paid"),
	pos.ErrQty:              N("invalid quantity"),
	// A goods file's line that is not CSV (package goodscsv).
	csv.ErrBareQuote: N(`bare " in non-quoted-field`),
	csv.ErrQuote:     N(`extraneous or missing " in quoted-field`),
}

// ErrorText is err's message in p's language: each message in err's
// chain that keeps its parts (an errmsg.Error, a goods file's
// goodscsv.FileError) is said from them, and the text of each error of
// the tables (DomainErrors, an adapter's) is replaced by its
// translation; the rest, a detail from a library, stays as it is.
func (p *Printer) ErrorText(err error, tables ...map[error]string) string {
	msg := err.Error()
	if p.Lang() == English {
		return msg
	}
	msg = p.structured(msg, err, tables)
	for _, t := range tables {
		for e, key := range t {
			if errors.Is(err, e) {
				msg = strings.ReplaceAll(msg, key, p.T(key)) // a sync's push and pull may both say it
			}
		}
	}
	return msg
}
