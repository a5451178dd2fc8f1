// Package goodscsv reads and writes the goods CSV format shared by the
// terminal's and head office's imports. A file is taken whole or not at
// all: every bad line is reported by number, in one pass, and nothing is
// returned.
//
// Files come from spreadsheets: Excel in China saves CSV as GB18030 (GBK),
// elsewhere as UTF-8, often with a byte-order mark. Read takes a UTF-8
// file (with or without the mark) as it is and reads any other file as
// GB18030, saying so in the Result; Options.Encoding forces one.
package goodscsv

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tillpos/till/pos"

	"github.com/tillpos/till/internal/errmsg"
)

// Columns the format knows. name_zh (or alt_name) is kept as the goods'
// second-language name; any other column is ignored and reported.
var (
	required = []string{"sku", "name", "price", "tax_rate"}
	optional = []string{"barcode", "category", "stock", "name_zh", "alt_name", "unit", "mnemonic", "reorder_level", "plu"}
)

// MaxStock bounds a stock count (or reorder level), in units; anything
// larger is a typo.
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

// ShowErrors is how many bad lines an error message names: a screenful.
// The rest are counted.
const ShowErrors = 20

// keepErrors is how many bad lines a FileError holds; beyond that only
// the count grows, so a million-line bad file costs no memory per line.
const keepErrors = 1000

// Errors lists bad lines of a file.
type Errors []LineError

func (es Errors) Error() string { return errorText(es, len(es), "") }

// Unwrap lets errors.Is and errors.As look into every line's error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func errorText(es Errors, total int, encoding string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad line(s), nothing imported", total)
	if encoding != "" {
		fmt.Fprintf(&b, " (file read as %s)", encoding)
	}
	b.WriteString(":")
	for _, e := range es[:min(len(es), ShowErrors)] {
		b.WriteString("\n" + e.Error())
	}
	if rest := total - min(len(es), ShowErrors); rest > 0 {
		fmt.Fprintf(&b, "\n... and %d more bad line(s)", rest)
	}
	return b.String()
}

// FileError is a rejected file: the first bad lines and how many there are
// in all. errors.As finds its Lines as Errors.
type FileError struct {
	Lines    Errors // the first bad lines, in line order
	Total    int    // every bad line, including those not kept
	Encoding string // set when the file was read as GB18030
}

func (e *FileError) Error() string { return errorText(e.Lines, e.Total, e.Encoding) }
func (e *FileError) Unwrap() error { return e.Lines }

// Encoding names of Result.Encoding and Options.Encoding.
const (
	UTF8    = "UTF-8"
	UTF8BOM = "UTF-8 with BOM"
	GB18030 = "GB18030"
)

// Options say how to read a file.
type Options struct {
	// Exponent is the currency's minor-unit exponent for prices.
	Exponent int
	// Encoding forces the file's character encoding: "utf-8" (also
	// "utf8") or "gb18030" (also "gbk", "gb2312", which it contains).
	// Empty or "auto" detects it.
	Encoding string
	// Owner, when set, tells which goods of the existing catalog own a
	// barcode, so that a barcode the file gives to other goods is named
	// on its line in the same pass as every other problem. Goods the file
	// itself lists are judged by the file, as the import replaces them.
	Owner func(barcode string) (sku, name string, ok bool)
}

// Result is a parsed file.
type Result struct {
	Rows     []Row
	Ignored  []string // header names not used
	Encoding string   // UTF8, UTF8BOM or GB18030
	// Detected is true when the encoding was worked out rather than
	// forced.
	Detected bool
}

// Note is what an import should tell the user about the file's encoding:
// empty for UTF-8, a sentence when it was read as GB18030.
func (r Result) Note() string {
	if r.Encoding != GB18030 {
		return ""
	}
	if r.Detected {
		return "the file is not UTF-8: read it as GB18030 (Chinese Excel's CSV); use --encoding utf-8 to refuse such files"
	}
	return "read the file as GB18030, as asked"
}

// Parse reads a goods CSV whose first row names the columns, detecting
// its encoding (see Read).
func Parse(r io.Reader, exponent int) (Result, error) {
	return Read(r, Options{Exponent: exponent})
}

