package emvqr

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// A valid dynamic payload body (without the CRC) to derive error cases from.
const (
	pfi     = "000201"
	poi     = "010212"
	acct    = "26580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
	mcc     = "52040000"
	cur     = "5303986"
	amt     = "540512.50"
	country = "5802BR"
	name    = "5913Fulano de Tal"
	city    = "6008BRASILIA"
	addl    = "62070503***"
)

func body(parts ...string) string { return strings.Join(parts, "") }

// withCRC appends a correct CRC to a payload body.
func withCRC(b string) string { return b + "6304" + Checksum(b+"6304") }

var validBody = body(pfi, poi, acct, mcc, cur, amt, country, name, city, addl)

func TestValidBase(t *testing.T) {
	if _, err := Decode(withCRC(validBody)); err != nil {
		t.Fatal(err)
	}
}

type errCase struct {
	name    string
	payload string
	err     error
	id      string // field named in the error ("" = none)
	off     int    // expected byte offset (-1 = not known)
	msg     string // substring of the message
}

func replace(old, new string) string {
	if !strings.Contains(validBody, old) {
		panic("replace: " + old)
	}
	return withCRC(strings.Replace(validBody, old, new, 1))
}

func offsetOf(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		panic("offsetOf: " + sub)
	}
	return i
}

