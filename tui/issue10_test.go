package tui

import (
	"strings"
	"testing"
)

// Issue 10 item 5: the status line's unsynced count is every record head
// office has not had, refunds and Z reports included, not only sales.
func TestUnsyncedCountsRefundsAndZ(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, water)
	press(t, m, "f12", "enter", "enter")
	if !strings.Contains(viewText(m), "unsynced 1 ") {
		t.Fatalf("after a sale:\n%s", viewText(m))
	}
	press(t, m, "f8", "enter", "a", "r", "y")
	if !is[*receiptScreen](m) {
		t.Fatalf("no refund: %q", m.c.msg)
	}
	if !strings.Contains(viewText(m), "unsynced 2 ") {
		t.Fatalf("after a refund:\n%s", viewText(m))
	}
	press(t, m, "esc", "f9", "z", "enter", "y")
	if cur[*reportsScreen](t, m).r.Number != 1 {
		t.Fatalf("no Z: %q", m.c.msg)
	}
	if !strings.Contains(viewText(m), "unsynced 3 ") {
		t.Fatalf("after a Z:\n%s", viewText(m))
	}
}
