package qrtext

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/skip2/go-qrcode"
)

// pix138 is a static Pix (EMV-MPM) payload, 138 characters.
const pix138 = "00020101021226580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-42665544000052040000530398654041.005802BR5913Fulano de Tal6008BRASILIA62070503***6304XXXX"

// pixDynamic is a dynamic Pix payload (URL to the charge), ~150 characters.
const pixDynamic = "00020101021226850014br.gov.bcb.pix2563pix.example.com/qr/v2/cobv/9d36b84fc70b478fb95c12729b90ca25520400005303986540510.005802BR5913Fulano de Tal6008BRASILIA62070503***6304A1B2"

const shortURL = "https://till.example/r/42"

var longURL = "https://pay.example.com/checkout/session?id=" + strings.Repeat("a1B2c3D4e5", 20) + "&ref=till-0042&ok=1"

var payloads = map[string]string{
	"pix138":     pix138,
	"pixDynamic": pixDynamic,
	"shortURL":   shortURL,
	"longURL":    longURL,
}

// Simulated terminal default colours: what shows wherever the output fails
// to set a colour of its own.
var (
	darkTermFG  = color.RGBA{0xc8, 0xc8, 0xc8, 0xff}
	darkTermBG  = color.RGBA{0x20, 0x20, 0x20, 0xff} // also the surround
	lightTermFG = color.RGBA{0x30, 0x30, 0x30, 0xff}
	lightTermBG = color.RGBA{0xf0, 0xf0, 0xf0, 0xff}
)

// terminal is how the test "screen" draws text.
type terminal struct {
	cellW, cellH int        // pixels per character cell
	topH         int        // pixels in the top half of a cell
	fg, bg       color.RGBA // default colours
	border       int        // cells of default background around the text
	strict       bool       // every drawn cell must have fg and bg set explicitly
}

// render draws lines as a terminal would, honouring only what the escape
// sequences set: a tiny SGR parser tracks the current colours, and each
// cell's top and bottom halves are painted with fg or bg by its glyph.
func (term terminal) render(t *testing.T, lines []string) *image.RGBA {
	t.Helper()
	cols := 0
	for _, l := range lines {
		cols = max(cols, ansi.StringWidth(l))
	}
	w := (cols + 2*term.border) * term.cellW
	h := (len(lines) + 2*term.border) * term.cellH
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, img.Bounds(), term.bg)

	fg, bg := term.fg, term.bg
	fgSet, bgSet := false, false
	for row, line := range lines {
		col := 0
		for i := 0; i < len(line); {
			if strings.HasPrefix(line[i:], "\x1b[") {
				end := strings.IndexByte(line[i:], 'm')
				if end < 0 {
					t.Fatalf("row %d: unterminated escape %q", row, line[i:])
				}
				params := line[i+2 : i+end]
				i += end + 1
				ps := strings.Split(params, ";")
				for j := 0; j < len(ps); j++ {
					n, err := strconv.Atoi(ps[j])
					if ps[j] == "" {
						n, err = 0, nil
					}
					if err != nil {
						t.Fatalf("row %d: bad SGR %q", row, params)
					}
					switch {
					case n == 0:
						fg, bg, fgSet, bgSet = term.fg, term.bg, false, false
					case (n == 38 || n == 48) && j+4 < len(ps) && ps[j+1] == "2":
						var c [3]uint8
						for k := range c {
							v, err := strconv.Atoi(ps[j+2+k])
							if err != nil || v < 0 || v > 255 {
								t.Fatalf("row %d: bad colour in %q", row, params)
							}
							c[k] = uint8(v)
						}
						rgb := color.RGBA{c[0], c[1], c[2], 0xff}
						if n == 38 {
							fg, fgSet = rgb, true
						} else {
							bg, bgSet = rgb, true
						}
						j += 4
					case n == 39:
						fg, fgSet = term.fg, false
					case n == 49:
						bg, bgSet = term.bg, false
					default:
						t.Fatalf("row %d: unexpected SGR parameter %d in %q", row, n, params)
					}
				}
				continue
			}
			r, size := rune(line[i]), 1
			if r >= 0x80 {
				rs := []rune(line[i:])
				r, size = rs[0], len(string(rs[0]))
			}
			i += size
			var top, bottom bool // whether each half shows the foreground
			switch r {
			case ' ':
			case '▀':
				top = true
			case '▄':
				bottom = true
			case '█':
				top, bottom = true, true
			default:
				t.Fatalf("row %d col %d: unexpected glyph %q", row, col, r)
			}
			if term.strict && (!fgSet || !bgSet) {
				t.Fatalf("row %d col %d: drawn with terminal default colours (fg set %v, bg set %v)", row, col, fgSet, bgSet)
			}
			x0 := (col + term.border) * term.cellW
			y0 := (row + term.border) * term.cellH
			paint := func(ink bool) color.RGBA {
				if ink {
					return fg
				}
				return bg
			}
			fill(img, image.Rect(x0, y0, x0+term.cellW, y0+term.topH), paint(top))
			fill(img, image.Rect(x0, y0+term.topH, x0+term.cellW, y0+term.cellH), paint(bottom))
			col++
		}
	}
	return img
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// decode reads a QR code from img with gozxing, an independent decoder.
func decode(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// zbarDecode reads img with zbarimg, if installed.
func zbarDecode(t *testing.T, img image.Image) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		return "", false
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--quiet", "--raw", path).Output()
	if err != nil {
		t.Errorf("zbarimg: %v", err)
		return "", true
	}
	return strings.TrimSuffix(string(out), "\n"), true
}

