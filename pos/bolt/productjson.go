package bolt

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/tillpos/till/pos"
)

// decodeProduct decodes a stored product record, as json.Unmarshal
// would, without reflection: the catalog read at start-up decodes every
// product, and encoding/json spent most of that time. It handles the
// records putProducts writes (json.Marshal of pos.Product: known keys,
// plain numbers, strings without escapes) and hands anything else (an
// escape, an unknown key, a null, a record of a newer layout) to
// json.Unmarshal, so the result is always what json.Unmarshal gives.
func decodeProduct(k, stored []byte, p *pos.Product) error {
	data, err := openNamed("product", k, stored)
	if err != nil {
		return err
	}
	if fastProduct(data, p) {
		return nil
	}
	*p = pos.Product{}
	return decodeJSON(k, data, p)
}

// fastProduct decodes data into p and reports whether it could.
func fastProduct(data []byte, p *pos.Product) bool {
	d := scan{b: data}
	if !d.byte('{') {
		return false
	}
	if d.peek('}') {
		d.i++
		return d.end()
	}
	for {
		key, ok := d.str()
		if !ok || !d.byte(':') {
			return false
		}
		switch string(key) {
		case "sku":
			p.SKU, ok = d.text()
		case "name":
			p.Name, ok = d.text()
		case "alt_name":
			p.AltName, ok = d.text()
		case "category":
			p.Category, ok = d.text()
		case "price":
			var n int64
			n, ok = d.int()
			p.Price = pos.Money(n)
		case "tax_rate":
			var n int64
			n, ok = d.int()
			p.TaxRate = pos.Rate(n)
		case "stock":
			p.Stock, ok = d.int()
		case "track_stock":
			p.TrackStock, ok = d.bool()
		case "barcodes":
			p.Barcodes, ok = d.texts()
		case "unit":
			var u string
			u, ok = d.text()
			p.Unit = pos.Unit(u)
		case "mnemonic":
			p.Mnemonic, ok = d.text()
		case "plu":
			p.PLU, ok = d.text()
		case "reorder_level":
			var n int64
			if n, ok = d.int(); ok {
				p.ReorderLevel = &n
			}
		default:
			return false
		}
		if !ok {
			return false
		}
		if d.peek(',') {
			d.i++
			continue
		}
		return d.byte('}') && d.end()
	}
}

// scan reads the JSON that json.Marshal writes: no white space.
type scan struct {
	b []byte
	i int
}

func (d *scan) peek(c byte) bool { return d.i < len(d.b) && d.b[d.i] == c }

func (d *scan) byte(c byte) bool {
	if !d.peek(c) {
		return false
	}
	d.i++
	return true
}

func (d *scan) end() bool { return d.i == len(d.b) }

// str returns a string's bytes if it holds no escape and no control
// character (json.Marshal escapes those and <, >, &, which then take
// the slow path).
func (d *scan) str() ([]byte, bool) {
	if !d.byte('"') {
		return nil, false
	}
	j := bytes.IndexByte(d.b[d.i:], '"')
	if j < 0 {
		return nil, false
	}
	s := d.b[d.i : d.i+j]
	var high byte
	for _, c := range s {
		if c == '\\' || c < 0x20 {
			return nil, false
		}
		high |= c
	}
	if high >= utf8.RuneSelf && !utf8.Valid(s) { // json.Unmarshal replaces bad bytes
		return nil, false
	}
	d.i += j + 1
	return s, true
}

func (d *scan) text() (string, bool) {
	s, ok := d.str()
	return string(s), ok
}

func (d *scan) texts() ([]string, bool) {
	if !d.byte('[') {
		return nil, false
	}
	out := []string{}
	if d.byte(']') {
		return out, true
	}
	for {
		s, ok := d.text()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if d.byte(']') {
			return out, true
		}
		if !d.byte(',') {
			return nil, false
		}
	}
}

func (d *scan) int() (int64, bool) {
	j := d.i
	if j < len(d.b) && d.b[j] == '-' {
		j++
	}
	for j < len(d.b) && d.b[j] >= '0' && d.b[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(string(d.b[d.i:j]), 10, 64)
	if err != nil {
		return 0, false
	}
	// A leading zero ("012") is not JSON: leave it to json.Unmarshal.
	if digits := d.b[d.i:j]; len(digits) > 1 && (digits[0] == '0' || (digits[0] == '-' && digits[1] == '0' && len(digits) > 2)) {
		return 0, false
	}
	d.i = j
	return n, true
}

func (d *scan) bool() (bool, bool) {
	switch {
	case bytes.HasPrefix(d.b[d.i:], []byte("true")):
		d.i += 4
		return true, true
	case bytes.HasPrefix(d.b[d.i:], []byte("false")):
		d.i += 5
		return false, true
	}
	return false, false
}
