package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// plantHostile stores a product with escape sequences and a bidi
// override straight into the file, as a database written before the text
// rule would hold it.
func plantHostile(t *testing.T, db string) {
	t.Helper()
	b, err := bbolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p := pos.Product{SKU: "EVIL\x1b]0;pwned\x07", Name: "Tea\u202egnp.exe\x1b[2J", Category: "=cmd|' /C calc'!A0", Price: 100}
	data, _ := json.Marshal(p)
	if err := b.Update(func(tx *bbolt.Tx) error { return tx.Bucket([]byte("products")).Put([]byte(p.SKU), data) }); err != nil {
		t.Fatal(err)
	}
}

// runOnPTY runs till with its standard output on a pseudo-terminal and
// returns what the terminal received.
func runOnPTY(t *testing.T, db string, args ...string) string {
	t.Helper()
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	defer m.Close()
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pty: %v", err)
	}
	cmd := exec.Command(tillBin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "TILL_DB=", "TILL_CONFIG=")
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = slave, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var out bytes.Buffer
	_, _ = io.Copy(&out, m) // ends with EIO once the child has closed the slave
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %s", err, errb.String())
	}
	return out.String()
}

// TestHostileTextOnATerminal: what Till writes to a terminal shows escape
// sequences and bidi overrides escaped; to a file, an export with --raw
// is exactly what is stored, and without it a formula cell is quoted.
func TestHostileTextOnATerminal(t *testing.T) {
	db := newDB(t)
	plantHostile(t, db)
	got := runOnPTY(t, db, "export", "goods")
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Fatalf("the terminal got raw control characters: %q", got)
	}
	for _, want := range []string{`EVIL\x1b]0;pwned\x07`, `Tea\u202egnp.exe\x1b[2J`, `'=cmd|`} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal output lacks %s:\n%s", want, got)
		}
	}

	raw := mustOK(t, till(t, db, "export", "goods", "--raw"))
	if !strings.Contains(raw, "EVIL\x1b]0;pwned\x07") || !strings.Contains(raw, ",=cmd|") {
		t.Fatalf("--raw to a file is not what is stored: %q", raw)
	}
	safe := mustOK(t, till(t, db, "export", "goods"))
	if !strings.Contains(safe, ",'=cmd|") || strings.Contains(safe, ",=cmd|") {
		t.Fatalf("a formula cell was not neutralised: %q", safe)
	}
}