// checkModules samples the middle of every module in the drawing and
// compares it with the code's model: quiet zone light, symbol as encoded,
// and the spare bottom half-row of a half-block code light too.
func checkModules(t *testing.T, c Code, term terminal, img *image.RGBA, light, dark color.RGBA) {
	t.Helper()
	modW, modH := term.cellW, term.topH // half-block: one column, one half-row
	if c.Mode == FullBlock {
		modW, modH = 2*term.cellW, term.cellH
	}
	rows := c.Modules
	if c.Mode == HalfBlock {
		rows = 2 * c.Height
	}
	bad := 0
	for y := 0; y < rows; y++ {
		for x := 0; x < c.Modules; x++ {
			px := term.border*term.cellW + x*modW + modW/2
			var py int
			if c.Mode == HalfBlock {
				py = (term.border+y/2)*term.cellH + 1
				if y%2 == 1 {
					py = (term.border+y/2)*term.cellH + term.cellH - 2
				}
			} else {
				py = term.border*term.cellH + y*modH + modH/2
			}
			want := light
			if c.Dark(x, y) {
				want = dark
			}
			if got := img.RGBAAt(px, py); got != want && bad < 5 {
				t.Errorf("module (%d,%d): drawn %v, want %v", x, y, got, want)
				bad++
			}
		}
	}
}

var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	black = color.RGBA{0, 0, 0, 0xff}
)

