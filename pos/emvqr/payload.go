package emvqr

import (
	"strings"

	"github.com/tillpos/till/internal/errmsg"
)

// Payload is a typed view of a merchant-presented QR code payload. Every
// string field holds the value of one data object, and the empty string means
// the data object is absent. The CRC is not stored: Encode always computes it.
//
// A Payload returned by Parse or Decode remembers the order in which its data
// objects appeared, so Encode reproduces the original payload byte for byte.
type Payload struct {
	PayloadFormat     string            // 00: payload format indicator, "01"
	PointOfInitiation string            // 01: "11" static, "12" dynamic; optional
	MerchantAccounts  []MerchantAccount // 02-51: merchant account information
	MCC               string            // 52: merchant category code, 4 digits
	Currency          string            // 53: ISO 4217 numeric currency code, 3 digits
	Amount            string            // 54: transaction amount, such as "12.50"
	TipIndicator      string            // 55: "01" prompt, "02" fixed fee, "03" percentage fee
	FixedFee          string            // 56: value of convenience fee fixed
	PercentageFee     string            // 57: value of convenience fee percentage
	Country           string            // 58: ISO 3166-1 alpha-2 country code
	MerchantName      string            // 59: at most 25 characters
	MerchantCity      string            // 60: at most 15 characters
	PostalCode        string            // 61: at most 10 characters
	AdditionalData    *AdditionalData   // 62: additional data field template
	Language          *LanguageTemplate // 64: merchant information language template
	// Other holds the RFU (65-79) and unreserved template (80-99) data
	// objects. Unreserved templates whose value parses as data objects have
	// Sub set.
	Other []Field

	order    []string // top-level IDs in decoded order (CRC excluded)
	lowerCRC bool     // the decoded CRC used lower-case hex digits
}

// MerchantAccount is one merchant account information data object (IDs
// 02-51). IDs 02-25 are primitive values reserved for card schemes; IDs 26-51
// are templates whose sub-field 00 is the globally unique identifier (GUID,
// such as "br.gov.bcb.pix" or an AID like "A000000677010111").
type MerchantAccount struct {
	ID string
	// Value is the primitive value; for a template it is the raw value as
	// decoded, and it is ignored for encoding when Fields is non-empty.
	Value string
	// Fields are the sub-fields of a template, in order.
	Fields []Field
}

// GUID returns the globally unique identifier (sub-field 00) of a template,
// or "".
func (m MerchantAccount) GUID() string {
	return fieldValue(m.Fields, "00")
}

// Field returns the value of sub-field id of a template, or "".
func (m MerchantAccount) Field(id string) string {
	return fieldValue(m.Fields, id)
}

func (m MerchantAccount) field() Field {
	return Field{ID: m.ID, Value: m.Value, Sub: m.Fields}
}

func fieldValue(fields []Field, id string) string {
	for _, f := range fields {
		if f.ID == id {
			return f.encodedValue()
		}
	}
	return ""
}

