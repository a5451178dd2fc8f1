package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
)

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func products(rows []goodscsv.Row) []pos.Product {
	ps := make([]pos.Product, len(rows))
	for i, r := range rows {
		ps[i] = r.Product
	}
	return ps
}

var importCmd = command{
	name:    "import",
	usage:   "FILE.csv",
	short:   "add or update goods (all or nothing)",
	summary: "add or update goods from a CSV file; one bad line rejects the whole file",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: till import FILE.csv", errUsage)
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("import: %w", err)
			}
			defer f.Close()
			res, err := goodscsv.Parse(f, e.cfg.currency.Exponent)
			if err != nil {
				return fmt.Errorf("import %s: %w", args[0], err)
			}
			if err := checkBarcodeOwners(e, res.Rows); err != nil {
				return fmt.Errorf("import %s: %w", args[0], err)
			}
			n, err := e.store.PutProducts(products(res.Rows))
			if err != nil {
				return fmt.Errorf("import %s: %w", args[0], err)
			}
			fmt.Fprintf(e.stdout, "imported %s: %d added, %d updated\n", args[0], n.Added, n.Updated)
			if len(res.Ignored) > 0 {
				fmt.Fprintf(e.stdout, "ignored column(s): %s\n", strings.Join(res.Ignored, ", "))
			}
			e.log.Info("import", "file", args[0], "added", n.Added, "updated", n.Updated)
			return nil
		}
	},
}

// checkBarcodeOwners names, by line, every barcode the file gives to a SKU
// while the store has it on another SKU the file does not change
// (pos.CheckBarcodes).
func checkBarcodeOwners(e *env, rows []goodscsv.Row) error {
	holder := map[string]pos.Product{}
	owner := func(b string) string {
		p, err := e.store.Lookup(b)
		if err != nil || !contains(p.Barcodes, b) {
			return ""
		}
		holder[p.SKU] = p
		return p.SKU
	}
	line := map[string]int{}
	for _, r := range rows {
		line[r.Product.SKU] = r.Line
	}
	var bad goodscsv.Errors
	for _, c := range pos.CheckBarcodes(products(rows), owner) {
		err := fmt.Errorf("barcode %s already belongs to %s", c.Barcode, c.Owner)
		if p, ok := holder[c.Owner]; ok {
			err = fmt.Errorf("%w (%s)", err, p.Name)
		}
		bad = append(bad, goodscsv.LineError{Line: line[c.SKU], Err: err})
	}
	if len(bad) > 0 {
		return bad
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