func errCases() []errCase {
	good := withCRC(validBody)
	crcOff := len(good) - 8
	badCRC := good[:len(good)-4] + "0000"
	if strings.HasSuffix(good, "0000") {
		badCRC = good[:len(good)-4] + "FFFF"
	}
	noCRC := validBody
	truncated := validBody[:len(validBody)-3] // inside 62
	notLast := withCRC(pfi + "6304ABCD" + validBody[len(pfi):])
	mixed := mixedCaseCRC()

	longName := "5926" + strings.Repeat("N", 26)
	longCity := "6016" + strings.Repeat("C", 16)
	return []errCase{
		// CRC
		{"wrong crc", badCRC, ErrCRC, "63", crcOff, "checksum mismatch: expected " + good[len(good)-4:] + ", found " + badCRC[len(badCRC)-4:]},
		{"missing crc", noCRC, ErrCRC, "63", len(noCRC), "missing crc"},
		{"crc not last", notLast, ErrCRC, "63", len(pfi), "must be the last data object"},
		{"crc not hex", withCRCValue(validBody, "12G4"), ErrCRC, "63", len(validBody), "4 hexadecimal digits"},
		{"crc too short", validBody + "630312A", ErrCRC, "63", len(validBody), "4 hexadecimal digits"},
		{"crc mixed case", mixed, ErrCRC, "63", len(mixed) - 8, "mixes upper- and lower-case"},
		{"empty payload", "", ErrCRC, "63", 0, "empty payload"},

		// TLV syntax
		{"length past end", truncated, ErrLength, "62", offsetOf(truncated, "6207"), "runs past the end of the payload"},
		{"length past end of template", replace("0503***", "0509***"), ErrLength, "62.05", offsetOf(validBody, "0503***"), "runs past the end of template 62"},
		{"non-numeric id", replace("5802BR", "5X02BR"), ErrSyntax, "", offsetOf(validBody, "5802BR"), `non-numeric data object id "5X"`},
		{"non-numeric length", replace("5802BR", "58A2BR"), ErrSyntax, "58", offsetOf(validBody, "5802BR"), `non-numeric length "A2"`},
		{"zero length", replace("540512.50", "5400"), ErrLength, "54", offsetOf(validBody, "540512.50"), "length 00"},
		{"truncated header", validBody + "63", ErrSyntax, "", len(validBody), "truncated data object"},
		{"invalid utf-8", replace("Fulano de Tal", "Fulano de Ta\xff"), ErrCharset, "59", offsetOf(validBody, "Fulano") + 12, "invalid utf-8"},
		{"duplicate id", replace("5802BR", "5802BR5802BR"), ErrDuplicate, "58", offsetOf(validBody, "5802BR") + 6, "more than once"},
		{"duplicate sub-field in 62", replace("62070503***", "62140503***0503***"), ErrDuplicate, "62.05", offsetOf(validBody, "0503***") + 7, "more than once"},

		// Mandatory data objects
		{"missing payload format indicator", replace(pfi, ""), ErrMissing, "00", -1, "missing mandatory"},
		{"missing merchant category code", replace(mcc, ""), ErrMissing, "52", -1, "missing mandatory"},
		{"missing currency", replace(cur, ""), ErrMissing, "53", -1, "missing mandatory"},
		{"missing country", replace(country, ""), ErrMissing, "58", -1, "missing mandatory"},
		{"missing merchant name", replace(name, ""), ErrMissing, "59", -1, "missing mandatory"},
		{"missing merchant city", replace(city, ""), ErrMissing, "60", -1, "missing mandatory"},
		{"missing merchant account", replace(acct, ""), ErrMissing, "02-51", -1, "at least one merchant account"},
		{"template without guid", replace(acct, "26080104ABCD"), ErrMissing, "26.00", offsetOf(validBody, acct), "globally unique identifier"},
		{"template that is not a template", replace(acct, "2605hello"), ErrSyntax, "26", offsetOf(validBody, acct) + 4, `non-numeric data object id "he"`},
		{"language template without preference", withCRC(validBody + "64080104ABCD"), ErrMissing, "64.00", len(validBody), "language preference"},
		{"language template without name", withCRC(validBody + "64060002ZH"), ErrMissing, "64.01", len(validBody), "alternate merchant name"},
		{"tip 02 without fixed fee", replace(amt, amt+"550202"), ErrMissing, "56", -1, "indicator (55) is 02"},
		{"tip 03 without percentage", replace(amt, amt+"550203"), ErrMissing, "57", -1, "indicator (55) is 03"},

		// Order and fixed formats
		{"payload format indicator not first", withCRC(poi + pfi + validBody[len(pfi)+len(poi):]), ErrOrder, "00", len(poi), "must be the first data object"},
		{"payload format indicator value", replace(pfi, "000202"), ErrFormat, "00", 0, `must be "01"`},
		{"point of initiation value", replace(poi, "010213"), ErrFormat, "01", len(pfi), `"11" (static) or "12" (dynamic)`},
		{"mcc not 4 digits", replace(mcc, "520412A4"), ErrFormat, "52", offsetOf(validBody, mcc), "must be 4 digits"},
		{"mcc 5 digits", replace(mcc, "520512345"), ErrFormat, "52", offsetOf(validBody, mcc), "must be 4 digits"},
		{"currency not 3 digits", replace(cur, "530298"), ErrFormat, "53", offsetOf(validBody, cur), "must be 3 digits"},
		{"currency alphabetic", replace(cur, "5303BRL"), ErrFormat, "53", offsetOf(validBody, cur), "must be 3 digits"},
		{"country not letters", replace(country, "5802B1"), ErrFormat, "58", offsetOf(validBody, country), "2 letters"},
		{"country 3 letters", replace(country, "5803BRA"), ErrFormat, "58", offsetOf(validBody, country), "2 letters"},
		{"tip indicator value", replace(amt, amt+"550204"), ErrFormat, "55", offsetOf(validBody, amt) + len(amt), `"01", "02" or "03"`},
		{"fixed fee without indicator 02", replace(amt, amt+"550201560410.0"), ErrFormat, "56", offsetOf(validBody, amt) + len(amt) + 6, "only when"},
		{"consumer data request", replace(addl, tlv("62", "0503***0903MMX")), ErrFormat, "62.09", offsetOf(validBody, "0503***") + 7, `"A", "M" and "E"`},

		// Limits
		{"merchant name too long", replace(name, longName), ErrTooLong, "59", offsetOf(validBody, name), "26 characters, the maximum is 25"},
		{"merchant city too long", replace(city, longCity), ErrTooLong, "60", offsetOf(validBody, city), "16 characters, the maximum is 15"},
		{"postal code too long", replace(city, city+"611112345678901"), ErrTooLong, "61", offsetOf(validBody, city) + len(city), "11 characters, the maximum is 10"},
		{"amount too long", replace(amt, "541412345678901.50"), ErrTooLong, "54", offsetOf(validBody, amt), "14 characters, the maximum is 13"},
		{"reference label too long", replace("62070503***", "62300526"+strings.Repeat("R", 26)), ErrTooLong, "62.05", offsetOf(validBody, "0503***"), "26 characters, the maximum is 25"},
		{"guid too long", replace(acct, "26370033"+strings.Repeat("G", 33)), ErrTooLong, "26.00", offsetOf(validBody, acct) + 4, "33 characters, the maximum is 32"},
		{"language name too long", withCRC(validBody + tlv("64", "0002ZH"+tlv("01", strings.Repeat("名", 26)))), ErrTooLong, "64.01", len(validBody) + 10, "26 characters, the maximum is 25"},

		// Amounts
		{"amount with comma", replace(amt, "540512,50"), ErrAmount, "54", offsetOf(validBody, amt), "not a number"},
		{"amount with two dots", replace(amt, "54051.2.5"), ErrAmount, "54", offsetOf(validBody, amt), "not a number"},
		{"amount with sign", replace(amt, "5406-12.50"), ErrAmount, "54", offsetOf(validBody, amt), "not a number"},
		{"amount with exponent", replace(amt, "54031e3"), ErrAmount, "54", offsetOf(validBody, amt), "not a number"},
		{"amount only a dot", replace(amt, "5401."), ErrAmount, "54", offsetOf(validBody, amt), "not a number"},
		{"percentage over 99.99", replace(amt, amt+"5502035705100.0"), ErrAmount, "57", offsetOf(validBody, amt) + len(amt) + 6, "between 00.01 and 99.99"},
		{"percentage zero", replace(amt, amt+"550203570400.0"), ErrAmount, "57", offsetOf(validBody, amt) + len(amt) + 6, "between 00.01 and 99.99"},

		// Character sets
		{"non-ascii merchant name", replace("Fulano de Tal", "Fulano de Tál"), ErrCharset, "59", offsetOf(validBody, "Fulano") + 11, `'á' is outside the alphanumeric special set`},
		{"control character in city", replace("BRASILIA", "BRASI\tIA"), ErrCharset, "60", offsetOf(validBody, "BRASILIA") + 5, "outside the alphanumeric special set"},
		{"non-ascii in account template", replace("123e4567", "123é4567"), ErrCharset, "26.01", offsetOf(validBody, "123e4567") + 3, "outside the alphanumeric special set"},
		{"control character in language template", withCRC(validBody + tlv("64", "0002ZH"+tlv("01", "A\x01B"))), ErrCharset, "64.01", len(validBody) + 15, "not printable"},
	}
}

