package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/fakeprinter"
	"github.com/tillpos/till/internal/screenqr"
)

// TestCounterHardware is issue 15's "done when" in the real binary: a
// cash sale at the counter prints to a fake network printer (a real TCP
// listener) a receipt whose text, cut and drawer kick are checked, with a
// QR code that decodes to the sale ID; scanning that ID on the sell
// screen opens the sale for a refund; `till display` in a second tmux
// window shows the lines, the total, a payment QR that decodes and then
// the change; a QR-only sale prints without opening the drawer; a dead
// printer is reported and the sale is safe in the database.
func TestCounterHardware(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary and the customer display in tmux; skipped under -short")
	}
	need(t, "tmux", "zbarimg")
	fp := fakeprinter.Start(t)
	dir, err := os.MkdirTemp("", "thw") // the display socket's path must be short
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	db := filepath.Join(dir, "till.db")
	cfg := filepath.Join(dir, "till.toml")
	conf := "[printer]\ntcp = \"" + fp.Addr() + "\"\nwidth = 80\ntimeout = \"3s\"\nfooter = [\"Thank you / 谢谢惠顾\"]\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startCounter(t, db, "--config", cfg)
	c.waitFor("Scan or type a name")

	// The customer display, in a second window of the counter's session.
	dcmd := "env XDG_CONFIG_HOME=" + dir + " TERM=xterm-256color " + tillBin + " --db " + db + " display 2>" + dir + "/display.err; sleep 60"
	c.tmux("new-window", "-d", "-t", c.session, "-n", "disp", dcmd)
	// A screen facing the customer a little bigger than the counter's
	// 80x24: the display keeps a line for its shop and the amount.
	c.tmux("resize-window", "-t", c.session+":disp", "-x", "100", "-y", "30")
	disp := func() string { return c.tmux("capture-pane", "-p", "-t", c.session+":disp") }
	dispWait := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			s := disp()
			if strings.Contains(s, want) {
				return s
			}
			if time.Now().After(deadline) {
				e, _ := os.ReadFile(dir + "/display.err")
				t.Fatalf("customer display never showed %q:\n%s\n%s", want, s, e)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	dispWait("Till Demo Shop")

	// Sale 1, cash: water 2.00 and cola 3.00.
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Mineral water")
	dispWait("Mineral water 550ml")
	c.typeText("6900012345745")
	c.keys("Enter")
	c.waitFor("Cola 330ml")
	s := dispWait("Cola 330ml can")
	if !strings.Contains(s, "TOTAL 合计") || !strings.Contains(s, "¥5.00") {
		t.Errorf("customer display with the cart:\n%s", s)
	}
	c.keys("F12")
	c.waitFor("Cash given")
	c.typeText("10")
	c.keys("Enter")
	c.waitFor("CHANGE")
	s = dispWait("Paid, thank you")
	if !strings.Contains(s, "找零  ¥5.00") {
		t.Errorf("customer display after the sale:\n%s", s)
	}
	jobs, ok := fp.Wait(1, 10*time.Second)
	if !ok {
		t.Fatalf("nothing printed:\n%s", c.screen())
	}
	j := jobs[0]
	text := j.Text()
	for _, want := range []string{"Till Demo Shop", "Receipt 000001", "Mineral water 550ml", "Cola 330ml can", "5.00", "谢谢惠顾"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "COPY") {
		t.Errorf("the original says COPY:\n%s", text)
	}
	if len(j.Cuts) != 1 || j.Cuts[0].AtLine < len(j.Lines)-2 {
		t.Errorf("cuts %+v of %d lines: want one at the end", j.Cuts, len(j.Lines))
	}
	if len(j.Kicks) != 1 || j.Kicks[0].Pin != 2 || j.Kicks[0].OnMS != 100 {
		t.Errorf("kicks %+v: want one on pin 2 for 100 ms", j.Kicks)
	}
	if len(j.QRs) != 1 || !strings.HasSuffix(j.QRs[0].Data, "-T1") {
		t.Fatalf("QR codes %+v: want the sale ID", j.QRs)
	}
	id := j.QRs[0].Data

	// The receipt's QR, scanned on the sell screen, opens the sale for a
	// refund.
	c.keys("Escape")
	c.waitFor("Cart is empty")
	dispWait("Welcome")
	c.typeText(id)
	c.keys("Enter")
	s = c.waitFor("To refund now")
	if !strings.Contains(s, "Sale 000001") {
		t.Fatalf("the scanned receipt opened:\n%s", s)
	}
	c.keys("Escape")
	c.waitFor("Cart is empty")

	// Sale 2, QR only: the customer display shows the code, which
	// decodes to what the counter shows; the receipt opens no drawer.
	c.typeText("6900012346858") // rice, 69.90
	c.keys("Enter")
	c.waitFor("Rice 5kg")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F2")
	payload := screenQR(t, c.waitFor("WAITING FOR PAYMENT"))
	s = dispWait("请扫码付款")
	if got := displayQR(t, s); got != payload {
		t.Fatalf("the customer display's QR reads %q, the counter's %q:\n%s", got, payload, s)
	}
	if !strings.Contains(s, "69.90") {
		t.Errorf("customer display while paying:\n%s", s)
	}
	c.keys("p")
	c.waitFor("PAID to")
	c.keys("y")
	c.waitFor("Receipt 000002")
	jobs, _ = fp.Wait(2, 10*time.Second)
	if len(jobs) != 2 || len(jobs[1].Kicks) != 0 || !strings.Contains(jobs[1].Text(), "Receipt 000002") {
		t.Fatalf("QR sale printed %d jobs, kicks %+v:\n%s", len(jobs), jobs[len(jobs)-1].Kicks, jobs[len(jobs)-1].Text())
	}
	c.keys("Escape")
	c.waitFor("Cart is empty")

	// Sale 3 with the printer off: stored, and the cashier is told.
	if err := fp.SetMode(fakeprinter.Refuse, 0); err != nil {
		t.Fatal(err)
	}
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Mineral water")
	c.keys("F12")
	c.waitFor("Cash given")
	c.typeText("5")
	c.keys("Enter")
	s = c.waitFor("NOT PRINTED")
	if !strings.Contains(s, "Sale 3 saved. CHANGE ¥3.00 NOT PRINTED: printer is off or") || !strings.Contains(s, "ctrl+p print again") {
		t.Fatalf("dead printer:\n%s", s)
	}
	// Back on: ctrl+p prints it as a COPY, without opening the drawer.
	if err := fp.SetMode(fakeprinter.Normal, 0); err != nil {
		t.Fatal(err)
	}
	c.keys("C-p")
	c.waitFor("Copy of 000003 printed.")
	jobs, _ = fp.Wait(3, 10*time.Second)
	if j := jobs[len(jobs)-1]; len(jobs) != 3 || !strings.Contains(j.Text(), "COPY 重打") || !strings.Contains(j.Text(), "Receipt 000003") || len(j.Kicks) != 0 || len(j.QRs) != 1 {
		t.Fatalf("reprint: %d jobs, kicks %+v:\n%s", len(jobs), j.Kicks, j.Text())
	}
	c.quit()
	out := till(t, db, "sales")
	if !strings.Contains(out, "3 sale(s)") {
		t.Fatalf("database after the dead printer:\n%s", out)
	}
	// Each kick is in the log with its reason and cashier (the one the
	// dead printer missed too); the QR sale and the reprint kicked nothing.
	logText, err := os.ReadFile(filepath.Join(dir, "till.log"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(logText), `msg="drawer kick" reason="cash sale" cashier=cashier`); n != 1 ||
		strings.Count(string(logText), `msg="drawer kick failed" reason="cash sale" cashier=cashier`) != 1 {
		t.Errorf("%d drawer kicks logged:\n%s", n, logText)
	}
	// The customer display lost its counter and says so; it never
	// touched the sale.
	dispWait("waiting for the counter")
}

// displayQR reads the payment QR off the customer display's screen: the
// rows of block glyphs, less their common left margin.
func displayQR(t *testing.T, screen string) string {
	t.Helper()
	var rows []string
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "█") || strings.Contains(l, "▀") || strings.Contains(l, "▄") {
			rows = append(rows, l)
		}
	}
	if len(rows) == 0 {
		t.Fatalf("no QR on the display:\n%s", screen)
	}
	margin := len(rows[0])
	for _, r := range rows {
		margin = min(margin, len(r)-len(strings.TrimLeft(r, " ")))
	}
	for i := range rows {
		rows[i] = rows[i][margin:]
	}
	img, err := screenqr.Image(strings.Join(rows, "\n"), 4)
	if err != nil {
		t.Fatalf("%v\n%s", err, screen)
	}
	got, err := fakeprinter.DecodeQR(img)
	if err != nil {
		t.Fatalf("the display's QR does not decode: %v\n%s", err, screen)
	}
	return got
}
