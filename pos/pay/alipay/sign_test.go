package alipay

import (
	"net/url"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/testkeys"
)

// TestSigningStringDocExample is the example of Alipay's "自行实现签名"
// (sign without the SDK) page: the request parameters, and the
// string-to-sign the page gives for them. The page's sign value was made
// with a 1024-bit key it does not publish, so only the string is checked.
func TestSigningStringDocExample(t *testing.T) {
	biz := `{"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"},{"name":"查询","subButton":[{"actionParam":"ZFB_YECX","actionType":"out","name":"余额查询"},{"actionParam":"ZFB_LLCX","actionType":"out","name":"流量查询"},{"actionParam":"ZFB_HFCX","actionType":"out","name":"话费查询"}]},{"actionParam":"http://m.alipay.com","actionType":"link","name":"最新优惠"}]}`
	v := url.Values{}
	v.Set("app_id", "2014072300007148")
	v.Set("method", "alipay.mobile.public.menu.add")
	v.Set("charset", "GBK")
	v.Set("sign_type", "RSA2")
	v.Set("timestamp", "2014-07-24 03:07:50")
	v.Set("biz_content", biz)
	v.Set("sign", "e9zEAe4TTQ4LPLQvETPoLGXTiURcxiAKfMVQ6Hrrsx2hmyIEGvSfAQzbLxHrhyZ48wOJXTsD4FPnt+YGdK57+fP1BCbf9rIVycfjhYCqlFhbTu9pFnZgT55W+xbAFb9y7vL0MyAxwXUXvZtQVqEwW7pURtKilbcBTEW7TAxzgro=")
	v.Set("version", "1.0")
	want := `app_id=2014072300007148&biz_content=` + biz +
		`&charset=GBK&method=alipay.mobile.public.menu.add&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0`
	if got := SigningString(v); got != want {
		t.Fatalf("string to sign\n got %s\nwant %s", got, want)
	}
	// Empty values are left out; so is sign, whatever its name's order.
	v.Set("notify_url", "")
	v.Set("app_auth_token", "")
	if got := SigningString(v); got != want {
		t.Fatalf("empty values not skipped:\n%s", got)
	}
}

func TestParamsRoundTrip(t *testing.T) {
	key := testkeys.Key("app")
	c, err := NewWithKeys(Config{AppID: "2021000000000001",
		Now: func() time.Time { return time.Date(2026, 3, 1, 2, 3, 4, 0, time.UTC) }},
		key, &testkeys.Key("alipay").PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.params(MethodPrecreate, map[string]string{"out_trade_no": "T1", "subject": "a&b <c>"})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"app_id": "2021000000000001", "method": MethodPrecreate,
		"format": "JSON", "charset": "utf-8", "sign_type": "RSA2", "version": "1.0",
		"timestamp":   "2026-03-01 10:03:04", // China time
		"biz_content": `{"out_trade_no":"T1","subject":"a&b <c>"}`} {
		if got := p.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// What the gateway does: re-parse the form and verify.
	form, err := url.ParseQuery(p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if err := rsakey.Verify(&key.PublicKey, []byte(SigningString(form)), form.Get("sign")); err != nil {
		t.Fatalf("signature does not verify after the form round trip: %v", err)
	}
	form.Set("biz_content", `{"out_trade_no":"T2","subject":"a&b <c>"}`)
	if rsakey.Verify(&key.PublicKey, []byte(SigningString(form)), form.Get("sign")) == nil {
		t.Fatal("changed parameters still verify")
	}
}

func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		fen pos.Money
		s   string
	}{{1, "0.01"}, {10, "0.10"}, {100, "1.00"}, {1250, "12.50"}, {1205, "12.05"},
		{99999, "999.99"}, {100_000_000_00, "100000000.00"}} {
		got, err := FormatAmount(tc.fen)
		if err != nil || got != tc.s {
			t.Errorf("FormatAmount(%d) = %q, %v; want %q", tc.fen, got, err, tc.s)
		}
		back, err := ParseAmount(tc.s)
		if err != nil || back != tc.fen {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", tc.s, back, err, tc.fen)
		}
	}
	for _, fen := range []pos.Money{0, -1, -1250, 100_000_000_01} {
		if s, err := FormatAmount(fen); err == nil {
			t.Errorf("FormatAmount(%d) = %q, want an error", fen, s)
		}
	}
	for s, want := range map[string]pos.Money{"12.5": 1250, "12": 1200, "0.1": 10} {
		if got, err := ParseAmount(s); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "12.505", "1e3", "-1.00", "+1.00", "1,000.00", "12.", ".5", "0x10", "NaN", " 1.00"} {
		if got, err := ParseAmount(s); err == nil {
			t.Errorf("ParseAmount(%q) = %d, want an error", s, got)
		}
	}
}

func TestTime(t *testing.T) {
	at := time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)
	if got := FormatTime(at); got != "2027-01-01 00:30:00" {
		t.Fatalf("FormatTime = %q", got)
	}
	back, err := ParseTime("2027-01-01 00:30:00")
	if err != nil || !back.Equal(at) {
		t.Fatalf("ParseTime = %v, %v", back, err)
	}
}

func TestSplitResponse(t *testing.T) {
	// The object's bytes come back exactly as sent: spacing, key order
	// and \u escapes included, since the signature covers them.
	object := `{ "code":"10000","msg":"Success" ,"sub_msg":"\u4ea4\u6613","qr_code":"https:\/\/qr.alipay.com\/x"}`
	body := `{"alipay_trade_precreate_response":` + object + `,"alipay_cert_sn":"abc","sign":"c2ln"}`
	env, err := SplitResponse([]byte(body), MethodPrecreate)
	if err != nil {
		t.Fatal(err)
	}
	if string(env.Content) != object || env.Sign != "c2ln" || env.Key != "alipay_trade_precreate_response" {
		t.Fatalf("split = %q %q %q", env.Key, env.Content, env.Sign)
	}
	// Space around the colon is not part of the object.
	env, err = SplitResponse([]byte("{ \"alipay_trade_precreate_response\" :\n "+object+" ,\"sign\":\"c2ln\"}"), MethodPrecreate)
	if err != nil || string(env.Content) != object {
		t.Fatalf("spaced: %q %v", env.Content, err)
	}
	env, err = SplitResponse([]byte(`{"error_response":{"code":"40002","sub_code":"isv.invalid-method"}}`), MethodQuery)
	if err != nil || env.Key != "error_response" || env.Sign != "" {
		t.Fatalf("error_response: %+v %v", env, err)
	}
	for _, bad := range []string{``, `<html>`, `[]`, `{"other_response":{}}`, `{"alipay_trade_query_response":"x"}`,
		`{"alipay_trade_query_response":{},"sign":1}`} {
		if _, err := SplitResponse([]byte(bad), MethodQuery); err == nil {
			t.Errorf("%q split", bad)
		}
	}
}

func TestSubject(t *testing.T) {
	for in, want := range map[string]string{"Shop A/B=C&D": "Shop A B C D", "": "Till", " 小店 ": "小店"} {
		if got := Subject(in); got != want {
			t.Errorf("Subject(%q) = %q, want %q", in, got, want)
		}
	}
}
