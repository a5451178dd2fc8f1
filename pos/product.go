package pos

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Product is one kind of goods on the shelf.
type Product struct {
	SKU      string   `json:"sku"`
	Barcodes []string `json:"barcodes,omitempty"`
	Name     string   `json:"name"`
	// AltName is a second-language name (the demo shop's Chinese names).
	AltName  string `json:"alt_name,omitempty"`
	Category string `json:"category,omitempty"`
	Price    Money  `json:"price"`
	TaxRate  Rate   `json:"tax_rate"`
	// TrackStock is false for goods not counted, such as those sold by weight.
	TrackStock bool  `json:"track_stock"`
	Stock      int64 `json:"stock"`
}

// LowStockAt is the stock level at or below which tracked goods are flagged.
const LowStockAt = 5

// LowStock reports whether tracked goods are running out.
func (p Product) LowStock() bool { return p.TrackStock && p.Stock <= LowStockAt }

// Validate checks a product's fields, returning every problem in one error.
func (p Product) Validate() error {
	var errs []error
	if strings.TrimSpace(p.SKU) == "" {
		errs = append(errs, errors.New("missing sku"))
	} else if len(p.SKU) > 64 || strings.ContainsAny(p.SKU, " \t\r\n") {
		errs = append(errs, fmt.Errorf("sku %q: at most 64 characters, no spaces", p.SKU))
	}
	if strings.TrimSpace(p.Name) == "" {
		errs = append(errs, errors.New("missing name"))
	} else if !utf8.ValidString(p.Name) || utf8.RuneCountInString(p.Name) > 120 {
		errs = append(errs, errors.New("name: invalid UTF-8 or over 120 characters"))
	}
	// Text reaches the counter screen and receipts: no character that
	// acts on a terminal or hides (CheckText).
	errs = append(errs, p.checkText()...)
	if p.Price < 0 || p.Price > MaxAmount {
		errs = append(errs, fmt.Errorf("price %d out of range", p.Price))
	}
	if p.TaxRate < 0 || p.TaxRate > RateScale {
		errs = append(errs, fmt.Errorf("tax rate %s out of range", p.TaxRate))
	}
	seen := map[string]bool{}
	for _, b := range p.Barcodes {
		if err := ValidateBarcode(b); err != nil {
			errs = append(errs, err)
		}
		if seen[b] {
			errs = append(errs, fmt.Errorf("barcode %s listed twice", b))
		}
		seen[b] = true
	}
	return errors.Join(errs...)
}
