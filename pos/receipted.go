package pos

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Receipted is what one receipt number stands for: a sale, or a refund
// or void (they share the gapless sequence). Exactly one is set.
type Receipted struct {
	Receipt uint64
	Sale    *Sale
	Refund  *Refund
}

// ErrNotASale says a receipt number belongs to a refund or void, not to
// a sale.
var ErrNotASale = errors.New("that receipt is a refund, not a sale")

// ReceiptRef is what a cashier typed or scanned to find a stored sale:
// a receipt number, or a sale (or refund) ID as printed on the receipt
// and in its barcode or QR code.
type ReceiptRef struct {
	Number uint64 // set for a receipt number
	ID     string // set for an ID
}

// ParseReceiptRef reads a receipt reference: "7", "000007", "#7" or
// "No. 7" are receipt numbers; an ID is a 26-character ULID (any case, as
// scanners may send it) followed by "-TERMINAL".
func ParseReceiptRef(s string) (ReceiptRef, error) {
	s = strings.TrimSpace(s)
	num := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(s, "#"), "No."), "no."))
	if num != "" && len(num) <= 12 && strings.Trim(num, "0123456789") == "" {
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil || n == 0 {
			return ReceiptRef{}, fmt.Errorf("receipt number %q: receipts start at 1", s)
		}
		return ReceiptRef{Number: n}, nil
	}
	if len(s) > 27 && s[26] == '-' {
		id := strings.ToUpper(s[:26]) + s[26:]
		if _, err := SaleTime(id); err == nil {
			return ReceiptRef{ID: id}, nil
		}
	}
	return ReceiptRef{}, fmt.Errorf("%q is neither a receipt number (like 7) nor a sale ID (as printed on the receipt)", s)
}
