package emvqr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tillpos/till/internal/errmsg"
)

// Scheme is a national or network QR scheme built on EMV MPM, recognised by
// the globally unique identifier (GUID or AID) of a merchant account
// template, or by a primitive merchant account ID reserved for a card
// network. Schemes publish their own rules on top of EMV's: several leave
// out data objects that EMV makes mandatory, and their codes are paid every
// day, so a payload is judged by what its scheme accepts (see
// Payload.Check).
type Scheme struct {
	Name     string // "VietQR"
	Operator string // who runs it: "NAPAS"
	Country  string // ISO 3166-1 alpha-2, "" for an international network
	// MayOmit lists EMV-mandatory data objects (52, 59, 60) that the
	// scheme's codes may leave out.
	MayOmit []string
	// Formats lists payload format indicators (00) the scheme's stickers
	// carry besides "01".
	Formats []string
	// Additional says the scheme lets an acquirer's app read a bill number
	// and terminal label in template 62, so a static code made dynamic may
	// carry them.
	Additional bool

	accounts []accountKind
}

// accountKind names the sub-fields of one kind of merchant account template
// of a scheme. nested lists the sub-fields that are templates themselves.
type accountKind struct {
	guid   string // matched case-insensitively; a trailing "*" matches a prefix
	what   string // "transfer to a phone, ID or e-wallet"
	fields map[string]string
	nested map[string]map[string]string
}

// schemes are the schemes Till recognises, from their published
// specifications (see pos/emvqr/doc.go and the README's QR section).
var schemes = []*Scheme{
	{
		Name: "PromptPay", Operator: "Bank of Thailand / ITMX", Country: "TH",
		MayOmit: []string{"52", "59", "60"}, Additional: true,
		accounts: []accountKind{
			{guid: "A000000677010111", what: "credit transfer", fields: map[string]string{
				"01": "mobile number", "02": "national ID or tax ID", "03": "e-wallet ID", "04": "bank account"}},
			{guid: "A000000677010112", what: "bill payment", fields: map[string]string{
				"01": "biller ID", "02": "reference 1", "03": "reference 2"}},
			{guid: "A000000677012006", what: "cross-border", fields: map[string]string{}},
		},
	},
	{
		Name: "VietQR", Operator: "NAPAS", Country: "VN",
		MayOmit: []string{"52", "59", "60"}, Additional: true,
		accounts: []accountKind{{guid: "A000000727", what: "NAPAS 247",
			fields: map[string]string{"01": "beneficiary organization", "02": "service code"},
			nested: map[string]map[string]string{"01": {"00": "acquirer ID (bank BIN)", "01": "merchant or consumer ID (account or card number)"}}}},
	},
	{
		Name: "QRIS", Operator: "Bank Indonesia / ASPI", Country: "ID",
		MayOmit: []string{"52"}, Additional: true,
		accounts: []accountKind{
			{guid: "ID.CO.QRIS.WWW", what: "national merchant", fields: map[string]string{
				"02": "national merchant ID (NMID)", "03": "merchant criteria"}},
			{guid: "ID.*", what: "issuer", fields: map[string]string{
				"01": "merchant PAN", "02": "merchant ID", "03": "merchant criteria"}},
			{guid: "COM.GO-JEK.WWW", what: "issuer", fields: map[string]string{
				"01": "merchant PAN", "02": "merchant ID", "03": "merchant criteria"}},
		},
	},
	{
		Name: "Pix", Operator: "Banco Central do Brasil", Country: "BR", Additional: true,
		accounts: []accountKind{{guid: "br.gov.bcb.pix", what: "Pix", fields: map[string]string{
			"01": "pix key", "02": "additional information", "25": "payload URL"}}},
	},
	{
		Name: "PayNow", Operator: "Association of Banks in Singapore", Country: "SG", Additional: true,
		accounts: []accountKind{{guid: "SG.PAYNOW", what: "PayNow", fields: map[string]string{
			"01": "proxy type (0 mobile, 2 UEN)", "02": "proxy value", "03": "amount editable", "04": "expiry date"}}},
	},
	{
		Name: "DuitNow", Operator: "PayNet", Country: "MY", Formats: []string{"02"}, Additional: true,
		accounts: []accountKind{{guid: "A0000006150001", what: "DuitNow", fields: map[string]string{
			"01": "acquirer ID", "02": "merchant ID"}}},
	},
	{
		Name: "UPI / Bharat QR", Operator: "NPCI", Country: "IN", Additional: true,
		accounts: []accountKind{{guid: "A000000524", what: "UPI", fields: map[string]string{
			"01": "virtual payment address", "02": "minimum amount"}}},
	},
	{
		Name: "QR Ph", Operator: "Philippine Payments Management", Country: "PH", Additional: true,
		accounts: []accountKind{
			{guid: "ph.ppmi.p2m", what: "person to merchant", fields: map[string]string{
				"01": "acquirer ID", "03": "merchant ID", "05": "merchant credit account"}},
			{guid: "com.p2pqrpay", what: "person to person", fields: map[string]string{
				"01": "acquirer ID", "03": "account number"}},
		},
	},
	{
		Name: "UnionPay", Operator: "China UnionPay", Country: "", Additional: true,
		accounts: []accountKind{{guid: "A000000333*", what: "UnionPay", fields: map[string]string{}}},
	},
}

