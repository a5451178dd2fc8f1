package printer

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/internal/fakeprinter"
	"github.com/tillpos/till/pos/escpos"
)

func doc() escpos.Document {
	d := escpos.TextDocument(escpos.KindReceipt, "Corner Shop", strings.Join([]string{
		"              Corner Shop",
		"Receipt 000007          2026-11-29 14:03",
		"----------------------------------------",
		"农夫山泉 550ml",
		"  3 x 2.00                          6.00",
		"TOTAL                             ¥17.90",
	}, "\n"))
	d.Code, d.Kick = "01M8KGC6P28CDNK8957KW2V5CM-T1", true
	return d
}

func tcpPrinter(t *testing.T, fp *fakeprinter.Printer, extra func(*Config)) *Printer {
	t.Helper()
	c := Config{TCP: fp.Addr(), Width: 58, Timeout: "3s"}
	if extra != nil {
		extra(&c)
	}
	p, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPrintToNetworkPrinter(t *testing.T) {
	fp := fakeprinter.Start(t)
	p := tcpPrinter(t, fp, func(c *Config) { c.Header = []string{"Tel 123"}; c.Drawer.Pin = 5 })
	if err := p.Print(context.Background(), doc()); err != nil {
		t.Fatal(err)
	}
	jobs, ok := fp.Wait(1, 3*time.Second)
	if !ok {
		t.Fatal("no job")
	}
	j := jobs[0]
	for _, want := range []string{"Corner Shop", "Tel 123", "农夫山泉 550ml", "  3 x 2.00                  6.00", "TOTAL                    ￥17.90"} {
		if !strings.Contains(j.Text(), want) {
			t.Errorf("printed text lacks %q:\n%s", want, j.Text())
		}
	}
	if len(j.QRs) != 1 || j.QRs[0].Data != "01M8KGC6P28CDNK8957KW2V5CM-T1" || !j.QRs[0].Raster {
		t.Errorf("QR %+v", j.QRs)
	}
	if len(j.Kicks) != 1 || j.Kicks[0].Pin != 5 {
		t.Errorf("kicks %+v", j.Kicks)
	}
	if len(j.Cuts) != 0 { // zj-58 has no cutter
		t.Errorf("cuts %+v", j.Cuts)
	}
	if len(j.Requests) != 6 {
		t.Errorf("status requests %v, want 3 before and 3 after", j.Requests)
	}
	st, ok, err := p.Status(context.Background())
	if err != nil || !ok || !st.Ready() {
		t.Errorf("status %+v %v %v", st, ok, err)
	}
}

func TestPrinterRefusing(t *testing.T) {
	fp := fakeprinter.Start(t)
	p := tcpPrinter(t, fp, nil)
	if err := fp.SetMode(fakeprinter.Refuse, 0); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := p.Print(context.Background(), doc())
	if ProblemOf(err) != Off || time.Since(start) > 2*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if !strings.Contains(err.Error(), "printer is off or not reachable ("+fp.Addr()+")") {
		t.Errorf("words: %q", err)
	}
	// switched back on: the next job prints
	if err := fp.SetMode(fakeprinter.Normal, 0); err != nil {
		t.Fatal(err)
	}
	if err := p.Print(context.Background(), doc()); err != nil {
		t.Fatal(err)
	}
}

func TestPrinterHangsUpMidReceipt(t *testing.T) {
	fp := fakeprinter.Start(t)
	p := tcpPrinter(t, fp, nil)
	fp.SetMode(fakeprinter.HangUp, 100)
	err := p.Print(context.Background(), doc())
	if ProblemOf(err) != Broken {
		t.Fatalf("err = %v, want %q", err, Broken)
	}
	jobs, _ := fp.Wait(1, 3*time.Second)
	if len(jobs) != 1 || len(jobs[0].QRs) != 0 {
		t.Errorf("the fake printed %+v", jobs)
	}
}

func TestPrinterOutOfPaper(t *testing.T) {
	fp := fakeprinter.Start(t)
	p := tcpPrinter(t, fp, nil)
	fp.SetMode(fakeprinter.PaperOut, 0)
	err := p.Print(context.Background(), doc())
	if ProblemOf(err) != NoPaper || err.Error() != "printer is out of paper ("+fp.Addr()+")" {
		t.Fatalf("err = %v", err)
	}
	jobs, _ := fp.Wait(1, 3*time.Second)
	if len(jobs) != 1 || jobs[0].Bytes != 9 {
		t.Errorf("sent %d bytes after the paper-out answer, want only the 3 status requests", jobs[0].Bytes)
	}
	st, ok, err := p.Status(context.Background())
	if err != nil || !ok || !st.PaperOut {
		t.Errorf("status %+v %v %v", st, ok, err)
	}
}

func TestSilentPrinterStillPrints(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 1.5 s for a status answer that never comes")
	}
	fp := fakeprinter.Start(t)
	p := tcpPrinter(t, fp, nil)
	fp.SetMode(fakeprinter.Silent, 0)
	if err := p.Print(context.Background(), doc()); err != nil {
		t.Fatal(err)
	}
	jobs, _ := fp.Wait(1, 3*time.Second)
	if len(jobs) != 1 || len(jobs[0].QRs) != 1 {
		t.Errorf("jobs %+v", jobs)
	}
}

