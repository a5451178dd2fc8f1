package pos

import (
	"strconv"
	"unicode/utf8"

	"github.com/tillpos/till/internal/errmsg"
)

// CheckText is the rule for text that identifies or names goods (SKUs,
// barcodes, names): it refuses characters that act on a terminal or hide
// from the reader, since a receipt or a screen must read as what it is:
// control characters (C0 including tab, CR and LF, DEL, C1), the bidi
// embeddings, overrides and isolates (U+202A-202E, U+2066-2069), the
// zero-width characters (U+200B-200D, U+2060, U+FEFF), the line and
// paragraph separators (U+2028, U+2029), and invalid UTF-8. The message
// names the field and shows the character escaped.
func CheckText(field, s string) error {
	n := 0
	for i, r := range s {
		n++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return errmsg.Errorf("%s %s: invalid UTF-8 at character %d", field, quote(s), n)
			}
		}
		if what := hiddenKind(r); what != "" {
			return errmsg.Errorf("%s %s: %s %s at character %d (control characters, bidi controls and zero-width characters are not allowed)",
				field, quote(s), hiddenKinds[what], escapeRune(r), n)
		}
	}
	return nil
}

// hiddenKinds are hiddenKind's words, as messages a translator says.
var hiddenKinds = map[string]error{
	"control character":    errmsg.Errorf("control character"),
	"bidi control":         errmsg.Errorf("bidi control"),
	"zero-width character": errmsg.Errorf("zero-width character"),
	"line separator":       errmsg.Errorf("line separator"),
}

// hiddenKind says what kind of character CheckText refuses r as, or "".
func hiddenKind(r rune) string {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return "control character"
	case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
		return "bidi control"
	case (r >= 0x200b && r <= 0x200d) || r == 0x2060 || r == 0xfeff:
		return "zero-width character"
	case r == 0x2028 || r == 0x2029:
		return "line separator"
	}
	return ""
}

// quote quotes s as Go does, with every non-printable character
// escaped (bidi and zero-width ones included), so that the message is
// itself safe on a terminal; Chinese and other printable text shows.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return strconv.Quote(s)
}

func escapeRune(r rune) string {
	q := strconv.QuoteRuneToASCII(r)
	return q[1 : len(q)-1]
}

// checkText applies CheckText to a product's identifying and naming
// fields.
func (p Product) checkText() []error {
	var errs []error
	add := func(field, s string) {
		if err := CheckText(field, s); err != nil {
			errs = append(errs, err)
		}
	}
	add("sku", p.SKU)
	for _, b := range p.Barcodes {
		add("barcode", b)
	}
	add("name", p.Name)
	add("alternative name", p.AltName)
	add("category", p.Category)
	add("mnemonic", p.Mnemonic)
	add("plu", p.PLU)
	return errs
}
