package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBackupWhileCounterRuns: with the counter open on a database (and a
// sale made at it), till backup gets a verified copy through the
// counter's backup socket, and the counter keeps selling; after the
// counter is killed, its socket is left behind and till backup opens the
// file itself; after a clean quit the socket is gone.
func TestBackupWhileCounterRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills the counter in tmux")
	}
	db := filepath.Join(t.TempDir(), "till.db")
	bk := filepath.Join(t.TempDir(), "bk")
	c := startCounter(t, db)
	c.waitFor("Scan or type a name")
	sellWater := func(receipt string) {
		c.typeText("6900012345004")
		c.keys("Enter")
		c.waitFor("Mineral water 550ml")
		c.keys("F12")
		c.waitFor("Cash given")
		c.typeText("10")
		c.keys("Enter")
		c.waitFor("Receipt " + receipt)
		c.keys("Escape")
	}
	sellWater("000001")
	out := till(t, db, "backup", bk)
	re := regexp.MustCompile(`^backup (\S+) verified by the running counter: terminal \S+, last receipt 000001, `)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("till backup while the counter runs said:\n%s", out)
	}
	if chk := till(t, db, "check", m[1]); !strings.Contains(chk, "is whole") || !strings.Contains(chk, "last receipt 000001") {
		t.Fatalf("till check of the backup said:\n%s", chk)
	}
	sellWater("000002") // the counter sells on after the backup
	c.kill()
	if _, err := os.Lstat(db + ".sock"); err != nil {
		t.Fatalf("a killed counter leaves its socket: %v", err)
	}
	out = till(t, db, "backup", bk)
	if strings.Contains(out, "running counter") || !strings.Contains(out, "last receipt 000002") {
		t.Fatalf("till backup after the counter was killed said:\n%s", out)
	}

	c = startCounter(t, db) // replaces the stale socket
	c.waitFor("Scan or type a name")
	if out := till(t, db, "backup", bk); !strings.Contains(out, "by the running counter: terminal") {
		t.Fatalf("till backup with a new counter over a stale socket said:\n%s", out)
	}
	c.quit()
	if _, err := os.Lstat(db + ".sock"); !os.IsNotExist(err) {
		t.Fatalf("the socket after a clean quit: %v", err)
	}
}
