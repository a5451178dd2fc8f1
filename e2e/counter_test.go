package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCashSaleAtTheCounter is a newcomer's first sale: a fresh database
// with the demo shop, a scanned barcode, a name searched, cash paid.
func TestCashSaleAtTheCounter(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	c := startCounter(t, db)
	c.waitFor("Scan or type a name")
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Mineral water 550ml")
	c.typeText("cola")
	c.waitFor("matches")
	c.keys("Enter")
	c.waitFor("Cola 330ml can")
	c.keys("F12")
	c.waitFor("Cash given")
	c.typeText("10")
	c.keys("Enter")
	s := c.waitFor("CHANGE ¥5.00")
	if !strings.Contains(s, "Receipt 000001") || !strings.Contains(s, "TOTAL                              ¥5.00") {
		t.Fatalf("receipt screen:\n%s", s)
	}
	c.quit()

	sales := till(t, db, "export", "sales")
	for _, want := range []string{",SKU1001,Mineral water 550ml,1,,2.00,", ",SKU1003,Cola 330ml can,1,,3.00,"} {
		if !strings.Contains(sales, want) {
			t.Fatalf("database lacks %q:\n%s", want, sales)
		}
	}
	if n := strings.Count(sales, "\n"); n != 3 {
		t.Fatalf("want header and 2 lines, got:\n%s", sales)
	}
}
