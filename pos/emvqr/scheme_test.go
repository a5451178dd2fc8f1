package emvqr

import (
	"errors"
	"strings"
	"testing"
)

// verdicts are what Check says of every real payload: codes that strict EMV
// refuses (PromptPay and VietQR leave out 52/59/60, DuitNow stickers print
// payload format 02) are valid for their scheme, and say why.
var verdicts = map[string]string{
	"EMVCo MPM spec example (UTF-8 language template, tip prompt, unreserved template)": "valid EMV merchant-presented QR",
	"Brazil Pix static BR Code":                                                      "valid Pix",
	"Brazil Pix dynamic BR Code (payload URL, amount)":                               "valid Pix",
	"Brazil Pix dynamic BR Code (upper-case GUID)":                                   "valid Pix",
	"Thailand PromptPay transfer to a phone number (static)":                         "valid PromptPay; 52/59/60 absent, as Bank of Thailand / ITMX allows",
	"Thailand PromptPay transfer with amount":                                        "valid PromptPay; 52/59/60 absent, as Bank of Thailand / ITMX allows",
	"Thailand PromptPay bill payment (tag 30, reference in 62.07)":                   "valid PromptPay; 52/59/60 absent, as Bank of Thailand / ITMX allows",
	"Thailand TrueMoney via PromptPay (unreserved tag 81 holding a primitive value)": "valid PromptPay; 52/59/60 absent, as Bank of Thailand / ITMX allows",
	"Singapore SGQR PayNow to a UEN, with amount and bill number":                    "valid PayNow",
	"Singapore SGQR PayNow to a mobile number":                                       "valid PayNow",
	"Indonesia QRIS static (DANA + national QRIS templates, postal code)":            "valid QRIS",
	"Indonesia QRIS dynamic (ShopeePay, no MCC)":                                     "valid QRIS; 52 absent, as Bank Indonesia / ASPI allows",
	"Vietnam VietQR / NAPAS merchant (QRPUSH) static":                                "valid VietQR",
	"Vietnam VietQR account transfer with amount and purpose":                        "valid VietQR; 52/59/60 absent, as NAPAS allows",
	"Malaysia DuitNow (Maybank, payload format 01, zero amount)":                     "valid DuitNow",
	"Malaysia DuitNow (payload format indicator 02 as printed on the sticker)":       `valid DuitNow; payload format indicator "02", as DuitNow stickers print it`,
	"Malaysia DuitNow (RHB, unreserved tag 82 with a non-template value)":            `valid DuitNow; payload format indicator "02", as DuitNow stickers print it`,
	"India Bharat QR (Visa/Mastercard/RuPay/IFSC primitives, UPI templates 26/27)":   "valid UPI / Bharat QR",
	"India Bharat QR static with a lower-case CRC":                                   "valid UPI / Bharat QR",
	"Philippines QR Ph P2M (Maya, 62.00 GUID)":                                       "valid QR Ph",
	"Philippines QR Ph P2M dynamic (unreserved template 88)":                         "valid QR Ph",
}

func TestRealPayloadsValidForTheirScheme(t *testing.T) {
	for _, tc := range realPayloads {
		t.Run(tc.name, func(t *testing.T) {
			want, ok := verdicts[tc.name]
			if !ok {
				t.Fatalf("no verdict written for this payload")
			}
			p, err := Parse(tc.payload)
			if err != nil {
				t.Fatal(err)
			}
			v, err := p.Check()
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			eq(t, "verdict", v.String(), want)
			if (tc.strict == nil) != (v.Strict == nil) {
				t.Errorf("strict error %v, the table says %v", v.Strict, tc.strict)
			}
		})
	}
}

