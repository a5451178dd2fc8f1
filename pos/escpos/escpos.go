package escpos

import (
	"bytes"
	"errors"
	"fmt"
)

// Command bytes.
const (
	ESC = 0x1b
	GS  = 0x1d
	FS  = 0x1c
	DLE = 0x10
	EOT = 0x04
	LF  = 0x0a
)

// Align is a justification for ESC a.
type Align byte

const (
	Left   Align = 0
	Center Align = 1
	Right  Align = 2
)

// Writer builds the bytes of one print job for a profile. Methods record
// the first error and then do nothing; Bytes returns it.
type Writer struct {
	p    Profile
	buf  bytes.Buffer
	err  error
	wide bool // double width in effect: half the columns
}

// NewWriter starts a job for profile p. It does not write ESC @; call Init.
func NewWriter(p Profile) *Writer {
	w := &Writer{p: p}
	if err := p.Check(); err != nil {
		w.err = err
	}
	return w
}

// Profile returns the profile the writer encodes for.
func (w *Writer) Profile() Profile { return w.p }

func (w *Writer) raw(b ...byte) *Writer {
	if w.err == nil {
		w.buf.Write(b)
	}
	return w
}

func (w *Writer) fail(err error) *Writer {
	if w.err == nil {
		w.err = err
	}
	return w
}

// Bytes returns the job, or the first error met while building it.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return bytes.Clone(w.buf.Bytes()), nil
}

// Init resets the printer (ESC @) and selects the character set: FS &
// for Hanzi mode, FS . then ESC t n for a code page, nothing for raw
// GB18030 (the DIP switch has chosen it).
func (w *Writer) Init() *Writer {
	w.raw(ESC, '@')
	w.wide = false
	switch w.p.Chinese {
	case ChineseFS:
		w.raw(FS, '&')
	case ChineseNone:
		w.raw(FS, '.', ESC, 't', byte(w.p.CodePage))
	}
	return w
}

// Align sets the justification (ESC a n).
func (w *Writer) Align(a Align) *Writer {
	if a > Right {
		return w.fail(fmt.Errorf("escpos: alignment %d: want 0-2", a))
	}
	return w.raw(ESC, 'a', byte(a))
}

// Bold turns emphasis on or off (ESC E n).
func (w *Writer) Bold(on bool) *Writer { return w.raw(ESC, 'E', b2b(on)) }

// Size sets double width and/or height (GS ! n, and FS ! n for Hanzi).
func (w *Writer) Size(doubleWidth, doubleHeight bool) *Writer {
	var n, fn byte
	if doubleWidth {
		n |= 0x10
		fn |= 0x04
	}
	if doubleHeight {
		n |= 0x01
		fn |= 0x08
	}
	w.wide = doubleWidth
	w.raw(GS, '!', n)
	if w.p.Chinese == ChineseFS {
		w.raw(FS, '!', fn)
	}
	return w
}

// Columns is the number of columns at the current size.
func (w *Writer) Columns() int {
	if w.wide {
		return w.p.Columns / 2
	}
	return w.p.Columns
}

// Line prints text that is already laid out (it is wrapped if it does
// not fit) followed by LF.
func (w *Writer) Line(s string) *Writer {
	for _, l := range w.p.wrap(w.p.clean(s), w.Columns()) {
		w.raw(w.p.encode(l)...).raw(LF)
	}
	return w
}

// Fit prints a line laid out for another width, re-laid out for the
// paper (see Profile.Fit).
func (w *Writer) Fit(s string) *Writer {
	for _, l := range w.p.Fit(s, w.Columns()) {
		w.raw(w.p.encode(l)...).raw(LF)
	}
	return w
}

// Rule prints a line of dashes across the paper.
func (w *Writer) Rule() *Writer {
	return w.Fit("----------")
}

// Feed feeds n lines (ESC d n).
func (w *Writer) Feed(n int) *Writer {
	if n < 0 || n > 255 {
		return w.fail(fmt.Errorf("escpos: feed %d lines: want 0-255", n))
	}
	return w.raw(ESC, 'd', byte(n))
}

