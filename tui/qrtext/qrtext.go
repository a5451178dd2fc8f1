// Package qrtext draws QR codes as terminal text that a phone can scan off
// the screen.
//
// The module bitmap comes from github.com/skip2/go-qrcode (without its own
// border); qrtext adds a quiet zone of its own and draws the result with
// block characters in one of two modes:
//
//   - HalfBlock: one column per module and two module rows per text row,
//     using '█', '▀', '▄' and ' '. Smallest; the default.
//   - FullBlock: two columns per module and one text row per module row.
//     Twice the size, and coarser cells are easier for a camera.
//
// # Colours
//
// A phone wants dark modules on a light background, and a dark terminal
// background is not a quiet zone. The coloured rendering in Code.Lines
// therefore sets both the foreground and the background colour explicitly
// for every cell, the quiet zone included, with dark = #000000 and light =
// #FFFFFF as 24-bit SGR sequences (Bubble Tea v2 downsamples them for
// 256- and 16-colour terminals). Runs of equal colour share one escape
// sequence and every line ends with a reset, so lines can be placed and
// joined like any other styled text.
//
// The glyphs are chosen so that the foreground (always light) draws the
// light modules and the background fills the rest: a cell whose two halves
// are both light is '█' on a light background, everything else is drawn on
// a dark background. Stripping the escape sequences thus leaves exactly
// Code.Plain(LightInk).
//
// # Plain rendering
//
// Without colour, the glyphs are drawn in the terminal's own foreground on
// its own background, and qrtext cannot know which is the lighter. Plain
// therefore takes an Ink: LightInk (the default, and what a colour-stripping
// renderer leaves behind) draws the light modules, quiet zone included, so
// that on the usual light-on-dark terminal the code comes out dark-on-light;
// DarkInk draws the dark modules, for terminals with dark text on a light
// background. The wrong choice gives an inverted code, which many phone
// scanners read but not all, so use colour where the terminal has any.
//
// # Cost and shape
//
// QR encoding takes a few milliseconds; the most recent symbol is kept, so
// calling Render or Fit again for the same payload (every frame, or on a
// resize) pays only for drawing, about a tenth of a millisecond.
//
// Modules are square only where character cells are twice as tall as they
// are wide. Typical fonts are close (9x19 pixels gives modules about 5%
// taller than wide), which zbar and phone cameras take in their stride.
//
// Block elements are East Asian "ambiguous" width; terminals that draw them
// two cells wide (some CJK locale settings) will not show a usable code.
package qrtext

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/skip2/go-qrcode"
)

// Mode selects how modules map to character cells.
type Mode int

const (
	// HalfBlock draws one module per column and two module rows per text
	// row, with '█', '▀', '▄' and ' '.
	HalfBlock Mode = iota
	// FullBlock draws each module as two cells side by side, one text row
	// per module row.
	FullBlock
)

