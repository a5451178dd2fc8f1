package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// TestStaffDay is issue 14's day in the real binary at 80x24: a shop
// with three staff added by `till staff add --pin-file`; the counter
// starts on the login screen; a discount above the cashier's limit is
// approved by the manager's PIN; a refund above the cashier's limit is
// refused to them (their own PIN does not approve it) and approved by
// the supervisor; a no-sale approved by the manager's badge; a switch
// of cashier through the lock; the Z counted blind with a section per
// cashier. Then `till verify` passes, and fails naming the entry once a
// sale is edited in the bbolt file directly.
func TestStaffDay(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary in tmux for several seconds; skipped under -short")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	for _, s := range []struct{ id, name, role, pin, badge string }{
		{"M1", "Mia", "manager", "9999", "041001"},
		{"S1", "Sam", "supervisor", "2222", ""},
		{"C1", "Cat", "cashier", "1111", ""},
	} {
		pin := filepath.Join(dir, s.id+".pin")
		if err := os.WriteFile(pin, []byte(s.pin+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"staff", "add", "--id", s.id, "--name", s.name, "--role", s.role, "--pin-file", pin}
		if s.badge != "" {
			args = append(args, "--badge", s.badge)
		}
		till(t, db, args...)
	}

	c := startCounter(t, db)
	c.waitFor("log in to sell")
	c.typeText("6900012345004") // a scan before a login sells nothing
	c.keys("Enter")
	c.waitFor("PIN:")
	c.keys("Escape")
	c.typeText("C1")
	c.keys("Enter")
	c.typeText("1111")
	s := c.waitFor("••••")
	if strings.Contains(s, "1111") {
		t.Fatalf("the PIN shows:\n%s", s)
	}
	c.keys("Enter")
	c.waitFor("Logged in: Cat (cashier)")
	c.waitFor("Till Demo Shop · Cat · Sell")

	c.keys("F9")
	c.waitFor("X REPORT")
	c.keys("o")
	c.waitFor("Float counted into the drawer")
	c.typeText("100")
	c.keys("Enter")
	c.waitFor("Shift opened with a float of ¥100.00")
	c.keys("Escape")

	// A 25% discount: above the cashier's 10%, the manager's PIN.
	c.typeText("6900012346858")
	c.keys("Enter")
	c.waitFor("Added Rice 5kg")
	c.keys("F4")
	c.waitFor("Discount on Rice 5kg")
	c.typeText("25%")
	c.keys("Enter")
	c.waitFor("Needs approval: A line discount of 25%")
	c.typeText("M1")
	c.keys("Enter")
	c.typeText("9999")
	c.keys("Enter")
	c.typeText("3")
	c.keys("Enter")
	c.waitFor("Approved by staff M1 (price match). Discount on Rice 5kg: 25%.")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F10")
	c.waitFor("Sale 1 saved")
	c.keys("Escape")

	// A refund above the cashier's 100.00.
	c.typeText("6900012346858")
	c.keys("Enter")
	c.typeText("6900012346858")
	c.keys("Enter")
	c.waitFor("now 2 ×")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F10")
	c.waitFor("Sale 2 saved")
	c.keys("Escape")
	c.keys("F8")
	c.waitFor("2 sales")
	c.keys("Enter")
	c.waitFor("To refund now")
	c.keys("a")
	c.keys("r")
	c.waitFor("Go ahead?")
	c.keys("y")
	c.waitFor("Needs approval: Refund of")
	c.waitFor("Refund above a cashier's limit needs a manager's approval")
	c.typeText("C1")
	c.keys("Enter")
	c.typeText("1111")
	c.keys("Enter")
	c.typeText("1")
	c.keys("Enter")
	c.waitFor("Someone else must approve your own action")
	c.typeText("S1")
	c.keys("Enter")
	c.typeText("2222")
	c.keys("Enter")
	c.keys("Enter") // the reason chosen stays
	c.waitFor("Refund 3 saved")
	c.keys("Escape")

	// A no-sale: the manager's badge, no PIN.
	c.keys("F9")
	c.waitFor("X REPORT")
	c.keys("d")
	c.waitFor("Open the drawer with no sale: why?")
	c.typeText("change for a customer")
	c.keys("Enter")
	c.waitFor("Open the drawer without a sale needs a manager's approval")
	c.typeText("041001")
	c.keys("Enter")
	c.keys("Enter")
	c.typeText("2")
	c.keys("Enter")
	c.waitFor("No sale logged (change for a customer)")

	// The lock, and Sam takes over.
	c.keys("C-l")
	c.waitFor("Locked by Cat")
	c.typeText("S1")
	c.keys("Enter")
	c.typeText("2222")
	c.keys("Enter")
	c.waitFor("Sam took over from Cat")
	c.keys("Escape")
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Added Mineral water")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F10")
	c.waitFor("Sale 4 saved")
	c.keys("Escape")

	// The Z, counted blind.
	c.keys("F9")
	c.waitFor("X REPORT")
	c.keys("z")
	s = c.waitFor("count the cash in the drawer first")
	if strings.Contains(s, "Expected") {
		t.Fatalf("the count is not blind:\n%s", s)
	}
	c.typeText("150")
	c.keys("Enter")
	c.waitFor("¥150.00 counted")
	c.keys("y")
	c.waitFor("Z report 1 stored. Counted ¥150.00")
	c.keys("C-s")
	c.waitFor("Saved to")
	c.quit()

	z, err := os.ReadFile(filepath.Join(dir, "receipts", "z-report-1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Cashier Cat (C1)", "Cashier Sam (S1)", "Cashier Mia (M1)", "Refunds (1)", "Approvals needed / given", "Counted"} {
		if !strings.Contains(string(z), want) {
			t.Errorf("the Z lacks %q:\n%s", want, z)
		}
	}

	if out := till(t, db, "verify"); !strings.Contains(out, "journal intact") || !strings.Contains(out, "1 Z reports signed") {
		t.Fatalf("verify:\n%s", out)
	}

	// Edit the first sale in the file, as someone with the file could.
	bdb, err := bbolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	err = bdb.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("sales"))
		k, v := b.Cursor().First()
		id = string(k)
		// A stored record is a checksum (a 0 byte and a CRC-32C) and its
		// JSON; the edit writes plain JSON back, as an old record is.
		if len(v) > 5 && v[0] == 0 {
			v = v[5:]
		}
		var rec map[string]any
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		rec["due"] = 1
		data, _ := json.Marshal(rec)
		return b.Put([]byte(id), data)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tillBin, "--db", db, "verify")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), id) || !strings.Contains(string(out), "the record was edited") {
		t.Fatalf("verify after an edit of %s: %v\n%s", id, err, out)
	}
}

// TestNoStaffSellsAtOnce: a new database (no staff) opens on the sell
// screen with no login, as the README's first command promises.
func TestNoStaffSellsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary in tmux; skipped under -short")
	}
	db := filepath.Join(t.TempDir(), "till.db")
	c := startCounter(t, db)
	s := c.waitFor("Scan or type a name")
	if strings.Contains(s, "log in") || strings.Contains(s, "ctrl+l") {
		t.Fatalf("a till with no staff asks for a login:\n%s", s)
	}
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Added Mineral water")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F10")
	c.waitFor("Sale 1 saved")
	c.quit()
}
