package wechat

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/testkeys"
)

// fakeAPI answers every request with status and body, signed with the
// test platform key unless sign is false.
func fakeAPI(t *testing.T, status int, body string, sign bool) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sign {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			sig, err := rsakey.Sign(testkeys.Key("platform"), []byte(ResponseMessage(ts, "N", []byte(body))))
			if err != nil {
				t.Error(err)
			}
			w.Header().Set("Wechatpay-Timestamp", ts)
			w.Header().Set("Wechatpay-Nonce", "N")
			w.Header().Set("Wechatpay-Signature", sig)
			w.Header().Set("Wechatpay-Serial", "PUB_KEY_ID_T")
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return testClient(t, func(cfg *Config) { cfg.BaseURL = srv.URL }, &testkeys.Key("platform").PublicKey)
}

func testOrder() pay.Order {
	return pay.Order{OrderNo: "T1ORDER", Amount: 1250, Currency: "CNY", Exponent: 2,
		Subject: "Shop", Expires: time.Now().Add(time.Minute)}
}

func TestQueryChecks(t *testing.T) {
	tx := func(state string, total int64, mch string) string {
		return `{"appid":"wx8888888888888888","mchid":"` + mch + `","out_trade_no":"T1ORDER","transaction_id":"42","trade_state":"` +
			state + `","amount":{"total":` + strconv.FormatInt(total, 10) + `,"currency":"CNY"}}`
	}
	for _, tc := range []struct {
		name   string
		status int
		body   string
		sign   bool
		want   error
		state  pos.PaymentState
	}{
		{"paid", 200, tx("SUCCESS", 1250, "1900000109"), true, nil, pos.PaymentPaid},
		{"waiting", 200, tx("NOTPAY", 1250, "1900000109"), true, nil, pos.PaymentShown},
		{"user paying", 200, tx("USERPAYING", 1250, "1900000109"), true, nil, pos.PaymentShown},
		{"failed", 200, tx("PAYERROR", 1250, "1900000109"), true, nil, pos.PaymentFailed},
		{"refunded", 200, tx("REFUND", 1250, "1900000109"), true, nil, pos.PaymentFailed},
		{"closed", 200, tx("CLOSED", 1250, "1900000109"), true, nil, pos.PaymentCancelled},
		{"other amount", 200, tx("SUCCESS", 1, "1900000109"), true, pay.ErrMismatch, ""},
		{"other merchant", 200, tx("SUCCESS", 1250, "1900000999"), true, pay.ErrVerify, ""},
		{"unsigned", 200, tx("SUCCESS", 1250, "1900000109"), false, pay.ErrVerify, ""},
		{"unknown state", 200, tx("HUH", 1250, "1900000109"), true, pay.ErrVerify, ""},
		{"not created", 404, `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`, true, nil, pos.PaymentShown},
		{"signature refused", 401, `{"code":"SIGN_ERROR","message":"签名错误"}`, true, pay.ErrRefused, ""},
		{"unsigned refusal", 400, `{"code":"PARAM_ERROR","message":"x"}`, false, pay.ErrRefused, ""},
		{"server error", 500, `{"code":"SYSTEM_ERROR","message":"系统异常"}`, true, pay.ErrUnreachable, ""},
		{"rate limited", 429, `{"code":"FREQUENCY_LIMITED","message":"频率超限"}`, true, pay.ErrUnreachable, ""},
		{"proxy page", 502, `<html>bad gateway</html>`, false, pay.ErrUnreachable, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeAPI(t, tc.status, tc.body, tc.sign)
			st, err := c.Query(context.Background(), testOrder())
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && st.State != tc.state {
				t.Fatalf("state = %s, want %s", st.State, tc.state)
			}
		})
	}
}

func TestCreateErrors(t *testing.T) {
	for code, want := range map[string]error{"ORDERPAID": pay.ErrPaid, "ORDER_CLOSED": pay.ErrRefused, "OUT_TRADE_NO_USED": pay.ErrRefused} {
		c := fakeAPI(t, 400, `{"code":"`+code+`","message":"x"}`, true)
		_, err := c.Create(context.Background(), testOrder())
		var e *pay.Error
		if !errors.Is(err, want) || !errors.As(err, &e) || e.Code != code {
			t.Errorf("%s: err = %v", code, err)
		}
	}
	c := fakeAPI(t, 200, `{"prepay_id":"x"}`, true)
	if _, err := c.Create(context.Background(), testOrder()); !errors.Is(err, pay.ErrVerify) {
		t.Errorf("no code_url: err = %v", err)
	}
}

func TestNewChecksConfig(t *testing.T) {
	pub := &testkeys.Key("platform").PublicKey
	for name, cfg := range map[string]Config{
		"no mchid":  {AppID: "a", SerialNo: "s", NotifyURL: "https://n"},
		"no notify": {AppID: "a", MchID: "m", SerialNo: "s"},
		"bad base":  {AppID: "a", MchID: "m", SerialNo: "s", NotifyURL: "https://n", BaseURL: "api.mch.weixin.qq.com"},
	} {
		if _, err := NewWithKeys(cfg, testkeys.Key("merchant"), pub); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(Config{AppID: "a", MchID: "m", SerialNo: "s", NotifyURL: "https://n"}); err == nil {
		t.Error("no key files accepted")
	}
}