// String returns the mode's name.
func (m Mode) String() string {
	switch m {
	case HalfBlock:
		return "half-block"
	case FullBlock:
		return "full-block"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Ink says which modules a plain (colourless) rendering draws with glyphs.
type Ink int

const (
	// LightInk draws the light modules and the quiet zone with glyphs: right
	// for terminals with light text on a dark background.
	LightInk Ink = iota
	// DarkInk draws the dark modules with glyphs: right for terminals with
	// dark text on a light background.
	DarkInk
)

// Quiet zone widths, in modules.
const (
	DefaultQuiet = 4 // what the QR standard asks for
	MinQuiet     = 2 // the least that phones still read reliably
)

// Options controls Render. The zero value is a half-block, colour rendering
// at error-correction level qrcode.Low with a 4-module quiet zone.
type Options struct {
	// Mode is HalfBlock (default) or FullBlock.
	Mode Mode
	// Quiet is the quiet zone around the code, in modules. Zero means
	// DefaultQuiet; otherwise it must be at least MinQuiet.
	Quiet int
	// Level is the error-correction level. The zero value is qrcode.Low,
	// which is enough for a clean screen and keeps the code small.
	Level qrcode.RecoveryLevel
	// NoColor makes Lines the plain rendering Plain(Ink), without escape
	// sequences.
	NoColor bool
	// Ink is the polarity of the plain rendering when NoColor is set.
	Ink Ink
}

// Code is a QR code drawn as terminal text.
type Code struct {
	// Lines holds the rows of text, each Width cells wide. Unless NoColor
	// was asked for they carry SGR colour escape sequences and end with a
	// reset.
	Lines []string
	// Width and Height are the size of the drawing in character cells.
	Width, Height int
	// Modules is the side of the code in modules, quiet zone included.
	Modules int
	// Quiet is the quiet zone on each side, in modules.
	Quiet int
	// Version is the QR version (1-40); the symbol is 17+4*Version modules.
	Version int
	// Mode is the drawing mode used.
	Mode Mode

	symbol [][]bool // go-qrcode bitmap without border; true = dark
}

// String returns Lines joined by newlines.
func (c Code) String() string { return strings.Join(c.Lines, "\n") }

// Dark reports whether the module at column x, row y (counted from the
// outer edge of the quiet zone) is dark. Anything outside the symbol,
// including the quiet zone, is light.
func (c Code) Dark(x, y int) bool {
	x, y = x-c.Quiet, y-c.Quiet
	return y >= 0 && y < len(c.symbol) && x >= 0 && x < len(c.symbol[y]) && c.symbol[y][x]
}

// Plain returns the code drawn with glyphs only, no escape sequences, in
// the same geometry as Lines. With LightInk it is exactly Lines with the
// escape sequences removed. See the package doc for choosing the ink.
func (c Code) Plain(ink Ink) []string {
	return c.draw(false, ink == DarkInk)
}

// TooSmallError is returned by Fit when even the smallest rendering does not
// fit the space given.
type TooSmallError struct {
	NeedW, NeedH int // size of the smallest rendering, in cells
	HaveW, HaveH int // the space that was offered
}

func (e *TooSmallError) Error() string {
	return fmt.Sprintf("terminal too small for the QR code: need %dx%d, have %dx%d",
		e.NeedW, e.NeedH, e.HaveW, e.HaveH)
}

// Render encodes payload and draws it as opts says.
func Render(payload string, opts Options) (Code, error) {
	if opts.Mode != HalfBlock && opts.Mode != FullBlock {
		return Code{}, fmt.Errorf("qrtext: unknown mode %d", int(opts.Mode))
	}
	if opts.Quiet == 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.Quiet < MinQuiet {
		return Code{}, fmt.Errorf("qrtext: quiet zone %d is below the minimum of %d modules", opts.Quiet, MinQuiet)
	}
	c, err := encode(payload, opts.Level)
	if err != nil {
		return Code{}, err
	}
	c.layout(opts.Mode, opts.Quiet)
	if opts.NoColor {
		c.Lines = c.Plain(opts.Ink)
	} else {
		c.Lines = c.draw(true, false)
	}
	return c, nil
}

// fitChoices are the renderings Fit tries, best first.
var fitChoices = []struct {
	mode  Mode
	quiet int
}{
	{FullBlock, 4},
	{HalfBlock, 4},
	{HalfBlock, 3},
	{HalfBlock, 2},
}

// Fit returns the best colour rendering of payload (at qrcode.Low) that fits
// in maxW columns by maxH rows: full-block with a 4-module quiet zone, else
// half-block with a quiet zone of 4, 3 or 2 modules. If none fits it returns
// a *TooSmallError with the size needed; it never returns a clipped code.
func Fit(payload string, maxW, maxH int) (Code, error) {
	c, err := encode(payload, qrcode.Low)
	if err != nil {
		return Code{}, err
	}
	for _, ch := range fitChoices {
		c.layout(ch.mode, ch.quiet)
		if c.Width <= maxW && c.Height <= maxH {
			c.Lines = c.draw(true, false)
			return c, nil
		}
	}
	return Code{}, &TooSmallError{NeedW: c.Width, NeedH: c.Height, HaveW: maxW, HaveH: maxH}
}

// last remembers the most recent symbol, so that a view which calls Fit or
// Render on every frame or resize pays for QR encoding (about 2 ms) once
// per payload rather than every time. Symbols are never modified.
var last struct {
	sync.Mutex
	payload string
	level   qrcode.RecoveryLevel
	code    Code
}

// encode builds the symbol without go-qrcode's border.
func encode(payload string, level qrcode.RecoveryLevel) (Code, error) {
	if payload == "" {
		return Code{}, errors.New("qrtext: empty payload")
	}
	if level < qrcode.Low || level > qrcode.Highest {
		return Code{}, fmt.Errorf("qrtext: unknown error-correction level %d", int(level))
	}
	last.Lock()
	c, hit := last.code, last.code.symbol != nil && last.payload == payload && last.level == level
	last.Unlock()
	if hit {
		return c, nil
	}
	q, err := qrcode.New(payload, level)
	if err != nil {
		return Code{}, fmt.Errorf("qrtext: %w", err)
	}
	q.DisableBorder = true
	c = Code{symbol: q.Bitmap(), Version: q.VersionNumber}
	last.Lock()
	last.payload, last.level, last.code = payload, level, c
	last.Unlock()
	return c, nil
}

// layout sets the geometry of c for a mode and quiet zone.
func (c *Code) layout(mode Mode, quiet int) {
	c.Mode, c.Quiet = mode, quiet
	c.Modules = len(c.symbol) + 2*quiet
	if mode == FullBlock {
		c.Width, c.Height = 2*c.Modules, c.Modules
	} else {
		// An odd module count leaves the bottom half of the last row, which
		// is drawn light like the quiet zone.
		c.Width, c.Height = c.Modules, (c.Modules+1)/2
	}
}

// SGR sequences: the foreground is always light; the background follows
// the cells.
const (
	sgrStart   = "\x1b[38;2;255;255;255;48;2;"
	sgrBgLight = "\x1b[48;2;255;255;255m"
	sgrBgDark  = "\x1b[48;2;0;0;0m"
	sgrLight   = "255;255;255m"
	sgrDark    = "0;0;0m"
	sgrReset   = "\x1b[0m"
)

// draw renders the rows. With colour, glyphs show light modules in a light
// foreground, and the background is light only under fully light cells.
// Without colour, glyphs show the light modules, or the dark ones if
// darkInk.
func (c *Code) draw(color, darkInk bool) []string {
	lines := make([]string, c.Height)
	var b strings.Builder
	for row := range lines {
		b.Reset()
		b.Grow(4*c.Width + 64)
		bgLight := false
		for col := 0; col < c.Width; col++ {
			var top, bottom bool // whether each half is ink
			if c.Mode == FullBlock {
				top = c.Dark(col/2, row) == darkInk
				bottom = top
			} else {
				top = c.Dark(col, 2*row) == darkInk
				bottom = c.Dark(col, 2*row+1) == darkInk
			}
			if color {
				// Ink is light here: the background is light only where the
				// whole cell is, so line gaps in a font never show dark.
				full := top && bottom
				switch {
				case col == 0 && full:
					b.WriteString(sgrStart + sgrLight)
				case col == 0:
					b.WriteString(sgrStart + sgrDark)
				case full && !bgLight:
					b.WriteString(sgrBgLight)
				case !full && bgLight:
					b.WriteString(sgrBgDark)
				}
				bgLight = full
			}
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		if color {
			b.WriteString(sgrReset)
		}
		lines[row] = b.String()
	}
	return lines
}
