package e2e

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos/bolt"
)

// Helpers for the longer end-to-end tests: a head office on loopback,
// a screen condition polled for longer than waitFor's default, and the
// terminal's database read after the counter has quit.

// headOffice is `till hq serve` on loopback with one enrolled terminal.
type headOffice struct {
	db, url, token string
}

// startHQ enrols terminal at store S1 on a new head-office file and
// serves it on a free loopback port until the test ends.
func startHQ(t *testing.T, terminal string) *headOffice {
	t.Helper()
	dir := t.TempDir()
	h := &headOffice{db: filepath.Join(dir, "hq.db")}
	out := till(t, filepath.Join(dir, "unused.db"), "hq", "enrol", "--storage", h.db, "--store", "S1", "--terminal", terminal)
	m := regexp.MustCompile(regexp.QuoteMeta(terminal) + `\.[A-Za-z0-9_-]+`).FindString(out)
	if m == "" {
		t.Fatalf("till hq enrol printed no credential:\n%s", out)
	}
	h.token = filepath.Join(dir, "token")
	if err := os.WriteFile(h.token, []byte(m+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	serve := exec.Command(tillBin, "hq", "serve", "--storage", h.db, "--addr", addr, "--log", filepath.Join(dir, "hq.log"))
	serve.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	deadline := time.Now().Add(15 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("till hq serve did not start listening")
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.url = "http://" + addr
	return h
}

// report runs `till hq report` with args (through serve's admin socket).
func (h *headOffice) report(t *testing.T, args ...string) string {
	t.Helper()
	return till(t, filepath.Join(t.TempDir(), "unused.db"), append([]string{"hq", "report", "--storage", h.db}, args...)...)
}

// waitLong polls the screen for want for up to d (a sync, a wallet
// refund sent by the background check).
func (c *counter) waitLong(want string, d time.Duration) string {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := c.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			errText, _ := os.ReadFile(c.stderr)
			c.t.Fatalf("screen never showed %q in %v:\n%s\nstderr: %s", want, d, s, errText)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// openCopy opens a copy of the terminal's database once the counter has
// quit, so reading it changes nothing of the real file.
func openCopy(t *testing.T, db string) *bolt.Store {
	t.Helper()
	src, err := os.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cp := filepath.Join(t.TempDir(), "copy.db")
	dst, err := os.Create(cp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	st, err := bolt.Open(cp, bolt.Options{})
	if err != nil {
		t.Fatalf("open a copy of %s: %v", db, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// proxyGateway puts a switchProxy in front of provider's gateway in the
// till config cfg (written by startPaySim) and returns it with the new
// config's path.
func proxyGateway(t *testing.T, cfg, provider string) (*switchProxy, string) {
	t.Helper()
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile(`(?s)\[` + provider + `\][^\[]*?(?:gateway|base_url) = "http://([^/"]+)`).FindSubmatchIndex(text)
	if section == nil {
		t.Fatalf("no %s gateway in:\n%s", provider, text)
	}
	target := string(text[section[2]:section[3]])
	px := startSwitchProxy(t, target)
	out := string(text[:section[2]]) + px.ln.Addr().String() + string(text[section[3]:])
	path := filepath.Join(t.TempDir(), "till.toml")
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	return px, path
}

// simLog keeps the payment simulator's event lines.
type simLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *simLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
}

// matching returns the event lines that contain every one of parts.
func (l *simLog) matching(parts ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
next:
	for _, line := range l.lines {
		for _, p := range parts {
			if !strings.Contains(line, p) {
				continue next
			}
		}
		out = append(out, line)
	}
	return out
}

// waitFor polls until an event line holds every one of parts.
func (l *simLog) waitFor(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := l.matching(parts...); len(m) > 0 {
			return m[0]
		}
		if time.Now().After(deadline) {
			l.mu.Lock()
			defer l.mu.Unlock()
			t.Fatalf("the simulator never logged %q; it logged:\n%s", parts, strings.Join(l.lines, "\n"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitForWords polls until the screen holds want as words, wherever a
// line breaks them (a long question wraps onto two lines).
func (c *counter) waitForWords(want string) string {
	c.t.Helper()
	want = strings.Join(strings.Fields(want), " ")
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := c.screen()
		if strings.Contains(strings.Join(strings.Fields(s), " "), want) {
			return s
		}
		if time.Now().After(deadline) {
			errText, _ := os.ReadFile(c.stderr)
			c.t.Fatalf("screen never showed the words %q:\n%s\nstderr: %s", want, s, errText)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// panelWords is the words of the reports screen's right-hand panel at 80
// columns (head office, wallet refunds, the chart), read past the
// report's column.
func panelWords(screen string) string {
	var words []string
	for _, l := range strings.Split(screen, "\n")[2:] {
		words = append(words, strings.Fields(ansi.Cut(l, 44, 80))...)
	}
	return strings.Join(words, " ")
}

// waitForPanel polls until the reports screen's panel holds want.
func (c *counter) waitForPanel(want string) string {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := c.screen()
		if strings.Contains(panelWords(s), want) {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("the panel never showed %q:\n%s", want, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