// TestPhoneCanScan is the proof: what the escape sequences actually draw,
// set against a dark terminal background, decodes to the payload.
//
// The "square" terminal has 1:2 cells, so modules come out square in both
// modes; gozxing (and zbarimg, if installed) must read every code. The
// "font" terminal has 9x19-pixel cells split 9+10, as real fonts do, so
// modules are about 5% taller than wide. zbarimg reads all of those; gozxing
// (like ZXing, whose port it is) locks onto a finder-like pattern in the
// data of the 138-character Pix code and fails, so that terminal is checked
// with zbarimg only and skipped where it is not installed.
func TestPhoneCanScan(t *testing.T) {
	terms := map[string]terminal{
		"square": {cellW: 4, cellH: 8, topH: 4, fg: darkTermFG, bg: darkTermBG, border: 6, strict: true},
		"font":   {cellW: 9, cellH: 19, topH: 9, fg: darkTermFG, bg: darkTermBG, border: 3, strict: true},
	}
	for pname, payload := range payloads {
		for _, mode := range []Mode{HalfBlock, FullBlock} {
			for _, quiet := range []int{2, 3, 4} {
				for tname, term := range terms {
					name := fmt.Sprintf("%s/%s/quiet%d/%s", pname, mode, quiet, tname)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						c, err := Render(payload, Options{Mode: mode, Quiet: quiet})
						if err != nil {
							t.Fatal(err)
						}
						img := term.render(t, c.Lines)
						if tname == "font" {
							got, ok := zbarDecode(t, img)
							if !ok {
								t.Skip("zbarimg not installed")
							}
							if got != payload {
								t.Fatalf("zbarimg read %q, want %q", got, payload)
							}
							return
						}
						checkModules(t, c, term, img, white, black)
						got, err := decode(img)
						if err != nil {
							t.Fatalf("gozxing could not read the drawn code: %v", err)
						}
						if got != payload {
							t.Fatalf("gozxing read %q, want %q", got, payload)
						}
						if got, ok := zbarDecode(t, img); ok && got != payload {
							t.Fatalf("zbarimg read %q, want %q", got, payload)
						}
					})
				}
			}
		}
	}
}

// TestPlainCanScan checks the colourless rendering on the terminal each ink
// is meant for: light ink on a dark terminal, dark ink on a light one.
func TestPlainCanScan(t *testing.T) {
	cases := []struct {
		ink  Ink
		term terminal
	}{
		{LightInk, terminal{cellW: 4, cellH: 8, topH: 4, fg: darkTermFG, bg: darkTermBG, border: 6}},
		{DarkInk, terminal{cellW: 4, cellH: 8, topH: 4, fg: lightTermFG, bg: lightTermBG, border: 6}},
	}
	for _, tc := range cases {
		for _, mode := range []Mode{HalfBlock, FullBlock} {
			for _, quiet := range []int{2, 4} {
				t.Run(fmt.Sprintf("ink%d/%s/quiet%d", tc.ink, mode, quiet), func(t *testing.T) {
					c, err := Render(pix138, Options{Mode: mode, Quiet: quiet, NoColor: true, Ink: tc.ink})
					if err != nil {
						t.Fatal(err)
					}
					for _, l := range c.Lines {
						if strings.ContainsRune(l, '\x1b') {
							t.Fatalf("plain line has an escape sequence: %q", l)
						}
					}
					img := tc.term.render(t, c.Lines)
					light, dark := tc.term.fg, tc.term.bg
					if tc.ink == DarkInk {
						light, dark = tc.term.bg, tc.term.fg
					}
					checkModules(t, c, tc.term, img, light, dark)
					got, err := decode(img)
					if err != nil || got != pix138 {
						t.Fatalf("decoded %q, %v; want %q", got, err, pix138)
					}
				})
			}
		}
	}
}