func withCRCValue(b, v string) string { return b + "6304" + v }

// tlv writes one data object, counting the length in characters.
func tlv(id, v string) string {
	n := utf8.RuneCountInString(v)
	return id + string(rune('0'+n/10)) + string(rune('0'+n%10)) + v
}

// mixedCaseCRC returns a valid payload whose CRC has at least two letters,
// with one of them lower-cased.
func mixedCaseCRC() string {
	for i := 0; ; i++ {
		ref := tlv("62", tlv("05", "R"+strconv.Itoa(i)))
		s := withCRC(body(pfi, poi, acct, mcc, cur, amt, country, name, city, ref))
		crc := s[len(s)-4:]
		if strings.Count(crc, "A")+strings.Count(crc, "B")+strings.Count(crc, "C")+
			strings.Count(crc, "D")+strings.Count(crc, "E")+strings.Count(crc, "F") >= 2 {
			j := strings.IndexAny(crc, "ABCDEF")
			return s[:len(s)-4+j] + strings.ToLower(crc[j:j+1]) + crc[j+1:]
		}
	}
}

func TestValidationErrors(t *testing.T) {
	for _, tc := range errCases() {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.payload)
			if err == nil {
				t.Fatalf("Decode(%q) succeeded", tc.payload)
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %q is not %v", err, tc.err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			msg := err.Error()
			t.Log(msg)
			if e.ID != tc.id {
				t.Errorf("error names field %q, want %q (%s)", e.ID, tc.id, msg)
			}
			if tc.id != "" && !strings.Contains(msg, "field "+tc.id) {
				t.Errorf("message %q does not name field %s", msg, tc.id)
			}
			if e.Offset != tc.off {
				t.Errorf("offset %d, want %d (%s)", e.Offset, tc.off, msg)
			}
			if tc.off >= 0 && !strings.Contains(msg, "at offset "+strconv.Itoa(tc.off)) {
				t.Errorf("message %q does not give offset %d", msg, tc.off)
			}
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q does not contain %q", msg, tc.msg)
			}
			if !strings.HasPrefix(msg, "emvqr: ") {
				t.Errorf("message %q does not start with \"emvqr: \"", msg)
			}
		})
	}
}

func TestErrorMessageFormat(t *testing.T) {
	_, err := Decode(replace(name, "5926"+strings.Repeat("N", 26)))
	want := "emvqr: field 59 (merchant name) at offset " + strconv.Itoa(offsetOf(validBody, name)) +
		": 26 characters, the maximum is 25"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	_, err = Decode(replace(city, ""))
	if err == nil || err.Error() != "emvqr: field 60 (merchant city): missing mandatory data object" {
		t.Fatalf("got %v", err)
	}
}

