package e2e

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// switchProxy forwards TCP to a target until switched off: then it
// drops every connection, open ones too, as a network that goes away.
type switchProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	off    bool
	conns  []net.Conn
}

func startSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.setOff(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			off := p.off
			if !off {
				p.conns = append(p.conns, c)
			}
			p.mu.Unlock()
			if off {
				c.Close()
				continue
			}
			go func() {
				up, err := net.Dial("tcp", target)
				if err != nil {
					c.Close()
					return
				}
				p.mu.Lock()
				p.conns = append(p.conns, up)
				p.mu.Unlock()
				go io.Copy(up, c)
				io.Copy(c, up)
				c.Close()
				up.Close()
			}()
		}
	}()
	return p
}

func (p *switchProxy) setOff(off bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.off = off
	if off {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

// TestProviderGoneMidPayment (issue 10 item 7, issue 11's rule): the
// network to Alipay goes while the customer is paying. Cancelling cannot
// be confirmed: the screen says CLOSING, not confirmed, never "take
// cash", and offers to leave it to the till. Back on the sale screen the
// till keeps closing the order and says when Alipay confirms it closed.
func TestProviderGoneMidPayment(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: tmux and paysim")
	}
	need(t, "tmux")
	cfg := startPaySim(t, "alipay")
	text, _ := os.ReadFile(cfg)
	gw := regexp.MustCompile(`gateway = "http://([^/"]+)`).FindSubmatch(text)
	if gw == nil {
		t.Fatalf("no alipay gateway in:\n%s", text)
	}
	px := startSwitchProxy(t, string(gw[1]))
	cfg2 := filepath.Join(t.TempDir(), "till.toml")
	os.WriteFile(cfg2, []byte(strings.Replace(string(text), `gateway = "http://`+string(gw[1]), `gateway = "http://`+px.ln.Addr().String(), 1)), 0o600)
	db := filepath.Join(t.TempDir(), "till.db")
	c := startCounter(t, db, "--config", cfg2)
	c.waitFor("Scan or type a name")
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Mineral water")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F2")
	c.waitFor("confirms by itself")
	px.setOff(true)
	c.keys("c")
	c.waitFor("Cancel this QR payment?")
	c.keys("y")
	s := c.waitFor("CLOSING: NOT CONFIRMED")
	for _, bad := range []string{"take cash", "Take cash", "Cash given", "new QR code"} {
		if strings.Contains(s, bad) {
			t.Fatalf("unconfirmed close says %q:\n%s", bad, s)
		}
	}
	if !strings.Contains(s, "l  leave it to the till") || !strings.Contains(s, "do not take other money") {
		t.Fatalf("closing screen:\n%s", s)
	}
	c.keys("Escape")
	time.Sleep(300 * time.Millisecond)
	if s := c.screen(); !strings.Contains(s, "CLOSING") {
		t.Fatalf("esc left an unconfirmed payment:\n%s", s)
	}
	c.keys("l")
	c.waitFor("Left with the till")
	c.waitFor("Scan or type a name")
	px.setOff(false)
	c.waitFor("closed: nothing was charged")
	c.quit()
	if out := till(t, db, "sales"); !strings.Contains(out, "0 sale(s)") {
		t.Fatalf("database:\n%s", out)
	}
}
