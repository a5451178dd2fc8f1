package display

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"go.bug.st/serial"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// VFDConfig is a two-line, 20-column pole display on a serial port.
type VFDConfig struct {
	Serial string `toml:"serial"` // e.g. /dev/ttyUSB1
	Baud   int    `toml:"baud"`   // default 9600
	// Charset is "ascii" (default; other characters are left out) or
	// "gb18030" for displays with a Chinese font.
	Charset string `toml:"charset"`
	// Chained is for a display plugged in through the printer: ESC = 2
	// selects it before the text (and ESC = 1 gives the printer back).
	Chained bool `toml:"chained"`
}

// VFD command bytes (the ESC/POS customer display set: Epson DM-D,
// Bixolon BCD, and their clones).
const (
	vfdCols  = 20
	vfdClear = 0x0c // clear and home
	vfdUS    = 0x1f // US $ x y moves the cursor (1-based)
)

// VFDFrame is the bytes that show s on a pole display: the last line
// scanned and the total, or what to pay, or paid and change.
func VFDFrame(s Snapshot, c VFDConfig) []byte {
	top, bottom := vfdText(s, c)
	var b bytes.Buffer
	if c.Chained {
		b.Write([]byte{0x1b, '=', 2})
	}
	b.Write([]byte{0x1b, '@', vfdClear})
	b.Write(vfdEncode(top, c))
	b.Write([]byte{vfdUS, '$', 1, 2})
	b.Write(vfdEncode(bottom, c))
	if c.Chained {
		b.Write([]byte{0x1b, '=', 1})
	}
	return b.Bytes()
}

func vfdText(s Snapshot, c VFDConfig) (string, string) {
	amt := func(m int64) string {
		return formatMinor(m, s.Exponent)
	}
	switch s.State {
	case Cart:
		top := "WELCOME"
		if n := len(s.Lines); n > 0 {
			l := s.Lines[n-1]
			name := vfdClean(l.Name, c)
			if strings.TrimSpace(name) == "" {
				name = "Item"
			}
			if l.Qty > 1 {
				name = fmt.Sprintf("%dx %s", l.Qty, name)
			}
			top = vfdPad(name, amt(int64(l.Amount)), c)
		}
		return top, vfdPad("TOTAL", amt(int64(s.Total)), c)
	case Pay:
		return vfdPad("PLEASE PAY", "", c), vfdPad("TOTAL", amt(int64(s.Due)), c)
	case Paid:
		return vfdPad("PAID", amt(int64(s.Paid)), c), vfdPad("CHANGE", amt(int64(s.Change)), c)
	}
	shop := vfdClean(s.Shop, c)
	if strings.TrimSpace(shop) == "" {
		shop = "WELCOME"
	}
	return vfdPad(shop, "", c), vfdPad("WELCOME", "", c)
}

func formatMinor(m int64, exp int) string {
	neg := m < 0
	if neg {
		m = -m
	}
	s := fmt.Sprint(m)
	if exp > 0 {
		for len(s) <= exp {
			s = "0" + s
		}
		s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// vfdClean keeps what the display can show.
func vfdClean(s string, c VFDConfig) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < 0x20:
			return ' '
		case r < 0x7f:
			return r
		case c.Charset == "gb18030" && r >= 0x80:
			if b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(string(r))); err == nil && len(b) == 2 {
				return r
			}
		}
		return -1
	}, s)
}

func vfdWidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if r >= 0x80 {
			w++
		}
	}
	return w
}

// vfdPad lays left and right out on one 20-column line.
func vfdPad(left, right string, c VFDConfig) string {
	left = vfdClean(left, c)
	rw := vfdWidth(right)
	room := vfdCols - rw
	if right != "" {
		room--
	}
	var b strings.Builder
	w := 0
	for _, r := range left {
		rw := vfdWidth(string(r))
		if w+rw > room {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + strings.Repeat(" ", vfdCols-w-vfdWidth(right)) + right
}

func vfdEncode(s string, c VFDConfig) []byte {
	if c.Charset == "gb18030" {
		if b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s)); err == nil {
			return b
		}
	}
	return []byte(s)
}

// RunVFD shows every snapshot from snaps on the pole display until snaps
// closes or ctx ends. The port is opened for each frame, so a display
// that is unplugged and plugged back in comes back by itself; failures
// are logged, never returned to the counter.
func RunVFD(ctx context.Context, c VFDConfig, snaps <-chan Snapshot, log *slog.Logger) {
	if c.Baud == 0 {
		c.Baud = 9600
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	failing := false
	for {
		var s Snapshot
		var ok bool
		select {
		case <-ctx.Done():
			return
		case s, ok = <-snaps:
			if !ok {
				return
			}
		}
		err := writeVFD(c, VFDFrame(s, c))
		if err != nil && !failing {
			log.Warn("pole display", "port", c.Serial, "err", err)
		} else if err == nil && failing {
			log.Info("pole display back", "port", c.Serial)
		}
		failing = err != nil
	}
}

func writeVFD(c VFDConfig, frame []byte) error {
	port, err := serial.Open(c.Serial, &serial.Mode{BaudRate: c.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return err
	}
	defer port.Close()
	done := make(chan error, 1)
	go func() { _, err := port.Write(frame); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			err = port.Drain()
		}
		return err
	case <-time.After(2 * time.Second):
		return io.ErrShortWrite
	}
}
