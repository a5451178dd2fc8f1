package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/tillpos/till/internal/screenqr"
	"github.com/tillpos/till/pos/emvqr"
)

// gozxingQR reads the QR code off a captured screen with the second
// decoder the unit tests use (zbarimg is the first).
func gozxingQR(t *testing.T, screen string) string {
	t.Helper()
	img, err := screenqr.Image(screen, 4)
	if err != nil {
		t.Fatalf("%v:\n%s", err, screen)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("gozxing could not read the QR on screen: %v\n%s", err, screen)
	}
	return res.GetText()
}

// TestStaticCodesAtTheCounter (issue 12): the shop's own Alipay
// collection code is shown on the 80x24 pay screen exactly as it is,
// with the amount the customer must type, and confirmed by the cashier;
// a static EMV sticker is made dynamic for the sale: the code read off
// the screen by both decoders is a valid EMV payload carrying the amount,
// with the sticker's account kept.
func TestStaticCodesAtTheCounter(t *testing.T) {
	need(t, "tmux", "zbarimg")
	const alipay = "https://qr.alipay.com/fkx19370dcbkiwmgbxarz7e"
	sticker, err := emvqr.NewStatic(emvqr.Merchant{AccountID: "15", AccountValue: "6221234567890123",
		Name: "Till Demo Shop", City: "Shanghai", Country: "CN", MCC: "5411", Currency: "156"})
	if err != nil {
		t.Fatal(err)
	}
	stickerText, err := sticker.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, config, tender string
		check                func(t *testing.T, payload string)
	}{
		{"alipay collection code", "[qr]\nstatic = \"" + alipay + "\"\n", "Alipay (shop's code)", func(t *testing.T, payload string) {
			if payload != alipay {
				t.Fatalf("screen code %q, want the shop's code byte for byte", payload)
			}
		}},
		{"emv sticker made dynamic", "[[qr.static]]\ncode = \"" + stickerText + "\"\nlabel = \"UnionPay\"\n", "UnionPay", func(t *testing.T, payload string) {
			p, err := emvqr.Parse(payload)
			if err != nil {
				t.Fatalf("screen code %q: %v", payload, err)
			}
			if _, err := p.Check(); err != nil {
				t.Fatalf("screen code not valid: %v", err)
			}
			if acct, ok := p.Account("15"); !ok || acct.Value != "6221234567890123" || p.PointOfInitiation != "12" || p.Amount != "2.00" {
				t.Fatalf("dynamic payload %+v", p)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "till.toml")
			if err := os.WriteFile(cfg, []byte(tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "till.db")
			c := startCounter(t, db, "--config", cfg)
			c.waitFor("Scan or type a name")
			c.typeText("6900012345004")
			c.keys("Enter")
			c.waitFor("Mineral water")
			c.keys("F12")
			c.waitFor("Cash given")
			c.keys("F2")
			s := c.waitFor("WAITING FOR PAYMENT")
			zbar, zx := screenQR(t, s), gozxingQR(t, s)
			if zbar != zx {
				t.Fatalf("the decoders disagree: zbarimg %q, gozxing %q", zbar, zx)
			}
			tc.check(t, zbar)
			if tc.name == "alipay collection code" && !strings.Contains(s, "TYPES ¥2.00") {
				t.Fatalf("the customer is not told the amount to type:\n%s", s)
			}
			c.keys("p")
			c.waitFor("PAID to")
			c.keys("y")
			r := c.waitFor("Receipt 000001")
			if !strings.Contains(r, "confirmed by the cashier") || !strings.Contains(r, tc.tender) {
				t.Fatalf("receipt, want %q:\n%s", tc.tender, r)
			}
			c.quit()
			if sales := till(t, db, "sales"); !strings.Contains(sales, "1 sale(s)") {
				t.Fatalf("database:\n%s", sales)
			}
		})
	}
}
