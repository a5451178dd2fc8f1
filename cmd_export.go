package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/safetext"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
)

var exportCmd = command{
	name:  "export",
	usage: "goods|sales [--from D --to D] [--excel] [--raw]",
	short: i18n.N("write CSV to standard output"),
	summary: i18n.N("write goods or sales as CSV to standard output. A cell a spreadsheet would run as a formula\n" +
		"(beginning with =, +, -, @, tab or CR, other than a plain number) gets a ' in front unless --raw;\n" +
		"use --raw for a file to import again. On a terminal, hidden characters are shown escaped"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		from := fs.String("from", "", "first day of sales, YYYY-MM-DD (default today)")
		to := fs.String("to", "", "last day of sales, YYYY-MM-DD (default --from)")
		raw := fs.Bool("raw", false, "cells exactly as stored: no quote before a cell a spreadsheet would run as a formula")
		excel := fs.Bool("excel", false, "start with a UTF-8 byte-order mark, so Excel (Chinese Excel too) opens the file right")
		return func(e *env, args []string) error {
			if len(args) != 1 || (args[0] != "goods" && args[0] != "sales") {
				return fmt.Errorf("%w: till export goods|sales [--from D --to D] [--excel] [--raw]", errUsage)
			}
			var f, t time.Time
			if args[0] == "sales" {
				var err error
				if f, t, err = dayRange(e.p, *from, *to, e.loc); err != nil {
					return err // before a byte is written, the BOM included
				}
			}
			out := e.userOut()
			if *excel {
				if err := goodscsv.ForExcel(out); err != nil {
					return err
				}
			}
			if *raw {
				return exportCSV(e, out, args[0], f, t)
			}
			return safetext.NeutralCSV(out, func(w io.Writer) error { return exportCSV(e, w, args[0], f, t) })
		}
	},
}

// exportCSV writes goods, or the sales of [from, to), to out. Goods go
// straight from one read transaction to the CSV writer: the catalog is
// never held in memory.
func exportCSV(e *env, out io.Writer, what string, from, to time.Time) error {
	exp := e.cfg.currency.Exponent
	if what == "goods" {
		gw, err := goodscsv.NewWriter(out, exp)
		if err != nil {
			return err
		}
		if err := e.store.EachProduct(gw.Write); err != nil {
			return err
		}
		return gw.Flush()
	}
	sales, err := e.store.SalesBetween(from, to)
	if err != nil {
		return err
	}
	w := csv.NewWriter(out)
	_ = w.Write([]string{"sale_id", "receipt", "time", "cashier", "line", "sku", "name", "qty", "unit", "unit_price", "discount", "net", "tax_rate", "tax", "sale_total"})
	for _, s := range sales {
		for i, l := range s.Lines {
			// A weighed line's quantity in its unit (1.250 kg), not its
			// thousandths.
			_ = w.Write([]string{s.ID, strconv.FormatUint(s.Receipt, 10), s.At.In(e.loc).Format(time.RFC3339), s.Cashier,
				strconv.Itoa(i + 1), l.SKU, l.Name, pos.FormatQty(l.Qty, l.Unit), string(l.Unit), l.UnitPrice.Format(exp),
				(l.LineDiscount + l.CartDiscount).Format(exp), l.Net.Format(exp), l.TaxRate.String(), l.Tax.Format(exp), s.Due.Format(exp)})
		}
	}
	w.Flush()
	return w.Error()
}
