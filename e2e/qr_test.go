package e2e

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// screenQR reads the QR code off a captured screen with zbarimg, an
// independent decoder, the way a phone reads it: capture-pane gives the
// characters without colour, so the block glyphs are the light modules
// on a dark terminal.
func screenQR(t *testing.T, screen string) string {
	t.Helper()
	need(t, "zbarimg")
	var rows []string
	for _, l := range strings.Split(screen, "\n") {
		var b strings.Builder
		for _, r := range l {
			if !strings.ContainsRune("█▀▄ ", r) {
				break
			}
			b.WriteRune(r)
		}
		if strings.ContainsRune(b.String(), '█') {
			rows = append(rows, strings.TrimRight(b.String(), " "))
		}
	}
	if len(rows) < 10 {
		t.Fatalf("no QR code on screen:\n%s", screen)
	}
	// The top row is all quiet zone: its run of blocks is the code's width.
	w := len([]rune(rows[0])) - len([]rune(strings.TrimLeft(rows[0], "█")))
	const scale, border = 4, 16
	img := image.NewGray(image.Rect(0, 0, w*scale+2*border, len(rows)*2*scale+2*border))
	for i := range img.Pix {
		img.Pix[i] = 0x20
	}
	for y, r := range rows {
		for x, c := range []rune(r)[:min(w, len([]rune(r)))] {
			for dy := 0; dy < 2*scale; dy++ {
				light := c == '█' || (dy < scale && c == '▀') || (dy >= scale && c == '▄')
				if !light {
					continue
				}
				for dx := 0; dx < scale; dx++ {
					img.SetGray(border+x*scale+dx, border+y*2*scale+dy, color.Gray{Y: 0xff})
				}
			}
		}
	}
	path := filepath.Join(t.TempDir(), "screen.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		t.Fatalf("zbarimg could not read the QR on screen: %v\n%s", err, screen)
	}
	return strings.TrimRight(string(out), "\n")
}