// Cut feeds past the cutter and cuts as the profile says (GS V 66 n or
// GS V 65 n); without a cutter it feeds to the tear bar.
func (w *Writer) Cut() *Writer {
	switch w.p.Cutter {
	case CutFull:
		return w.raw(GS, 'V', 65, 3)
	case CutPartial:
		return w.raw(GS, 'V', 66, 3)
	}
	return w.Feed(4)
}

// Drawer is a cash drawer on the printer's kick-out connector.
type Drawer struct {
	Pin   int `toml:"pin"`    // 2 or 5 (default 2)
	OnMS  int `toml:"on_ms"`  // pulse on time, 2-510 ms (default 100)
	OffMS int `toml:"off_ms"` // off time, at least 4x on (default 500)
}

// ErrDutyCycle is a drawer pulse whose off time is under four times its
// on time: the solenoid would overheat.
var ErrDutyCycle = errors.New("drawer pulse off time must be at least 4 times the on time")

// Pulse returns the drawer pulse, defaults filled in, or an error.
func (d Drawer) Pulse() (m, t1, t2 byte, err error) {
	if d.Pin == 0 {
		d.Pin = 2
	}
	if d.OnMS == 0 {
		d.OnMS = 100
	}
	if d.OffMS == 0 {
		d.OffMS = min(510, max(500, 4*d.OnMS))
	}
	switch {
	case d.Pin != 2 && d.Pin != 5:
		return 0, 0, 0, fmt.Errorf("drawer pin %d: want 2 or 5", d.Pin)
	case d.OnMS < 2 || d.OnMS > 510:
		return 0, 0, 0, fmt.Errorf("drawer on time %d ms: want 2-510", d.OnMS)
	case d.OffMS > 510:
		return 0, 0, 0, fmt.Errorf("drawer off time %d ms: want at most 510", d.OffMS)
	case d.OffMS < 4*d.OnMS:
		return 0, 0, 0, ErrDutyCycle
	}
	if d.Pin == 5 {
		m = 1
	}
	return m, byte(d.OnMS / 2), byte(d.OffMS / 2), nil
}

// Kick pulses the drawer (ESC p m t1 t2: m 0 = pin 2, 1 = pin 5; times
// in units of 2 ms).
func (w *Writer) Kick(d Drawer) *Writer {
	m, t1, t2, err := d.Pulse()
	if err != nil {
		return w.fail(err)
	}
	return w.raw(ESC, 'p', m, t1, t2)
}

// Barcode128 prints data as a CODE128 barcode (GS k 73, code set B) with
// its text below, centred, at the widest module that fits the paper. It
// returns ErrTooWide when even a 2-dot module does not fit.
func (w *Writer) Barcode128(data string) *Writer {
	if !w.p.Barcode {
		return w.fail(errors.New("escpos: this printer has no CODE128 barcodes"))
	}
	mod, err := w.p.Code128Module(data)
	if err != nil {
		return w.fail(err)
	}
	w.Align(Center)
	w.raw(GS, 'h', 80, GS, 'w', byte(mod), GS, 'H', 2, GS, 'f', 0)
	w.raw(GS, 'k', 73, byte(len(data)+2), '{', 'B').raw([]byte(data)...)
	return w.raw(LF).Align(Left)
}

// ErrTooWide is a barcode that does not fit the paper.
var ErrTooWide = errors.New("barcode too wide for the paper")

// Code128Module is the module width (2-6 dots) at which data fits the
// paper as a CODE128-B barcode.
func (p Profile) Code128Module(data string) (int, error) {
	if data == "" || len(data) > 80 {
		return 0, fmt.Errorf("escpos: barcode data of %d bytes: want 1-80", len(data))
	}
	for _, c := range []byte(data) {
		if c < 0x20 || c > 0x7e || c == '{' {
			return 0, fmt.Errorf("escpos: barcode data %q: only printable ASCII without '{'", data)
		}
	}
	modules := 11*len(data) + 35 + 20 // symbols, start/check/stop, quiet zones
	mod := min(3, p.Dots/modules)
	if mod < 2 {
		return 0, fmt.Errorf("%w: %q needs %d dots, the paper has %d", ErrTooWide, data, 2*modules, p.Dots)
	}
	return mod, nil
}

func b2b(on bool) byte {
	if on {
		return 1
	}
	return 0
}
