package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // a photographed sticker
	_ "image/png"  // a scanned one
	"os"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/emvqr"
	"github.com/tillpos/till/pos/register"
)

var qrCmd = command{
	name:    "qr",
	usage:   "decode PAYLOAD | check | add [--label L] [--write] IMAGE",
	short:   i18n.N("check an EMV QR payload, the shop's QR set-up, or read a sticker's code from a photo"),
	summary: i18n.N("decode an EMV QR payload and print its fields; check the [qr] set-up (what each sale changes in a static EMV sticker); add the shop's static code from a photo or scan"),
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		strictFlag := fs.Bool("strict", false, "decode: also require every data object EMVCo makes mandatory, whatever the scheme allows")
		label := fs.String("label", "", "add: the code's label (default: the wallet or scheme recognised)")
		write := fs.Bool("write", false, "add: append the entry to the config file instead of printing it")
		return func(e *env, args []string) error {
			switch {
			case len(args) == 2 && args[0] == "decode":
				return qrDecode(e, args[1], *strictFlag)
			case len(args) == 1 && args[0] == "check":
				return qrCheck(e)
			case len(args) == 2 && args[0] == "add":
				return qrAdd(e, args[1], *label, *write)
			}
			return fmt.Errorf("%w: till qr decode PAYLOAD | till qr check | till qr add [--label L] [--write] IMAGE", errUsage)
		}
	},
}

func qrDecode(e *env, payload string, strict bool) error {
	p, err := emvqr.Parse(payload)
	if err != nil {
		return e.p.Errorf("qr payload: %w", err)
	}
	named, err := p.Describe()
	if err != nil {
		return e.p.Errorf("qr payload: %w", err)
	}
	printFields(e.stdout, e.p, named)
	v, err := p.Check()
	if err != nil {
		if sc := p.Scheme(); sc != nil {
			return e.p.Errorf("qr payload is readable but not a valid %s code: %w", sc.Name, err)
		}
		return e.p.Errorf("qr payload is readable but not valid EMV: %w", err)
	}
	e.p.Fprintf(e.stdout, "%s, CRC correct\n", qrVerdict(e.p, v))
	if v.Strict != nil && strict {
		return e.p.Errorf("qr payload is valid for %s but not strict EMV: %w", v.Scheme.Name, v.Strict)
	}
	return nil
}

// qrCheck prints the QR set-up the config check accepted: the till's own
// merchant account, the online provider, and each static code with what
// every sale changes in an EMV sticker.
func qrCheck(e *env) error {
	q := e.cfg.qr
	switch {
	case q.Demo:
		fmt.Fprintln(e.stdout, e.p.T("offline QR: the demo account (no money can move); set [qr] in the config"))
	case q.HasMerchant():
		id := q.Merchant.AccountID
		what := q.Merchant.GUID
		if q.Merchant.AccountValue != "" {
			what = emvqr.Network(id)
		}
		e.p.Fprintf(e.stdout, "offline QR: the till's own dynamic EMV code, merchant account %s (%s)\n", id, what)
	}
	if e.cfg.provider != "" {
		e.p.Fprintf(e.stdout, "online QR: %s\n", e.cfg.provider)
	}
	for _, n := range e.cfg.qrNotes {
		fmt.Fprintln(e.stdout, n)
	}
	if !q.HasMerchant() && len(q.Statics) > 0 {
		e.p.Fprintf(e.stdout, "offline QR without a choice of code uses %q\n", q.Statics[0].Label)
	}
	return nil
}

// qrAdd reads the code from a photographed or scanned sticker, checks it
// as the config would, and prints the [[qr.static]] entry (or appends it
// to the config file with --write).
func qrAdd(e *env, path, label string, write bool) error {
	code, err := decodeQRImage(e, path)
	if err != nil {
		return e.p.Errorf("%s: %w", path, err)
	}
	sc := register.StaticCode{Code: code, Label: strings.TrimSpace(label)}
	kind, changes, err := e.cfg.recogniseStatic(&sc)
	if err != nil {
		return e.p.Errorf("%s: %w", path, err)
	}
	for _, have := range e.cfg.qr.Statics {
		if have.Code == sc.Code {
			return e.p.Errorf("%s: the config already has this code, labelled %q", path, have.Label)
		}
		if have.Label == sc.Label {
			return e.p.Errorf("%s: the config already has a code labelled %q: give this one another with --label", path, sc.Label)
		}
	}
	entry := fmt.Sprintf("[[qr.static]]\ncode = %s\nlabel = %s\n", strconv.Quote(sc.Code), strconv.Quote(sc.Label))
	e.p.Fprintf(e.stderr, "%s: %s\n", path, kind)
	for _, ch := range changes {
		fmt.Fprintln(e.stderr, "  "+ch)
	}
	if !write {
		fmt.Fprint(e.stdout, entry)
		return nil
	}
	old, err := os.ReadFile(e.cfgPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return e.p.Errorf("config %s: %w", e.cfgPath, err)
	}
	var raw map[string]any
	if _, err := toml.Decode(string(old), &raw); err == nil {
		if qr, ok := raw["qr"].(map[string]any); ok {
			if _, one := qr["static"].(string); one {
				return e.p.Errorf("config %s has static = \"…\": write it as a [[qr.static]] entry first, then add this one:\n%s", e.cfgPath, entry)
			}
		}
	}
	var buf bytes.Buffer
	buf.Write(old)
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		buf.WriteByte('\n')
	}
	if len(old) > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteString(entry)
	// The new file must load as the counter will load it.
	tmp := e.cfgPath + ".new"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return e.p.Errorf("config: %w", err)
	}
	if _, err := loadConfig(tmp, true); err != nil {
		os.Remove(tmp)
		return e.p.Errorf("the config with this code would not load, so it is unchanged: %w", err)
	}
	if err := os.Rename(tmp, e.cfgPath); err != nil {
		os.Remove(tmp)
		return e.p.Errorf("config: %w", err)
	}
	e.p.Fprintf(e.stdout, "added %q to %s\n", sc.Label, e.cfgPath)
	return nil
}

// decodeQRImage reads the QR code in a PNG or JPEG photo or scan.
func decodeQRImage(e *env, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", e.p.Errorf("not a PNG or JPEG image: %w", err)
	}
	// A photo is tried as it is, then averaged down (which smooths the
	// grain and speckles of a phone's picture, and brings a large photo to
	// the size the finder patterns are looked for at), each with the local
	// and the global threshold.
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	var last error
	for _, k := range []int{1, 2, 3, 4, 6, 8} {
		g := shrink(img, k)
		if g.Bounds().Dx() < 21 || g.Bounds().Dy() < 21 {
			break
		}
		src := gozxing.NewLuminanceSourceFromImage(g)
		for _, bin := range []gozxing.Binarizer{gozxing.NewHybridBinarizer(src), gozxing.NewGlobalHistgramBinarizer(src)} {
			bmp, err := gozxing.NewBinaryBitmap(bin)
			if err != nil {
				return "", err
			}
			res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
			if err == nil {
				return res.GetText(), nil
			}
			last = err
		}
	}
	return "", e.p.Errorf("%w (%v): photograph the sticker straight on, filling most of the picture", errNoImage, last)
}

// shrink returns img in grey, each k by k block averaged into one pixel.
func shrink(img image.Image, k int) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			sum := 0
			for j := range k {
				for i := range k {
					sum += int(color.GrayModel.Convert(img.At(b.Min.X+x*k+i, b.Min.Y+y*k+j)).(color.Gray).Y)
				}
			}
			out.SetGray(x, y, color.Gray{Y: uint8(sum / (k * k))})
		}
	}
	return out
}
