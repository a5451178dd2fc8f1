package pos

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/tillpos/till/internal/errmsg"
)

// IDs travel from the terminal to head office inside record IDs, URLs,
// file names and log lines, so there is one rule for each kind, used
// where an ID is chosen (the config, `till hq enrol`, a new database)
// and where one is received (head office): what one accepts, the other
// accepts too.

// MaxTerminalID is the longest terminal ID, in bytes (ASCII characters).
const MaxTerminalID = 16

// errTerminalWant is what a terminal ID must be.
var errTerminalWant = errmsg.Errorf("want 1 to 16 ASCII letters, digits or punctuation, no spaces, dashes or slashes")

// CheckTerminalID checks a terminal ID: 1 to 16 printable ASCII
// characters with no spaces, dashes or slashes. A sale ID is
// ULID-TERMINAL, so a dash would make it ambiguous; head office accepts
// record IDs of ASCII only, so a terminal named in other letters could
// never deliver a sale.
func CheckTerminalID(id string) error {
	want := errTerminalWant
	switch {
	case id == "":
		return errmsg.Errorf("terminal ID is empty: %s", want)
	case strings.IndexFunc(id, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0:
		return errmsg.Errorf("terminal ID %q is not ASCII: head office takes only ASCII IDs; %s", id, want)
	case len(id) > MaxTerminalID:
		return errmsg.Errorf("terminal ID %q is %d characters: %s", id, len(id), want)
	case strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '-' || r == '/' }) >= 0:
		return errmsg.Errorf("terminal ID %q: %s", id, want)
	}
	return nil
}

// CheckStoreID checks a store ID: 1 to 64 bytes, no spaces or control
// characters.
func CheckStoreID(id string) error {
	if id == "" || len(id) > 64 || strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return fmt.Errorf("store %q: want 1 to 64 characters, no spaces", id)
	}
	return nil
}

// MaxRecordID is the longest ID of a record sent to head office.
const MaxRecordID = 128

// CheckRecordID checks the ID of any record a terminal sends: 1 to 128
// printable ASCII characters without spaces.
func CheckRecordID(id string) error {
	if id == "" || len(id) > MaxRecordID || strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0 {
		return fmt.Errorf("bad record id %q", id)
	}
	return nil
}

// CheckOwnID checks that a sale or refund ID is a ULID followed by
// "-TERMINAL", as NewSaleID makes them, and that the terminal ID itself
// keeps CheckTerminalID's rule.
func CheckOwnID(id, terminal string) error {
	if err := CheckTerminalID(terminal); err != nil {
		return err
	}
	if !strings.HasSuffix(id, "-"+terminal) {
		return fmt.Errorf("id %s is not of terminal %s", id, terminal)
	}
	if _, err := SaleTime(id); err != nil || len(id) != ulid.EncodedSize+1+len(terminal) {
		return fmt.Errorf("id %s is not a ULID followed by the terminal", id)
	}
	return nil
}

// ZReportID is the record ID of a terminal's numbered Z report.
func ZReportID(number uint64, terminal string) string {
	return fmt.Sprintf("Z%d-%s", number, terminal)
}

// ZReportNumber reads the number back out of a Z report's record ID.
func ZReportNumber(id string) (uint64, bool) {
	var n uint64
	_, err := fmt.Sscanf(id, "Z%d-", &n)
	return n, err == nil
}
