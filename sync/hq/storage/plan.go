package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/tillpos/till/pos"
)

// Edit is one SKU an import changes: a nil Product deletes it.
type Edit struct {
	SKU     string
	Product *pos.Product
}

// Plan works out what an import does to a catalog whose live goods are
// current (SKU -> product): the edits to write, in SKU order, and the
// counts. It validates every product and that no barcode belongs to two
// SKUs in the resulting catalog, so a terminal applying the changes can
// never trip over a clash. Backends call it inside their transaction.
func Plan(current map[string]pos.Product, imp CatalogImport) ([]Edit, ImportResult, error) {
	var res ImportResult
	var errs []error
	next := make(map[string]pos.Product, len(current)+len(imp.Put))
	for sku, p := range current {
		next[sku] = p
	}
	inPut := map[string]bool{}
	for _, p := range imp.Put {
		if err := p.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("sku %s: %w", p.SKU, err))
			continue
		}
		if inPut[p.SKU] {
			errs = append(errs, fmt.Errorf("sku %s listed twice", p.SKU))
			continue
		}
		inPut[p.SKU] = true
		next[p.SKU] = p
	}
	if imp.Replace {
		for sku := range current {
			if !inPut[sku] {
				delete(next, sku)
			}
		}
	}
	for _, sku := range imp.Delete {
		if inPut[sku] {
			errs = append(errs, fmt.Errorf("sku %s both put and deleted", sku))
		}
		delete(next, sku)
	}
	skus := sortedKeys(next)
	goods := make([]pos.Product, len(skus))
	for i, sku := range skus {
		goods[i] = next[sku]
	}
	for _, c := range pos.CheckBarcodes(goods, nil) {
		errs = append(errs, c)
	}
	if len(errs) > 0 {
		return nil, ImportResult{}, errors.Join(errs...)
	}

	var edits []Edit
	for _, sku := range skus {
		p := next[sku]
		old, had := current[sku]
		switch {
		case !had:
			res.Added++
		case sameProduct(old, p):
			if inPut[sku] {
				res.Unchanged++
			}
			continue
		default:
			res.Updated++
		}
		edits = append(edits, Edit{SKU: sku, Product: &p})
	}
	for _, sku := range sortedKeys(current) {
		if _, kept := next[sku]; !kept {
			res.Deleted++
			edits = append(edits, Edit{SKU: sku})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].SKU < edits[j].SKU })
	return edits, res, nil
}

func sameProduct(a, b pos.Product) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

func sortedKeys(m map[string]pos.Product) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ValidStore checks a store ID by pos.CheckStoreID.
func ValidStore(id string) error { return pos.CheckStoreID(id) }

// ValidTerminal checks a terminal ID by pos.CheckTerminalID, the rule the
// terminal's config and database use too.
func ValidTerminal(id string) error { return pos.CheckTerminalID(id) }
