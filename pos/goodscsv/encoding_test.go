package goodscsv

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const chineseFile = "sku,barcode,name,name_zh,price,tax_rate,stock,unit\n" +
	"SKU1003,6900012345745,Cola 330ml can,可口可乐 330ml,3.00,13%,150,\n" +
	"SKU1027,6900012354624,Apple per kg,苹果 (每公斤),12.00,9%,20.5,斤\n"

func gb(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b, []byte(s)) {
		t.Fatal("encoding changed nothing")
	}
	return b
}

func TestEncodingIsDetected(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		enc  string
		note bool
	}{
		{"utf-8", []byte(chineseFile), UTF8, false},
		{"utf-8 with BOM", []byte(BOM + chineseFile), UTF8BOM, false},
		{"gb18030 from Chinese Excel", gb(t, chineseFile), GB18030, true},
	} {
		res, err := Parse(bytes.NewReader(c.data), 2)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if res.Encoding != c.enc || !res.Detected || (res.Note() != "") != c.note {
			t.Errorf("%s: encoding %q detected %v note %q", c.name, res.Encoding, res.Detected, res.Note())
		}
		if len(res.Rows) != 2 || res.Rows[0].Product.AltName != "可口可乐 330ml" || res.Rows[1].Product.AltName != "苹果 (每公斤)" {
			t.Errorf("%s: rows %+v", c.name, res.Rows)
		}
		if a := res.Rows[1].Product; a.Unit != pos.Jin || a.Stock != 20500 || !a.TrackStock {
			t.Errorf("%s: apples %+v", c.name, a)
		}
	}
	if n := (Result{Encoding: GB18030, Detected: true}).Note(); !strings.Contains(n, "GB18030") {
		t.Errorf("note %q", n)
	}
}

func TestEncodingCanBeForced(t *testing.T) {
	// Forced to UTF-8, a GB18030 file is refused line by line.
	_, err := Read(bytes.NewReader(gb(t, chineseFile)), Options{Exponent: 2, Encoding: "utf-8"})
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 || !strings.Contains(es[0].Error(), "line 2: not valid UTF-8") {
		t.Fatalf("forced utf-8: %v", err)
	}
	for _, name := range []string{"gb18030", "GBK", "gb2312"} {
		res, err := Read(bytes.NewReader(gb(t, chineseFile)), Options{Exponent: 2, Encoding: name})
		if err != nil || res.Encoding != GB18030 || res.Detected || res.Rows[0].Product.AltName != "可口可乐 330ml" {
			t.Errorf("forced %s: %+v %v", name, res, err)
		}
	}
	if _, err := Read(strings.NewReader(chineseFile), Options{Encoding: "latin1"}); err == nil || !strings.Contains(err.Error(), "want auto, utf-8 or gb18030") {
		t.Errorf("unknown encoding: %v", err)
	}
	utf16 := []byte{0xff, 0xfe, 's', 0, 'k', 0, 'u', 0}
	if _, err := Parse(bytes.NewReader(utf16), 2); err == nil || !strings.Contains(err.Error(), "UTF-16") {
		t.Errorf("utf-16: %v", err)
	}
}

func TestBadGB18030SaysSo(t *testing.T) {
	data := append(gb(t, chineseFile), []byte("X,,Bad \xff\xff name,1.00,13%,,\n")...)
	_, err := Parse(bytes.NewReader(data), 2)
	if err == nil || !strings.Contains(err.Error(), "line 4: not valid GB18030 either") || !strings.Contains(err.Error(), "read as GB18030") {
		t.Fatalf("%v", err)
	}
}

// A million bad lines print a screenful and the count of the rest, and
// are not held in memory one by one.
func TestAMillionBadLinesPrintAScreenful(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 20_000 // -short: the full million takes seconds
	}
	var b strings.Builder
	b.WriteString("sku,name,price,tax_rate\n")
	for i := range n {
		fmt.Fprintf(&b, "S%d,Goods,abc,13%%\n", i)
	}
	_, err := Parse(strings.NewReader(b.String()), 2)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Total != n || len(fe.Lines) > 1000 {
		t.Fatalf("%T total %d kept %d", err, fe.Total, len(fe.Lines))
	}
	msg := err.Error()
	if lines := strings.Count(msg, "\n") + 1; lines != ShowErrors+2 {
		t.Errorf("%d lines printed, want %d", lines, ShowErrors+2)
	}
	if !strings.HasPrefix(msg, fmt.Sprintf("%d bad line(s), nothing imported:\nline 2: price", n)) ||
		!strings.HasSuffix(msg, fmt.Sprintf("\n... and %d more bad line(s)", n-ShowErrors)) {
		t.Errorf("message:\n%s", msg)
	}
	// Errors of a few lines print them all.
	few := Errors{{Line: 2, Err: errors.New("x")}, {Line: 3, Err: errors.New("y")}}
	if few.Error() != "2 bad line(s), nothing imported:\nline 2: x\nline 3: y" {
		t.Errorf("%q", few.Error())
	}
}

