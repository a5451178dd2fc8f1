package e2e

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startPaySim runs `till paysim` and returns the till config it prints,
// with [qr] choosing provider.
func startPaySim(t *testing.T, provider string) string {
	t.Helper()
	cfg, _ := startPaySimLog(t, provider)
	return cfg
}

// startPaySimLog is startPaySim that also keeps the simulator's event
// lines (an order paid, a refund taken) for the test to wait for.
func startPaySimLog(t *testing.T, provider string) (string, *simLog) {
	t.Helper()
	events := &simLog{}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "paysim.toml")
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	os.WriteFile(cfg, []byte(fmt.Sprintf("[paysim]\naddr = %q\nkey_dir = %q\nmerchant = \"Till Demo Shop\"\n", addr, dir)), 0o600)
	cmd := exec.Command(tillBin, "paysim", "--config", cfg)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var snippet strings.Builder
	lines := bufio.NewScanner(out)
	inSnippet := false
	deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for lines.Scan() {
		l := lines.Text()
		if strings.HasPrefix(l, "[alipay]") {
			inSnippet = true
		}
		if inSnippet {
			snippet.WriteString(l + "\n")
		}
		if strings.HasPrefix(l, "notify_url") {
			break
		}
	}
	go func() { // keep draining the simulator's event lines
		for lines.Scan() {
			t.Log("paysim:", lines.Text())
			events.add(lines.Text())
		}
	}()
	if !strings.Contains(snippet.String(), "[wechat]") {
		t.Fatalf("paysim printed no config: %q", snippet.String())
	}
	till := filepath.Join(dir, "till.toml")
	os.WriteFile(till, []byte(fmt.Sprintf("[qr]\nprovider = %q\n\n%s", provider, snippet.String())), 0o600)
	return till, events
}

// TestOnlinePaymentWithAPhone pays through the simulator: the QR read off
// the terminal by zbarimg gives the simulator's URL, headless Chromium
// opens it and presses Pay, and the till turns to paid by itself.
func TestOnlinePaymentWithAPhone(t *testing.T) {
	for _, provider := range []string{"alipay", "wechat"} {
		t.Run(provider, func(t *testing.T) {
			need(t, "tmux", "zbarimg", "chromium", "chromedriver")
			cfg := startPaySim(t, provider)
			db := filepath.Join(t.TempDir(), "till.db")
			c, url := payingTill(t, cfg, db)
			if !strings.Contains(url, "/pay/"+provider+"/") {
				t.Fatalf("QR holds %q", url)
			}
			ph := startPhone(t)
			ph.open(url)
			if state := ph.press("pay"); state != "paid" {
				t.Fatalf("phone page says %q", state)
			}
			s := c.waitFor("Receipt 000001")
			if !strings.Contains(s, map[string]string{"alipay": "Alipay ", "wechat": "WeChat Pay "}[provider]) {
				t.Fatalf("receipt:\n%s", s)
			}
			c.quit()
			if sales := till(t, db, "sales"); !strings.Contains(sales, "1 sale(s)") {
				t.Fatalf("database:\n%s", sales)
			}
		})
	}
}

// TestDeclinedOnlinePaymentKeepsTheSale declines on the phone: the till
// shows it failed and the cart is still there to pay in cash.
func TestDeclinedOnlinePaymentKeepsTheSale(t *testing.T) {
	need(t, "tmux", "zbarimg", "chromium", "chromedriver")
	cfg := startPaySim(t, "alipay")
	c, url := payingTill(t, cfg, filepath.Join(t.TempDir(), "till.db"))
	ph := startPhone(t)
	ph.open(url)
	if state := ph.press("decline"); state != "failed" {
		t.Fatalf("phone page says %q", state)
	}
	c.waitFor("FAILED")
	c.keys("Escape")
	c.waitFor("Cash given")
	c.keys("F10") // exact money is its own key (issue 10 item 3)
	c.waitFor("Receipt 000001")
	c.quit()
}

// payingTill starts a till against the simulator and brings a sale of
// water to the online pay screen, returning the URL in its QR code.
func payingTill(t *testing.T, cfg, db string) (*counter, string) {
	t.Helper()
	c := startCounter(t, db, "--config", cfg)
	c.waitFor("Scan or type a name")
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Mineral water")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F2")
	return c, screenQR(t, c.waitFor("confirms by itself"))
}

// TestKilledTillResumesPollingTheSameOrder kills the till between order
// creation and payment; the customer pays while it is down, and the
// restarted till finds the same order paid.
func TestKilledTillResumesPollingTheSameOrder(t *testing.T) {
	need(t, "tmux", "zbarimg", "chromium", "chromedriver")
	cfg := startPaySim(t, "wechat")
	db := filepath.Join(t.TempDir(), "till.db")
	c, url := payingTill(t, cfg, db)
	c.kill()
	ph := startPhone(t)
	ph.open(url)
	if state := ph.press("pay"); state != "paid" {
		t.Fatalf("phone page says %q", state)
	}
	c = startCounter(t, db, "--config", cfg)
	c.waitFor("Receipt 000001")
	c.quit()
	if sales := till(t, db, "sales"); !strings.Contains(sales, "1 sale(s)") {
		t.Fatalf("database:\n%s", sales)
	}
}

// TestCashierAbortClosesTheOrder cancels at the till; the phone can no
// longer pay the order.
func TestCashierAbortClosesTheOrder(t *testing.T) {
	need(t, "tmux", "zbarimg", "chromium", "chromedriver")
	cfg := startPaySim(t, "alipay")
	c, url := payingTill(t, cfg, filepath.Join(t.TempDir(), "till.db"))
	c.keys("c")
	c.waitFor("Cancel this QR payment?")
	c.keys("y")
	c.waitFor("QR payment cancelled")
	ph := startPhone(t)
	ph.open(url)
	if state := ph.state(); state != "cancelled" {
		t.Fatalf("a cancelled order is %q at the provider", state)
	}
	c.quit()
}

// TestUnreachableProviderFallsBackToOfflineQR points the till at a port
// that accepts and never answers: within seconds the cashier is offered
// the offline QR, which sells.
func TestUnreachableProviderFallsBackToOfflineQR(t *testing.T) {
	need(t, "tmux", "zbarimg")
	cfg := startPaySim(t, "alipay")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	text, _ := os.ReadFile(cfg)
	// An EMV merchant account besides the online provider, for the fallback.
	text = []byte(strings.Replace(string(text), "[qr]\n", "[qr]\naccount_id = \"26\"\nguid = \"cn.till.test\"\nfields = { \"01\" = \"SHOP-1\" }\n", 1))
	silent := regexp.MustCompile(`gateway = "http://[^/]+`).ReplaceAllString(string(text), `gateway = "http://`+ln.Addr().String())
	os.WriteFile(cfg, []byte(silent), 0o600)
	c := startCounter(t, filepath.Join(t.TempDir(), "till.db"), "--config", cfg)
	c.waitFor("Scan or type a name")
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Mineral water")
	c.keys("F12")
	c.waitFor("Cash given")
	start := time.Now()
	c.keys("F2")
	c.waitFor("e  offline QR instead")
	if d := time.Since(start); d > 6*time.Second {
		t.Fatalf("fallback took %v", d)
	}
	c.keys("e")
	payload := screenQR(t, c.waitFor("WAITING FOR PAYMENT"))
	if !strings.HasPrefix(payload, "000201") {
		t.Fatalf("offline QR holds %q", payload)
	}
	c.keys("p")
	c.waitFor("PAID to")
	c.keys("y")
	c.waitFor("Receipt 000001")
	c.quit()
}
