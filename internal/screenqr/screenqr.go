// Package screenqr turns a captured terminal screen back into the picture
// a phone's camera would see, so tests can decode the QR code that Till
// actually drew rather than trust the encoder.
package screenqr

import (
	"errors"
	"image"
	"image/color"
	"strings"
)

// Image finds the QR code at the left of a screen captured without
// colour (tmux capture-pane, or a view with its escape codes stripped) and
// draws it: the block characters are the light modules, as the glyphs
// are drawn in the light foreground; everything else is a dark terminal.
// Each character cell becomes scale pixels wide and 2*scale high.
func Image(screen string, scale int) (*image.Gray, error) {
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
		return nil, errors.New("no QR code on the screen")
	}
	// The top row is all quiet zone: its run of full blocks is the code's
	// width; whatever follows on the right is other text (the pay
	// screen's big amount is drawn in blocks too).
	w := len([]rune(rows[0])) - len([]rune(strings.TrimLeft(rows[0], "█")))
	border := 4 * scale
	img := image.NewGray(image.Rect(0, 0, w*scale+2*border, len(rows)*2*scale+2*border))
	for i := range img.Pix {
		img.Pix[i] = 0x20
	}
	for y, r := range rows {
		cells := []rune(r)
		for x := 0; x < min(w, len(cells)); x++ {
			c := cells[x]
			for dy := 0; dy < 2*scale; dy++ {
				if c != '█' && !(dy < scale && c == '▀') && !(dy >= scale && c == '▄') {
					continue
				}
				for dx := 0; dx < scale; dx++ {
					img.SetGray(border+x*scale+dx, border+y*2*scale+dy, color.Gray{Y: 0xff})
				}
			}
		}
	}
	return img, nil
}
