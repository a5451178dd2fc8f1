package goodscsv

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Check keeps no goods, and Each gives them, in file order, the same as
// Read; a file that changes between the two is refused.
func TestCheckThenEach(t *testing.T) {
	text := "sku,barcode,name,price,tax_rate,stock\nA1,6901234567892,Tea,3.50,13%,4\n\nA2,,Rice,50.00,9%,\n"
	path := filepath.Join(t.TempDir(), "goods.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Check(f, Options{Exponent: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 || !c.Lists("A1") || !c.Lists("A2") || c.Lists("A3") {
		t.Fatalf("Len %d, Lists A1 %v A2 %v A3 %v", c.Len(), c.Lists("A1"), c.Lists("A2"), c.Lists("A3"))
	}
	want, err := Parse(strings.NewReader(text), 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []Row
	if err := c.Each(func(r Row) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want.Rows) || got[1].Line != 4 {
		t.Fatalf("Each gave %v, Read %v", got, want.Rows)
	}
	stop := errors.New("stop")
	if err := c.Each(func(Row) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Each after fn's error: %v", err)
	}
	for name, changed := range map[string]string{
		"a line more": text + "A3,,Salt,1.00,9%,\n",
		"a line bad":  strings.Replace(text, "50.00", "fifty", 1),
		"a line less": "sku,barcode,name,price,tax_rate,stock\nA1,6901234567892,Tea,3.50,13%,4\n",
		"another sku": strings.Replace(text, "A2", "B2", 1),
	} {
		if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
			t.Fatal(err)
		}
		err := c.Each(func(Row) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "the file changed while it was imported") {
			t.Errorf("%s: Each = %v", name, err)
		}
	}
}

// Encoding detection reads the file in 64 KiB pieces: a Chinese name cut
// by a piece's end is still UTF-8, and a GB18030 byte far into a file
// still makes it GB18030.
func TestDetectAcrossPieces(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("sku,name,price,tax_rate\n")
	for i := 0; b.Len() < 300<<10; i++ {
		fmt.Fprintf(&b, "S%d,茶叶%d号,1.00,13%%\n", i, i)
	}
	utf := b.Bytes()
	const piece = 64 << 10
	head := "sku,name,price,tax_rate,note\nP,Pad,1.00,13%,"
	for start := piece - 3; start <= piece; start++ { // 茶 (3 bytes) begins 3, 2, 1 or 0 bytes before the piece's end
		pad := start - len(head) - len("\nQ,")
		data := []byte(head + strings.Repeat("p", pad) + "\nQ,茶叶,1.00,13%,\n")
		if i := bytes.Index(data, []byte("茶")); i != start {
			t.Fatalf("茶 at %d, want %d", i, start)
		}
		res, err := Read(bytes.NewReader(data), Options{Exponent: 2})
		if err != nil || res.Encoding != UTF8 || len(res.Rows) != 2 || res.Rows[1].Product.Name != "茶叶" {
			t.Fatalf("茶 at %d: %v, encoding %q, %v", start, err, res.Encoding, res.Rows)
		}
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("LAST,最后,1.00,13%\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read(bytes.NewReader(append(append([]byte{}, utf...), gb...)), Options{Exponent: 2})
	if err != nil || res.Encoding != GB18030 || !res.Detected {
		// The UTF-8 lines read as GB18030 are mojibake but valid, or
		// refused: either way the file is not taken as UTF-8.
		var fe *FileError
		if !errors.As(err, &fe) || fe.Encoding != GB18030 {
			t.Fatalf("GB18030 line at the end: %v, encoding %q", err, res.Encoding)
		}
	}
}
