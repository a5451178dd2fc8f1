package pos

import "testing"

func TestParseReceiptRef(t *testing.T) {
	const id = "01M8KGC6P28CDNK8957KW2V5CM-T1"
	for _, tc := range []struct {
		in   string
		want ReceiptRef
		ok   bool
	}{
		{"7", ReceiptRef{Number: 7}, true},
		{"000007", ReceiptRef{Number: 7}, true},
		{"#12", ReceiptRef{Number: 12}, true},
		{"No. 3", ReceiptRef{Number: 3}, true},
		{id, ReceiptRef{ID: id}, true},
		{"01m8kgc6p28cdnk8957kw2v5cm-T1", ReceiptRef{ID: id}, true},
		{"", ReceiptRef{}, false},
		{"0", ReceiptRef{}, false},
		{"-3", ReceiptRef{}, false},
		{"6901234567892", ReceiptRef{}, false}, // a barcode, not a receipt
		{"SKU1006", ReceiptRef{}, false},
		{"01M8KGC6P28CDNK8957KW2V5C!-T1", ReceiptRef{}, false},
	} {
		got, err := ParseReceiptRef(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseReceiptRef(%q) = %+v, %v; want %+v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
