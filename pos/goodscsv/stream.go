package goodscsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tillpos/till/pos"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/tillpos/till/internal/errmsg"
)

// Checked is a file Check found good. It holds no goods, only what the
// file's rules need (each SKU and barcode with the line that lists it):
// Each reads the goods from the file again, one at a time, so a
// million-line import never holds a million products.
type Checked struct {
	src      io.ReadSeeker
	o        Options
	enc      string
	detected bool
	col      map[string]int
	ignored  []string
	skus     *strIndex // SKU -> the first line listing it
	bars     *strIndex // barcode -> the first line listing it
	rows     int
}

// Result is what Read would return for the file, without its rows.
func (c *Checked) Result() Result {
	return Result{Ignored: c.ignored, Encoding: c.enc, Detected: c.detected}
}

// Len is the number of goods in the file.
func (c *Checked) Len() int { return c.rows }

// Lists reports whether the file lists goods with this SKU.
func (c *Checked) Lists(sku string) bool { _, ok := c.skus.Get(sku); return ok }

// Check reads a goods CSV from src in passes, as Read does (same rules,
// same errors, every bad line named in one report), keeping only the
// file's SKUs and barcodes (a *FileError comes with the Checked, for its
// Result, and Each must not be called): a pass to tell its encoding (when not
// forced), one to index SKUs and barcodes, one to judge each line. A
// good file's goods then come from Each.
func Check(src io.ReadSeeker, o Options) (*Checked, error) {
	c := &Checked{src: src, o: o}
	if err := c.encoding(); err != nil {
		return nil, err
	}
	cr, err := c.open()
	if err != nil {
		return nil, err
	}
	if c.col, c.ignored, err = header(cr); err != nil {
		return nil, err
	}
	if err := c.index(cr); err != nil {
		return nil, err
	}
	if cr, err = c.open(); err != nil {
		return nil, err
	}
	if _, _, err := header(cr); err != nil {
		return nil, err
	}
	bad := &FileError{}
	if c.enc == GB18030 {
		bad.Encoding = GB18030
	}
	err = c.rowsOf(cr, func(line int, rec []string) error {
		p, errs := parseRow(rec, c.col, o.Exponent, c.enc)
		if first, ok := c.skus.Get(p.SKU); ok && int(first) != line {
			errs = append(errs, errmsg.Errorf("sku %s already on line %d", p.SKU, first))
		}
		for i, b := range p.Barcodes {
			if first, _ := c.bars.Get(b); int(first) != line || slices.Contains(p.Barcodes[:i], b) {
				errs = append(errs, errmsg.Errorf("barcode %s already on line %d", b, first))
			}
		}
		if o.Owner != nil {
			// The catalog's owners, by the one rule (pos.CheckBarcodes):
			// goods the file lists give their barcodes up to it.
			owner := func(b string) string {
				sku, _, ok := o.Owner(b)
				if !ok || c.Lists(sku) {
					return ""
				}
				return sku
			}
			for _, cl := range pos.CheckBarcodes([]pos.Product{p}, owner) {
				_, name, _ := o.Owner(cl.Barcode)
				errs = append(errs, errmsg.Errorf("barcode %s already belongs to %s (%s)", cl.Barcode, cl.Owner, name))
			}
		}
		if len(errs) > 0 {
			bad.add(line, errs)
			return nil
		}
		c.rows++
		return nil
	}, bad)
	if err != nil {
		return nil, err
	}
	if bad.Total > 0 {
		return c, bad // c.Result() still says how the file was read
	}
	return c, nil
}

// Each reads the checked file again and calls fn with each of its goods,
// in file order. A file that changed since Check is an error.
func (c *Checked) Each(fn func(Row) error) error {
	cr, err := c.open()
	if err != nil {
		return err
	}
	if _, _, err := header(cr); err != nil {
		return err
	}
	n := 0
	changed := errChanged
	bad := &FileError{}
	err = c.rowsOf(cr, func(line int, rec []string) error {
		p, errs := parseRow(rec, c.col, c.o.Exponent, c.enc)
		if len(errs) > 0 || !c.Lists(p.SKU) {
			return errmsg.Errorf("line %d: %w", line, changed)
		}
		n++
		return fn(Row{Line: line, Product: p})
	}, bad)
	switch {
	case err != nil:
		return err
	case bad.Total > 0 || n != c.rows:
		return changed
	}
	return nil
}

