package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/tillpos/till/i18n"

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

// importMemLimit is the import's soft memory limit (debug.SetMemoryLimit).
const importMemLimit = 150 << 20

var importCmd = command{
	name:    "import",
	usage:   "FILE.csv",
	short:   i18n.N("add or update goods (all or nothing)"),
	summary: i18n.N("add or update goods from a CSV file; one bad line rejects the whole file"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		encoding := fs.String("encoding", "", "the file's encoding, utf-8 or gb18030 (default: UTF-8 if it reads as UTF-8, else GB18030, as Chinese Excel saves)")
		return func(e *env, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: till import FILE.csv", errUsage)
			}
			f, err := os.Open(args[0])
			if err != nil {
				return e.p.Errorf("import: %w", err)
			}
			defer f.Close()
			// A million goods take about 100 MB to check (see
			// BenchmarkImportMillion): keep the collector from letting the
			// heap double past that, unless GOMEMLIMIT says otherwise.
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(importMemLimit)
			}
			// The file is read in passes and never held: one names every
			// bad line, barcodes the catalog gives to other goods included;
			// then its goods go into the store in one transaction.
			checked, err := goodscsv.Check(f, goodscsv.Options{Exponent: e.cfg.currency.Exponent, Owner: e.store.BarcodeOwner, Encoding: *encoding})
			if err != nil {
				return e.p.Errorf("import %s: %w", args[0], err)
			}
			res := checked.Result()
			if note := res.Note(); note != "" {
				e.p.Fprintf(e.stdout, "%s: %s\n", args[0], note)
			}
			n, err := e.store.ImportProducts(func(put func(pos.Product) error) error {
				return checked.Each(func(r goodscsv.Row) error { return put(r.Product) })
			}, checked.Lists)
			if err != nil {
				return e.p.Errorf("import %s: %w", args[0], err)
			}
			e.p.Fprintf(e.stdout, "imported %s: %d added, %d updated\n", args[0], n.Added, n.Updated)
			if len(res.Ignored) > 0 {
				e.p.Fprintf(e.stdout, "ignored column(s): %s\n", strings.Join(res.Ignored, ", "))
			}
			e.log.Info("import", "file", args[0], "added", n.Added, "updated", n.Updated)
			return nil
		}
	},
}