// One import names every bad line, each with every problem it has,
// including barcodes the existing catalog gives to other goods: nothing
// shows up only after the other errors are fixed.
func TestOnePassNamesEveryProblem(t *testing.T) {
	catalog := map[string][2]string{ // barcode -> owner SKU, name
		"6900012345370": {"SKU1002", "Green tea 500ml"},
		"6900012345745": {"SKU1003", "Cola 330ml can"},
		"6900012345004": {"SKU1001", "Mineral water 550ml"},
	}
	owner := func(b string) (string, string, bool) {
		o, ok := catalog[b]
		return o[0], o[1], ok
	}
	in := "sku,barcode,name,price,tax_rate,stock\n" +
		"A,12345678,,1.00,13%,5\n" + // 2: missing name AND bad check digit
		"B,6900012345370,Fake tea,1.00,13%,\n" + // 3: barcode of SKU1002, which the file does not list
		"C,6900012345370|6900012345745,Fake,x,13%,\n" + // 4: bad price, twice in the file, and owned
		"D,6900012345004,Water moved,1.00,13%,\n" + // 5: fine: SKU1001 is in the file and gives it up
		"SKU1001,,Water,2.00,13%,\n" + // 6: fine
		"E,,Eggs,1.00,13%,1.5\n" // 7: stock of goods by the piece
	_, err := Read(strings.NewReader(in), Options{Exponent: 2, Owner: owner})
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("%v", err)
	}
	got := map[int]string{}
	for _, e := range es {
		got[e.Line] = e.Err.Error()
	}
	want := map[int][]string{
		2: {"missing name", "barcode 12345678: bad check digit"},
		3: {"barcode 6900012345370 already belongs to SKU1002 (Green tea 500ml)"},
		4: {"price", "barcode 6900012345370 already on line 3", "already belongs to SKU1002", "barcode 6900012345745 already belongs to SKU1003"},
		7: {`stock "1.5": want a whole number`},
	}
	for ln, ws := range want {
		for _, w := range ws {
			if !strings.Contains(got[ln], w) {
				t.Errorf("line %d: %q lacks %q", ln, got[ln], w)
			}
		}
	}
	if len(es) != len(want) {
		t.Errorf("%d bad lines, want %d:\n%v", len(es), len(want), err)
	}
	if !errors.Is(err, pos.ErrCheckDigit) {
		t.Error("errors.Is lost the check digit error")
	}
	if strings.Count(err.Error(), "\n") != len(want) {
		t.Errorf("a bad line printed on several lines:\n%v", err)
	}
}

func TestUnitMnemonicAndReorderColumns(t *testing.T) {
	in := "sku,name,price,tax_rate,stock,unit,mnemonic,reorder_level,plu\n" +
		"A,Apple,12.80,9%,20.5,kg,PG,2.5,01027\n" +
		"B,Beer,6.50,13%,24,,QDPJ,\n" +
		"C,Cloth,30.00,13%,,m,,\n" +
		"D,Dates,1.00,13%,,lb,,\n" + // 5: unknown unit
		"E,Eggs,1.00,13%,10,,,1.5\n" + // 6: reorder level of pieces
		"F,Figs,1.00,13%,1.2345,kg,,\n" + // 7: four decimals
		"G,Grapes,1.00,13%,5,,,-1\n" + // 8: negative reorder level
		"H,Ham,1.00,13%,5,,,,12a\n" // 9: a PLU of digits only
	_, err := Parse(strings.NewReader(in), 2)
	var es Errors
	if !errors.As(err, &es) || len(es) != 5 {
		t.Fatalf("%v", err)
	}
	for i, w := range []string{"line 5: unit \"lb\"", "line 6: reorder_level \"1.5\"", "line 7: stock \"1.2345\"", "line 8: reorder_level -1", `line 9: plu "12a"`} {
		if !strings.Contains(es[i].Error(), w) {
			t.Errorf("%q lacks %q", es[i].Error(), w)
		}
	}
	res, err := Parse(strings.NewReader(strings.Join(strings.Split(in, "\n")[:4], "\n")), 2)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := res.Rows[0].Product, res.Rows[1].Product, res.Rows[2].Product
	if a.Unit != pos.Kilogram || a.Stock != 20500 || a.Mnemonic != "PG" || a.ReorderLevel == nil || *a.ReorderLevel != 2500 {
		t.Errorf("apple %+v", a)
	}
	if b.Unit != pos.Each || b.Mnemonic != "QDPJ" || b.ReorderLevel != nil || b.Reorder() != pos.LowStockAt {
		t.Errorf("beer %+v", b)
	}
	if c.Unit != pos.Metre || c.TrackStock {
		t.Errorf("cloth %+v", c)
	}
	// Written and read back, in Excel's flavour too.
	var buf bytes.Buffer
	if err := WriteExcel(&buf, []pos.Product{a, b, c}, 2); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbfsku,")) || !strings.Contains(buf.String(), "A,,Apple,,,12.80,9%,20.500,kg,PG,2.500,01027\n") {
		t.Fatalf("excel export:\n%q", buf.String())
	}
	back, err := Parse(&buf, 2)
	if err != nil || back.Encoding != UTF8BOM || len(back.Rows) != 3 {
		t.Fatalf("%+v %v", back, err)
	}
	if p := back.Rows[0].Product; p.Unit != a.Unit || p.Stock != a.Stock || *p.ReorderLevel != 2500 || p.Mnemonic != "PG" || p.PLU != "01027" {
		t.Errorf("round trip %+v", p)
	}
	jin := pos.Product{SKU: "J", Name: "Pork", Price: 1800, Unit: pos.Jin, TrackStock: true, Stock: 1500}
	buf.Reset()
	Write(&buf, []pos.Product{jin}, 2)
	if !strings.Contains(buf.String(), ",1.500,斤,,") {
		t.Errorf("jin export %q", buf.String())
	}
}
