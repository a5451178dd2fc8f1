package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDrawerAtTheCounter is issue 10 item 18 in the real binary at
// 80x24: a Z with nothing to close is refused, the shift opens with a
// float, a pay-in with its reason, the Z counted blind, then the
// difference; till drawer list shows what the screen recorded.
func TestDrawerAtTheCounter(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary in tmux for several seconds; skipped under -short")
	}
	db := filepath.Join(t.TempDir(), "till.db")
	c := startCounter(t, db)
	c.waitFor("Scan or type a name")
	c.keys("F9")
	c.waitFor("X REPORT")
	c.keys("z")
	c.waitFor("No Z taken: nothing to close")
	c.keys("o")
	c.waitFor("Float counted into the drawer")
	c.typeText("100")
	c.keys("Enter")
	c.waitFor("Shift opened with a float of ¥100.00")
	c.keys("i")
	c.waitFor("Cash paid INTO the drawer")
	c.typeText("20")
	c.keys("Enter")
	c.waitFor("Why is ¥20.00 paid in?")
	c.typeText("coins from the bank")
	c.keys("Enter")
	c.waitFor("Paid in ¥20.00 (coins from the bank)")
	c.keys("z")
	s := c.waitFor("count the cash in the drawer first")
	if strings.Contains(s, "Expected") || strings.Contains(s, "120.00") {
		t.Fatalf("the count is not blind:\n%s", s)
	}
	c.typeText("119.50")
	c.keys("Enter")
	c.waitFor("¥119.50 counted")
	c.keys("y")
	c.waitFor("Counted ¥119.50, expected ¥120.00: ¥0.50 SHORT.")
	c.quit()

	// The Z closed the period: no drawer events left open, and the
	// float, the pay-in and the Z wait for head office.
	if list := till(t, db, "drawer", "list"); !strings.Contains(list, "0 drawer events since the last Z report") {
		t.Errorf("till drawer list:\n%s", list)
	}
	if out := till(t, db, "outbox", "list"); !strings.Contains(out, "3 waiting to be sent") {
		t.Errorf("till outbox list:\n%s", out)
	}
}
