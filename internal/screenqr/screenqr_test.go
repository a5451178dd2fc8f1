package screenqr

import (
	"strings"
	"testing"
)

func TestImage(t *testing.T) {
	if _, err := Image("no code here\njust text", 2); err == nil {
		t.Fatal("text taken for a QR code")
	}
	// 12 rows of a 4-cell-wide code, then panel text to its right.
	screen := strings.Repeat("████ Shop\n", 1) + strings.Repeat("█▀▄  more text █\n", 11)
	img, err := Image(screen, 2)
	if err != nil {
		t.Fatal(err)
	}
	border := 8
	if got := img.Bounds().Dx(); got != 4*2+2*border {
		t.Fatalf("width %d: the panel text was read as code", got)
	}
	// Row 1, cell 1 is '▀': light on top, dark below.
	top, bottom := img.GrayAt(border+2, border+4).Y, img.GrayAt(border+2, border+4+2).Y
	if top != 0xff || bottom != 0x20 {
		t.Fatalf("upper half block drawn %x/%x", top, bottom)
	}
}
