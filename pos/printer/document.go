package printer

import (
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/escpos"
)

// Receipt is the printed receipt of a committed sale, from its screen
// text (tui/receipt.Sale): the shop's name as the header, the sale ID as
// a code to scan back for a refund, and a drawer kick when cash changed
// hands (never on a QR-only sale).
func Receipt(s pos.Sale, text, shop string) escpos.Document {
	d := escpos.TextDocument(escpos.KindReceipt, shop, text)
	d.Code = s.ID
	d.Kick = hasCash(s.Tenders)
	d.Cashier = s.Cashier
	return d
}

// Refund is the printed refund or void slip (tui/receipt.Refund), with
// the sale's ID to scan for a further refund, kicking the drawer when
// money goes back in cash.
func Refund(r pos.Refund, text, shop string) escpos.Document {
	d := escpos.TextDocument(escpos.KindRefund, shop, text)
	d.Code = r.SaleID
	d.Kick = hasCash(r.Tenders)
	d.Cashier = r.Cashier
	return d
}

// Report is a printed X or Z report (tui/receipt.Report).
func Report(r pos.Report, text, shop string) escpos.Document {
	kind := escpos.KindX
	if r.Kind == pos.ZReport {
		kind = escpos.KindZ
	}
	return escpos.TextDocument(kind, shop, text)
}

// Reprint marks d as a copy printed at: "COPY 重打" and the time, and no
// drawer kick.
func Reprint(d escpos.Document, at time.Time) escpos.Document {
	d.Copy, d.CopyAt, d.Kick = true, at, false
	return d
}

func hasCash(ts []pos.Tender) bool {
	for _, t := range ts {
		if t.Kind == pos.Cash {
			return true
		}
	}
	return false
}
