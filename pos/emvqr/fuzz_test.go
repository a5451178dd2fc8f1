package emvqr

import (
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"
)

func FuzzDecode(f *testing.F) {
	for _, tc := range realPayloads {
		f.Add(tc.payload)
	}
	for _, tc := range errCases() {
		f.Add(tc.payload)
	}
	f.Add(withCRC(validBody + tlv("64", "0002ZH"+tlv("01", "最佳运输"))))
	f.Fuzz(func(t *testing.T, s string) {
		checkDecode(t, s)
		// Most mutations break the CRC; also check the mutated payload with
		// its CRC repaired, so the fuzzer reaches the rest of the decoder.
		if n := len(s); n >= 8 && s[n-8:n-4] == "6304" {
			checkDecode(t, s[:n-4]+Checksum(s[:n-4]))
		}
	})
}

// checkDecode asserts the decoder's invariants for one input: errors are
// *Error values wrapping a sentinel; whatever Parse accepts, Encode reproduces
// byte for byte; Decode agrees with Parse followed by Validate.
func checkDecode(t *testing.T, s string) {
	t.Helper()
	p, err := Parse(s)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Err == nil {
			t.Fatalf("Parse error %v is not an *Error with a sentinel", err)
		}
		if _, derr := Decode(s); derr == nil {
			t.Fatalf("Decode accepted what Parse rejected: %v", err)
		}
		return
	}
	out, err := p.Encode()
	if err != nil {
		t.Fatalf("Encode of a parsed payload failed: %v\ninput %q", err, s)
	}
	if out != s {
		t.Fatalf("round trip differs:\n  in %q\n out %q", s, out)
	}
	verr := p.Validate()
	if verr != nil {
		var e *Error
		if !errors.As(verr, &e) || e.Err == nil {
			t.Fatalf("Validate error %v is not an *Error with a sentinel", verr)
		}
	}
	d, derr := Decode(s)
	if (verr == nil) != (derr == nil) {
		t.Fatalf("Validate = %v but Decode = %v", verr, derr)
	}
	if derr == nil && !reflect.DeepEqual(d, p) {
		t.Fatalf("Decode and Parse disagree")
	}
	p2, err := Parse(out)
	if err != nil || !reflect.DeepEqual(p, p2) {
		t.Fatalf("re-parse: %v", err)
	}
}

// FuzzRoundTrip builds dynamic payloads from arbitrary sale data: whatever
// BuildDynamic accepts must decode back to the same values.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Fulano de Tal", "BRASILIA", int64(1250), uint8(2), "B-17", "TILL0001", "T1")
	f.Add("ACME Pte Ltd", "Singapore", int64(1), uint8(0), "", "", "")
	f.Add("N", "C", int64(9999999999999), uint8(0), "***", "***", "***")
	f.Fuzz(func(t *testing.T, name, city string, amount int64, exp uint8, bill, ref, term string) {
		m := pixMerchant
		m.Name, m.City = name, city
		sale := Sale{Amount: amount, Exponent: int(exp % 8), BillNumber: bill, ReferenceLabel: ref, TerminalLabel: term}
		s, err := BuildDynamic(m, sale)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("invalid utf-8 payload %q", s)
		}
		p, err := Decode(s)
		if err != nil {
			t.Fatalf("Decode(BuildDynamic(...)) = %v\npayload %q", err, s)
		}
		got, err := ParseAmount(p.Amount, sale.Exponent)
		if err != nil || got != amount {
			t.Fatalf("amount %q parsed as %d, %v; want %d", p.Amount, got, err, amount)
		}
		eq(t, "name", p.MerchantName, name)
		eq(t, "city", p.MerchantCity, city)
		eq(t, "initiation", p.PointOfInitiation, "12")
		var a AdditionalData
		if p.AdditionalData != nil {
			a = *p.AdditionalData
		}
		eq(t, "bill", a.BillNumber, bill)
		eq(t, "ref", a.ReferenceLabel, ref)
		eq(t, "terminal", a.TerminalLabel, term)
		if out, _ := p.Encode(); out != s {
			t.Fatalf("re-encode differs")
		}
	})
}
