package emvqr

import (
	"unicode"
	"unicode/utf8"

	"github.com/tillpos/till/internal/errmsg"
)

// Limits from EMV QRCPS MPM v1.1, in characters.
const (
	maxAmountLen     = 13 // 54, 56
	maxPercentLen    = 5  // 57
	maxNameLen       = 25 // 59, 64.01
	maxCityLen       = 15 // 60, 64.02
	maxPostalLen     = 10 // 61
	maxAdditionalLen = 25 // 62.01-62.08
	maxConsumerReq   = 3  // 62.09
	maxGUIDLen       = 32 // 26-51.00
)

// Validate checks the payload against the rules of EMV QRCPS MPM v1.1 and
// returns the first problem found, as an *Error wrapping one of the sentinel
// errors, with the field ID and the byte offset it has in the encoded payload.
//
// It checks that the payload format indicator (00) is present, first and
// "01"; the point of initiation method (01), if present, is "11" or "12";
// there is at least one merchant account (02-51) and each template (26-51)
// has a globally unique identifier (sub-field 00); the merchant category code
// (52, 4 digits), currency (53, 3 digits), country code (58, 2 letters),
// merchant name (59, at most 25 characters) and city (60, at most 15) are
// present and well-formed; the amount (54) and fixed fee (56) are numbers of
// at most 13 characters such as "12.50" (digits and at most one '.'); the tip
// indicator (55) is "01", "02" or "03", with 56 present exactly when it is
// "02" and the percentage (57, "00.01" to "99.99") exactly when it is "03";
// the postal code (61) has at most 10 characters; sub-fields 01-08 of the
// additional data template (62) have at most 25 characters and 09 is a
// combination of "A", "M" and "E"; the language template (64) has a
// two-letter language preference (00) and an alternate name (01); and every
// value outside template 64 uses only printable ASCII (0x20-0x7E), while
// template 64 may hold any printable UTF-8.
//
// Validate does not reject RFU or unreserved data objects, nor a zero amount
// (which some schemes use on static codes).
func (p *Payload) Validate() error { return p.validate(strict) }

// rules are the EMV rules a scheme may relax: mandatory data objects its
// codes commonly leave out, and payload format indicators its stickers
// print besides "01".
type rules struct {
	mayOmit map[string]bool
	formats map[string]bool
}

var strict = rules{}

func (p *Payload) validate(r rules) error {
	fields, err := p.Fields()
	if err != nil {
		return err
	}
	at := make(map[string]int, len(fields))
	off := 0
	for _, f := range fields {
		at[f.ID] = off
		off += 4 + len(f.encodedValue())
	}
	if o, ok := at["00"]; !ok {
		return newErr(ErrMissing, "00", -1, errmsg.Errorf("missing mandatory data object"))
	} else if fields[0].ID != "00" {
		return newErr(ErrOrder, "00", o, errmsg.Errorf("the payload format indicator must be the first data object"))
	}
	for _, f := range fields {
		if f.ID == "00" && r.formats[f.encodedValue()] {
			continue
		}
		if err := validateTop(f, at[f.ID]); err != nil {
			return err
		}
	}
	if len(p.MerchantAccounts) == 0 {
		return newErr(ErrMissing, "02-51", -1, errmsg.Errorf("at least one merchant account information data object is required"))
	}
	for _, id := range []string{"52", "53", "58", "59", "60"} {
		if _, ok := at[id]; !ok && !r.mayOmit[id] {
			return newErr(ErrMissing, id, -1, errmsg.Errorf("missing mandatory data object"))
		}
	}
	switch p.TipIndicator {
	case "02":
		if p.FixedFee == "" {
			return newErr(ErrMissing, "56", -1, errmsg.Errorf("required when the tip or convenience indicator (55) is 02"))
		}
	case "03":
		if p.PercentageFee == "" {
			return newErr(ErrMissing, "57", -1, errmsg.Errorf("required when the tip or convenience indicator (55) is 03"))
		}
	}
	if o, ok := at["56"]; ok && p.TipIndicator != "02" {
		return newErr(ErrFormat, "56", o, errmsg.Errorf("allowed only when the tip or convenience indicator (55) is 02"))
	}
	if o, ok := at["57"]; ok && p.TipIndicator != "03" {
		return newErr(ErrFormat, "57", o, errmsg.Errorf("allowed only when the tip or convenience indicator (55) is 03"))
	}
	return nil
}

