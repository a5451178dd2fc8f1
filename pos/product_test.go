package pos

import (
	"errors"
	"strings"
	"testing"
)

func validProduct() Product {
	return Product{
		SKU:        "SKU1001",
		Barcodes:   []string{"6900012345004"},
		Name:       "Mineral water 550ml",
		AltName:    "农夫山泉 550ml",
		Category:   "drinks",
		Price:      200,
		TaxRate:    1300,
		TrackStock: true,
		Stock:      200,
	}
}

func TestProductValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Product)
		wantErr []string // substrings the error must contain; none: valid
		check   bool     // errors.Is(err, ErrCheckDigit)
	}{
		{"valid", func(p *Product) {}, nil, false},
		{"no barcodes", func(p *Product) { p.Barcodes = nil }, nil, false},
		{"two barcodes", func(p *Product) { p.Barcodes = append(p.Barcodes, "96385074") }, nil, false},
		{"free goods", func(p *Product) { p.Price = 0 }, nil, false},
		{"zero rate", func(p *Product) { p.TaxRate = 0 }, nil, false},
		{"wide name of 120 characters", func(p *Product) { p.Name = strings.Repeat("茶", 120) }, nil, false},
		{"missing name", func(p *Product) { p.Name = "" }, []string{"missing name"}, false},
		{"blank name", func(p *Product) { p.Name = " \t" }, []string{"missing name"}, false},
		{"name too long", func(p *Product) { p.Name = strings.Repeat("茶", 121) }, []string{"name"}, false},
		{"name not UTF-8", func(p *Product) { p.Name = "bad \xff name" }, []string{"UTF-8"}, false},
		{"missing sku", func(p *Product) { p.SKU = "" }, []string{"missing sku"}, false},
		{"blank sku", func(p *Product) { p.SKU = "  " }, []string{"missing sku"}, false},
		{"sku with a space", func(p *Product) { p.SKU = "SKU 1" }, []string{"sku"}, false},
		{"sku too long", func(p *Product) { p.SKU = strings.Repeat("S", 65) }, []string{"sku"}, false},
		{"bad check digit", func(p *Product) { p.Barcodes = []string{"6900012345005"} }, []string{"check digit"}, true},
		{"barcode with a space", func(p *Product) { p.Barcodes = []string{"690001 2345004"} }, []string{"barcode"}, false},
		{"empty barcode", func(p *Product) { p.Barcodes = []string{""} }, []string{"empty barcode"}, false},
		{"duplicate barcode", func(p *Product) { p.Barcodes = []string{"6900012345004", "96385074", "6900012345004"} }, []string{"listed twice"}, false},
		{"negative price", func(p *Product) { p.Price = -1 }, []string{"price"}, false},
		{"price too large", func(p *Product) { p.Price = MaxAmount + 1 }, []string{"price"}, false},
		{"negative rate", func(p *Product) { p.TaxRate = -1 }, []string{"tax rate"}, false},
		{"rate over 100%", func(p *Product) { p.TaxRate = RateScale + 1 }, []string{"tax rate"}, false},
		{"every problem at once", func(p *Product) {
			p.SKU, p.Name, p.Price = "", "", -5
			p.Barcodes = []string{"6900012345005"}
		}, []string{"missing sku", "missing name", "price", "check digit"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validProduct()
			tc.edit(&p)
			err := p.Validate()
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error mentioning %q", tc.wantErr)
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Validate() = %q, want it to mention %q", err, s)
				}
			}
			if got := errors.Is(err, ErrCheckDigit); got != tc.check {
				t.Errorf("errors.Is(%v, ErrCheckDigit) = %v, want %v", err, got, tc.check)
			}
		})
	}
}

func TestProductLowStock(t *testing.T) {
	tests := []struct {
		track bool
		stock int64
		want  bool
	}{
		{true, 200, false},
		{true, LowStockAt + 1, false},
		{true, LowStockAt, true},
		{true, 0, true},
		{true, -3, true},
		{false, 0, false},
	}
	for _, tc := range tests {
		p := Product{TrackStock: tc.track, Stock: tc.stock}
		if got := p.LowStock(); got != tc.want {
			t.Errorf("LowStock(track=%v, stock=%d) = %v, want %v", tc.track, tc.stock, got, tc.want)
		}
	}
}

func TestValidateRejectsControlCharacters(t *testing.T) {
	for _, p := range []Product{
		{SKU: "A", Name: "Tea\x1b[2J", Price: 1},
		{SKU: "A", Name: "Tea", AltName: "茶\n", Price: 1},
		{SKU: "A", Name: "Tea", Category: "drinks\x07", Price: 1},
	} {
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "control characters") {
			t.Errorf("%q/%q/%q: %v", p.Name, p.AltName, p.Category, err)
		}
	}
}
