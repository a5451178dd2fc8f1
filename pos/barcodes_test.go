package pos

import (
	"reflect"
	"testing"
)

func TestCheckBarcodes(t *testing.T) {
	goods := func(sku string, codes ...string) Product { return Product{SKU: sku, Barcodes: codes} }
	catalog := map[string]string{"111": "TEA", "222": "RICE", "333": "TEA"}
	owner := func(b string) string { return catalog[b] }
	tests := []struct {
		name  string
		ps    []Product
		owner func(string) string
		want  []BarcodeClash
	}{
		{"new goods, new codes", []Product{goods("SOAP", "444")}, owner, nil},
		{"goods keep their own codes", []Product{goods("TEA", "111", "333")}, owner, nil},
		{"taking another's code", []Product{goods("SOAP", "444", "222")}, owner,
			[]BarcodeClash{{Barcode: "222", Owner: "RICE", SKU: "SOAP"}}},
		{"a code freed in the same batch", []Product{goods("TEA", "111"), goods("SOAP", "333")}, owner, nil},
		{"two goods swap codes", []Product{goods("TEA", "222"), goods("RICE", "111")}, owner, nil},
		{"two goods of the batch claim one code", []Product{goods("A", "9"), goods("B", "9")}, nil,
			[]BarcodeClash{{Barcode: "9", Owner: "A", SKU: "B"}}},
		{"one goods listing a code twice is not a clash", []Product{goods("A", "9", "9")}, nil, nil},
		{"every clash, in order", []Product{goods("X", "222"), goods("Y", "111"), goods("Z", "222")}, owner,
			[]BarcodeClash{{Barcode: "222", Owner: "RICE", SKU: "X"}, {Barcode: "111", Owner: "TEA", SKU: "Y"}, {Barcode: "222", Owner: "X", SKU: "Z"}}},
	}
	for _, tt := range tests {
		if got := CheckBarcodes(tt.ps, tt.owner); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	c := BarcodeClash{Barcode: "222", Owner: "RICE", SKU: "SOAP"}
	if got := c.Error(); got != "barcode 222 of SOAP already belongs to RICE" {
		t.Errorf("message %q", got)
	}
}
