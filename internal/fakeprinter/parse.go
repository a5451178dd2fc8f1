// Package fakeprinter is a network receipt printer for tests: a real TCP
// listener on 127.0.0.1 that reads ESC/POS like a printer would and keeps
// what it would have printed as text lines (GB18030 decoded), cuts,
// drawer kicks, barcodes and QR codes (native GS ( k data, and raster
// GS v 0 images read back with a QR decoder). It answers DLE EOT status
// requests, and can be told to fail: refuse connections, hang up in the
// middle of a job, or report paper out.
package fakeprinter

import (
	"bytes"
	"fmt"
	"image"
	"image/color"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Kick is one drawer pulse.
type Kick struct {
	Pin         int // 2 or 5
	OnMS, OffMS int
}

// Cut is one cut of the paper.
type Cut struct {
	Partial bool
	AtLine  int // number of lines printed before it
}

// QR is one QR code printed.
type QR struct {
	Data   string
	Raster bool // drawn as a GS v 0 image (and decoded from it)
	Err    string
	Level  byte // GS ( k function 169 argument, 48-51 (native only)
	Module byte // GS ( k function 167 argument (native only)
	Model  byte // GS ( k function 165 argument (native only)
}

// Job is what a printer made of the bytes it received.
type Job struct {
	Lines    []string
	Bold     []int // indexes into Lines printed bold
	Cuts     []Cut
	Kicks    []Kick
	QRs      []QR
	Barcodes []string
	Requests []byte // DLE EOT n requests, in order
	Unknown  []string
	Bytes    int
	Inits    int
}

// Text is the printed lines joined by newlines, each trimmed on the right.
func (j Job) Text() string {
	var b bytes.Buffer
	for _, l := range j.Lines {
		b.WriteString(string(bytes.TrimRight([]byte(l), " ")))
		b.WriteByte('\n')
	}
	return b.String()
}

// parser reads ESC/POS incrementally.
type parser struct {
	job      Job
	text     []byte
	codePage int // -1: GB18030
	bold     bool
	qrStore  []byte
	qrLevel  byte
	qrModule byte
	qrModel  byte
	answer   func(n byte)
}

func newParser(answer func(n byte)) *parser { return &parser{codePage: -1, answer: answer} }

// Parse reads a whole job (without a printer to answer status requests).
func Parse(b []byte) Job {
	p := newParser(nil)
	p.feed(b)
	p.flush()
	return p.job
}

func (p *parser) flush() {
	if len(p.text) > 0 {
		p.endLine()
	}
}

func (p *parser) endLine() {
	var s string
	if p.codePage >= 0 {
		cm := charmap.CodePage437
		if p.codePage == 19 {
			cm = charmap.CodePage858
		}
		d, _ := cm.NewDecoder().Bytes(p.text)
		s = string(d)
	} else {
		d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(p.text)
		if err != nil {
			d = []byte(fmt.Sprintf("<bad GB18030 % x>", p.text))
		}
		s = string(d)
	}
	if p.bold {
		p.job.Bold = append(p.job.Bold, len(p.job.Lines))
	}
	p.job.Lines = append(p.job.Lines, s)
	p.text = p.text[:0]
}

// feed parses as much of b as forms whole commands and returns how many
// bytes it used; the rest must be fed again with more data after it.
func (p *parser) feed(b []byte) int {
	i := 0
	for i < len(b) {
		n := p.step(b[i:])
		if n == 0 {
			break
		}
		i += n
	}
	p.job.Bytes += i
	return i
}

// step parses one command or text byte at the start of b; 0 = need more.
func (p *parser) step(b []byte) int {
	need := func(n int) bool { return len(b) >= n }
	switch c := b[0]; c {
	case 0x0a:
		p.endLine()
		return 1
	case 0x0d:
		return 1
	case 0x10: // DLE
		if !need(3) {
			return 0
		}
		if b[1] == 0x04 {
			p.job.Requests = append(p.job.Requests, b[2])
			if p.answer != nil {
				p.answer(b[2])
			}
			return 3
		}
		p.job.Unknown = append(p.job.Unknown, fmt.Sprintf("DLE %#x", b[1]))
		return 2
	case 0x1b: // ESC
		if !need(2) {
			return 0
		}
		switch b[1] {
		case '@':
			p.job.Inits++
			p.codePage, p.bold = -1, false
			return 2
		case 'a', 'd', '!', '-', 'M', 'J':
			if !need(3) {
				return 0
			}
			return 3
		case 'E':
			if !need(3) {
				return 0
			}
			p.bold = b[2]&1 == 1
			return 3
		case 't':
			if !need(3) {
				return 0
			}
			p.codePage = int(b[2])
			return 3
		case 'p':
			if !need(5) {
				return 0
			}
			pin := 2
			if b[2]&1 == 1 {
				pin = 5
			}
			p.job.Kicks = append(p.job.Kicks, Kick{Pin: pin, OnMS: 2 * int(b[3]), OffMS: 2 * int(b[4])})
			return 5
		case 'i', 'm':
			p.cut(true)
			return 2
		}
		p.job.Unknown = append(p.job.Unknown, fmt.Sprintf("ESC %q", b[1]))
		return 2
	case 0x1c: // FS
		if !need(2) {
			return 0
		}
		switch b[1] {
		case '&':
			p.codePage = -1
			return 2
		case '.':
			return 2
		case '!', 'W':
			if !need(3) {
				return 0
			}
			return 3
		}
		p.job.Unknown = append(p.job.Unknown, fmt.Sprintf("FS %q", b[1]))
		return 2
	case 0x1d: // GS
		return p.gs(b)
	}
	if b[0] < 0x20 {
		p.job.Unknown = append(p.job.Unknown, fmt.Sprintf("control %#x", b[0]))
		return 1
	}
	p.text = append(p.text, b[0])
	return 1
}

func (p *parser) cut(partial bool) {
	p.flush()
	p.job.Cuts = append(p.job.Cuts, Cut{Partial: partial, AtLine: len(p.job.Lines)})
}

func (p *parser) gs(b []byte) int {
	need := func(n int) bool { return len(b) >= n }
	if !need(2) {
		return 0
	}
	switch b[1] {
	case '!', 'h', 'w', 'H', 'f', 'B':
		if !need(3) {
			return 0
		}
		return 3
	case 'V':
		if !need(3) {
			return 0
		}
		m := b[2]
		if m == 65 || m == 66 {
			if !need(4) {
				return 0
			}
			p.cut(m == 66)
			return 4
		}
		p.cut(m == 1 || m == 49)
		return 3
	case 'k':
		if !need(4) {
			return 0
		}
		m := b[2]
		if m <= 6 {
			end := bytes.IndexByte(b[3:], 0)
			if end < 0 {
				return 0
			}
			p.job.Barcodes = append(p.job.Barcodes, string(b[3:3+end]))
			return 3 + end + 1
		}
		n := int(b[3])
		if !need(4 + n) {
			return 0
		}
		data := b[4 : 4+n]
		if m == 73 && len(data) >= 2 && data[0] == '{' {
			data = data[2:]
		}
		p.job.Barcodes = append(p.job.Barcodes, string(data))
		return 4 + n
	case '(':
		if !need(5) {
			return 0
		}
		n := int(b[3]) | int(b[4])<<8
		if !need(5 + n) {
			return 0
		}
		if b[2] == 'k' && n >= 2 && b[5] == 49 {
			p.qr(b[6], b[7:5+n])
		} else {
			p.job.Unknown = append(p.job.Unknown, fmt.Sprintf("GS ( %q", b[2]))
		}
		return 5 + n
	case 'v':
		if !need(8) {
			return 0
		}
		bpr := int(b[4]) | int(b[5])<<8
		rows := int(b[6]) | int(b[7])<<8
		if !need(8 + bpr*rows) {
			return 0
		}
		p.raster(bpr, rows, b[8:8+bpr*rows])
		return 8 + bpr*rows
	}
	p.job.Unknown = append(p.job.Unknown, fmt.Sprintf("GS %q", b[1]))
	return 2
}

func (p *parser) qr(fn byte, params []byte) {
	switch fn {
	case 65:
		if len(params) > 0 {
			p.qrModel = params[0]
		}
	case 67:
		if len(params) > 0 {
			p.qrModule = params[0]
		}
	case 69:
		if len(params) > 0 {
			p.qrLevel = params[0]
		}
	case 80:
		if len(params) > 0 {
			p.qrStore = append([]byte(nil), params[1:]...)
		}
	case 81:
		p.flush()
		p.job.QRs = append(p.job.QRs, QR{Data: string(p.qrStore), Level: p.qrLevel, Module: p.qrModule, Model: p.qrModel})
	}
}

// raster draws a GS v 0 image and reads a QR code from it.
func (p *parser) raster(bpr, rows int, data []byte) {
	p.flush()
	const border = 16
	img := image.NewGray(image.Rect(0, 0, bpr*8+2*border, rows+2*border))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := 0; y < rows; y++ {
		for x := 0; x < bpr*8; x++ {
			if data[y*bpr+x/8]&(0x80>>(x%8)) != 0 {
				img.SetGray(border+x, border+y, color.Gray{})
			}
		}
	}
	q := QR{Raster: true}
	text, err := DecodeQR(img)
	if err != nil {
		q.Err = err.Error()
	}
	q.Data = text
	p.job.QRs = append(p.job.QRs, q)
}

// DecodeQR reads a QR code from an image with gozxing: as a clean
// bitmap first (a printer's raster), else searching the picture (a screen).
func DecodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil { // not a clean bitmap: look for the code
		if res, err = gzqr.NewQRCodeReader().Decode(bmp, nil); err != nil {
			return "", err
		}
	}
	return res.GetText(), nil
}