func TestCheckKeepsEMVRulesForUnknownSchemes(t *testing.T) {
	// A made-up scheme leaving out 52: strict rules apply.
	s := "000201010212261900" + "15com.example.pay" + "5303764" + "5802TH" + "6304"
	s += Checksum(s)
	p, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Scheme() != nil {
		t.Fatalf("scheme %v, want none", p.Scheme().Name)
	}
	if _, err := p.Check(); !errors.Is(err, ErrMissing) {
		t.Fatalf("Check = %v, want a missing data object", err)
	}
	// A PromptPay code still needs what PromptPay needs: no currency is
	// refused.
	pp := "00020101021129370016A000000677010111011300668012345675802TH6304"
	pp += Checksum(pp)
	p, err = Parse(pp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Check(); !errors.Is(err, ErrMissing) {
		t.Fatalf("PromptPay without 53: Check = %v, want missing", err)
	}
}

func TestDescribeNamesSchemeFields(t *testing.T) {
	find := func(t *testing.T, payload string) map[string]Named {
		t.Helper()
		p, err := Parse(payload)
		if err != nil {
			t.Fatal(err)
		}
		named, err := p.Describe()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]Named{}
		for _, n := range named {
			out[n.Path] = n
		}
		return out
	}
	vn := find(t, realPayloads[indexOf(t, "Vietnam VietQR / NAPAS merchant (QRPUSH) static")].payload)
	eq(t, "38", vn["38"].Name, "merchant account (VietQR NAPAS 247)")
	eq(t, "38.01.00", vn["38.01.00"].Name, "acquirer ID (bank BIN)")
	eq(t, "38.01.00 value", vn["38.01.00"].Value, "970403")
	eq(t, "38.01.01", vn["38.01.01"].Name, "merchant or consumer ID (account or card number)")
	vt := find(t, realPayloads[indexOf(t, "Vietnam VietQR account transfer with amount and purpose")].payload)
	eq(t, "38.02", vt["38.02"].Name, "service code")
	eq(t, "38.02 value", vt["38.02"].Value, "QRIBFTTA")
	eq(t, "38.01.00 value", vt["38.01.00"].Value, "970415")

	pp := find(t, realPayloads[indexOf(t, "Thailand PromptPay transfer to a phone number (static)")].payload)
	eq(t, "29", pp["29"].Name, "merchant account (PromptPay credit transfer)")
	eq(t, "29.01", pp["29.01"].Name, "mobile number")
	eq(t, "29.01 value", pp["29.01"].Value, "0066801234567")

	id := find(t, realPayloads[indexOf(t, "Indonesia QRIS static (DANA + national QRIS templates, postal code)")].payload)
	eq(t, "26.01", id["26.01"].Name, "merchant PAN")
	eq(t, "51.02", id["51.02"].Name, "national merchant ID (NMID)")
	eq(t, "51.03", id["51.03"].Name, "merchant criteria")
	eq(t, "51.03 value", id["51.03"].Value, "UMI")

	in := find(t, realPayloads[indexOf(t, "India Bharat QR (Visa/Mastercard/RuPay/IFSC primitives, UPI templates 26/27)")].payload)
	eq(t, "02", in["02"].Name, "merchant account (Visa)")
	eq(t, "04", in["04"].Name, "merchant account (Mastercard)")
	eq(t, "26.01", in["26.01"].Name, "virtual payment address")
}

func indexOf(t *testing.T, name string) int {
	t.Helper()
	for i, tc := range realPayloads {
		if tc.name == name {
			return i
		}
	}
	t.Fatalf("no real payload %q", name)
	return -1
}