// TestShape checks the geometry of every line and that stripping colour
// leaves the plain light-ink rendering.
func TestShape(t *testing.T) {
	for _, mode := range []Mode{HalfBlock, FullBlock} {
		c, err := Render(pix138, Options{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Lines) != c.Height {
			t.Errorf("%s: %d lines, Height %d", mode, len(c.Lines), c.Height)
		}
		plain := c.Plain(LightInk)
		for i, l := range c.Lines {
			if w := ansi.StringWidth(l); w != c.Width {
				t.Errorf("%s line %d: width %d, want %d", mode, i, w, c.Width)
			}
			if !strings.HasSuffix(l, "\x1b[0m") {
				t.Errorf("%s line %d does not end with a reset", mode, i)
			}
			if s := ansi.Strip(l); s != plain[i] {
				t.Errorf("%s line %d: stripped %q, plain %q", mode, i, s, plain[i])
			}
		}
		if c.String() != strings.Join(c.Lines, "\n") {
			t.Errorf("String() differs from joined Lines")
		}
	}
}

// TestCache checks that a repeated payload (served from the one-entry
// symbol cache) draws the same as a fresh one, also from several goroutines.
func TestCache(t *testing.T) {
	want := map[string]string{}
	for _, p := range []string{pix138, shortURL} {
		fresh, err := Render(p, Options{}) // the other payload was cached
		if err != nil {
			t.Fatal(err)
		}
		again, _ := Render(p, Options{}) // cached
		if again.String() != fresh.String() {
			t.Fatalf("cached rendering of %q differs", p)
		}
		want[p] = fresh.String()
	}
	var wg sync.WaitGroup
	for i := range 16 {
		p := []string{pix138, shortURL}[i%2]
		wg.Go(func() {
			c, err := Render(p, Options{})
			if err != nil || c.String() != want[p] {
				t.Errorf("concurrent rendering of %q differs (%v)", p, err)
			}
		})
	}
	wg.Wait()
}

func TestRenderErrors(t *testing.T) {
	for name, opts := range map[string]Options{
		"quiet1":   {Quiet: 1},
		"quietNeg": {Quiet: -2},
		"mode":     {Mode: 7},
		"level":    {Level: 9},
	} {
		if _, err := Render(pix138, opts); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Render("", Options{}); err == nil {
		t.Error("empty payload: no error")
	}
	if _, err := Render(strings.Repeat("x", 3000), Options{}); err == nil {
		t.Error("oversized payload: no error")
	}
	c, err := Render(pix138, Options{Level: qrcode.Medium})
	if err != nil || c.Version <= 6 {
		t.Errorf("Medium level: version %d, %v; want above 6", c.Version, err)
	}
}

// TestSizes pins the module count and drawn size for payload lengths around
// the version boundaries (lower-case letters encode in byte mode).
func TestSizes(t *testing.T) {
	cases := []struct {
		payload        string
		modules        int // symbol only
		fullW, fullH   int // full-block, quiet 4
		half4W, half4H int // half-block, quiet 4
		half2W, half2H int // half-block, quiet 2
	}{
		{strings.Repeat("a", 17), 21, 58, 29, 29, 15, 25, 13},
		{strings.Repeat("a", 18), 25, 66, 33, 33, 17, 29, 15},
		{strings.Repeat("a", 134), 41, 98, 49, 49, 25, 45, 23},
		{strings.Repeat("a", 135), 45, 106, 53, 53, 27, 49, 25},
		{pix138, 41, 98, 49, 49, 25, 45, 23},
		{strings.Repeat("a", 250), 57, 130, 65, 65, 33, 61, 31},
	}
	for _, tc := range cases {
		for _, g := range []struct {
			mode  Mode
			quiet int
			w, h  int
		}{
			{FullBlock, 4, tc.fullW, tc.fullH},
			{HalfBlock, 4, tc.half4W, tc.half4H},
			{HalfBlock, 2, tc.half2W, tc.half2H},
		} {
			c, err := Render(tc.payload, Options{Mode: g.mode, Quiet: g.quiet})
			if err != nil {
				t.Fatal(err)
			}
			if c.Modules != tc.modules+2*g.quiet || c.Width != g.w || c.Height != g.h {
				t.Errorf("len %d %s quiet %d: %d modules, %dx%d; want %d modules, %dx%d",
					len(tc.payload), g.mode, g.quiet, c.Modules, c.Width, c.Height, tc.modules+2*g.quiet, g.w, g.h)
			}
			if c.Version != (tc.modules-17)/4 {
				t.Errorf("len %d: version %d, want %d", len(tc.payload), c.Version, (tc.modules-17)/4)
			}
		}
	}
}

func TestFit(t *testing.T) {
	cases := []struct {
		w, h     int
		mode     Mode
		quiet    int
		wantW    int
		wantH    int
		tooSmall bool
	}{
		{200, 60, FullBlock, 4, 98, 49, false},
		{98, 49, FullBlock, 4, 98, 49, false},
		{97, 49, HalfBlock, 4, 49, 25, false},
		{98, 48, HalfBlock, 4, 49, 25, false},
		{80, 25, HalfBlock, 4, 49, 25, false},
		{80, 24, HalfBlock, 3, 47, 24, false},
		{48, 30, HalfBlock, 3, 47, 24, false},
		{80, 23, HalfBlock, 2, 45, 23, false},
		{45, 23, HalfBlock, 2, 45, 23, false},
		{80, 22, 0, 0, 45, 23, true},
		{44, 80, 0, 0, 45, 23, true},
	}
	for _, tc := range cases {
		c, err := Fit(pix138, tc.w, tc.h)
		if tc.tooSmall {
			var ts *TooSmallError
			if !errors.As(err, &ts) {
				t.Fatalf("%dx%d: got %v, want *TooSmallError", tc.w, tc.h, err)
			}
			if ts.NeedW != tc.wantW || ts.NeedH != tc.wantH || ts.HaveW != tc.w || ts.HaveH != tc.h {
				t.Errorf("%dx%d: %+v", tc.w, tc.h, *ts)
			}
			want := fmt.Sprintf("terminal too small for the QR code: need %dx%d, have %dx%d", tc.wantW, tc.wantH, tc.w, tc.h)
			if err.Error() != want {
				t.Errorf("message %q, want %q", err.Error(), want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%dx%d: %v", tc.w, tc.h, err)
		}
		if c.Mode != tc.mode || c.Quiet != tc.quiet || c.Width != tc.wantW || c.Height != tc.wantH {
			t.Errorf("%dx%d: got %s quiet %d %dx%d; want %s quiet %d %dx%d",
				tc.w, tc.h, c.Mode, c.Quiet, c.Width, c.Height, tc.mode, tc.quiet, tc.wantW, tc.wantH)
		}
	}
}

// TestFitNeverOverflows sweeps sizes: whatever Fit returns fits, line by
// line, and whenever it refuses, the smallest rendering really does not.
func TestFitNeverOverflows(t *testing.T) {
	for _, payload := range []string{shortURL, pix138, longURL} {
		for w := 0; w <= 140; w += 3 {
			for h := 0; h <= 70; h += 2 {
				c, err := Fit(payload, w, h)
				if err != nil {
					var ts *TooSmallError
					if !errors.As(err, &ts) {
						t.Fatalf("%dx%d: %v", w, h, err)
					}
					if ts.NeedW <= w && ts.NeedH <= h {
						t.Fatalf("%dx%d: refused though %dx%d fits", w, h, ts.NeedW, ts.NeedH)
					}
					continue
				}
				if c.Width > w || c.Height > h || len(c.Lines) > h {
					t.Fatalf("%dx%d: got %dx%d (%d lines)", w, h, c.Width, c.Height, len(c.Lines))
				}
				for _, l := range c.Lines {
					if ansi.StringWidth(l) > w {
						t.Fatalf("%dx%d: line %d wide", w, h, ansi.StringWidth(l))
					}
				}
				if c.Quiet < MinQuiet {
					t.Fatalf("%dx%d: quiet %d", w, h, c.Quiet)
				}
			}
		}
	}
}

// BenchmarkRender measures a full render of a dynamic Pix payload, QR
// encoding included: the CRC field changes every iteration, as it does from
// one sale to the next, so the one-entry symbol cache never hits.
func BenchmarkRender(b *testing.B) {
	base := pixDynamic[:len(pixDynamic)-4]
	for _, mode := range []Mode{HalfBlock, FullBlock} {
		b.Run(mode.String(), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				if _, err := Render(base+fmt.Sprintf("%04X", i&0xffff), Options{Mode: mode}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderSame measures rendering the same payload again, as a view
// does on every frame: the symbol comes from the cache and only drawing is
// paid for.
func BenchmarkRenderSame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(pixDynamic, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
