package e2e

import (
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/internal/screenqr"
)

// screenQR reads the QR code off a captured screen with zbarimg, an
// independent decoder, the way a phone reads it: capture-pane gives the
// characters without colour, so the block glyphs are the light modules
// on a dark terminal.
func screenQR(t *testing.T, screen string) string {
	t.Helper()
	need(t, "zbarimg")
	img, err := screenqr.Image(screen, 4)
	if err != nil {
		t.Fatalf("%v:\n%s", err, screen)
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
