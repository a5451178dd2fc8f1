package emvqr

import (
	"github.com/tillpos/till/internal/errmsg"
)

// Merchant is the static configuration of a merchant, as the shop keeps it.
type Merchant struct {
	// AccountID is the merchant account information ID: a template ID
	// "26"-"51" (for example "26" for Pix and PayNow, "29" for PromptPay
	// transfers, "38" for VietQR), or a primitive ID "02"-"25" reserved for
	// the card network that owns it ("15" or "16" for UnionPay), whose value
	// is AccountValue.
	AccountID string
	// AccountValue is the value of a primitive merchant account (02-25),
	// such as a UnionPay merchant account number.
	AccountValue string
	// GUID is the template's globally unique identifier (sub-field 00), such
	// as "br.gov.bcb.pix", "SG.PAYNOW" or "A000000677010111".
	GUID string
	// AccountFields are the template's other sub-fields (01, 02, ...), in
	// order, as the scheme defines them.
	AccountFields []Field
	Name          string // merchant name, at most 25 characters
	City          string // merchant city, at most 15 characters
	Country       string // ISO 3166-1 alpha-2, such as "BR"
	MCC           string // merchant category code, 4 digits ("0000" if none)
	Currency      string // ISO 4217 numeric, such as "986"
	PostalCode    string // optional, at most 10 characters
	// Language, NameLocal and CityLocal fill the merchant information
	// language template (64), so that a Chinese shop's code can carry its
	// Chinese name: Language "ZH", NameLocal "最佳运输", CityLocal "北京".
	Language  string
	NameLocal string
	CityLocal string
}

// Sale is one transaction to be paid with a dynamic QR code.
type Sale struct {
	// Amount is the amount due in minor units of the currency (cents).
	Amount int64
	// Exponent is the currency's number of minor-unit digits (2 for BRL and
	// SGD, 0 for IDR and VND).
	Exponent       int
	BillNumber     string // optional, 62.01, at most 25 characters
	ReferenceLabel string // optional, 62.05, at most 25 characters
	TerminalLabel  string // optional, 62.07, at most 25 characters
}

// NewStatic returns the validated static payload (point of initiation "11",
// no amount) for a merchant.
func NewStatic(m Merchant) (*Payload, error) {
	if err := m.checkAccountID(); err != nil {
		return nil, err
	}
	p := m.payload("11")
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// NewDynamic returns the validated dynamic payload (point of initiation "12")
// for one sale. The amount must be positive.
func NewDynamic(m Merchant, s Sale) (*Payload, error) {
	if s.Amount <= 0 {
		return nil, newErr(ErrAmount, "54", -1, errmsg.Errorf("amount must be positive, got %d minor units", s.Amount))
	}
	if err := m.checkAccountID(); err != nil {
		return nil, err
	}
	if s.Exponent < 0 || s.Exponent > maxExponent {
		return nil, newErr(ErrAmount, "54", -1, errmsg.Errorf("currency exponent %d outside 0-%d", s.Exponent, maxExponent))
	}
	p := m.payload("12")
	p.Amount = FormatAmount(s.Amount, s.Exponent)
	if s.BillNumber != "" || s.ReferenceLabel != "" || s.TerminalLabel != "" {
		p.AdditionalData = &AdditionalData{
			BillNumber:     s.BillNumber,
			ReferenceLabel: s.ReferenceLabel,
			TerminalLabel:  s.TerminalLabel,
		}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// BuildDynamic returns the encoded dynamic payload for one sale, ready to be
// rendered as a QR code.
func BuildDynamic(m Merchant, s Sale) (string, error) {
	p, err := NewDynamic(m, s)
	if err != nil {
		return "", err
	}
	return p.Encode()
}

func (m Merchant) payload(initiation string) *Payload {
	acct := MerchantAccount{ID: m.AccountID, Value: m.AccountValue}
	if n, _ := idNum(m.AccountID); n >= 26 {
		acct.Value = ""
		if m.GUID != "" {
			acct.Fields = append(acct.Fields, Field{ID: "00", Value: m.GUID})
		}
		acct.Fields = append(acct.Fields, m.AccountFields...)
	}
	var lang *LanguageTemplate
	if m.Language != "" || m.NameLocal != "" || m.CityLocal != "" {
		lang = &LanguageTemplate{Preference: m.Language, Name: m.NameLocal, City: m.CityLocal}
	}
	return &Payload{
		Language:          lang,
		PayloadFormat:     "01",
		PointOfInitiation: initiation,
		MerchantAccounts:  []MerchantAccount{acct},
		MCC:               m.MCC,
		Currency:          m.Currency,
		Country:           m.Country,
		MerchantName:      m.Name,
		MerchantCity:      m.City,
		PostalCode:        m.PostalCode,
	}
}

func (m Merchant) checkAccountID() error {
	n, ok := idNum(m.AccountID)
	switch {
	case !ok || n < 2 || n > 51:
		return newErr(ErrFormat, "", -1, errmsg.Errorf("merchant account id %q is not between 02 and 51", m.AccountID))
	case n <= 25 && m.AccountValue == "":
		return newErr(ErrMissing, m.AccountID, -1, errmsg.Errorf("merchant account %s (%s) needs its account number", m.AccountID, Network(m.AccountID)))
	case n <= 25 && (m.GUID != "" || len(m.AccountFields) > 0):
		return newErr(ErrFormat, m.AccountID, -1, errmsg.Errorf("merchant account %s (%s) is a plain value: it takes no GUID or sub-fields", m.AccountID, Network(m.AccountID)))
	}
	return nil
}