func validateTop(f Field, off int) error {
	v := f.encodedValue()
	n, _ := idNum(f.ID)
	switch {
	case n >= 2 && n <= 25:
		return checkANS(f.ID, off, v, maxValueLen)
	case n >= 26 && n <= 51:
		return validateAccountTemplate(f, off)
	case n >= 65:
		return checkANS(f.ID, off, v, maxValueLen)
	}
	switch f.ID {
	case "00":
		if v != "01" {
			return newErr(ErrFormat, f.ID, off, errmsg.Errorf("must be \"01\", found %q", v))
		}
	case "01":
		if v != "11" && v != "12" {
			return newErr(ErrFormat, f.ID, off, errmsg.Errorf("must be \"11\" (static) or \"12\" (dynamic), found %q", v))
		}
	case "52":
		return checkDigits(f.ID, off, v, 4)
	case "53":
		return checkDigits(f.ID, off, v, 3)
	case "54", "56":
		return checkAmount(f.ID, off, v, maxAmountLen)
	case "55":
		if v != "01" && v != "02" && v != "03" {
			return newErr(ErrFormat, f.ID, off, errmsg.Errorf("must be \"01\", \"02\" or \"03\", found %q", v))
		}
	case "57":
		if err := checkAmount(f.ID, off, v, maxPercentLen); err != nil {
			return err
		}
		if hundredths, err := ParseAmount(v, 2); err != nil || hundredths < 1 || hundredths > 9999 {
			return newErr(ErrAmount, f.ID, off, errmsg.Errorf("percentage must be between 00.01 and 99.99, found %q", v))
		}
	case "58":
		if len(v) != 2 || !isLetter(v[0]) || !isLetter(v[1]) {
			return newErr(ErrFormat, f.ID, off, errmsg.Errorf("must be 2 letters (ISO 3166-1 alpha-2), found %q", v))
		}
	case "59":
		return checkANS(f.ID, off, v, maxNameLen)
	case "60":
		return checkANS(f.ID, off, v, maxCityLen)
	case "61":
		return checkANS(f.ID, off, v, maxPostalLen)
	case "62":
		return validateAdditional(f, off)
	case "64":
		return validateLanguage(f, off)
	}
	return nil
}

// subOf returns the sub-fields of a template field, parsing Value if Sub is
// empty, and the byte offset of each sub-field.
func subOf(f Field, off int) ([]Field, []int, error) {
	sub := f.Sub
	if len(sub) == 0 {
		var err error
		if sub, err = parseFields(f.Value, off+4, f.ID); err != nil {
			return nil, nil, err
		}
	}
	offs := make([]int, len(sub))
	o := off + 4
	for i, s := range sub {
		offs[i] = o
		o += 4 + len(s.encodedValue())
	}
	seen := make(map[string]bool, len(sub))
	for i, s := range sub {
		if seen[s.ID] {
			return nil, nil, newErr(ErrDuplicate, f.ID+"."+s.ID, offs[i], errmsg.Errorf("data object id occurs more than once"))
		}
		seen[s.ID] = true
	}
	return sub, offs, nil
}

func validateAccountTemplate(f Field, off int) error {
	sub, offs, err := subOf(f, off)
	if err != nil {
		return err
	}
	hasGUID := false
	for i, s := range sub {
		path := f.ID + "." + s.ID
		limit := maxValueLen
		if s.ID == "00" {
			hasGUID = true
			limit = maxGUIDLen
		}
		if err := checkANS(path, offs[i], s.encodedValue(), limit); err != nil {
			return err
		}
	}
	if !hasGUID {
		return newErr(ErrMissing, f.ID+".00", off, errmsg.Errorf("merchant account template has no globally unique identifier (sub-field 00)"))
	}
	return nil
}

