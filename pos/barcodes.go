package pos

import "fmt"

// A barcode belongs to one SKU only: scanning it must find one thing.
// CheckBarcodes is that rule for every place goods join a catalog: a
// file import, head office's import and the terminal's store.

// BarcodeClash is a barcode given to SKU while Owner has it.
type BarcodeClash struct {
	Barcode, Owner, SKU string
}

func (c BarcodeClash) Error() string {
	return fmt.Sprintf("barcode %s of %s already belongs to %s", c.Barcode, c.SKU, c.Owner)
}

// CheckBarcodes returns every barcode of the goods ps that another SKU
// claims, in the order of ps. owner says which SKU holds a barcode in the
// catalog now ("" for none; nil for an empty catalog). Goods in ps
// replace what their SKU held, so a barcode owner gives to a SKU in ps is
// free for the taking; two goods in ps claiming one barcode clash.
func CheckBarcodes(ps []Product, owner func(barcode string) string) []BarcodeClash {
	replaced := make(map[string]bool, len(ps))
	for _, p := range ps {
		replaced[p.SKU] = true
	}
	var clashes []BarcodeClash
	claimed := map[string]string{}
	for _, p := range ps {
		for _, b := range p.Barcodes {
			if o, ok := claimed[b]; ok {
				if o != p.SKU {
					clashes = append(clashes, BarcodeClash{Barcode: b, Owner: o, SKU: p.SKU})
				}
				continue
			}
			claimed[b] = p.SKU
			if owner == nil {
				continue
			}
			if o := owner(b); o != "" && o != p.SKU && !replaced[o] {
				clashes = append(clashes, BarcodeClash{Barcode: b, Owner: o, SKU: p.SKU})
			}
		}
	}
	return clashes
}
