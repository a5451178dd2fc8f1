// Package goodscsv reads and writes the goods CSV format shared by the
// terminal's and head office's imports. A file is taken whole or not at
// all: every bad line is reported by number, and nothing is returned.
package goodscsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tillpos/till/pos"
)

// Columns the format knows. name_zh (or alt_name) is kept as the goods'
// second-language name; any other column is ignored and reported.
var (
	required = []string{"sku", "name", "price", "tax_rate"}
	optional = []string{"barcode", "category", "stock", "name_zh", "alt_name"}
)

// MaxStock bounds a stock count; anything larger is a typo.
const MaxStock = 1_000_000_000

// Row is one parsed line of goods.
type Row struct {
	Line    int
	Product pos.Product
}

// LineError is the problem with one line.
type LineError struct {
	Line int
	Err  error
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e LineError) Unwrap() error { return e.Err }

// Errors lists every bad line of a file.
type Errors []LineError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return fmt.Sprintf("%d bad line(s), nothing imported:\n%s", len(es), strings.Join(parts, "\n"))
}

// Result is a parsed file.
type Result struct {
	Rows    []Row
	Ignored []string // header names not used
}

// Parse reads a goods CSV whose first row names the columns. Prices are
// decimal strings in the currency's major unit, parsed exactly; tax rates
// are percentages; an empty stock means the goods are not counted. It
// returns Errors naming every bad line, and no rows, if any line is bad.
func Parse(r io.Reader, exponent int) (Result, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return Result{}, errors.New("empty file: want a header row naming the columns")
	}
	if err != nil {
		return Result{}, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	var res Result
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; dup {
			return Result{}, fmt.Errorf("line 1: column %q twice", h)
		}
		col[h] = i
		if !slices.Contains(required, h) && !slices.Contains(optional, h) {
			res.Ignored = append(res.Ignored, h)
		}
	}
	var missing []string
	for _, h := range required {
		if _, ok := col[h]; !ok {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return Result{}, fmt.Errorf("line 1: missing column(s) %s", strings.Join(missing, ", "))
	}
	var bad Errors
	skuLine := map[string]int{}
	barcodeLine := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, LineError{Line: pe.Line, Err: pe.Err})
				continue
			}
			return Result{}, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		p, errs := parseRow(rec, col, exponent)
		if prev, dup := skuLine[p.SKU]; dup && p.SKU != "" {
			errs = append(errs, fmt.Errorf("sku %s already on line %d", p.SKU, prev))
		}
		for _, b := range p.Barcodes {
			if prev, dup := barcodeLine[b]; dup {
				errs = append(errs, fmt.Errorf("barcode %s already on line %d", b, prev))
			}
		}
		if len(errs) > 0 {
			bad = append(bad, LineError{Line: line, Err: errors.Join(errs...)})
			continue
		}
		skuLine[p.SKU] = line
		for _, b := range p.Barcodes {
			barcodeLine[b] = line
		}
		res.Rows = append(res.Rows, Row{Line: line, Product: p})
	}
	if len(bad) > 0 {
		return Result{}, bad
	}
	return res, nil
}

func parseRow(rec []string, col map[string]int, exponent int) (pos.Product, []error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var errs []error
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return pos.Product{}, []error{errors.New("not valid UTF-8")}
		}
	}
	p := pos.Product{SKU: get("sku"), Name: get("name"), Category: get("category"), AltName: get("name_zh")}
	if p.AltName == "" {
		p.AltName = get("alt_name")
	}
	if p.SKU == "" {
		errs = append(errs, errors.New("missing sku"))
	}
	if p.Name == "" {
		errs = append(errs, errors.New("missing name"))
	}
	price, err := pos.ParseMoney(get("price"), exponent)
	if err != nil {
		errs = append(errs, fmt.Errorf("price: %w", err))
	}
	p.Price = price
	rate, err := pos.ParseRate(get("tax_rate"))
	if err != nil {
		errs = append(errs, fmt.Errorf("tax_rate: %w", err))
	}
	p.TaxRate = rate
	if s := get("stock"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("stock %q: want a whole number", s))
		case n < 0 || n > MaxStock:
			errs = append(errs, fmt.Errorf("stock %d: must be 0 to %d", n, MaxStock))
		}
		p.Stock, p.TrackStock = n, true
	}
	for _, b := range strings.Split(get("barcode"), "|") {
		if b = strings.TrimSpace(b); b != "" {
			p.Barcodes = append(p.Barcodes, b)
		}
	}
	if len(errs) == 0 {
		if err := p.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return p, errs
}

// Header is the column row Write emits.
var Header = []string{"sku", "barcode", "name", "name_zh", "category", "price", "tax_rate", "stock"}

// Write emits goods in the format Parse reads.
func Write(w io.Writer, ps []pos.Product, exponent int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, p := range ps {
		stock := ""
		if p.TrackStock {
			stock = strconv.FormatInt(p.Stock, 10)
		}
		rate := strings.TrimSuffix(p.TaxRate.String(), "%") + "%"
		if err := cw.Write([]string{p.SKU, strings.Join(p.Barcodes, "|"), p.Name, p.AltName, p.Category,
			p.Price.Format(exponent), rate, stock}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
