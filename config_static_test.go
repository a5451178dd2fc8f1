package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/pos/emvqr"
)

const (
	testAlipayCode = "https://qr.alipay.com/fkx19476kpxmkyxwnfb3c3e"
	testWeChatCode = "wxp://f2f0Lnx3yFsyhT6zUaBv3hVF9oTnkD2xWE6d"
	// A PromptPay sticker: a transfer to a phone number, no amount.
	testPromptPay = "00020101021129370016A000000677010111011300668012345675802TH530376463046197"
)

func loadTestConfig(t *testing.T, text string) (Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "till.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return loadConfig(path, true)
}

func TestConfigStaticOneCode(t *testing.T) {
	c, err := loadTestConfig(t, "[qr]\nstatic = \""+testAlipayCode+"\"\n")
	if err != nil {
		t.Fatal(err)
	}
	s := c.qr.Statics
	if len(s) != 1 || s[0].Code != testAlipayCode || s[0].Label != "Alipay" || s[0].EMV || c.qr.Demo || c.qr.HasMerchant() {
		t.Fatalf("statics %+v demo %v", s, c.qr.Demo)
	}
}

func TestConfigStaticEntries(t *testing.T) {
	c, err := loadTestConfig(t, `[qr]
expiry = "3m"
[[qr.static]]
code = "`+testAlipayCode+`"
label = "支付宝"
[[qr.static]]
code = "`+testWeChatCode+`"
[[qr.static]]
code = "https://pay.example.com/shop/42"
label = "Bank"
`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range c.qr.Statics {
		got = append(got, s.Label+"="+s.Code)
	}
	want := []string{"支付宝=" + testAlipayCode, "WeChat Pay=" + testWeChatCode, "Bank=https://pay.example.com/shop/42"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// An EMV sticker is recognised by its format and CRC; the notes say what
// each sale changes.
func TestConfigStaticEMVSticker(t *testing.T) {
	c, err := loadTestConfig(t, "currency = \"THB\"\ncountry = \"TH\"\nterminal = \"LANE2\"\n[qr]\nstatic = \""+testPromptPay+"\"\n")
	if err != nil {
		t.Fatal(err)
	}
	s := c.qr.Statics
	if len(s) != 1 || !s[0].EMV || s[0].Label != "PromptPay" {
		t.Fatalf("statics %+v", s)
	}
	notes := strings.Join(c.qrNotes, "\n")
	for _, want := range []string{`static code "PromptPay": PromptPay sticker`, `01 (point of initiation method): "11" -> "12"`,
		`54 (transaction amount) added: "1.00"`, "63 (CRC) recomputed", "every other field kept byte for byte"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestConfigStaticRefused(t *testing.T) {
	bad := strings.Replace(testPromptPay, "6197", "6198", 1)
	for name, tc := range map[string]struct{ text, want string }{
		"currency":   {"[qr]\nstatic = \"" + testPromptPay + "\"\n", "currency 764 but the shop's is 156 (CNY)"},
		"crc":        {"currency = \"THB\"\n[qr]\nstatic = \"" + bad + "\"\n", "checksum mismatch"},
		"not a code": {"[qr]\nstatic = \"hello there\"\n", "neither an EMV QR payload"},
		"empty":      {"[qr]\nstatic = \" \"\n", "the code is empty"},
		"same label": {"[[qr.static]]\ncode = \"" + testAlipayCode + "\"\n[[qr.static]]\ncode = \"https://qr.alipay.com/other\"\n", `label "Alipay" is used twice`},
		"unknown":    {"[[qr.static]]\ncode = \"" + testAlipayCode + "\"\nlable = \"x\"\n", `unknown setting "lable"`},
		"number":     {"[qr]\nstatic = 5\n", "want static ="},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadTestConfig(t, tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

// A UnionPay shop: a primitive account 15 and its Chinese name in tag 64.
func TestConfigUnionPayAndLanguage(t *testing.T) {
	c, err := loadTestConfig(t, `[qr]
account_id = "15"
account = "3123456789012345"
merchant_name = "BEST SHOP"
merchant_city = "BEIJING"
language = "ZH"
merchant_name_local = "最佳商店"
merchant_city_local = "北京"
`)
	if err != nil {
		t.Fatal(err)
	}
	m := c.qr.Merchant
	if !c.qr.HasMerchant() || m.AccountID != "15" || m.AccountValue != "3123456789012345" || m.Language != "ZH" || m.NameLocal != "最佳商店" || m.CityLocal != "北京" {
		t.Fatalf("merchant %+v", m)
	}
	p, err := emvqr.BuildDynamic(m, emvqr.Sale{Amount: 100, Exponent: 2})
	if err != nil {
		t.Fatal(err)
	}
	d, err := emvqr.Decode(p)
	if err != nil || d.Language == nil || d.Language.City != "北京" {
		t.Fatalf("%q: %+v %v", p, d, err)
	}
	if _, err := loadTestConfig(t, "[qr]\naccount = \"3123456789012345\"\n"); err == nil || !strings.Contains(err.Error(), "account needs account_id") {
		t.Fatalf("account without id: %v", err)
	}
	if _, err := loadTestConfig(t, "[qr]\naccount_id = \"15\"\naccount = \"31234\"\nguid = \"x\"\n"); err == nil {
		t.Fatal("a primitive account with a GUID was accepted")
	}
}
