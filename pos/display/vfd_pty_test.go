//go:build linux

package display

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY returns a pseudo-terminal's master and the path of its slave,
// which stands in for the pole display's serial port.
func openPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	// non-blocking, so that os.NewFile puts it in the poller and read
	// deadlines work
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	return m, fmt.Sprintf("/dev/pts/%d", n)
}

// TestVFDOverSerial drives the pole display through go.bug.st/serial on
// a pseudo-terminal and reads the frames on the other side.
func TestVFDOverSerial(t *testing.T) {
	m, slave := openPTY(t)
	// keep the slave open so the master does not see a hang-up between frames
	keep, err := os.OpenFile(slave, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open %s: %v", slave, err)
	}
	defer keep.Close()
	if tio, err := unix.IoctlGetTermios(int(keep.Fd()), unix.TCGETS); err == nil {
		tio.Oflag &^= unix.OPOST // raw output: no LF -> CRLF
		unix.IoctlSetTermios(int(keep.Fd()), unix.TCSETS, tio)
	}
	snaps := make(chan Snapshot)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	c := VFDConfig{Serial: slave, Baud: 9600}
	go func() { RunVFD(ctx, c, snaps, nil); close(done) }()
	s := cart(t, 2)
	paid := s
	paid.State, paid.Paid, paid.Change = Paid, 1000, 400
	var got bytes.Buffer
	for _, snap := range []Snapshot{s, paid} {
		snaps <- snap
		want := VFDFrame(snap, c)
		buf := make([]byte, 256)
		start := got.Len()
		deadline := time.Now().Add(3 * time.Second)
		for got.Len()-start < len(want) && time.Now().Before(deadline) {
			m.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			n, _ := m.Read(buf)
			got.Write(buf[:n])
		}
		if !bytes.Equal(got.Bytes()[start:], want) {
			t.Fatalf("display got % x\nwant         % x", got.Bytes()[start:], want)
		}
	}
	if !bytes.Contains(got.Bytes(), []byte("CHANGE          4.00")) {
		t.Errorf("no change line in %q", got.String())
	}
	close(snaps)
	<-done
}
