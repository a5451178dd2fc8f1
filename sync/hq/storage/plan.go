package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

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
	owner := map[string]string{}
	for _, sku := range skus {
		for _, b := range next[sku].Barcodes {
			if o, taken := owner[b]; taken {
				errs = append(errs, fmt.Errorf("barcode %s belongs to both %s and %s", b, o, sku))
			}
			owner[b] = sku
		}
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

// ValidStore checks a store ID: 1 to 64 printable characters, no spaces.
func ValidStore(id string) error {
	if id == "" || len(id) > 64 || strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return fmt.Errorf("store %q: want 1 to 64 characters, no spaces", id)
	}
	return nil
}

// ValidTerminal checks a terminal ID the way the terminal's config does:
// at most 16 characters, no spaces, dashes or slashes (a sale ID is
// ULID-TERMINAL, so a dash would make it ambiguous).
func ValidTerminal(id string) error {
	if id == "" || len(id) > 16 || strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '-' || r == '/' }) >= 0 {
		return fmt.Errorf("terminal %q: want 1 to 16 characters, no spaces, dashes or slashes", id)
	}
	return nil
}
