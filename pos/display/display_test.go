package display

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

var cny = pos.Currency{Code: "CNY", Exponent: 2}

func cart(t *testing.T, n int) Snapshot {
	t.Helper()
	var c pos.Cart
	for i := range n {
		c.Lines = append(c.Lines, pos.Line{SKU: "A", Name: strings.Repeat("农夫山泉", 1+i%3), Qty: int64(1 + i%2), UnitPrice: 200, TaxRate: 1300})
	}
	tot, err := pos.Price(c, true)
	if err != nil {
		t.Fatal(err)
	}
	return Scanning("Corner Shop", cny, tot)
}

func sock(t *testing.T) string {
	// unix socket paths are short (108 bytes); t.TempDir can be long
	d, err := os.MkdirTemp("", "disp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return filepath.Join(d, "display.sock")
}

func next(t *testing.T, ch <-chan Update, want func(Update) bool) Update {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case u, ok := <-ch:
			if !ok {
				t.Fatal("follower ended")
			}
			if want(u) {
				return u
			}
		case <-deadline:
			t.Fatal("no matching update")
		}
	}
}

func TestPublishAndFollow(t *testing.T) {
	path := sock(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// the display starts before the counter and waits for it
	f := Follow(ctx, path, 50*time.Millisecond)
	u := next(t, f, func(u Update) bool { return true })
	if u.Connected || u.Err == nil {
		t.Fatalf("connected to nothing: %+v", u)
	}
	p, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v %v", fi.Mode(), err)
	}
	s := cart(t, 3)
	p.Publish(s)
	u = next(t, f, func(u Update) bool { return u.Connected && u.Snapshot.State == Cart })
	if len(u.Snapshot.Lines) != 3 || u.Snapshot.Total != s.Total || u.Snapshot.Seq == 0 {
		t.Errorf("got %+v", u.Snapshot)
	}
	p.Publish(Paying(s, s.Total, "00020101021229300012CN.TEST", "EMV QR"))
	u = next(t, f, func(u Update) bool { return u.Snapshot.State == Pay })
	if u.Snapshot.QR != "00020101021229300012CN.TEST" {
		t.Errorf("QR %q", u.Snapshot.QR)
	}
	// a display that joins late sees the current state at once
	late := Follow(ctx, path, 50*time.Millisecond)
	if u := next(t, late, func(u Update) bool { return u.Connected }); u.Snapshot.State != Pay {
		t.Errorf("late joiner got %+v", u.Snapshot)
	}
	// the counter goes away: followers say so, and come back with it
	p.Close()
	next(t, f, func(u Update) bool { return !u.Connected })
	p2, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	p2.Publish(Welcome("Corner Shop", cny))
	next(t, f, func(u Update) bool { return u.Connected && u.Snapshot.State == Idle })
}

// TestSlowAndDeadReaders: a reader that never reads and one that hangs
// up cost the counter nothing; the stuck one is dropped and a good one
// keeps up.
func TestSlowAndDeadReaders(t *testing.T) {
	old := WriteTimeout
	WriteTimeout = 200 * time.Millisecond
	defer func() { WriteTimeout = old }()
	path := sock(t)
	p, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.Publish(Welcome("Corner Shop", cny))
	stuck, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	dead, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	dead.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	good := Follow(ctx, path, 50*time.Millisecond)
	next(t, good, func(u Update) bool { return u.Connected })
	for end := time.Now().Add(3 * time.Second); p.Readers() < 2 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	big := cart(t, 400) // tens of kilobytes a snapshot
	// the cost of encoding alone, with nobody reading
	alone := NewPublisher()
	start := time.Now()
	for range 200 {
		alone.Publish(big)
	}
	base := time.Since(start)
	start = time.Now()
	for i := range 200 {
		big.Total = pos.Money(i)
		p.Publish(big)
	}
	if d := time.Since(start); d > 3*base+300*time.Millisecond {
		t.Errorf("200 publishes took %v with a stuck reader, %v with none", d, base)
	}
	u := next(t, good, func(u Update) bool { return u.Snapshot.Total == 199 })
	if len(u.Snapshot.Lines) != 400 {
		t.Errorf("lines %d", len(u.Snapshot.Lines))
	}
	deadline := time.Now().Add(3 * time.Second)
	for p.Readers() != 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := p.Readers(); n != 1 {
		t.Errorf("%d readers left, want only the good one", n)
	}
}

