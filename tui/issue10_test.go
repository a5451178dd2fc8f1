package tui

import (
	"context"
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

// Issue 10 item 9: a head office that refuses the terminal's credential
// is said to be that, not "cannot be reached", on the reports screen and
// on the status line; after a restart too, from what the sync recorded.
func TestSyncWrongCredentialSaysSo(t *testing.T) {
	url, _, _ := headOffice(t)
	st := newStore(t)
	m, _ := newModel(t, st)
	withSync(m, st, url, "T1.not-the-credential-head-office-issued")
	scan(t, m, water)
	press(t, m, "f12", "enter", "enter", "f9", "s")
	screen := viewText(m)
	if strings.Contains(screen, "cannot be reached") || !strings.Contains(screen, "refused this terminal's") ||
		!strings.Contains(screen, "credential (revoked or wrong)") || !strings.Contains(screen, "! hq refused key") {
		t.Fatalf("wrong credential:\n%s", screen)
	}
	// A restart: the note is gone, the recorded failure still says it.
	m2, _ := newModel(t, st)
	withSync(m2, st, url, "T1.x")
	run(t, m2, m2.c.loadSyncStatus())
	press(t, m2, "f9")
	if screen := viewText(m2); !strings.Contains(screen, "credential (revoked or wrong)") || !strings.Contains(screen, "! hq refused key") {
		t.Fatalf("after a restart:\n%s", screen)
	}
}

// Issue 10 item 11: a sync that has not counted anything yet does not say
// "0/0".
func TestSyncConnectingWords(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	m.c.deps.Sync = func(ctx context.Context, progress func(done, total int)) (SyncResult, error) {
		return SyncResult{}, nil
	}
	m.c.sync.running = true
	press(t, m, "f9")
	screen := viewText(m)
	if strings.Contains(screen, "0/0") || !strings.Contains(screen, "Connecting to head office") {
		t.Fatalf("connecting:\n%s", screen)
	}
	m.c.sync.done, m.c.sync.total = 1, 3
	if screen := viewText(m); !strings.Contains(screen, "Sending to head office 1/3") {
		t.Fatalf("sending:\n%s", screen)
	}
}
