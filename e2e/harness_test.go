// Package e2e drives the real till binary in tmux, as a cashier would,
// with the real payment simulator and a real browser where needed.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var tillBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "till-e2e")
	if err != nil {
		panic(err)
	}
	tillBin = filepath.Join(dir, "till")
	if out, err := exec.Command("go", "build", "-o", tillBin, "..").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// need skips a test when a tool is missing, except in CI, where .ci/run
// installs it and its absence is a failure.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing; .ci/run must install it", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// counter is the till running in a tmux session of its own.
type counter struct {
	t       *testing.T
	session string
	socket  string
	db      string
	stderr  string // the till's standard error, for failures
}

// startCounter runs till on db in a detached 80x24 tmux session.
func startCounter(t *testing.T, db string, args ...string) *counter {
	t.Helper()
	return startCounterEnv(t, db, nil, args...)
}

// startCounterEnv is startCounter with more environment, which wins over
// the harness's own (TILL_LANGUAGE=, say, for the config's language).
func startCounterEnv(t *testing.T, db string, more []string, args ...string) *counter {
	t.Helper()
	need(t, "tmux")
	c := &counter{t: t, session: "till", socket: filepath.Join(t.TempDir(), "tmux.sock"), db: db}
	// The demo shop is in CN, so Till would speak Chinese: these tests
	// read English (the Chinese counter has its own test).
	env := append([]string{"TILL_DB=" + db, "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color", "TILL_LANGUAGE=en"}, more...)
	c.stderr = filepath.Join(t.TempDir(), "stderr")
	// The shell stays after the till ends, so its exit status can be read.
	cmd := append(append([]string{"env"}, env...), tillBin)
	cmd = append(cmd, args...)
	c.tmux("new-session", "-d", "-s", c.session, "-x", "80", "-y", "24", strings.Join(cmd, " ")+" 2>"+c.stderr+"; echo TILL EXIT=$?; sleep 60")
	t.Cleanup(func() { exec.Command("tmux", "-S", c.socket, "kill-server").Run() })
	return c
}

func (c *counter) tmux(args ...string) string {
	c.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", c.socket}, args...)...).CombinedOutput()
	if err != nil {
		errText, _ := os.ReadFile(c.stderr)
		c.t.Fatalf("tmux %v: %v: %s\ntill's stderr: %s", args, err, out, errText)
	}
	return string(out)
}

// keys sends tmux key names ("Enter", "F12") or literal text.
func (c *counter) keys(keys ...string) {
	c.tmux(append([]string{"send-keys", "-t", c.session}, keys...)...)
}

// typeText sends text literally, as a scanner or a cashier types it.
func (c *counter) typeText(s string) { c.tmux("send-keys", "-t", c.session, "-l", s) }

func (c *counter) screen() string { return c.tmux("capture-pane", "-p", "-t", c.session) }

// waitFor polls the screen until it shows want, failing after a while.
func (c *counter) waitFor(want string) string {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := c.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			errText, _ := os.ReadFile(c.stderr)
			c.t.Fatalf("screen never showed %q:\n%s\nstderr: %s", want, s, errText)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// quit ends the till and waits for the database to be free.
func (c *counter) quit() {
	c.keys("C-c")
	time.Sleep(200 * time.Millisecond)
	if strings.Contains(c.screen(), "[y/n]") {
		c.keys("y")
	}
	if s := c.waitFor("TILL EXIT="); !strings.Contains(s, "TILL EXIT=0") {
		c.t.Fatalf("till did not quit cleanly:\n%s", s)
	}
}

// kill ends the till with SIGKILL, as a power cut or a crash would.
func (c *counter) kill() {
	c.t.Helper()
	pid := strings.TrimSpace(c.tmux("display-message", "-p", "-t", c.session, "#{pane_pid}"))
	// The pane runs a shell that runs the till; kill the till itself.
	out, err := exec.Command("pgrep", "-P", pid).Output()
	if err != nil {
		c.t.Fatalf("no till under pane %s: %v", pid, err)
	}
	for _, p := range strings.Fields(string(out)) {
		exec.Command("kill", "-9", p).Run()
	}
	c.waitFor("TILL EXIT=137")
	exec.Command("tmux", "-S", c.socket, "kill-server").Run()
}

// till runs a till command on the same database and returns its output.
func till(t *testing.T, db string, args ...string) string {
	t.Helper()
	return tillEnv(t, db, nil, args...)
}

// tillEnv is till with more environment.
func tillEnv(t *testing.T, db string, more []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tillBin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "TILL_LANGUAGE=en"), more...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("till %v: %v\n%s", args, err, out)
	}
	return string(out)
}