func TestListenRefusesWhatItShouldNot(t *testing.T) {
	path := sock(t)
	p, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(path); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second publisher: %v", err)
	}
	p.Close()
	// a stale socket from a crash is replaced
	ln, _ := net.Listen("unix", path)
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if p, err := Listen(path); err != nil {
		t.Errorf("stale socket: %v", err)
	} else {
		p.Close()
	}
	os.WriteFile(path, []byte("mine"), 0o600)
	if _, err := Listen(path); err == nil {
		t.Error("replaced a regular file")
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Error("file clobbered")
	}
}

func TestSubscribeInProcess(t *testing.T) {
	p := NewPublisher()
	snaps, cancel := p.Subscribe()
	p.Publish(cart(t, 1))
	select {
	case s := <-snaps:
		if s.State != Cart {
			t.Errorf("%+v", s)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("nothing")
	}
	cancel()
	for range 10 {
		p.Publish(cart(t, 2)) // never blocks with a cancelled reader
	}
}

func TestVFDFrame(t *testing.T) {
	s := cart(t, 2)
	cases := []struct {
		s         Snapshot
		c         VFDConfig
		top, bott string
	}{
		{Welcome("Corner Shop", cny), VFDConfig{}, "Corner Shop         ", "WELCOME             "},
		{s, VFDConfig{}, "2x                4.00", "TOTAL           6.00"},
		{s, VFDConfig{Charset: "gb18030"}, "2x 农夫山泉农夫 4.00", "TOTAL           6.00"},
		{Paying(s, 600, "x", "EMV"), VFDConfig{}, "PLEASE PAY          ", "TOTAL           6.00"},
	}
	cases[1].top = "2x Item         4.00"
	for _, c := range cases {
		b := VFDFrame(c.s, c.c)
		top, bott := vfdText(c.s, c.c)
		if top != c.top || bott != c.bott {
			t.Errorf("%s %s: %q / %q, want %q / %q", c.s.State, c.c.Charset, top, bott, c.top, c.bott)
		}
		if vfdWidth(top) != 20 || vfdWidth(bott) != 20 {
			t.Errorf("widths %d %d", vfdWidth(top), vfdWidth(bott))
		}
		if !bytes.HasPrefix(b, []byte{0x1b, '@', 0x0c}) || !bytes.Contains(b, []byte{0x1f, '$', 1, 2}) {
			t.Errorf("frame % x", b)
		}
	}
	chained := VFDFrame(s, VFDConfig{Chained: true})
	if !bytes.HasPrefix(chained, []byte{0x1b, '=', 2}) || !bytes.HasSuffix(chained, []byte{0x1b, '=', 1}) {
		t.Errorf("chained frame % x", chained)
	}
}

func TestStartAndNil(t *testing.T) {
	var none *Publisher
	none.Publish(Welcome("x", cny)) // the counter calls it whether or not there is a display
	if err := none.Close(); err != nil || none.Readers() != 0 {
		t.Error("nil publisher")
	}
	dir := filepath.Dir(sock(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := Start(ctx, filepath.Join(dir, "till.db"), Config{VFD: VFDConfig{Serial: filepath.Join(dir, "no-such-tty")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Path() != filepath.Join(dir, "display.sock") {
		t.Errorf("socket %s", p.Path())
	}
	for range 5 {
		p.Publish(cart(t, 1)) // a missing pole display is logged, never felt
	}
	if p, err := Start(ctx, "x", Config{Off: true}, nil); p != nil || err != nil {
		t.Errorf("off: %v %v", p, err)
	}
}

// TestScanningTaxExcluded: where prices exclude tax, pos.Price's Total
// already includes it; the display shows that total, not tax twice.
func TestScanningTaxExcluded(t *testing.T) {
	c := pos.Cart{Lines: []pos.Line{{SKU: "A", Name: "Rice 5kg", Qty: 1, UnitPrice: 6990, TaxRate: 1300}}}
	tot, err := pos.Price(c, false)
	if err != nil {
		t.Fatal(err)
	}
	s := Scanning("Shop", cny, tot)
	if tot.Tax != 909 || s.Total != 7899 || s.Due != 7899 {
		t.Fatalf("tax %d, display total %d due %d, want 78.99", tot.Tax, s.Total, s.Due)
	}
}