// Decode parses a payload, checks its CRC and validates it against the EMV
// rules (see Payload.Validate). It does not trim white space.
func Decode(s string) (*Payload, error) {
	p, err := Parse(s)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Parse parses a payload and checks its syntax and CRC, without the semantic
// checks of Validate: it accepts scheme-specific payloads that leave out
// EMV-mandatory data objects. It checks that IDs and lengths are numeric,
// lengths stay within the payload, values are non-empty valid UTF-8, no ID
// occurs twice at one level, templates 62 and 64 contain well-formed data
// objects, and the CRC is present, last, and correct (upper- or lower-case).
func Parse(s string) (*Payload, error) {
	top, err := parseFields(s, 0, "")
	if err != nil {
		return nil, err
	}
	if len(top) == 0 {
		return nil, newErr(ErrCRC, "63", 0, errmsg.Errorf("empty payload: the crc is missing"))
	}
	off := 0
	for i, f := range top {
		if f.ID == "63" && i != len(top)-1 {
			return nil, newErr(ErrCRC, "63", off, errmsg.Errorf("the crc must be the last data object"))
		}
		off += 4 + len(f.Value)
	}
	last := top[len(top)-1]
	crcOff := len(s) - 4 - len(last.Value)
	if last.ID != "63" {
		return nil, newErr(ErrCRC, "63", len(s), errmsg.Errorf("missing crc: the payload must end with data object 63"))
	}
	if len(last.Value) != 4 || !isHex(last.Value) {
		return nil, newErr(ErrCRC, "63", crcOff, errmsg.Errorf("crc value must be 4 hexadecimal digits, found %q", last.Value))
	}
	want := Checksum(s[:len(s)-4])
	if !strings.EqualFold(want, last.Value) {
		return nil, newErr(ErrCRC, "63", crcOff, errmsg.Errorf("checksum mismatch: expected %s, found %s", want, last.Value))
	}
	c := crcCase(last.Value)
	if c == 0 {
		return nil, newErr(ErrCRC, "63", crcOff, errmsg.Errorf("crc %q mixes upper- and lower-case digits", last.Value))
	}
	p := &Payload{lowerCRC: c < 0}
	if err := p.load(top[:len(top)-1]); err != nil {
		return nil, err
	}
	return p, nil
}

// load fills p from the top-level data objects (CRC excluded).
func (p *Payload) load(top []Field) error {
	seen := make(map[string]bool, len(top))
	off := 0
	for _, f := range top {
		fieldOff := off
		off += 4 + len(f.Value)
		if seen[f.ID] {
			return newErr(ErrDuplicate, f.ID, fieldOff, errmsg.Errorf("data object id occurs more than once"))
		}
		seen[f.ID] = true
		p.order = append(p.order, f.ID)
		n, _ := idNum(f.ID)
		switch {
		case n >= 2 && n <= 51:
			m := MerchantAccount{ID: f.ID, Value: f.Value}
			if n >= 26 {
				m.Fields = subFields(f.Value)
			}
			p.MerchantAccounts = append(p.MerchantAccounts, m)
			continue
		case n >= 65:
			g := Field{ID: f.ID, Value: f.Value}
			if n >= 80 {
				g.Sub = subFields(f.Value)
			}
			p.Other = append(p.Other, g)
			continue
		case f.ID == "62":
			sub, err := parseFields(f.Value, fieldOff+4, "62")
			if err != nil {
				return err
			}
			a, err := loadAdditional(sub, fieldOff+4)
			if err != nil {
				return err
			}
			p.AdditionalData = a
			continue
		case f.ID == "64":
			sub, err := parseFields(f.Value, fieldOff+4, "64")
			if err != nil {
				return err
			}
			l, err := loadLanguage(sub, fieldOff+4)
			if err != nil {
				return err
			}
			p.Language = l
			continue
		}
		*p.stringField(f.ID) = f.Value
	}
	return nil
}

// subFields parses a template value, or returns nil if it is not a sequence
// of well-formed data objects (the value is then kept as a primitive).
func subFields(v string) []Field {
	sub, err := parseFields(v, 0, "")
	if err != nil {
		return nil
	}
	return sub
}

// stringField returns the typed string field for a top-level ID among 00, 01
// and 52-61, or nil.
func (p *Payload) stringField(id string) *string {
	switch id {
	case "00":
		return &p.PayloadFormat
	case "01":
		return &p.PointOfInitiation
	case "52":
		return &p.MCC
	case "53":
		return &p.Currency
	case "54":
		return &p.Amount
	case "55":
		return &p.TipIndicator
	case "56":
		return &p.FixedFee
	case "57":
		return &p.PercentageFee
	case "58":
		return &p.Country
	case "59":
		return &p.MerchantName
	case "60":
		return &p.MerchantCity
	case "61":
		return &p.PostalCode
	}
	return nil
}

var stringIDs = []string{"00", "01", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61"}

// Fields returns the payload's data objects, CRC excluded, in the order Encode
// writes them. Templates have Sub set. It fails if a data object cannot be
// encoded: a bad or misplaced ID, a duplicate ID, an empty value, invalid
// UTF-8, or a value longer than 99 characters.
func (p *Payload) Fields() ([]Field, error) {
	present := make([]Field, 0, len(stringIDs)+len(p.MerchantAccounts)+len(p.Other)+2)
	for _, id := range stringIDs {
		if v := *p.stringField(id); v != "" {
			present = append(present, Field{ID: id, Value: v})
		}
	}
	for _, m := range p.MerchantAccounts {
		if n, ok := idNum(m.ID); !ok || n < 2 || n > 51 {
			return nil, newErr(ErrFormat, "", -1, errmsg.Errorf("merchant account id %q is not between 02 and 51", m.ID))
		}
		present = append(present, m.field())
	}
	if p.AdditionalData != nil {
		if f, err := p.AdditionalData.field(); err != nil {
			return nil, err
		} else if f.Value != "" {
			present = append(present, f)
		}
	}
	if p.Language != nil {
		if f, err := p.Language.field(); err != nil {
			return nil, err
		} else if f.Value != "" {
			present = append(present, f)
		}
	}
	for _, f := range p.Other {
		if n, ok := idNum(f.ID); !ok || n < 65 {
			return nil, newErr(ErrFormat, "", -1, errmsg.Errorf("id %q is not allowed in Other (65-99 only)", f.ID))
		}
		present = append(present, f)
	}
	if err := checkUnique(present, ""); err != nil {
		return nil, err
	}
	out := arrange(present, p.order)
	off := 0
	for _, f := range out {
		if err := checkField(f, "", off); err != nil {
			return nil, err
		}
		off += 4 + len(f.encodedValue())
	}
	return out, nil
}

// Encode returns the payload string, with the CRC computed and appended. It
// checks only what is needed to write the payload (see Fields); call Validate
// to check the payload against the EMV rules. A payload accepted by Parse is
// reproduced byte for byte.
func (p *Payload) Encode() (string, error) {
	fields, err := p.Fields()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range fields {
		appendField(&b, f.ID, f.encodedValue())
	}
	b.WriteString("6304")
	crc := Checksum(b.String())
	if p.lowerCRC {
		crc = strings.ToLower(crc)
	}
	b.WriteString(crc)
	return b.String(), nil
}

// String returns the encoded payload, or a description of the error.
func (p *Payload) String() string {
	s, err := p.Encode()
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return s
}

// Account returns the first merchant account whose ID is id, or whose GUID
// equals id ignoring case (such as "br.gov.bcb.pix").
func (p *Payload) Account(id string) (MerchantAccount, bool) {
	for _, m := range p.MerchantAccounts {
		if m.ID == id || strings.EqualFold(m.GUID(), id) && id != "" {
			return m, true
		}
	}
	return MerchantAccount{}, false
}
