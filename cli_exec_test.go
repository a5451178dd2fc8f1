package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Helpers for Go tests that run the real till, for tests that need more
// than a script (a fake head office in Go, say). Prefer a script in
// testdata/script. The till is this test binary, installed in $PATH as
// "till" by testscript.Main, so nothing is built.

// tillBin is the path of that till, set before the tests run.
var tillBin string

// lookTill is the TestingM testscript.Main runs: it finds the till that
// testscript.Main has put in $PATH, then runs the tests.
type lookTill struct{ m *testing.M }

func (l lookTill) Run() int {
	p, err := exec.LookPath("till")
	if err != nil {
		panic("testscript.Main put no till in $PATH: " + err.Error())
	}
	tillBin = p
	return l.m.Run()
}

type result struct {
	out, err string
	code     int
}

// till runs the real binary against db with an empty config home.
func till(t *testing.T, db string, args ...string) result {
	t.Helper()
	cmd := exec.Command(tillBin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "TILL_DB=", "TILL_CONFIG=")
	if os.Getenv("GORACE") == "" {
		cmd.Env = append(cmd.Env, "GORACE=atexit_sleep_ms=50")
	}
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

func mustOK(t *testing.T, r result) string {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	return r.out
}

// oneLineError asserts a failure printed exactly one line naming want.
func oneLineError(t *testing.T, r result, want string) {
	t.Helper()
	if r.code == 0 {
		t.Fatalf("succeeded, want error %q; out: %s", want, r.out)
	}
	if !strings.Contains(r.err, want) {
		t.Fatalf("stderr %q does not mention %q", r.err, want)
	}
	if n := strings.Count(strings.TrimSpace(r.err), "\n"); n != 0 && !strings.Contains(r.err, "bad line") {
		t.Fatalf("want one line, got %d:\n%s", n+1, r.err)
	}
}

func newDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "till.db")
	mustOK(t, till(t, db, "sales")) // creates it with the demo shop
	return db
}

// The helpers work: a usage error exits 2 in one line, and a sale is
// made once.
func TestExecHelpers(t *testing.T) {
	db := newDB(t)
	r := till(t, db, "frobnicate")
	oneLineError(t, r, "unknown command")
	if r.code != 2 {
		t.Fatalf("usage error exit %d, want 2", r.code)
	}
	if out := mustOK(t, till(t, db, "sell", "--item", "SKU1001")); !strings.Contains(out, "Receipt 000001") {
		t.Fatalf("sale:\n%s", out)
	}
}
