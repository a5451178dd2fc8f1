package wechat

import (
	"crypto/rsa"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/testkeys"
)

// docTestKey is apiclient_test_key.pem from WeChat Pay's APIv3 signature
// documentation ("签名生成"), where it is published as a sample that is
// not a real merchant key. It is here only so the documented signatures
// below can be reproduced byte for byte; Till's own tests make their keys
// at run time.
const docTestKey = `-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAptpm+qvIDCh/9wjU26SQCK26ogYkBhDrYxnAaw2JbbBsp1oD
bHKk+1r381NeBUG2HEFAuU+Fr72u5ot3yKdzoF/FajAzQNKnm569/D3upKoi8mYB
aST15Uig8j8qoUW1U217LL0jEHlSnHV3lcaDTXqDpTRR4Bfz9IqOgJgFZ8/oTfEo
mSrjrLYef81Eyxr7ZIMQXEKKEK7V4UXKS0+/fDsiG/cXidhzt8UbTL9vqXqxM2+I
DImyO+FAc/tkBG55LmzxPto1Nq0WbnZzRM/wTzrd0I/8NlevxtFbphg4evlHjFNI
7+GrqR87ViEwuAJJ9Je5QQjct5YJfFRWiZ5CMQIDAQABAoIBAGBi/GhEgezcHIg1
ltlHaFlLGuxsRbUnYwM9phVxnXk7GJlYe2/TjpERjPkIqOC6hBwwadZjJORP3FCc
Mtc8PKRhjuZ377O7vU0915x2nnyLOGL1IE2AJ3iLi0ZFzTea0FPgg+5lWHM00s9F
YI6qPcGtS41M+xtMWwZiYE3TBBRibHiY8ugGyaNAhiMKehyW05uApjlIF55wwCGx
BkyESJpGRR/6853iHke6Ge+xVcMa9QmQdoH0QqL/8kT28PL568mJJr0Ow/83t4+d
Pe70YPzKAxgUnaDsHJqO+b8qH69AEs8rTI5h2Mon6pH+bJT66KUoiXhn+Kf+4LSs
henRP10CgYEA1QJSfuFOWVRjrg3N/rAIc/Ak84BTZavbyrkqBSuoTs9i/nMI/hOz
VxpDntg7Bx2Tctl6sZO3GioTxKdc/YYaTKci1TKBbeginpsqEQVgwkMCy8HpvUmR
fyAMqLwZC4h9+j+NiZtuoFJDTCgv+WYbasX+kWYEUM21bnSYuO7yEQsCgYEAyIdP
r9uzqPgzN34Tmx+CNTa16VjhBh+zkBtXRLDLhWBeIYxoYNJARD98Pb1XZdvpkZZW
Sk7MfaKo2/DomzyyyB/MbHWwAdFi3yb4y7uMJfyC1MzdUSNN3Vp579hJxHkJ+nN4
Ys76yfcEeVOLnvUT1Z0KKCdIWRdT1Lgi+X1itzMCgYBJUXlPzwGG4fNFj97d0X23
Wmt9nSgXkOYgi0eZbAOMzPmIF9R6kBFk49dur4Lx2g5Ms+r1gKC/0sfnIqxxX11i
EQ1+UNoYGJUB/uql3TIG68XkmKR50P7RwRhaZBRC0gJ6xrFTMjsL2ATuC88niyvY
vrn3FiRaI9RVZrDCxwxvLQKBgEXW4okEAqGBuAzGqztmkOnJoTehDdYdKmOxMgap
cGiGdKJIjX3THDDoz3ONQyglnEZpTqpYoV3MTfU0BT8zt6x9bqwDnQY1D7NalmIW
cqw0Mri8lQQSQKcsQLWo5aA466G/n5kCL1Qx5OwAjesRvhOyuvvbGpZ0ymyWqQ+t
fLkDAoGATcul1L8y5D/wNVP1GXbXMZfBsFP3bbqy8c+Ashm6g8OLm2mGNntd5Z6h
1KkID7Yksh+dZ6t7XaPBtGACXX5Eryr537JVvdX8hAVCp5HVtaN/9VBVP8Ka2e4s
VS/xeNgOMQ7uzhRPBJ8HiTmdI1nHhDnYQpGiBgQn0Z5RAkSvFMk=
-----END RSA PRIVATE KEY-----`

