package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The demo shop's apples are sold by the kg: `till sell --item
// SKU1027:1.25` sells 1.250 kg at 12.00/kg for 15.00.
func TestSellDemoApplesByWeight(t *testing.T) {
	db := newDB(t)
	out := mustOK(t, till(t, db, "sell", "--item", "SKU1027:1.25", "--item", "SKU1028:0.875", "--item", "SKU1001:2"))
	// 15.00 + 6.11 (0.875 kg x 6.98 = 6.1075) + 2 x 2.00.
	if !strings.Contains(out, "25.11") {
		t.Fatalf("receipt:\n%s", out)
	}
	for _, c := range []struct{ item, want string }{
		{"SKU1027", "sold by the kg: give the weight, e.g. SKU1027:1.25"},
		{"SKU1027:1.2345", "at most three decimals"},
		{"SKU1027:0", "must be 0.001 to 9999.999"},
		{"SKU1001:1.5", "quantity must be a whole number"},
	} {
		oneLineError(t, till(t, db, "sell", "--item", c.item), c.want)
	}
}

// A goods file saved by Chinese Excel (GB18030) imports, and the import
// says how it read the file; one pass names a bad check digit and a
// barcode another SKU owns next to the other errors.
func TestImportChineseExcelFileAndEveryBadLineAtOnce(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	gbFile := filepath.Join(dir, "gb.csv")
	data, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("sku,name,name_zh,price,tax_rate,unit\nP1,Pork belly,五花肉,36.00,9%,斤\n"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(gbFile, data, 0o600)
	out := mustOK(t, till(t, db, "import", gbFile))
	if !strings.Contains(out, "read it as GB18030") || !strings.Contains(out, "1 added") {
		t.Fatalf("import said: %s", out)
	}
	if goods := mustOK(t, till(t, db, "export", "goods")); !strings.Contains(goods, "P1,,Pork belly,五花肉,,36.00,9%,,斤") {
		t.Fatalf("export:\n%s", goods)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("sku,barcode,name,price,tax_rate\n"+
		"X1,6900012345370,Fake tea,1.00,13%\n"+ // owned by SKU1002
		"X2,12345678,,1.00,13%\n"+ // bad check digit and missing name
		"X3,,Thing,abc,13%\n"), 0o600)
	r := till(t, db, "import", bad)
	for _, want := range []string{"3 bad line(s)", "line 2: barcode 6900012345370 already belongs to SKU1002",
		"line 3: missing name; barcode 12345678: bad check digit", "line 4: price"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.err)
		}
	}
}