func TestValidationAccepts(t *testing.T) {
	for _, b := range []string{
		validBody + "64200002ZH0104最佳运输0202北京",                                                          // UTF-8 in template 64
		strings.Replace(validBody, amt, amt+"550201", 1),                                                // tip prompt
		strings.Replace(validBody, amt, amt+"55020256031.5", 1),                                         // fixed fee
		strings.Replace(validBody, amt, amt+"550203570403.5", 1),                                        // percentage
		strings.Replace(validBody, amt, tlv("54", "1."), 1),                                             // "98." style
		strings.Replace(validBody, poi, "", 1),                                                          // 01 is optional
		strings.Replace(validBody, "0503***", "0503***0903AME", 1),                                      // consumer data request
		strings.Replace(validBody, country, "5802br", 1),                                                // letters, any case
		strings.Replace(validBody, acct, "0216"+"4392630000000085", 1),                                  // primitive card-scheme account
		validBody + tlv("65", "rfu data object") + tlv("80", tlv("00", "A000000108")+tlv("01", "1234")), // RFU and unreserved
		strings.Replace(validBody, name, "5925"+strings.Repeat("N", 25), 1),
		strings.Replace(validBody, city, "6015"+strings.Repeat("C", 15), 1),
		strings.Replace(validBody, amt, "54131234567890.50", 1),
	} {
		s := withCRC(b)
		p, err := Decode(s)
		if err != nil {
			t.Errorf("Decode(%q): %v", s, err)
			continue
		}
		if out, _ := p.Encode(); out != s {
			t.Errorf("round trip of %q gave %q", s, out)
		}
	}
}

// A lower-case CRC is accepted and reproduced.
func TestLowerCaseCRC(t *testing.T) {
	s := withCRC(validBody)
	s = s[:len(s)-4] + strings.ToLower(s[len(s)-4:])
	p, err := Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := p.Encode(); out != s {
		t.Fatalf("got %s want %s", out, s)
	}
}

func TestEncodeErrors(t *testing.T) {
	base := func() *Payload {
		p, err := Decode(withCRC(validBody))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		edit func(p *Payload)
		err  error
		msg  string
	}{
		{"value over 99 characters", func(p *Payload) { p.Other = []Field{{ID: "80", Value: strings.Repeat("x", 100)}} }, ErrTooLong, "field 80 (unreserved template) at offset"},
		{"template over 99 characters", func(p *Payload) {
			p.MerchantAccounts[0].Fields = append(p.MerchantAccounts[0].Fields, Field{ID: "02", Value: strings.Repeat("x", 50)})
		}, ErrTooLong, "field 26"},
		{"empty account", func(p *Payload) { p.MerchantAccounts = append(p.MerchantAccounts, MerchantAccount{ID: "27"}) }, ErrLength, "field 27"},
		{"empty sub-field", func(p *Payload) { p.MerchantAccounts[0].Fields[1].Value = "" }, ErrLength, "field 26.01"},
		{"account id out of range", func(p *Payload) { p.MerchantAccounts[0].ID = "52" }, ErrFormat, "not between 02 and 51"},
		{"duplicate account", func(p *Payload) { p.MerchantAccounts = append(p.MerchantAccounts, p.MerchantAccounts[0]) }, ErrDuplicate, "field 26"},
		{"other id out of range", func(p *Payload) { p.Other = []Field{{ID: "63", Value: "ABCD"}} }, ErrFormat, "65-99 only"},
		{"bad sub-field id", func(p *Payload) { p.MerchantAccounts[0].Fields[1].ID = "1" }, ErrSyntax, "not two digits"},
		{"invalid utf-8", func(p *Payload) { p.MerchantCity = "\xff" }, ErrCharset, "field 60"},
		{"additional extra with typed id", func(p *Payload) { p.AdditionalData.Extra = []Field{{ID: "05", Value: "x"}} }, ErrFormat, "AdditionalData.Extra"},
		{"language extra with typed id", func(p *Payload) { p.Language = &LanguageTemplate{Extra: []Field{{ID: "01", Value: "x"}}} }, ErrFormat, "LanguageTemplate.Extra"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			tc.edit(p)
			_, err := p.Encode()
			if !errors.Is(err, tc.err) {
				t.Fatalf("Encode error %v, want %v", err, tc.err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q does not contain %q", err, tc.msg)
			}
			if verr := p.Validate(); !errors.Is(verr, tc.err) {
				t.Errorf("Validate error %v, want %v", verr, tc.err)
			}
		})
	}
}

func TestFormatFields(t *testing.T) {
	s, err := FormatFields([]Field{{ID: "00", Value: "ZH"}, {ID: "01", Sub: []Field{{ID: "00", Value: "北京"}}}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "FormatFields", s, "0002ZH01060002北京")
	fs, err := ParseFields(s)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "fields", len(fs), 2)
	eq(t, "01", fs[1].Value, "0002北京")
	if _, err := FormatFields([]Field{{ID: "0", Value: "x"}}); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad id: %v", err)
	}
}

func TestCRC(t *testing.T) {
	eq(t, "CRC16 check value", CRC16([]byte("123456789")), uint16(0x29B1))
	eq(t, "Checksum", Checksum("123456789"), "29B1")
	eq(t, "Checksum empty", Checksum(""), "FFFF")
	s := realPayloads[0].payload
	eq(t, "EMVCo example (UTF-8 bytes)", Checksum(s[:len(s)-4]), "A13A")
}
