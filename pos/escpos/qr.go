package escpos

import (
	"fmt"
	"strings"

	"github.com/skip2/go-qrcode"
)

// qrLevel maps L/M/Q/H to the GS ( k function 169 argument (48-51).
func qrLevel(s string) (byte, error) {
	switch strings.ToUpper(s) {
	case "L":
		return 48, nil
	case "", "M":
		return 49, nil
	case "Q":
		return 50, nil
	case "H":
		return 51, nil
	}
	return 0, fmt.Errorf("printer qr level %q: want L, M, Q or H", s)
}

var rasterLevel = map[byte]qrcode.RecoveryLevel{48: qrcode.Low, 49: qrcode.Medium, 50: qrcode.High, 51: qrcode.Highest}

// QR prints data as a centred QR code: natively with GS ( k (model 2,
// module size and error correction from the profile), or as a GS v 0
// raster image drawn here for printers without it.
func (w *Writer) QR(data string) *Writer {
	if data == "" {
		return w.fail(fmt.Errorf("escpos: empty QR code"))
	}
	if len(data) > 2000 {
		return w.fail(fmt.Errorf("escpos: QR data of %d bytes: at most 2000", len(data)))
	}
	lvl, err := qrLevel(w.p.QRLevel)
	if err != nil {
		return w.fail(err)
	}
	w.Align(Center)
	if w.p.QR == QRRaster {
		w.rasterQR(data, rasterLevel[lvl])
	} else {
		size := w.p.QRModule
		if size == 0 {
			size = 6
		}
		w.qrFn(65, 50, 0) // model 2
		w.qrFn(67, byte(size))
		w.qrFn(69, lvl)
		w.qrFn(80, append([]byte{48}, data...)...) // store
		w.qrFn(81, 48)                             // print
		w.raw(LF)
	}
	return w.Align(Left)
}

// qrFn writes GS ( k pL pH cn=49 fn params.
func (w *Writer) qrFn(fn byte, params ...byte) {
	n := len(params) + 2
	w.raw(GS, '(', 'k', byte(n), byte(n>>8), 49, fn).raw(params...)
}

func (w *Writer) rasterQR(data string, level qrcode.RecoveryLevel) {
	q, err := qrcode.New(data, level)
	if err != nil {
		w.fail(fmt.Errorf("escpos: QR code: %w", err))
		return
	}
	bm := q.Bitmap() // with the 4-module quiet zone
	n := len(bm)
	scale := w.p.QRModule
	if scale == 0 {
		scale = min(8, w.p.Dots/n)
	}
	scale = min(scale, w.p.Dots/n)
	if scale < 1 {
		w.fail(fmt.Errorf("escpos: QR code of %d modules is wider than the paper", n))
		return
	}
	img := make([][]bool, n*scale)
	for y := range img {
		row := make([]bool, n*scale)
		for x := range row {
			row[x] = bm[y/scale][x/scale]
		}
		img[y] = row
	}
	w.Raster(img)
}

// Raster prints a bitmap (true = black) as one GS v 0 image, centred by
// padding to the paper width. Rows must be of equal length.
func (w *Writer) Raster(img [][]bool) *Writer {
	if len(img) == 0 || len(img) > 2303 {
		return w.fail(fmt.Errorf("escpos: image of %d rows", len(img)))
	}
	width := len(img[0])
	if width > w.p.Dots {
		return w.fail(fmt.Errorf("escpos: image %d dots wide, the paper has %d", width, w.p.Dots))
	}
	left := (w.p.Dots - width) / 2 / 8 * 8
	bpr := (left + width + 7) / 8
	w.raw(GS, 'v', '0', 0, byte(bpr), byte(bpr>>8), byte(len(img)), byte(len(img)>>8))
	row := make([]byte, bpr)
	for _, r := range img {
		if len(r) != width {
			return w.fail(fmt.Errorf("escpos: ragged image"))
		}
		clear(row)
		for x, black := range r {
			if black {
				bx := left + x
				row[bx/8] |= 0x80 >> (bx % 8)
			}
		}
		w.raw(row...)
	}
	return w.raw(LF)
}
