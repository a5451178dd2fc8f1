package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/fakeprinter"
	"github.com/tillpos/till/internal/screenqr"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/display"
)

// TestCustomerDisplayInTmux runs `till display` in an 80x24 tmux window
// and feeds it from a publisher, as the counter will: it waits for the
// counter, shows the lines and total, a payment QR that decodes, then
// paid and the change; killing the display does not disturb publishing.
func TestCustomerDisplayInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs the binary in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	dir, err := os.MkdirTemp("", "tdisp") // unix socket paths must be short
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "display.sock")
	tsock := filepath.Join(dir, "tmux.sock")
	tm := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", tsock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v %s", args, err, out)
		}
		return string(out)
	}
	cmd := "env XDG_CONFIG_HOME=" + dir + " TERM=xterm-256color " + tillBin + " display --socket " + sock + " 2>" + dir + "/stderr; sleep 60"
	tm("new-session", "-d", "-s", "disp", "-x", "80", "-y", "24", cmd)
	defer exec.Command("tmux", "-S", tsock, "kill-server").Run()
	waitFor := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			s := tm("capture-pane", "-p", "-t", "disp")
			if strings.Contains(s, want) {
				return s
			}
			if time.Now().After(deadline) {
				e, _ := os.ReadFile(dir + "/stderr")
				t.Fatalf("display never showed %q:\n%s\n%s", want, s, e)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("waiting for the counter")

	pub, err := display.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	cur := pos.Currency{Code: "CNY", Exponent: 2}
	c := pos.Cart{Lines: []pos.Line{
		{SKU: "A", Name: "农夫山泉 550ml", Qty: 2, UnitPrice: 200, TaxRate: 1300},
		{SKU: "B", Name: "Eggs 10 pack", Qty: 1, UnitPrice: 1290, TaxRate: 900},
	}}
	tot, _ := pos.Price(c, true)
	cartSnap := display.Scanning("Till Demo Shop", cur, tot)
	pub.Publish(cartSnap)
	s := waitFor("Eggs 10 pack")
	for _, want := range []string{"农夫山泉 550ml  2 x 2.00", "TOTAL 合计", "¥16.90"} {
		if !strings.Contains(s, want) {
			t.Errorf("cart screen lacks %q:\n%s", want, s)
		}
	}
	const payload = "00020101021229300012CN.TILL.TEST52045411530315654041690"
	pub.Publish(display.Paying(cartSnap, 1690, payload, "EMV QR"))
	s = waitFor("请扫码付款")
	var rows []string
	for _, l := range strings.Split(s, "\n")[1:] {
		if strings.Contains(l, "█") {
			rows = append(rows, l)
		}
	}
	margin := len(rows[0]) - len(strings.TrimLeft(rows[0], " "))
	for i := range rows {
		rows[i] = rows[i][min(margin, len(rows[i])-len(strings.TrimLeft(rows[i], " "))):]
	}
	img, err := screenqr.Image(strings.Join(rows, "\n"), 4)
	if err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	if got, err := fakeprinter.DecodeQR(img); err != nil || got != payload {
		t.Fatalf("QR on the customer display reads %q, %v:\n%s", got, err, s)
	}
	pub.Publish(display.Snapshot{State: display.Paid, Shop: "Till Demo Shop", Currency: "CNY", Exponent: 2,
		Total: 1690, Due: 1690, Paid: 2000, Change: 310})
	s = waitFor("Paid, thank you")
	if !strings.Contains(s, "找零  ¥3.10") {
		t.Errorf("paid screen:\n%s", s)
	}
	// the customer display goes away; the counter does not notice
	tm("send-keys", "-t", "disp", "q")
	deadline := time.Now().Add(5 * time.Second)
	for pub.Readers() != 0 && time.Now().Before(deadline) {
		pub.Publish(display.Welcome("Till Demo Shop", cur))
		time.Sleep(50 * time.Millisecond)
	}
	if pub.Readers() != 0 {
		t.Error("the display quit but is still a reader")
	}
	start := time.Now()
	pub.Publish(display.Welcome("Till Demo Shop", cur))
	if time.Since(start) > 100*time.Millisecond {
		t.Error("publishing slowed after the display quit")
	}
}