func validateAdditional(f Field, off int) error {
	sub, offs, err := subOf(f, off)
	if err != nil {
		return err
	}
	for i, s := range sub {
		path, o, v := "62."+s.ID, offs[i], s.encodedValue()
		n, _ := idNum(s.ID)
		switch {
		case n >= 1 && n <= 8:
			if err := checkANS(path, o, v, maxAdditionalLen); err != nil {
				return err
			}
		case n == 9:
			if err := checkANS(path, o, v, maxConsumerReq); err != nil {
				return err
			}
			seen := map[rune]bool{}
			for _, r := range v {
				if r != 'A' && r != 'M' && r != 'E' || seen[r] {
					return newErr(ErrFormat, path, o, errmsg.Errorf("must combine \"A\", \"M\" and \"E\" at most once each, found %q", v))
				}
				seen[r] = true
			}
		default:
			if err := checkANS(path, o, v, maxValueLen); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateLanguage(f Field, off int) error {
	sub, offs, err := subOf(f, off)
	if err != nil {
		return err
	}
	var hasPref, hasName bool
	for i, s := range sub {
		path, o, v := "64."+s.ID, offs[i], s.encodedValue()
		switch s.ID {
		case "00":
			hasPref = true
			if len(v) != 2 || !isLetter(v[0]) || !isLetter(v[1]) {
				return newErr(ErrFormat, path, o, errmsg.Errorf("must be 2 letters (ISO 639-1), found %q", v))
			}
		case "01":
			hasName = true
			if err := checkPrintable(path, o, v, maxNameLen); err != nil {
				return err
			}
		case "02":
			if err := checkPrintable(path, o, v, maxCityLen); err != nil {
				return err
			}
		default:
			if err := checkPrintable(path, o, v, maxValueLen); err != nil {
				return err
			}
		}
	}
	if !hasPref {
		return newErr(ErrMissing, "64.00", off, errmsg.Errorf("the language template requires a language preference"))
	}
	if !hasName {
		return newErr(ErrMissing, "64.01", off, errmsg.Errorf("the language template requires an alternate merchant name"))
	}
	return nil
}

// checkANS checks the EMV alphanumeric special set (printable ASCII) and a
// length limit in characters.
func checkANS(path string, off int, v string, limit int) error {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7E {
			r, _ := utf8.DecodeRuneInString(v[i:])
			return newErr(ErrCharset, path, off+4+i,
				errmsg.Errorf("character %q is outside the alphanumeric special set (printable ascii)", r))
		}
	}
	return checkLen(path, off, len(v), limit)
}

// checkPrintable allows any printable UTF-8 character (template 64).
func checkPrintable(path string, off int, v string, limit int) error {
	for i, r := range v {
		if !unicode.IsPrint(r) && r != ' ' {
			return newErr(ErrCharset, path, off+4+i, errmsg.Errorf("character %q is not printable", r))
		}
	}
	return checkLen(path, off, utf8.RuneCountInString(v), limit)
}

func checkLen(path string, off, n, limit int) error {
	if n > limit {
		return newErr(ErrTooLong, path, off, errmsg.Errorf("%d characters, the maximum is %d", n, limit))
	}
	return nil
}

func checkDigits(path string, off int, v string, n int) error {
	if len(v) != n || !isDigits(v) {
		return newErr(ErrFormat, path, off, errmsg.Errorf("must be %d digits, found %q", n, v))
	}
	return nil
}

func checkAmount(path string, off int, v string, limit int) error {
	if err := checkANS(path, off, v, maxValueLen); err != nil {
		return err
	}
	if !isNumber(v) {
		return newErr(ErrAmount, path, off, errmsg.Errorf("%q is not a number: use digits and at most one '.'", v))
	}
	return checkLen(path, off, len(v), limit)
}

func isLetter(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}