// docPlatformKey is the WeChat Pay public key of the documentation's
// response-verification example.
const docPlatformKey = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwXNI6sdlknHBnK8Fu2U6
Cwor9qY747jP8KAfeBMeveEt1TqaHkLfaSD07trZLhGpfs8/AHqjhgSMO1O10YQW
OrrJ4hjIWPKqxbgrYMkBQc+mwdiWp4W3ByCqxBRagCveCXRWCmuJYovl9H/bsDI0
iGbpVtEOghJtfciisYSgxcLufUDTRkvwxjIBK1pCRjk33jJ5YTBWTHMRtMAOcFLN
F6hdEYdX8SPsgHHeLZ5Lv2T/686w1xtgCHef/sd4uSfWmyzsalQdHG/e4IyYmrhx
+O3VBoNDzE3nx23bFeV/RVNCG7cV6VhmYokJNHa/erIPkEmEFID6A5wQOXuxUkmJ
WwIDAQAB
-----END PUBLIC KEY-----`

const (
	docTimestamp = "1554208460"
	docNonce     = "593BEC0C930BF1AFEB40B4A08C8FB242"
)

// TestRequestMessageDocExample is the documentation's step-by-step
// string for GET https://api.mch.weixin.qq.com/v3/certificates.
func TestRequestMessageDocExample(t *testing.T) {
	got := RequestMessage("GET", "/v3/certificates", docTimestamp, docNonce, "")
	want := "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
	if got != want {
		t.Fatalf("message\n got %q\nwant %q", got, want)
	}
}

// TestDocumentedRequestSignatures signs the documentation's sample
// requests with its sample key and must reproduce its signatures
// exactly (PKCS #1 v1.5 signatures are deterministic).
func TestDocumentedRequestSignatures(t *testing.T) {
	key, err := rsakey.ParsePrivate([]byte(docTestKey))
	if err != nil {
		t.Fatal(err)
	}
	jsapi := `{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}`
	for _, tc := range []struct{ method, url, body, sig string }{
		{"GET", "/v3/refund/domestic/refunds/123123123123", "",
			"Lc9VXxmeonkdV8Xk9tmigQFLhl0vRWTerdmoRu01aAnYwIrD/5nsSwE1WlmZGLRlAFTNQ3QsMa0+VRDlJp1Wp5p0nO8EK68b5sJBbjouxaFciIfq1zfDWWz+jqhcMoKXI1A6dPm1AW7D4d30WsMTNzp6g23OXakIsh9LO3lUmwvTuE0BY8ncf6tNGk4wKmvXwERd/ZpoQY3MAVKz+Nakwc+2XBmzT66KcUehU5kr4IvGa/lEU5RZb/q00zP9VLdBhC/jQSX3X1UcJLCtEc4gTmib4tnmAT+bHF/e17ZAuxDNcx6rqT8gNEXqaJGG+1OflMSTU2tpyG65G4dMKdFcoA=="},
		{"POST", "/v3/pay/transactions/jsapi", jsapi,
			"gEuexJ547PHFV77TQ6eiE4tphVYfWfUe1Wc2dBmVnoMYU2rl/M4zhw+b3vBhuMw6AC7pteNkryLA7UWU2h+umo0OdSuuLm1++O3NckQPCSfm6dypsjn4GYm84KMqXWFrhFmyxEwIdEJDr3w1UYfxOcu55OQupfLkrt/ZzuOspnliJFrPzGQFUk7lGqMMtpz3EfbDUNxnVsHblORg3hVmuYNmbGWnS2ovU30Y2Q+iKFDxzkaXBk8LTy6HzvxizRo6Q+J4SVM7O0hKXfgo1QdI68kpzNULb3EVBXlhTyPUzhkHzzLxECL1qHl3HH2hEv8++C+4wBlsagF3j/O6PABojA=="},
		{"GET", `/v3/marketing/partnerships?limit=5&offset=10&authorized_data%3D%7B%22business_type%22%3A%22FAVOR_STOCK%22%2C%20%22stock_id%22%3A%222433405%22%7D&partner%3D%7B%22type%22%3A%22APPID%22%2C%22appid%22%3A%22wx4e1916a585d1f4e9%22%2C%22merchant_id%22%3A%222480029552%22%7D`, "",
			"C9PrZx8RTw7NF+e6SLmZxKgUBdXjH6EmUiu1i85Y6MApfWn4ueNpS4ED5no6uGObU0cfzTdaWyl6gAWDmyO2nG3MjHursadpzpNT8d+HaZapKis+boTHwJLgZXHXtacjX4zx2lOk/AONrKCLkjXRnh/DDp/kNsmDNYEiu+d/SeVvr+cL0XkL0CibAphyQSLYkv7Fh9uel89ax3ZGgVnBx+/MaBLCrYc1UqyYBDqfWPhS9fZf2OSghWMFp9c5dm+ORc97XbgzSOwAl8dcfLSrL/Sb4+L57+JZiq0iURjMXWzAD8FTUFYsJtJOYszRXJKLZNh4WGST39oplhhSdtxcoQ=="},
	} {
		got, err := rsakey.Sign(key, []byte(RequestMessage(tc.method, tc.url, docTimestamp, docNonce, tc.body)))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.sig {
			t.Errorf("%s %s: signature\n got %s\nwant %s", tc.method, tc.url, got, tc.sig)
		}
	}
}

// TestDocumentedResponseSignature verifies the documentation's sample
// Native response with its sample WeChat Pay public key.
func TestDocumentedResponseSignature(t *testing.T) {
	pub, err := rsakey.ParsePublic([]byte(docPlatformKey))
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}`)
	sig := "mfI1CPqvBrgcXfgXMFjdNIhBf27ACE2YyeWsWV9ZI7T7RU0vHvbQpu9Z32ogzc+k8ZC5n3kz7h70eWKjgqNdKQF0eRp8mVKlmfzMLBVHbssB9jEZEDXThOX1XFqX7s7ymia1hoHQxQagPGzkdWxtlZPZ4ZPvr1RiqkgAu6Is8MZgXXrRoBKqjmSdrP1N7uxzJ/cjfSiis9FiLjuADoqmQ1P7p2N876YPAol7Rn0+GswwAwxldbdLrmVSjfytfSBJFqTMHn4itojgxSWWN1byuckQt8hSTEv/Lg97QoeGniYP17T80pJeQyL3b+295FPHSO2AtvCgyIbKMZ0BALilAA=="
	msg := ResponseMessage("1722850421", "d824f2e086d3c1df967785d13fcd22ef", body)
	if err := rsakey.Verify(pub, []byte(msg), sig); err != nil {
		t.Fatalf("documented response does not verify: %v", err)
	}
	tampered := ResponseMessage("1722850421", "d824f2e086d3c1df967785d13fcd22ef", []byte(strings.Replace(string(body), "JyC91", "JyC92", 1)))
	if rsakey.Verify(pub, []byte(tampered), sig) == nil {
		t.Fatal("tampered body verifies")
	}

	// The client's own check, with its clock at the response's time.
	c := testClient(t, func(cfg *Config) {
		cfg.Now = func() time.Time { return time.Unix(1722850421, 0) }
	}, pub)
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", "1722850421")
	h.Set("Wechatpay-Nonce", "d824f2e086d3c1df967785d13fcd22ef")
	h.Set("Wechatpay-Signature", sig)
	h.Set("Wechatpay-Serial", "PUB_KEY_ID_DOC")
	if err := c.verify(h, body); err != nil {
		t.Fatalf("client verify: %v", err)
	}
}

