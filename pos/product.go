package pos

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/tillpos/till/internal/errmsg"
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
	// TrackStock is false for goods whose stock is not counted.
	TrackStock bool `json:"track_stock"`
	// Stock is in the goods' Unit: pieces, or thousandths of the unit
	// (grams for kg) for measured goods.
	Stock int64 `json:"stock"`
	// Unit says how the goods are sold: by the piece (empty) or by weight
	// or length, with Price per unit (per kg, per 斤, per m).
	Unit Unit `json:"unit,omitempty"`
	// Mnemonic is the shop's own search code (助记码), e.g. "KKKL".
	Mnemonic string `json:"mnemonic,omitempty"`
	// PLU is the number a label scale knows the goods by (digits); a
	// scale label names the goods by it (package scale).
	PLU string `json:"plu,omitempty"`
	// ReorderLevel is the stock, in the goods' unit, at or below which
	// they are flagged; nil means the shop's default (LowStockAt units).
	ReorderLevel *int64 `json:"reorder_level,omitempty"`
}

// LowStockAt is the default reorder level, in units (pieces, kg, m):
// tracked goods at or below it are flagged.
const LowStockAt = 5

// Reorder returns the goods' reorder level in their unit's steps: their
// own, or LowStockAt units when they have none.
func (p Product) Reorder() int64 {
	if p.ReorderLevel != nil {
		return *p.ReorderLevel
	}
	return LowStockAt * p.Unit.Scale()
}

// LowStock reports whether tracked goods are at or below their reorder
// level.
func (p Product) LowStock() bool { return p.TrackStock && p.Stock <= p.Reorder() }

// StockShort reports whether selling qty more (in the goods' unit) would
// take tracked stock below zero, so the screen can warn before the sale:
// selling on stays allowed, since the goods are in the customer's hand.
func (p Product) StockShort(qty int64) bool { return p.TrackStock && p.Stock-qty < 0 }

// Validate checks a product's fields, returning every problem in one error.
func (p Product) Validate() error {
	var errs []error
	if strings.TrimSpace(p.SKU) == "" {
		errs = append(errs, errmsg.Errorf("missing sku"))
	} else if len(p.SKU) > 64 || strings.ContainsAny(p.SKU, " \t\r\n") {
		errs = append(errs, errmsg.Errorf("sku %q: at most 64 characters, no spaces", p.SKU))
	}
	if strings.TrimSpace(p.Name) == "" {
		errs = append(errs, errmsg.Errorf("missing name"))
	} else if !utf8.ValidString(p.Name) || utf8.RuneCountInString(p.Name) > 120 {
		errs = append(errs, errmsg.Errorf("name: invalid UTF-8 or over 120 characters"))
	}
	// Text reaches the counter screen and receipts: no character that
	// acts on a terminal or hides (CheckText).
	errs = append(errs, p.checkText()...)
	if p.Price < 0 || p.Price > MaxAmount {
		errs = append(errs, errmsg.Errorf("price %d out of range", p.Price))
	}
	if p.TaxRate < 0 || p.TaxRate > RateScale {
		errs = append(errs, errmsg.Errorf("tax rate %s out of range", p.TaxRate))
	}
	if !p.Unit.Valid() {
		errs = append(errs, errmsg.Errorf("unit %q: want kg, g, jin, m or empty", string(p.Unit)))
	}
	if utf8.RuneCountInString(p.Mnemonic) > 32 {
		errs = append(errs, errmsg.Errorf("mnemonic %q: at most 32 characters", p.Mnemonic))
	}
	if len(p.PLU) > 12 || strings.Trim(p.PLU, "0123456789") != "" {
		errs = append(errs, errmsg.Errorf("plu %q: at most 12 digits", p.PLU))
	}
	if p.ReorderLevel != nil && *p.ReorderLevel < 0 {
		errs = append(errs, errmsg.Errorf("reorder level %d: must not be negative", *p.ReorderLevel))
	}
	seen := map[string]bool{}
	for _, b := range p.Barcodes {
		if err := ValidateBarcode(b); err != nil {
			errs = append(errs, err)
		}
		if seen[b] {
			errs = append(errs, errmsg.Errorf("barcode %s listed twice", b))
		}
		seen[b] = true
	}
	return errors.Join(errs...)
}