func TestUnionPayAccount(t *testing.T) {
	eq(t, "15", Network("15"), "UnionPay")
	eq(t, "16", Network("16"), "UnionPay")
	eq(t, "02", Network("02"), "Visa")
	eq(t, "26", Network("26"), "")
	m := Merchant{AccountID: "15", AccountValue: "6221234567890123", Name: "BEST TRANSPORT", City: "BEIJING",
		Country: "CN", MCC: "4111", Currency: "156", Language: "ZH", NameLocal: "最佳运输", CityLocal: "北京"}
	s, err := BuildDynamic(m, Sale{Amount: 2372, Exponent: 2, BillNumber: "000042"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Decode(s)
	if err != nil {
		t.Fatalf("Decode(%s): %v", s, err)
	}
	if sc := p.Scheme(); sc == nil || sc.Name != "UnionPay" {
		t.Fatalf("scheme %v, want UnionPay", sc)
	}
	acct, ok := p.Account("15")
	if !ok || acct.Value != "6221234567890123" {
		t.Fatalf("account 15 = %+v", acct)
	}
	if p.Language == nil || p.Language.Preference != "ZH" || p.Language.Name != "最佳运输" || p.Language.City != "北京" {
		t.Fatalf("language template %+v", p.Language)
	}
	eq(t, "amount", p.Amount, "23.72")
	named, _ := p.Describe()
	eq(t, "first account name", named[2].Name, "merchant account (UnionPay)")
}

func TestDynamizeStaticStickers(t *testing.T) {
	for _, tc := range realPayloads {
		p, err := Parse(tc.payload)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := ParseAmount(p.Amount, tc.exponent); p.PointOfInitiation != "11" || v != 0 {
			continue // not a static sticker
		}
		t.Run(tc.name, func(t *testing.T) {
			exp := 2
			if p.Currency == "704" || p.Currency == "360" {
				exp = 0
			}
			out, changes, err := Dynamize(tc.payload, Sale{Amount: 12345, Exponent: exp, BillNumber: "000042", TerminalLabel: "T1"})
			if err != nil {
				t.Fatalf("Dynamize: %v", err)
			}
			q, err := Parse(out)
			if err != nil {
				t.Fatalf("result does not parse: %v", err)
			}
			if _, err := q.Check(); err != nil {
				t.Fatalf("result not valid for its scheme: %v", err)
			}
			eq(t, "point of initiation", q.PointOfInitiation, "12")
			eq(t, "amount", q.Amount, FormatAmount(12345, exp))
			wantBill, wantTerm := "000042", "T1"
			if a := p.AdditionalData; a != nil && a.BillNumber != "" {
				wantBill = a.BillNumber
			}
			if a := p.AdditionalData; a != nil && a.TerminalLabel != "" {
				wantTerm = a.TerminalLabel
			}
			eq(t, "bill number", q.AdditionalData.BillNumber, wantBill)
			eq(t, "terminal label", q.AdditionalData.TerminalLabel, wantTerm)
			// Everything else is the sticker's, byte for byte.
			before, _ := p.Fields()
			after, _ := q.Fields()
			changed := map[string]bool{"01": true, "54": true, "62": true}
			keep := func(fs []Field) []string {
				var out []string
				for _, f := range fs {
					if !changed[f.ID] {
						out = append(out, f.ID+"="+f.encodedValue())
					}
				}
				return out
			}
			eq(t, "untouched fields", strings.Join(keep(after), "|"), strings.Join(keep(before), "|"))
			if a := p.AdditionalData; a != nil {
				for _, x := range a.Extra {
					if got := fieldValue(q.AdditionalData.Extra, x.ID); got != x.encodedValue() {
						t.Errorf("62.%s = %q, sticker had %q", x.ID, got, x.encodedValue())
					}
				}
				if a.ReferenceLabel != "" {
					eq(t, "62.05 kept", q.AdditionalData.ReferenceLabel, a.ReferenceLabel)
				}
			}
			paths := map[string]bool{}
			for _, c := range changes {
				paths[c.Path] = true
			}
			for _, want := range []string{"01", "54", "62.01", "62.07", "63"} {
				if !paths[want] && (want != "62.07" || wantTerm == "T1") && (want != "62.01" || wantBill == "000042") {
					t.Errorf("changes %v do not name %s", changes, want)
				}
			}
		})
	}
}

func TestDynamizeRefuses(t *testing.T) {
	withAmount := realPayloads[indexOf(t, "Thailand PromptPay transfer with amount")].payload
	if _, _, err := Dynamize(withAmount, Sale{Amount: 100, Exponent: 2}); !errors.Is(err, ErrAmount) {
		t.Errorf("a code with its own amount: %v, want ErrAmount", err)
	}
	static := realPayloads[indexOf(t, "Thailand PromptPay transfer to a phone number (static)")].payload
	bad := static[:len(static)-1] + "0"
	if bad == static {
		bad = static[:len(static)-1] + "1"
	}
	if _, _, err := Dynamize(bad, Sale{Amount: 100, Exponent: 2}); !errors.Is(err, ErrCRC) {
		t.Errorf("a bad crc: %v, want ErrCRC", err)
	}
	if _, _, err := Dynamize(static, Sale{Amount: 0, Exponent: 2}); !errors.Is(err, ErrAmount) {
		t.Errorf("zero amount: %v, want ErrAmount", err)
	}
	if _, _, err := Dynamize("https://qr.alipay.com/fkx12345", Sale{Amount: 100, Exponent: 2}); err == nil {
		t.Error("an Alipay URL was taken as EMV")
	}
}
