package emvqr

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, so callers can test the kind of failure with errors.Is; the concrete
// type is *Error, which also carries the field ID and byte offset.
var (
	// ErrSyntax reports a malformed data object: a non-numeric ID or length,
	// or a truncated ID/length header.
	ErrSyntax = errors.New("malformed data object")
	// ErrLength reports a length that runs past the end of the payload or of
	// the enclosing template, or a data object with an empty value.
	ErrLength = errors.New("invalid length")
	// ErrCRC reports a missing, misplaced, malformed or wrong CRC.
	ErrCRC = errors.New("invalid crc")
	// ErrMissing reports a mandatory data object that is absent.
	ErrMissing = errors.New("missing data object")
	// ErrDuplicate reports a data object ID that occurs more than once.
	ErrDuplicate = errors.New("duplicate data object")
	// ErrOrder reports a data object in the wrong position, such as a payload
	// format indicator that is not the first data object.
	ErrOrder = errors.New("data object out of order")
	// ErrTooLong reports a value longer than the limit for its data object.
	ErrTooLong = errors.New("value too long")
	// ErrCharset reports a character outside the allowed set, or invalid UTF-8.
	ErrCharset = errors.New("invalid character")
	// ErrAmount reports an amount that is not a valid number in the format of
	// the specification, or that cannot be represented.
	ErrAmount = errors.New("invalid amount")
	// ErrFormat reports a value with the wrong fixed format or an unknown code,
	// such as a merchant category code that is not four digits.
	ErrFormat = errors.New("invalid value")
)

// Error describes a problem with a payload or one of its data objects.
type Error struct {
	// ID is the path of the data object, such as "59" or "62.05" (sub-field
	// 05 of template 62); empty when the problem is not tied to one.
	ID string
	// Offset is the byte offset of the data object (or of the problem) in the
	// payload, or -1 when it is not known.
	Offset int
	// Err is the sentinel error describing the kind of problem.
	Err error
	// Detail is a human-readable explanation.
	Detail string
	// Said is Detail as a message a translator says from its parts
	// (package errmsg); nil when there is none.
	Said error
}

// Error returns a message naming the field, its offset and the problem, such
// as "emvqr: field 59 (merchant name) at offset 84: 26 characters, the maximum
// is 25".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("emvqr: ")
	if e.ID != "" {
		b.WriteString("field ")
		b.WriteString(e.ID)
		if n := FieldName(e.ID); n != "" {
			b.WriteString(" (")
			b.WriteString(n)
			b.WriteString(")")
		}
		if e.Offset >= 0 {
			b.WriteString(" ")
		}
	}
	if e.Offset >= 0 {
		b.WriteString("at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	if e.ID != "" || e.Offset >= 0 {
		b.WriteString(": ")
	}
	if e.Detail != "" {
		b.WriteString(e.Detail)
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func newErr(kind error, id string, off int, detail error) *Error {
	return &Error{ID: id, Offset: off, Err: kind, Detail: detail.Error(), Said: detail}
}

var topNames = map[string]string{
	"00": "payload format indicator",
	"01": "point of initiation method",
	"52": "merchant category code",
	"53": "transaction currency",
	"54": "transaction amount",
	"55": "tip or convenience indicator",
	"56": "value of convenience fee fixed",
	"57": "value of convenience fee percentage",
	"58": "country code",
	"59": "merchant name",
	"60": "merchant city",
	"61": "postal code",
	"62": "additional data field template",
	"63": "crc",
	"64": "merchant information language template",
}

var additionalNames = map[string]string{
	"01": "bill number",
	"02": "mobile number",
	"03": "store label",
	"04": "loyalty number",
	"05": "reference label",
	"06": "customer label",
	"07": "terminal label",
	"08": "purpose of transaction",
	"09": "additional consumer data request",
}

var languageNames = map[string]string{
	"00": "language preference",
	"01": "merchant name alternate language",
	"02": "merchant city alternate language",
}

// FieldName returns the specification's name for the data object at path
// ("59", or "62.05" for a sub-field), or "" for an unnamed one.
func FieldName(path string) string {
	top, sub, hasSub := strings.Cut(path, ".")
	n, ok := idNum(top)
	if !ok {
		return ""
	}
	if !hasSub {
		switch {
		case n >= 2 && n <= 51:
			return "merchant account information"
		case n >= 65 && n <= 79:
			return "rfu"
		case n >= 80:
			return "unreserved template"
		}
		return topNames[top]
	}
	switch {
	case top == "62":
		return additionalNames[sub]
	case top == "64":
		return languageNames[sub]
	case sub == "00" && (n >= 26 && n <= 51 || n >= 80):
		return "globally unique identifier"
	}
	return ""
}
