package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tillIn runs the binary with stdin.
func tillIn(t *testing.T, db, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(tillBin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "TILL_DB=", "TILL_CONFIG=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func TestStaffCommands(t *testing.T) {
	db := newDB(t)
	if out := mustOK(t, till(t, db, "staff", "list")); !strings.Contains(out, "no staff") {
		t.Fatalf("staff list of a new till:\n%s", out)
	}
	// The till sells at once with no staff.
	mustOK(t, till(t, db, "sell", "--item", "SKU1002"))
	if r := tillIn(t, db, "1234\n4321\n", "staff", "add", "--name", "Ann", "--role", "manager"); r.code == 0 || !strings.Contains(r.err, "differ") {
		t.Fatalf("two different PINs: exit %d %s", r.code, r.err)
	}
	if r := tillIn(t, db, "12\n12\n", "staff", "add", "--name", "Ann", "--role", "manager"); r.code == 0 || !strings.Contains(r.err, "4 to 8 digits") {
		t.Fatalf("short PIN: exit %d %s", r.code, r.err)
	}
	if r := tillIn(t, db, "", "staff", "add", "--name", "Ann", "--role", "boss"); r.code == 0 || !strings.Contains(r.err, `unknown role "boss"`) {
		t.Fatalf("unknown role: exit %d %s", r.code, r.err)
	}
	out := mustOK(t, tillIn(t, db, "1234\n1234\n", "staff", "add", "--name", "Ann", "--role", "manager", "--badge", "041001"))
	if !strings.Contains(out, "staff ID 1") {
		t.Fatalf("add: %s", out)
	}
	pinFile := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(pinFile, []byte("5678\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustOK(t, till(t, db, "staff", "add", "--name", "Bob", "--role", "cashier", "--pin-file", pinFile))
	mustOK(t, till(t, db, "staff", "disable", "2"))
	mustOK(t, tillIn(t, db, "9999\n9999\n", "staff", "pin", "1"))
	list := mustOK(t, till(t, db, "staff", "list"))
	for _, want := range []string{"Ann", "manager", "041001", "Bob", "disabled"} {
		if !strings.Contains(list, want) {
			t.Fatalf("staff list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "9999") || strings.Contains(list, "argon2") {
		t.Fatalf("staff list shows a PIN or its hash:\n%s", list)
	}
	// With a manager, a scripted sale has no one logged in.
	if r := till(t, db, "sell", "--item", "SKU1002"); r.code == 0 || !strings.Contains(r.err, "log in first") {
		t.Fatalf("sell with staff and no login: exit %d %s", r.code, r.err)
	}
}

func TestHeadOfficeStaffAndKey(t *testing.T) {
	dir := t.TempDir()
	hqdb := filepath.Join(dir, "hq.db")
	unused := filepath.Join(dir, "unused.db")
	if r := tillIn(t, unused, "", "hq", "staff", "list", "--storage", hqdb); r.code != 2 {
		t.Fatalf("staff list without --store: exit %d %s", r.code, r.err)
	}
	out := mustOK(t, tillIn(t, unused, "2580\n2580\n", "hq", "staff", "add", "--storage", hqdb, "--store", "S1", "--name", "Dee", "--role", "manager", "--badge", "041009"))
	if !strings.Contains(out, "staff ID 1") {
		t.Fatalf("hq staff add: %s", out)
	}
	if r := tillIn(t, unused, "2580\n2580\n", "hq", "staff", "add", "--storage", hqdb, "--store", "S1", "--name", "Eve", "--role", "cashier", "--badge", "041009"); r.code == 0 || !strings.Contains(r.err, "badge 041009 already belongs to Dee") {
		t.Fatalf("second member with the same badge: exit %d %s", r.code, r.err)
	}
	mustOK(t, tillIn(t, unused, "", "hq", "staff", "disable", "1", "--storage", hqdb, "--store", "S1"))
	list := mustOK(t, till(t, unused, "hq", "staff", "list", "--storage", hqdb, "--store", "S1"))
	if !strings.Contains(list, "Dee") || !strings.Contains(list, "disabled") || strings.Contains(list, "argon2") {
		t.Fatalf("hq staff list:\n%s", list)
	}
	db := newDB(t)
	key := strings.TrimSpace(mustOK(t, till(t, db, "verify", "--public-key")))
	out = mustOK(t, till(t, unused, "hq", "enrol", "--storage", hqdb, "--store", "S1", "--terminal", "T1", "--public-key", key))
	if !strings.Contains(out, "Registered terminal T1's signing key "+key) {
		t.Fatalf("enrol with a key:\n%s", out)
	}
	if r := till(t, unused, "hq", "enrol", "--storage", hqdb, "--store", "S1", "--terminal", "T2", "--public-key", "ed25519:nope"); r.code == 0 || !strings.Contains(r.err, "not an Ed25519 key") {
		t.Fatalf("enrol with a bad key: exit %d %s", r.code, r.err)
	}
	if terms := mustOK(t, till(t, unused, "hq", "terminals", "--storage", hqdb)); strings.Contains(terms, "T2") {
		t.Fatalf("a bad key still enrolled T2:\n%s", terms)
	}
}
