package bolt

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
)

// TestDecodeProductMatchesJSON: the fast decoder gives exactly what
// json.Unmarshal gives, on what json.Marshal writes and on records it
// must hand over (escapes, unknown keys, nulls, white space, bad numbers).
func TestDecodeProductMatchesJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	pieces := []string{"Cola", "可口可乐", "Café", "a\"b", `back\slash`, "<b>&", "\t", "\u2028", "x", "", "Ünï", "\xff"}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(4) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	check := func(data []byte) {
		t.Helper()
		var want, got pos.Product
		werr := json.Unmarshal(data, &want)
		gerr := decodeProduct([]byte("k"), data, &got)
		if (werr != nil) != (gerr != nil) || !reflect.DeepEqual(want, got) {
			t.Fatalf("%s:\njson %+v %v\nfast %+v %v", data, want, werr, got, gerr)
		}
	}
	fast := 0
	for range 5000 {
		p := pos.Product{SKU: str(), Name: str(), AltName: str(), Category: str(),
			Price: pos.Money(rng.Int64N(1 << 40)), TaxRate: pos.Rate(rng.IntN(3000)),
			TrackStock: rng.IntN(2) == 0, Stock: rng.Int64N(1<<20) - 1<<19}
		for range rng.IntN(3) {
			p.Barcodes = append(p.Barcodes, str())
		}
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		check(data)
		var q pos.Product
		if fastProduct(data, &q) {
			fast++
		}
	}
	if fast < 100 { // most records hold a piece that is escaped or invalid
		t.Errorf("only %d of 5000 records took the fast path", fast)
	}
	for _, s := range []string{
		`{}`, `{"sku":"A"}`, `{"sku":"A","barcodes":null}`, `{"sku":"A","barcodes":[]}`,
		`{"SKU":"A"}`, `{"sku":"A","extra":1}`, `{ "sku":"A"}`, `{"sku":"A",}`, `{"sku":"A"`,
		`{"price":012}`, `{"price":-0}`, `{"price":-01}`, `{"price":1.5}`, `{"price":1e3}`, `{"price":-}`,
		`{"price":99999999999999999999}`, `{"track_stock":tru}`, `{"track_stock":null}`, `{"sku":"A","sku":"B"}`,
		`{"stock":-12,"track_stock":true}`, `{"sku":"A"} `, `null`, ``, `{"barcodes":["1",2]}`,
	} {
		check([]byte(s))
	}
}

// TestDecodeProductKnowsEveryField: a product with every field set takes
// the fast path, so a field added to pos.Product (which json.Unmarshal
// would still decode, slowly) is noticed here.
func TestDecodeProductKnowsEveryField(t *testing.T) {
	var p pos.Product
	v := reflect.ValueOf(&p).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Int64:
			f.SetInt(7)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"1", "2"}))
		case reflect.Pointer:
			n := int64(7)
			f.Set(reflect.ValueOf(&n))
		default:
			t.Fatalf("pos.Product.%s: a %s the fast decoder does not know", v.Type().Field(i).Name, f.Kind())
		}
	}
	data, _ := json.Marshal(p)
	var q pos.Product
	if !fastProduct(data, &q) || !reflect.DeepEqual(p, q) {
		t.Fatalf("%s: fast path %+v", data, q)
	}
}
