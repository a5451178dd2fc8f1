package main

import (
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"
)

// writePNG writes img as a PNG file in dir.
func writePNG(t *testing.T, dir, name string, img image.Image) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

func qrImage(t *testing.T, content string) image.Image {
	t.Helper()
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	return q.Image(400)
}

// photo turns a clean code into something like a phone's picture of a
// sticker: turned by deg degrees on a grey background, its ink uneven,
// with speckles.
func photo(src image.Image, deg float64, seed uint64) image.Image {
	b := src.Bounds()
	w, h := b.Dx()+160, b.Dy()+160
	out := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), &image.Uniform{color.Gray{Y: 170}}, image.Point{}, draw.Src)
	r := rand.New(rand.NewPCG(seed, seed))
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	sx, sy := float64(b.Dx())/2, float64(b.Dy())/2
	for y := range h {
		for x := range w {
			dx, dy := float64(x)-cx, float64(y)-cy
			u, v := cos*dx+sin*dy+sx, -sin*dx+cos*dy+sy
			if u < 0 || v < 0 || u >= float64(b.Dx()) || v >= float64(b.Dy()) {
				continue
			}
			g := color.GrayModel.Convert(src.At(b.Min.X+int(u), b.Min.Y+int(v))).(color.Gray).Y
			// Ink is 20-60, paper 200-240, and one pixel in 40 a speckle.
			val := 20 + r.IntN(40)
			if g > 128 {
				val = 200 + r.IntN(40)
			}
			if r.IntN(40) == 0 {
				val = 255 - val
			}
			out.SetGray(x, y, color.Gray{Y: uint8(val)})
		}
	}
	return out
}

func TestQRAddFromImage(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	clean := writePNG(t, dir, "alipay.png", qrImage(t, testAlipayCode))
	out := mustOK(t, till(t, db, "qr", "add", clean))
	if want := "[[qr.static]]\ncode = \"" + testAlipayCode + "\"\nlabel = \"Alipay\"\n"; out != want {
		t.Fatalf("out %q, want %q", out, want)
	}

	// A slightly turned, noisy photo of the WeChat code, added to a
	// config that has the Alipay one, then the set-up checked.
	cfg := filepath.Join(dir, "till.toml")
	if err := os.WriteFile(cfg, []byte("shop = \"Corner\"\n\n[[qr.static]]\ncode = \""+testAlipayCode+"\"\nlabel = \"Alipay\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	turned := writePNG(t, dir, "wechat.png", photo(qrImage(t, testWeChatCode), 7, 1))
	out = mustOK(t, till(t, db, "--config", cfg, "qr", "add", "--write", turned))
	if !strings.Contains(out, `added "WeChat Pay" to `+cfg) {
		t.Fatalf("out %q", out)
	}
	c, err := loadConfig(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.qr.Statics; len(s) != 2 || s[1].Code != testWeChatCode || s[1].Label != "WeChat Pay" || c.Shop != "Corner" {
		t.Fatalf("config after --write: %+v", c.qr.Statics)
	}
	// The same code again is refused and the file stays as it is.
	before, _ := os.ReadFile(cfg)
	oneLineError(t, till(t, db, "--config", cfg, "qr", "add", "--write", clean), `already has this code, labelled "Alipay"`)
	if after, _ := os.ReadFile(cfg); string(after) != string(before) {
		t.Fatal("a refused add changed the config")
	}

	// An EMV sticker's photo is checked as the config would check it:
	// in another currency it is refused.
	pp := writePNG(t, dir, "promptpay.png", photo(qrImage(t, testPromptPay), -5, 2))
	oneLineError(t, till(t, db, "qr", "add", pp), "currency 764 but the shop's is 156")
	thb := filepath.Join(dir, "thb.toml")
	if err := os.WriteFile(thb, []byte("currency = \"THB\"\ncountry = \"TH\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := till(t, filepath.Join(dir, "thb.db"), "--config", thb, "qr", "add", "--label", "PromptPay counter", pp)
	if out := mustOK(t, r); !strings.Contains(out, `label = "PromptPay counter"`) || !strings.Contains(r.err, "made dynamic for each sale") {
		t.Fatalf("out %q err %q", out, r.err)
	}

	// A JPEG photo, as a phone takes it.
	jp := filepath.Join(dir, "alipay.jpg")
	f, err := os.Create(jp)
	if err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(f, photo(qrImage(t, testAlipayCode), 4, 3), &jpeg.Options{Quality: 60}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if out := mustOK(t, till(t, db, "qr", "add", "--label", "支付宝", jp)); !strings.Contains(out, `code = "`+testAlipayCode+`"`) || !strings.Contains(out, `label = "支付宝"`) {
		t.Fatalf("jpeg: %q", out)
	}

	// Not a QR code at all.
	blank := writePNG(t, dir, "blank.png", image.NewGray(image.Rect(0, 0, 200, 200)))
	oneLineError(t, till(t, db, "qr", "add", blank), "no QR code found in the image")
	oneLineError(t, till(t, db, "qr", "add", cfg), "not a PNG or JPEG image")
}