func TestUSBDevice(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Device: dev, Width: 80})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Print(context.Background(), doc()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(dev)
	j := fakeprinter.Parse(b)
	if len(j.Cuts) != 1 || len(j.QRs) != 1 || j.QRs[0].Raster || !strings.Contains(j.Text(), "农夫山泉") {
		t.Errorf("device got %+v", j)
	}
	p, _ = New(Config{Device: filepath.Join(t.TempDir(), "missing", "lp0")})
	if err := p.Print(context.Background(), doc()); ProblemOf(err) != Unplugged {
		t.Errorf("missing device: %v", err)
	}
	if os.Getuid() != 0 {
		os.Chmod(dev, 0o400)
		if err := p.Print(context.Background(), doc()); ProblemOf(err) == "" {
			t.Errorf("read-only device printed")
		}
	}
}

// blocked is a printer whose writes never return.
type blocked struct {
	closed chan struct{}
	once   *sync.Once
}

func (b blocked) Write([]byte) (int, error)                { <-b.closed; return 0, errors.New("closed") }
func (b blocked) Close() error                             { b.once.Do(func() { close(b.closed) }); return nil }
func (blocked) canRead() bool                              { return false }
func (blocked) readByte(time.Duration) (byte, bool, error) { return 0, false, nil }

func TestStuckPrinterTimesOut(t *testing.T) {
	p, err := New(Config{TCP: "127.0.0.1:9", Timeout: "200ms"})
	if err != nil {
		t.Fatal(err)
	}
	p.dial = func(context.Context) (conn, error) { return blocked{make(chan struct{}), new(sync.Once)}, nil }
	start := time.Now()
	err = p.Print(context.Background(), doc())
	if ProblemOf(err) != TimedOut || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []Config{
		{},
		{TCP: "a:1", Device: "/dev/usb/lp0"},
		{TCP: "a:1", Width: 57},
		{TCP: "a:1", Profile: "nope"},
		{TCP: "a:1", Chinese: "big5"},
		{TCP: "a:1", Drawer: escpos.Drawer{OnMS: 200, OffMS: 300}},
		{TCP: "a:1", Timeout: "forever"},
	} {
		if _, err := New(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	p, err := New(Config{TCP: "192.168.1.50", Width: 80, Columns: 42})
	if err != nil || p.Where() != "192.168.1.50:9100" || p.Profile().Columns != 42 {
		t.Errorf("%v %v", p, err)
	}
}

func TestDrawerKicksAreLogged(t *testing.T) {
	fp := fakeprinter.Start(t)
	p := tcpPrinter(t, fp, nil)
	var log strings.Builder
	p.Log = slog.New(slog.NewTextHandler(&log, nil))
	if err := p.Kick(context.Background(), NoSale, "ann"); err != nil {
		t.Fatal(err)
	}
	d := doc()
	d.Cashier = "bob"
	if err := p.Print(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	jobs, _ := fp.Wait(2, 3*time.Second)
	if len(jobs) != 2 || len(jobs[0].Kicks) != 1 || len(jobs[0].Lines) != 0 || len(jobs[1].Kicks) != 1 {
		t.Fatalf("jobs %+v", jobs)
	}
	for _, want := range []string{`msg="drawer kick" reason="no sale" cashier=ann`, `msg="drawer kick" reason="cash sale" cashier=bob`, `msg=printed what=receipt`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, log.String())
		}
	}
	fp.SetMode(fakeprinter.Refuse, 0)
	if err := p.Kick(context.Background(), PaidOut, "ann"); ProblemOf(err) != Off {
		t.Errorf("kick on a dead printer: %v", err)
	}
	if !strings.Contains(log.String(), `msg="drawer kick failed" reason="paid out"`) {
		t.Errorf("failed kick not logged:\n%s", log.String())
	}
}
