package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
)

// TestChineseCounterDay (issue 13) in the real binary: 可口可乐 found by
// typing kl, apples sold by weight, a scale label of bananas scanned
// (the label format configured in [[scale]]), cash paid, then part of the
// apples refunded by weight.
func TestChineseCounterDay(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: the real binary in tmux")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "till.toml")
	if err := os.WriteFile(cfg, []byte("[[scale]]\nformat = \"21PPPPPWWWWWC\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "till.db")
	c := startCounter(t, db, "--config", cfg)
	c.waitFor("Scan or type a name")

	c.typeText("kl")
	s := c.waitFor("可口可乐")
	if !strings.Contains(s, "> Cola 330ml can") {
		t.Fatalf("kl does not highlight 可口可乐 first:\n%s", s)
	}
	c.keys("Enter")
	c.waitFor("Added Cola 330ml can")

	c.typeText("6900012354624") // apples, 12.00/kg
	c.keys("Enter")
	c.waitFor("Weight of Apple per kg in kg")
	c.typeText("1.25")
	c.keys("Enter")
	s = c.waitFor("1.250 kg")
	if !strings.Contains(s, "Added Apple per kg: 1.250 kg x 12.00/kg, 15.00.") {
		t.Fatalf("apples:\n%s", s)
	}

	label := "210102800875" // bananas (PLU 1028), 0.875 kg
	label += string(pos.GTINCheckDigit(label))
	c.typeText(label)
	c.keys("Enter")
	s = c.waitFor("0.875 kg")
	if !strings.Contains(s, "TOTAL") || !strings.Contains(s, "¥24.11") { // 3.00 + 15.00 + 6.11
		t.Fatalf("after the label:\n%s", s)
	}
	// The same label again is a second parcel, a line of its own.
	c.typeText(label)
	c.keys("Enter")
	c.waitFor("¥30.22")
	// A label with a bad check digit is refused and never a line.
	bad := label[:12] + string('0'+(label[12]-'0'+1)%10)
	c.typeText(bad)
	c.keys("Enter")
	s = c.waitFor("bad check digit")
	if !strings.Contains(s, "¥30.22") || !strings.Contains(s, "4 lines") {
		t.Fatalf("bad label:\n%s", s)
	}
	c.keys("Escape")

	c.keys("F12")
	c.waitFor("Cash given")
	c.typeText("50")
	c.keys("Enter")
	s = c.waitFor("CHANGE ¥19.78")
	for _, want := range []string{"1.250 kg x 12.00/kg", "0.875 kg x 6.98/kg"} {
		if !strings.Contains(s, want) {
			t.Fatalf("receipt lacks %q:\n%s", want, s)
		}
	}
	c.keys("Escape")
	c.waitFor("Cart is empty")

	// Refund 0.500 of the 1.250 kg of apples: 6.00 back.
	c.keys("F8")
	c.waitFor("Receipt no. or scan a receipt")
	c.typeText("1")
	c.keys("Enter")
	c.waitFor("To refund now")
	c.keys("Down")
	c.keys("F2")
	c.waitFor("Refund how much of Apple per kg (0-1.250 kg)")
	c.typeText("0.5")
	c.keys("Enter")
	c.waitFor("To refund now: 1 item(s), ¥6.00 back in cash.")
	c.keys("r")
	c.waitFor("Refund 1 item(s) of receipt 000001: ¥6.00 back in cash. Go ahead?")
	c.keys("y")
	s = c.waitFor("PAY BACK ¥6.00 in cash")
	if !strings.Contains(s, "Apple per kg 0.500 kg") {
		t.Fatalf("refund receipt:\n%s", s)
	}
	c.keys("Escape")
	c.waitFor("Cart is empty")
	c.quit()

	sales := till(t, db, "export", "sales")
	for _, want := range []string{"SKU1027,Apple per kg", "SKU1028,Banana per kg", "SKU1003,Cola 330ml can"} {
		if !strings.Contains(sales, want) {
			t.Fatalf("database lacks %q:\n%s", want, sales)
		}
	}
}
