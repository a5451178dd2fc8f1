package emvqr

import (
	"errors"
	"strings"
	"testing"
)

var pixMerchant = Merchant{
	AccountID:     "26",
	GUID:          "br.gov.bcb.pix",
	AccountFields: []Field{{ID: "01", Value: "123e4567-e12b-12d1-a456-426655440000"}},
	Name:          "Fulano de Tal",
	City:          "BRASILIA",
	Country:       "BR",
	MCC:           "0000",
	Currency:      "986",
}

func TestBuildDynamic(t *testing.T) {
	s, err := BuildDynamic(pixMerchant, Sale{Amount: 1250, Exponent: 2, BillNumber: "B-17", ReferenceLabel: "TILL0001", TerminalLabel: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	want := "000201" + "010212" + "26580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" +
		"52040000" + "5303986" + "540512.50" + "5802BR" + "5913Fulano de Tal" + "6008BRASILIA" +
		"6226" + "0104B-17" + "0508TILL0001" + "0702T1" + "6304"
	want += Checksum(want)
	eq(t, "payload", s, want)

	p, err := Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "amount", p.Amount, "12.50")
	eq(t, "bill", p.AdditionalData.BillNumber, "B-17")
	eq(t, "ref", p.AdditionalData.ReferenceLabel, "TILL0001")
	eq(t, "terminal", p.AdditionalData.TerminalLabel, "T1")

	// Zero-exponent currency, no additional data.
	m := pixMerchant
	m.Currency, m.Country = "360", "ID"
	s, err = BuildDynamic(m, Sale{Amount: 144000})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "5406144000") || strings.Contains(s, "6207") {
		t.Errorf("unexpected payload %s", s)
	}
}

func TestNewStatic(t *testing.T) {
	p, err := NewStatic(pixMerchant)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := p.Encode()
	want := "000201010211" + "26580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" +
		"52040000" + "5303986" + "5802BR" + "5913Fulano de Tal" + "6008BRASILIA" + "6304"
	want += Checksum(want)
	eq(t, "static", s, want)
}

func TestBuildDynamicErrors(t *testing.T) {
	long := strings.Repeat("x", 26)
	for _, tc := range []struct {
		name string
		m    func(m *Merchant)
		s    Sale
		err  error
		id   string
	}{
		{"zero amount", nil, Sale{Amount: 0, Exponent: 2}, ErrAmount, "54"},
		{"negative amount", nil, Sale{Amount: -5, Exponent: 2}, ErrAmount, "54"},
		{"bad exponent", nil, Sale{Amount: 5, Exponent: -1}, ErrAmount, "54"},
		{"amount too long", nil, Sale{Amount: 1e13, Exponent: 2}, ErrTooLong, "54"},
		{"name too long", func(m *Merchant) { m.Name = long }, Sale{Amount: 1, Exponent: 2}, ErrTooLong, "59"},
		{"city too long", func(m *Merchant) { m.City = long }, Sale{Amount: 1, Exponent: 2}, ErrTooLong, "60"},
		{"missing name", func(m *Merchant) { m.Name = "" }, Sale{Amount: 1, Exponent: 2}, ErrMissing, "59"},
		{"missing guid", func(m *Merchant) { m.GUID = "" }, Sale{Amount: 1, Exponent: 2}, ErrMissing, "26.00"},
		{"bad currency", func(m *Merchant) { m.Currency = "BRL" }, Sale{Amount: 1, Exponent: 2}, ErrFormat, "53"},
		{"bad country", func(m *Merchant) { m.Country = "BRA" }, Sale{Amount: 1, Exponent: 2}, ErrFormat, "58"},
		{"bad mcc", func(m *Merchant) { m.MCC = "" }, Sale{Amount: 1, Exponent: 2}, ErrMissing, "52"},
		{"non-ascii name", func(m *Merchant) { m.Name = "São João" }, Sale{Amount: 1, Exponent: 2}, ErrCharset, "59"},
		{"reference too long", nil, Sale{Amount: 1, Exponent: 2, ReferenceLabel: long}, ErrTooLong, "62.05"},
		{"bill too long", nil, Sale{Amount: 1, Exponent: 2, BillNumber: long}, ErrTooLong, "62.01"},
		{"terminal too long", nil, Sale{Amount: 1, Exponent: 2, TerminalLabel: long}, ErrTooLong, "62.07"},
		{"account id out of range", func(m *Merchant) { m.AccountID = "52" }, Sale{Amount: 1, Exponent: 2}, ErrFormat, ""},
		{"primitive account with a guid", func(m *Merchant) { m.AccountID, m.AccountValue = "02", "4000123456789012" }, Sale{Amount: 1, Exponent: 2}, ErrFormat, "02"},
		{"unionpay account without its number", func(m *Merchant) { m.AccountID, m.GUID, m.AccountFields = "15", "", nil }, Sale{Amount: 1, Exponent: 2}, ErrMissing, "15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := pixMerchant
			if tc.m != nil {
				tc.m(&m)
			}
			_, err := BuildDynamic(m, tc.s)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			var e *Error
			if errors.As(err, &e); e.ID != tc.id {
				t.Errorf("error %q names %q, want %q", err, e.ID, tc.id)
			}
		})
	}
}

func BenchmarkBuildDynamic(b *testing.B) {
	sale := Sale{Amount: 4990, Exponent: 2, BillNumber: "000123", ReferenceLabel: "TILL-2024-000123", TerminalLabel: "TILL01"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BuildDynamic(pixMerchant, sale); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	s := realPayloads[0].payload
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(s); err != nil {
			b.Fatal(err)
		}
	}
}
