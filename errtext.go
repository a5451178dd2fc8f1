package main

import (
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/reconcile"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/client"
)

// storeErrors are the store's and the register's errors a person at the
// command line reads, beside the domain's (i18n.DomainErrors), keyed by
// their English text.
var storeErrors = map[error]string{
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
	register.ErrLoginNeeded:  i18n.N("log in first"),
	errNoImage:               i18n.N("no QR code found in the image"),
	reconcile.ErrFormat:      i18n.N("unrecognised statement"),
	staff.ErrPIN:             i18n.N("a PIN is 4 to 8 digits"),
	staff.ErrWrong:           i18n.N("wrong PIN"),
	staff.ErrLocked:          i18n.N("locked after too many wrong PINs"),
	staff.ErrUnknown:         i18n.N("no such staff member"),
	staff.ErrOff:             i18n.N("staff member is disabled"),
	// A sync's: the rest of its message is a detail from the network.
	client.ErrUnauthorized: i18n.N("head office refused this terminal's credential (revoked or wrong)"),
	client.ErrRefused:      i18n.N("head office refused the request"),
	client.ErrNoAnswer:     i18n.N("head office did not answer"),
	client.ErrTransport:    i18n.N("connection trouble"),
}

// errorText is err's message for the person at the command line, with
// the domain's and the store's errors in its chain in p's language.
func errorText(p *i18n.Printer, err error) string {
	return p.ErrorText(err, i18n.DomainErrors, storeErrors)
}
