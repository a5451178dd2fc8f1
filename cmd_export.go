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
	"github.com/tillpos/till/pos/goodscsv"
)

var exportCmd = command{
	name:  "export",
	usage: "goods|sales [--from D --to D] [--raw]",
	short: i18n.N("write CSV to standard output"),
	summary: i18n.N("write goods or sales as CSV to standard output. A cell a spreadsheet would run as a formula\n" +
		"(beginning with =, +, -, @, tab or CR, other than a plain number) gets a ' in front unless --raw;\n" +
		"use --raw for a file to import again. On a terminal, hidden characters are shown escaped"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		from := fs.String("from", "", "first day of sales, YYYY-MM-DD (default today)")
		to := fs.String("to", "", "last day of sales, YYYY-MM-DD (default --from)")
		raw := fs.Bool("raw", false, "cells exactly as stored: no quote before a cell a spreadsheet would run as a formula")
		return func(e *env, args []string) error {
			if len(args) != 1 || (args[0] != "goods" && args[0] != "sales") {
				return fmt.Errorf("%w: till export goods|sales [--from D --to D] [--raw]", errUsage)
			}
			out := e.userOut()
			if *raw {
				return exportCSV(e, out, args, *from, *to)
			}
			return safetext.NeutralCSV(out, func(w io.Writer) error { return exportCSV(e, w, args, *from, *to) })
		}
	},
}

// exportCSV writes goods or sales to out.
func exportCSV(e *env, out io.Writer, args []string, from, to string) error {
	exp := e.cfg.currency.Exponent
	if args[0] == "goods" {
		ps, err := e.store.Products()
		if err != nil {
			return err
		}
		return goodscsv.Write(out, ps, exp)
	}
	f, t, err := dayRange(e.p, from, to, e.loc)
	if err != nil {
		return err
	}
	sales, err := e.store.SalesBetween(f, t)
	if err != nil {
		return err
	}
	w := csv.NewWriter(out)
	_ = w.Write([]string{"sale_id", "receipt", "time", "cashier", "line", "sku", "name", "qty", "unit_price", "discount", "net", "tax_rate", "tax", "sale_total"})
	for _, s := range sales {
		for i, l := range s.Lines {
			_ = w.Write([]string{s.ID, strconv.FormatUint(s.Receipt, 10), s.At.In(e.loc).Format(time.RFC3339), s.Cashier,
				strconv.Itoa(i + 1), l.SKU, l.Name, strconv.FormatInt(l.Qty, 10), l.UnitPrice.Format(exp),
				(l.LineDiscount + l.CartDiscount).Format(exp), l.Net.Format(exp), l.TaxRate.String(), l.Tax.Format(exp), s.Due.Format(exp)})
		}
	}
	w.Flush()
	return w.Error()
}