// index is the pass that notes the first line of each SKU and barcode.
// Lines Check refuses outright (unparsable, or not text in the file's
// encoding) list nothing, as in the one-pass reading.
func (c *Checked) index(cr *csv.Reader) error {
	c.skus, c.bars = newStrIndex(), newStrIndex()
	return c.rowsOf(cr, func(line int, rec []string) error {
		if !textOK(rec, c.enc) {
			return nil
		}
		get := func(name string) string {
			if i, ok := c.col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if sku := get("sku"); sku != "" {
			if _, err := c.skus.Add(sku, int32(line)); err != nil {
				return err
			}
		}
		for _, b := range strings.Split(get("barcode"), "|") {
			if b = strings.TrimSpace(b); b != "" {
				if _, err := c.bars.Add(b, int32(line)); err != nil {
					return err
				}
			}
		}
		return nil
	}, &FileError{})
}

// rowsOf calls fn with each non-blank record after the header and its
// line number; records that do not parse as CSV go to bad.
func (c *Checked) rowsOf(cr *csv.Reader, fn func(line int, rec []string) error, bad *FileError) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, errGB) {
				bad.add(pe.Line, []error{pe.Err})
				continue
			}
			return err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if line > 1<<31-1 {
			return errmsg.Errorf("more than 2,147,483,647 lines")
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

var errGB = errors.New("read as GB18030")

// errChanged is a file that changed between Check and Each.
var errChanged = errmsg.Errorf("the file changed while it was imported")

// textOK is parseRow's first rule: every field is text.
func textOK(rec []string, enc string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) || (enc == GB18030 && strings.ContainsRune(f, utf8.RuneError)) {
			return false
		}
	}
	return true
}

// header reads the column row.
func header(cr *csv.Reader) (map[string]int, []string, error) {
	h, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errmsg.Errorf("empty file: want a header row naming the columns")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	var ignored []string
	for i, name := range h {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if _, dup := col[name]; dup {
			return nil, nil, errmsg.Errorf("line 1: column %q twice", name)
		}
		col[name] = i
		if !slices.Contains(required, name) && !slices.Contains(optional, name) {
			ignored = append(ignored, name)
		}
	}
	var missing []string
	for _, name := range required {
		if _, ok := col[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, nil, errmsg.Errorf("line 1: missing column(s) %s", strings.Join(missing, ", "))
	}
	return col, ignored, nil
}

// encoding works the file's encoding out, or takes the forced one: a
// UTF-8 file (with or without a BOM) as it is, anything else as GB18030.
// Detection reads the whole file once, a few bytes at a time.
func (c *Checked) encoding() error {
	if _, err := c.src.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	br := bufio.NewReaderSize(c.src, 64<<10)
	start, _ := br.Peek(3)
	if bytes.HasPrefix(start, []byte{0xff, 0xfe}) || bytes.HasPrefix(start, []byte{0xfe, 0xff}) {
		return errmsg.Errorf("the file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" or plain \"CSV\"")
	}
	bom := bytes.HasPrefix(start, []byte(BOM))
	utf := UTF8
	if bom {
		utf = UTF8BOM
	}
	switch strings.ToLower(strings.TrimSpace(c.o.Encoding)) {
	case "", "auto":
		c.detected = true
		if bom {
			c.enc = utf
			return nil
		}
		ok, err := validUTF8(br)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		c.enc = utf
		if !ok {
			c.enc = GB18030
		}
	case "utf-8", "utf8":
		c.enc = utf
	case "gb18030", "gbk", "gb2312", "cp936":
		c.enc = GB18030
	default:
		return errmsg.Errorf("encoding %q: want auto, utf-8 or gb18030", c.o.Encoding)
	}
	return nil
}

// validUTF8 reports whether everything r gives is UTF-8.
func validUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, 64<<10)
	carry := 0
	for {
		n, err := r.Read(buf[carry:])
		n += carry
		end := n
		if err == nil {
			// Leave a rune cut by the end of the buffer for the next read.
			for i := n - 1; i >= 0 && i >= n-utf8.UTFMax; i-- {
				if utf8.RuneStart(buf[i]) {
					if !utf8.FullRune(buf[i:n]) {
						end = i
					}
					break
				}
			}
		}
		if !utf8.Valid(buf[:end]) {
			return false, nil
		}
		carry = copy(buf, buf[end:n])
		if err == io.EOF {
			return carry == 0, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// open starts a pass over the file: a CSV reader of its text as UTF-8.
func (c *Checked) open() (*csv.Reader, error) {
	if _, err := c.src.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	var r io.Reader = bufio.NewReaderSize(c.src, 64<<10)
	if c.enc == UTF8BOM {
		if _, err := io.CopyN(io.Discard, r, 3); err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
	}
	if c.enc == GB18030 {
		r = &gbReader{transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr, nil
}

// gbReader names the decoder in its errors.
type gbReader struct{ r io.Reader }

func (g *gbReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: %w", errGB, err)
	}
	return n, err
}