// Read reads a goods CSV whose first row names the columns. Prices are
// decimal strings in the currency's major unit, parsed exactly; tax rates
// are percentages; an empty stock means the goods are not counted; unit is
// kg, g, 斤, m or empty (by the piece), and stock and reorder_level of
// measured goods are in that unit with up to three decimals; mnemonic is
// the shop's search code (助记码) and plu the label scale's number. It returns a
// *FileError naming the bad lines, and no rows, if any line is bad.
func Read(r io.Reader, o Options) (Result, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Result{}, fmt.Errorf("read: %w", err)
	}
	c, err := Check(bytes.NewReader(data), o)
	if err != nil {
		if c != nil {
			return c.Result(), err
		}
		return Result{}, err
	}
	res := c.Result()
	res.Rows = make([]Row, 0, c.Len())
	err = c.Each(func(r Row) error {
		res.Rows = append(res.Rows, r)
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

func (e *FileError) add(line int, errs []error) {
	e.Total++
	if len(e.Lines) < keepErrors {
		e.Lines = append(e.Lines, LineError{Line: line, Err: joined(errs)})
	}
}

// lineErrs joins a line's problems on one line, so each bad line of a
// file is one line of the message; errors.Is still sees each.
type lineErrs []error

func (es lineErrs) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}
func (es lineErrs) Unwrap() []error { return es }

func joined(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return lineErrs(errs)
}

func parseRow(rec []string, col map[string]int, exponent int, enc string) (pos.Product, []error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	if !textOK(rec, enc) {
		// The GB18030 decoder turns bytes it cannot read into U+FFFD.
		if enc == GB18030 {
			return pos.Product{}, []error{errmsg.Errorf("not valid GB18030 either (the file is not UTF-8)")}
		}
		return pos.Product{}, []error{errmsg.Errorf("not valid UTF-8")}
	}
	var errs []error
	p := pos.Product{SKU: get("sku"), Name: get("name"), Category: get("category"), AltName: get("name_zh"), Mnemonic: get("mnemonic"), PLU: get("plu")}
	if p.AltName == "" {
		p.AltName = get("alt_name")
	}
	price, err := pos.ParseMoney(get("price"), exponent)
	if err != nil {
		errs = append(errs, errmsg.Errorf("price: %w", err))
	}
	p.Price = price
	rate, err := pos.ParseRate(get("tax_rate"))
	if err != nil {
		errs = append(errs, errmsg.Errorf("tax_rate: %w", err))
	}
	p.TaxRate = rate
	unit, err := pos.ParseUnit(get("unit"))
	if err != nil {
		errs = append(errs, err)
	}
	p.Unit = unit
	if s := get("stock"); s != "" {
		n, err := parseLevel("stock", s, unit)
		if err != nil {
			errs = append(errs, err)
		}
		p.Stock, p.TrackStock = n, true
	}
	if s := get("reorder_level"); s != "" {
		n, err := parseLevel("reorder_level", s, unit)
		if err != nil {
			errs = append(errs, err)
		}
		p.ReorderLevel = &n
	}
	for _, b := range strings.Split(get("barcode"), "|") {
		if b = strings.TrimSpace(b); b != "" {
			p.Barcodes = append(p.Barcodes, b)
		}
	}
	// Every rule of the goods themselves (sku, name, barcode check
	// digits...), whatever else is wrong on the line: one pass names all.
	if err := p.Validate(); err != nil {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, j.Unwrap()...) // errors.Join's, one a problem
		} else {
			errs = append(errs, err)
		}
	}
	return p, errs
}

// parseLevel reads a stock count or reorder level in the goods' unit:
// a whole number of pieces, or up to three decimals of a measure.
func parseLevel(name, s string, u pos.Unit) (int64, error) {
	if !u.Measured() {
		n, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil:
			return 0, errmsg.Errorf("%s %q: want a whole number", name, s)
		case n < 0 || n > MaxStock:
			return n, errmsg.Errorf("%s %d: must be 0 to %d", name, n, MaxStock)
		}
		return n, nil
	}
	n, err := pos.ParseMoney(s, 3)
	if err != nil {
		return 0, errmsg.Errorf("%s %q: want an amount of %s like 12.5, up to three decimals", name, s, u.Symbol())
	}
	if n > MaxStock*pos.QtyScale {
		return 0, errmsg.Errorf("%s %s: must be 0 to %d %s", name, s, MaxStock, u.Symbol())
	}
	return int64(n), nil
}

// Header is the column row Write emits.
var Header = []string{"sku", "barcode", "name", "name_zh", "category", "price", "tax_rate", "stock", "unit", "mnemonic", "reorder_level", "plu"}

// Write emits goods in the format Parse reads, in UTF-8 without a BOM.
func Write(w io.Writer, ps []pos.Product, exponent int) error {
	gw, err := NewWriter(w, exponent)
	if err != nil {
		return err
	}
	for i := range ps {
		if err := gw.Write(&ps[i]); err != nil {
			return err
		}
	}
	return gw.Flush()
}

// Writer writes goods one at a time, for an export that streams them
// from the store rather than holding the catalog.
type Writer struct {
	cw       *csv.Writer
	exponent int
	rec      []string
}

// NewWriter writes the header row and returns a Writer for the goods.
func NewWriter(w io.Writer, exponent int) (*Writer, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return nil, err
	}
	return &Writer{cw: cw, exponent: exponent, rec: make([]string, len(Header))}, nil
}

// Write writes one line of goods.
func (w *Writer) Write(p *pos.Product) error {
	stock, reorder := "", ""
	if p.TrackStock {
		stock = pos.FormatQty(p.Stock, p.Unit)
	}
	if p.ReorderLevel != nil {
		reorder = pos.FormatQty(*p.ReorderLevel, p.Unit)
	}
	rate := strings.TrimSuffix(p.TaxRate.String(), "%") + "%"
	r := w.rec
	r[0], r[1], r[2], r[3], r[4] = p.SKU, strings.Join(p.Barcodes, "|"), p.Name, p.AltName, p.Category
	r[5], r[6], r[7], r[8], r[9], r[10], r[11] = p.Price.Format(w.exponent), rate, stock, p.Unit.Symbol(), p.Mnemonic, reorder, p.PLU
	return w.cw.Write(r)
}

// Flush writes out what is buffered and reports any write error.
func (w *Writer) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// BOM is the UTF-8 byte-order mark. Excel opens a CSV file as UTF-8 only
// when it starts with one; without it Chinese names come out garbled.
const BOM = "\ufeff"

// ForExcel writes the byte-order mark that makes Excel read the CSV that
// follows as UTF-8, for an export asked for with --excel. Parse reads such
// files back.
func ForExcel(w io.Writer) error {
	_, err := io.WriteString(w, BOM)
	return err
}

// WriteExcel is Write for Excel: a byte-order mark, then the goods.
func WriteExcel(w io.Writer, ps []pos.Product, exponent int) error {
	if err := ForExcel(w); err != nil {
		return err
	}
	return Write(w, ps, exponent)
}