// networks are the owners of the primitive merchant account IDs 02-25, as
// EMV MPM v1.1 reserves them.
var networks = []struct {
	from, to int
	name     string
}{
	{2, 3, "Visa"}, {4, 5, "Mastercard"}, {6, 8, "EMVCo"}, {9, 10, "Discover"},
	{11, 12, "American Express"}, {13, 14, "JCB"}, {15, 16, "UnionPay"}, {17, 25, "EMVCo"},
}

// Network returns the card network that owns a primitive merchant account
// ID ("15" -> "UnionPay"), or "" when id is not one of 02-25.
func Network(id string) string {
	n, ok := idNum(id)
	if !ok {
		return ""
	}
	for _, w := range networks {
		if n >= w.from && n <= w.to {
			return w.name
		}
	}
	return ""
}

func (k accountKind) matches(guid string) bool {
	if p, ok := strings.CutSuffix(k.guid, "*"); ok {
		return len(guid) >= len(p) && strings.EqualFold(guid[:len(p)], p)
	}
	return strings.EqualFold(guid, k.guid)
}

// kindOf returns the scheme and account kind a merchant account belongs
// to, or nil.
func kindOf(m MerchantAccount) (*Scheme, *accountKind) {
	if g := m.GUID(); g != "" {
		for _, s := range schemes {
			for i := range s.accounts {
				if s.accounts[i].matches(g) {
					return s, &s.accounts[i]
				}
			}
		}
	}
	return nil, nil
}

// Scheme returns the scheme the payload belongs to: that of its first
// merchant account template with a known GUID, else that of a UnionPay
// primitive account (15-16). It returns nil for a payload of no scheme
// Till knows, which is then judged by EMV's rules alone.
func (p *Payload) Scheme() *Scheme {
	for _, m := range p.MerchantAccounts {
		if s, _ := kindOf(m); s != nil {
			return s
		}
	}
	for _, m := range p.MerchantAccounts {
		if Network(m.ID) == "UnionPay" {
			return schemeNamed("UnionPay")
		}
	}
	return nil
}