func testClient(t *testing.T, edit func(*Config), platform *rsa.PublicKey) *Client {
	t.Helper()
	cfg := Config{AppID: "wx8888888888888888", MchID: "1900000109", SerialNo: "SERIAL", NotifyURL: "https://shop.example/notify"}
	if edit != nil {
		edit(&cfg)
	}
	c, err := NewWithKeys(cfg, testkeys.Key("merchant"), platform)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestVerifyRefuses(t *testing.T) {
	platform := testkeys.Key("platform")
	now := time.Unix(1_700_000_000, 0)
	c := testClient(t, func(cfg *Config) {
		cfg.Now = func() time.Time { return now }
		cfg.PlatformSerial = "PUB_KEY_ID_OK"
	}, &platform.PublicKey)
	body := []byte(`{"trade_state":"SUCCESS"}`)
	signed := func(ts int64, serial string, key *rsa.PrivateKey, body []byte) http.Header {
		t.Helper()
		tss := strconv.FormatInt(ts, 10)
		sig, err := rsakey.Sign(key, []byte(ResponseMessage(tss, "N1", body)))
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set("Wechatpay-Timestamp", tss)
		h.Set("Wechatpay-Nonce", "N1")
		h.Set("Wechatpay-Signature", sig)
		h.Set("Wechatpay-Serial", serial)
		return h
	}
	if err := c.verify(signed(now.Unix(), "PUB_KEY_ID_OK", platform, body), body); err != nil {
		t.Fatalf("good response refused: %v", err)
	}
	for name, tc := range map[string]struct {
		h    http.Header
		body []byte
	}{
		"unsigned":      {http.Header{}, body},
		"other serial":  {signed(now.Unix(), "PUB_KEY_ID_OTHER", platform, body), body},
		"other key":     {signed(now.Unix(), "PUB_KEY_ID_OK", testkeys.Key("merchant"), body), body},
		"stale":         {signed(now.Add(-6*time.Minute).Unix(), "PUB_KEY_ID_OK", platform, body), body},
		"from future":   {signed(now.Add(6*time.Minute).Unix(), "PUB_KEY_ID_OK", platform, body), body},
		"tampered body": {signed(now.Unix(), "PUB_KEY_ID_OK", platform, body), []byte(`{"trade_state":"NOTPAY"}`)},
	} {
		if err := c.verify(tc.h, tc.body); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAuthorization(t *testing.T) {
	h := Authorization("1900007291", docNonce, docTimestamp, "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB", "c2ln")
	want := `WECHATPAY2-SHA256-RSA2048 mchid="1900007291",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",timestamp="1554208460",serial_no="408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",signature="c2ln"`
	if h != want {
		t.Fatalf("header\n got %s\nwant %s", h, want)
	}
	f, err := ParseAuthorization(h)
	if err != nil || f["mchid"] != "1900007291" || f["signature"] != "c2ln" || f["serial_no"] != "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB" {
		t.Fatalf("parse: %v %v", f, err)
	}
	for _, bad := range []string{
		"",
		`Bearer x`,
		`WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="2",timestamp="3",serial_no="4"`,
		`WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str="2",timestamp="3",serial_no="4",signature="5"`,
		`WECHATPAY2-SHA256-RSA2048 mchid="1",mchid="1",nonce_str="2",timestamp="3",serial_no="4",signature="5"`,
	} {
		if _, err := ParseAuthorization(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestDescription(t *testing.T) {
	long := strings.Repeat("货", 200)
	if got := []rune(Description(long)); len(got) != 127 {
		t.Errorf("long description keeps %d characters", len(got))
	}
	if Description("  ") != "Till" || Description("a\nb") != "a b" {
		t.Error("description not cleaned")
	}
}
