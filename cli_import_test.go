package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/pos/goodscsv"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// gbFile writes text to a file in GB18030, as Chinese Excel saves CSV.
func gbFile(t *testing.T, name, text string) string {
	t.Helper()
	data, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) == text {
		t.Fatal("the test file has no Chinese: it would read as UTF-8")
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A GB18030 file from Chinese Excel is detected and imported, and the
// import says it read the file as GB18030; --encoding gb18030 says it
// was asked; --encoding utf-8 refuses the file, by line, and changes
// nothing.
func TestImportGB18030File(t *testing.T) {
	db := newDB(t)
	path := gbFile(t, "货品.csv", "sku,barcode,name,name_zh,category,price,tax_rate,stock\n"+
		"CN1,6901234567892,Jasmine tea,茉莉花茶,饮料,12.50,13%,40\n"+
		"CN2,,Soy sauce,生抽酱油,调味品,8.80,9%,\n")
	before := mustOK(t, till(t, db, "export", "goods"))
	r := till(t, db, "import", "--encoding", "utf-8", path)
	if r.code == 0 || !strings.Contains(r.err, "2 bad line(s), nothing imported") || !strings.Contains(r.err, "line 2: not valid UTF-8") {
		t.Fatalf("forced UTF-8: exit %d\n%s", r.code, r.err)
	}
	if after := mustOK(t, till(t, db, "export", "goods")); after != before {
		t.Fatal("a refused import changed the goods")
	}

	out := mustOK(t, till(t, db, "import", path))
	if !strings.Contains(out, "read it as GB18030") || !strings.Contains(out, "2 added, 0 updated") {
		t.Fatalf("import said:\n%s", out)
	}
	goods := mustOK(t, till(t, db, "export", "goods"))
	for _, want := range []string{"CN1,6901234567892,Jasmine tea,茉莉花茶,饮料,12.50,13%,40", "CN2,,Soy sauce,生抽酱油,调味品,8.80,9%,"} {
		if !strings.Contains(goods, want) {
			t.Errorf("export lacks %q:\n%s", want, goods)
		}
	}
	out = mustOK(t, till(t, db, "import", "--encoding", "gb18030", path))
	if !strings.Contains(out, "read the file as GB18030, as asked") || !strings.Contains(out, "0 added, 2 updated") {
		t.Fatalf("forced GB18030 said:\n%s", out)
	}
	if r := till(t, db, "import", "--encoding", "latin1", path); r.code == 0 || !strings.Contains(r.err, `encoding "latin1": want auto, utf-8 or gb18030`) {
		t.Fatalf("unknown encoding: exit %d %s", r.code, r.err)
	}
}

// A bad file of 5,000 lines prints a screenful: the count, the first
// goodscsv.ShowErrors bad lines, and how many more there are; nothing is
// imported.
func TestImportBadFilePrintsAScreenful(t *testing.T) {
	db := newDB(t)
	const n = 5000
	var b strings.Builder
	b.WriteString("sku,name,name_zh,price,tax_rate\n")
	for i := range n {
		fmt.Fprintf(&b, "B%d,Goods %d,货品%d,abc,13%%\n", i, i, i) // a bad price on every line
	}
	path := gbFile(t, "bad.csv", b.String())
	before := mustOK(t, till(t, db, "export", "goods"))
	r := till(t, db, "import", path)
	if r.code == 0 {
		t.Fatalf("bad file imported:\n%s", r.out)
	}
	lines := strings.Split(strings.TrimRight(r.err, "\n"), "\n")
	if len(lines) > goodscsv.ShowErrors+3 {
		t.Errorf("%d lines of errors for %d bad lines, want a screenful (%d):\n%s", len(lines), n, goodscsv.ShowErrors+3, r.err)
	}
	for _, want := range []string{
		fmt.Sprintf("%d bad line(s), nothing imported (file read as GB18030)", n),
		"line 2: price",
		fmt.Sprintf("line %d: price", goodscsv.ShowErrors+1),
		fmt.Sprintf("... and %d more bad line(s)", n-goodscsv.ShowErrors),
	} {
		if !strings.Contains(r.err, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.err)
		}
	}
	if strings.Contains(r.err, fmt.Sprintf("line %d:", goodscsv.ShowErrors+2)) {
		t.Errorf("more than %d bad lines named:\n%s", goodscsv.ShowErrors, r.err)
	}
	if after := mustOK(t, till(t, db, "export", "goods")); after != before {
		t.Fatal("a refused import changed the goods")
	}
}
