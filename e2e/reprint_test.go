package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindReprintRefund is issue 10 items 8, 12 and 16 at 80x24 in the
// real binary: a sale found on F8 by its receipt number, its receipt in
// full saved as a COPY, a refund whose question says the money before
// anything is stored, F8 marking the refunded sale, and Esc followed at
// once by a scanned barcode read as the two keys they are.
func TestFindReprintRefund(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary in tmux for several seconds; skipped under -short")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	c := startCounter(t, db)
	c.waitFor("Scan or type a name")
	for _, code := range []string{"6900012345004", "6900012345745"} { // water 2.00, cola 3.00
		c.typeText(code)
		c.keys("Enter")
		c.waitFor("TOTAL")
		c.keys("F12")
		c.waitFor("Cash given")
		c.typeText("10")
		c.keys("Enter")
		c.waitFor("CHANGE")
		c.keys("Escape")
		c.waitFor("Cart is empty")
	}

	c.keys("F8")
	c.waitFor("Receipt no. or scan a receipt")
	c.typeText("1")
	c.keys("Enter")
	c.waitFor("Sale 000001")
	c.keys("p")
	c.waitFor("save a COPY")
	c.keys("C-s")
	s := c.waitFor("*** COPY ***")
	if !strings.Contains(s, "copy made ") || !strings.Contains(s, "Receipt 000001") {
		t.Fatalf("copy on screen:\n%s", s)
	}
	copies, _ := filepath.Glob(filepath.Join(dir, "receipts", "receipt-000001-copy-*.txt"))
	if len(copies) != 1 {
		t.Fatalf("copies saved: %v\n%s", copies, c.screen())
	}
	if b, err := os.ReadFile(copies[0]); err != nil || !strings.Contains(string(b), "*** COPY ***") {
		t.Fatalf("copy file %v:\n%s", err, b)
	}

	c.keys("Escape")
	c.waitFor("To refund now")
	c.keys("a", "r")
	c.waitFor("Refund 1 item(s) of receipt 000001: ¥2.00 back in cash. Go ahead?")
	c.keys("y")
	c.waitFor("PAY BACK ¥2.00 in cash")
	c.waitFor("Paid back in cash")
	c.keys("Escape")
	c.waitFor("Cart is empty")
	c.keys("F8")
	s = c.waitFor("REFUNDED")
	if !strings.Contains(s, "paid back ¥2.00") {
		t.Fatalf("sales list:\n%s", s)
	}
	c.keys("Escape")
	c.waitFor("Cart is empty")

	// "cola" typed, then Esc and a scan at once: Esc clears the name and
	// the water goes in.
	c.typeText("cola")
	c.waitFor("matches")
	c.keys("Escape", "6900012345004", "Enter")
	s = c.waitFor("Added Mineral water 550ml")
	if strings.Contains(s, "NOT added") {
		t.Fatalf("after esc+scan:\n%s", s)
	}
	c.quit()
}