func schemeNamed(name string) *Scheme {
	for _, s := range schemes {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (s *Scheme) rules() rules {
	if s == nil {
		return strict
	}
	r := rules{mayOmit: map[string]bool{}, formats: map[string]bool{}}
	for _, id := range s.MayOmit {
		r.mayOmit[id] = true
	}
	for _, f := range s.Formats {
		r.formats[f] = true
	}
	return r
}

// Verdict is what Check concludes about a readable payload.
type Verdict struct {
	Scheme *Scheme // nil: no known scheme, judged by EMV alone
	// Notes say where the payload departs from strict EMV in ways its
	// scheme allows, such as "52/59/60 absent, as NAPAS allows": each a
	// message (errmsg) a translator can say from its parts.
	Notes []error
	// Strict is the error strict EMV validation gives, nil if none.
	Strict error
}

// String is the one-line verdict: "valid VietQR; 52/59/60 absent, as NAPAS
// allows" or "valid EMV merchant-presented QR".
func (v Verdict) String() string {
	if v.Scheme == nil {
		return "valid EMV merchant-presented QR"
	}
	out := "valid " + v.Scheme.Name
	for _, n := range v.Notes {
		out += "; " + n.Error()
	}
	return out
}

// Check judges a parsed payload by the rules of its scheme: strict EMV
// (Validate) for a payload of no known scheme, and EMV relaxed by what the
// scheme allows otherwise. It returns an error only when the payload is
// not valid for its scheme either.
func (p *Payload) Check() (Verdict, error) {
	s := p.Scheme()
	v := Verdict{Scheme: s, Strict: p.Validate()}
	if v.Strict == nil {
		return v, nil
	}
	if s == nil {
		return v, v.Strict
	}
	if err := p.validate(s.rules()); err != nil {
		return v, err
	}
	var absent []string
	for _, id := range s.MayOmit {
		if p.stringField(id) != nil && *p.stringField(id) == "" {
			absent = append(absent, id)
		}
	}
	if len(absent) > 0 {
		v.Notes = append(v.Notes, errmsg.Errorf("%s absent, as %s allows", strings.Join(absent, "/"), s.Operator))
	}
	if f := p.PayloadFormat; f != "01" {
		v.Notes = append(v.Notes, errmsg.Errorf("payload format indicator %q, as %s stickers print it", f, s.Name))
	}
	return v, nil
}

// Named is one data object of a payload with its name in words, for
// printing: scheme-specific sub-fields are named after the scheme's
// specification, and sub-fields that are templates are decoded.
type Named struct {
	Path  string // "38.01.00"
	Name  string // "acquirer ID (bank BIN)"
	Value string // "" for a template
	Depth int
}

// Describe lists every data object of the payload in order, with names
// from EMV and from the payload's scheme.
func (p *Payload) Describe() ([]Named, error) {
	fields, err := p.Fields()
	if err != nil {
		return nil, err
	}
	var out []Named
	for _, f := range fields {
		out = append(out, describe(p, f, "", 0)...)
	}
	return out, nil
}

func describe(p *Payload, f Field, parent string, depth int) []Named {
	path := f.ID
	if parent != "" {
		path = parent + "." + f.ID
	}
	name := FieldName(path)
	top, rest, _ := strings.Cut(path, ".")
	if n, ok := idNum(top); ok && n >= 2 && n <= 51 {
		if acct, ok := p.Account(top); ok {
			name = accountFieldName(acct, rest, name)
		}
	}
	sub := f.Sub
	if len(sub) == 0 && depth == 1 && isNestedAccountField(p, top, rest) {
		sub, _ = ParseFields(f.Value)
	}
	if len(sub) == 0 {
		return []Named{{Path: path, Name: name, Value: f.encodedValue(), Depth: depth}}
	}
	out := []Named{{Path: path, Name: name, Depth: depth}}
	for _, s := range sub {
		out = append(out, describe(p, s, path, depth+1)...)
	}
	return out
}

func isNestedAccountField(p *Payload, top, sub string) bool {
	acct, ok := p.Account(top)
	if !ok {
		return false
	}
	_, k := kindOf(acct)
	return k != nil && k.nested[sub] != nil
}

// accountFieldName names sub-field path rest ("", "01" or "01.00") of a
// merchant account.
func accountFieldName(m MerchantAccount, rest, emvName string) string {
	if rest == "" {
		if net := Network(m.ID); net != "" {
			return "merchant account (" + net + ")"
		}
		if s, k := kindOf(m); s != nil {
			return fmt.Sprintf("merchant account (%s %s)", s.Name, k.what)
		}
		return emvName
	}
	_, k := kindOf(m)
	if k == nil {
		return emvName
	}
	first, second, nested := strings.Cut(rest, ".")
	if nested {
		if n := k.nested[first][second]; n != "" {
			return n
		}
		return emvName
	}
	if n := k.fields[first]; n != "" {
		return n
	}
	return emvName
}

// Schemes lists the names of the schemes Till recognises, sorted.
func Schemes() []string {
	var out []string
	for _, s := range schemes {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return out
}
