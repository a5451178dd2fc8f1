//go:build linux

package printer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/fakeprinter"
	"github.com/tillpos/till/pos/escpos"
	"golang.org/x/sys/unix"
)

// TestSerialPrinter prints over go.bug.st/serial to a pseudo-terminal
// whose other side plays the printer: it answers DLE EOT like one, with
// paper, then without.
func TestSerialPrinter(t *testing.T) {
	// non-blocking, so that os.NewFile puts it in the poller and read
	// deadlines work
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	defer m.Close()
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	slave := fmt.Sprintf("/dev/pts/%d", n)
	keep, err := os.OpenFile(slave, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open %s: %v", slave, err)
	}
	defer keep.Close()

	status := make(chan escpos.Status, 1)
	status <- escpos.Status{}
	var got bytes.Buffer
	stop := make(chan struct{})
	served := make(chan struct{})
	go func() { // the printer's side of the line
		defer close(served)
		buf := make([]byte, 4096)
		var pending []byte
		for {
			select {
			case <-stop:
				return
			default:
			}
			m.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			k, _ := m.Read(buf)
			pending = append(pending, buf[:k]...)
			for {
				i := bytes.Index(pending, []byte{0x10, 0x04})
				if i < 0 || i+2 >= len(pending) {
					break
				}
				st := <-status
				m.Write([]byte{st.Answer(pending[i+2])})
				status <- st
				got.Write(pending[:i+3])
				pending = pending[i+3:]
			}
			if len(pending) > 2 {
				got.Write(pending[:len(pending)-2])
				pending = pending[len(pending)-2:]
			}
		}
	}()
	p, err := New(Config{Serial: slave, Baud: 19200, Width: 58, Timeout: "5s"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Print(context.Background(), doc()); err != nil {
		t.Fatal(err)
	}
	<-status
	status <- escpos.Status{PaperOut: true}
	err = p.Print(context.Background(), doc())
	close(stop)
	<-served
	if ProblemOf(err) != NoPaper {
		t.Errorf("paper out over serial: %v", err)
	}
	j := fakeprinter.Parse(got.Bytes())
	if !strings.Contains(j.Text(), "农夫山泉 550ml") || len(j.QRs) != 1 || j.QRs[0].Data != doc().Code || len(j.Kicks) != 1 {
		t.Errorf("serial printer got %+v", j)
	}
	if len(j.Requests) != 9 { // 3 before + 3 after the job, 3 before the refused one
		t.Errorf("status requests %v", j.Requests)
	}
}
