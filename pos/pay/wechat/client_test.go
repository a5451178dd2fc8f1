package wechat

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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
	return fakeRoutes(t, 0, func(*http.Request) (int, string, bool) { return status, body, sign })
}

// fakeRoutes answers each request as route says, with the WeChat clock
// off the till's by skew.
func fakeRoutes(t *testing.T, skew time.Duration, route func(r *http.Request) (status int, body string, sign bool)) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body, sign := route(r)
		if sign {
			ts := strconv.FormatInt(time.Now().Add(skew).Unix(), 10)
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
		{"user paying", 200, tx("USERPAYING", 1250, "1900000109"), true, nil, pos.PaymentPaying},
		{"accepted", 200, tx("ACCEPT", 1250, "1900000109"), true, nil, pos.PaymentPaying},
		{"failed", 200, tx("PAYERROR", 1250, "1900000109"), true, nil, pos.PaymentFailed},
		// REFUND: the order was paid (money moved), never "failed".
		{"refunded", 200, tx("REFUND", 1250, "1900000109"), true, nil, pos.PaymentPaid},
		{"revoked", 200, tx("REVOKED", 1250, "1900000109"), true, nil, pos.PaymentCancelled},
		{"closed", 200, tx("CLOSED", 1250, "1900000109"), true, nil, pos.PaymentCancelled},
		{"other amount", 200, tx("SUCCESS", 1, "1900000109"), true, pay.ErrMismatch, ""},
		{"other merchant", 200, tx("SUCCESS", 1250, "1900000999"), true, pay.ErrVerify, ""},
		{"unsigned", 200, tx("SUCCESS", 1250, "1900000109"), false, pay.ErrVerify, ""},
		{"unknown state", 200, tx("HUH", 1250, "1900000109"), true, pay.ErrVerify, ""},
		{"not created", 404, `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`, true, nil, pos.PaymentShown},
		{"signature refused", 401, `{"code":"SIGN_ERROR","message":"签名错误"}`, true, pay.ErrRefused, ""},
		// Unsigned errors may be forged: the outcome stays unknown.
		{"unsigned refusal", 400, `{"code":"PARAM_ERROR","message":"x"}`, false, pay.ErrUnreachable, ""},
		{"unsigned not found", 404, `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`, false, pay.ErrUnreachable, ""},
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

// Finding 2 for WeChat: an unsigned "order not found" answer to the
// close or the query leaves the order unknown, never closed.
func TestCloseNeedsSignedConfirmation(t *testing.T) {
	tx := func(state string) string {
		return `{"appid":"wx8888888888888888","mchid":"1900000109","out_trade_no":"T1ORDER","trade_state":"` + state + `","amount":{"total":1250}}`
	}
	for _, tc := range []struct {
		name         string
		close, query func() (int, string, bool)
		state        pos.PaymentState
		want         error
	}{
		{"closed", func() (int, string, bool) { return 204, "", true }, func() (int, string, bool) { return 200, tx("CLOSED"), true }, pos.PaymentCancelled, nil},
		{"paid first", func() (int, string, bool) { return 400, `{"code":"ORDERPAID","message":"x"}`, true }, func() (int, string, bool) { return 200, tx("SUCCESS"), true }, pos.PaymentPaid, nil},
		{"still open after close", func() (int, string, bool) { return 204, "", true }, func() (int, string, bool) { return 200, tx("NOTPAY"), true }, "", pay.ErrUnreachable},
		{"forged not found", func() (int, string, bool) { return 404, `{"code":"ORDER_NOT_EXIST","message":"x"}`, false },
			func() (int, string, bool) { return 404, `{"code":"ORDER_NOT_EXIST","message":"x"}`, false }, "", pay.ErrUnreachable},
		{"signed not found", func() (int, string, bool) { return 404, `{"code":"ORDER_NOT_EXIST","message":"x"}`, true },
			func() (int, string, bool) { return 404, `{"code":"ORDER_NOT_EXIST","message":"x"}`, true }, pos.PaymentCancelled, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeRoutes(t, 0, func(r *http.Request) (int, string, bool) {
				if strings.HasSuffix(r.URL.Path, "/close") {
					return tc.close()
				}
				return tc.query()
			})
			st, err := c.Close(context.Background(), testOrder())
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) || (err == nil && st.State != tc.state) {
				t.Fatalf("close = %+v, %v; want %s, %v", st, err, tc.state, tc.want)
			}
		})
	}
}

func TestClockSkewFromTimestamps(t *testing.T) {
	body := `{"appid":"wx8888888888888888","mchid":"1900000109","out_trade_no":"T1ORDER","trade_state":"NOTPAY","amount":{"total":1250}}`
	c := fakeRoutes(t, -2*time.Minute, func(*http.Request) (int, string, bool) { return 200, body, true })
	if _, ok := c.Skew(); ok {
		t.Fatal("skew known before any answer")
	}
	if _, err := c.Query(context.Background(), testOrder()); err != nil {
		t.Fatal(err)
	}
	if d, ok := c.Skew(); !ok || d < 110*time.Second || d > 130*time.Second {
		t.Fatalf("skew = %s, %v; want the till 2m ahead", d, ok)
	}
	// Six minutes off: refused, but the skew is still known, for the warning.
	c = fakeRoutes(t, 6*time.Minute, func(*http.Request) (int, string, bool) { return 200, body, true })
	if _, err := c.Query(context.Background(), testOrder()); !errors.Is(err, pay.ErrVerify) {
		t.Fatalf("err = %v", err)
	}
	if d, ok := c.Skew(); !ok || d > -5*time.Minute {
		t.Fatalf("skew = %s, %v", d, ok)
	}
}

func TestExpiryNeverUnderAMinute(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	o := pay.Order{Expires: at.Add(30 * time.Second), Window: 30 * time.Second}
	if got := Expiry(o); !got.Equal(at.Add(time.Minute)) {
		t.Fatalf("30s order expires %s, want a minute after creation", got)
	}
	o = pay.Order{Expires: at.Add(5 * time.Minute), Window: 5 * time.Minute}
	if got := Expiry(o); !got.Equal(o.Expires) {
		t.Fatalf("5m order expires %s", got)
	}
}

func TestPlainHTTPOnlyOnLoopback(t *testing.T) {
	pub := &testkeys.Key("platform").PublicKey
	cfg := Config{AppID: "a", MchID: "m", SerialNo: "s", NotifyURL: "https://n", BaseURL: "http://api.mch.weixin.qq.com"}
	if _, err := NewWithKeys(cfg, testkeys.Key("merchant"), pub); err == nil {
		t.Fatal("plain http off loopback accepted")
	}
	cfg.BaseURL = "http://127.0.0.1:8750"
	if _, err := NewWithKeys(cfg, testkeys.Key("merchant"), pub); err != nil {
		t.Fatal(err)
	}
}

func TestPayCodeAnswers(t *testing.T) {
	paid := `{"appid":"wx8888888888888888","mchid":"1900000109","out_trade_no":"T1ORDER","transaction_id":"42","trade_state":"SUCCESS","amount":{"total":1250}}`
	for _, tc := range []struct {
		name   string
		status int
		body   string
		sign   bool
		state  pos.PaymentState
		want   error
	}{
		{"paid", 200, paid, true, pos.PaymentPaid, nil},
		{"password (202)", 202, `{"code":"USERPAYING","message":"需要用户输入支付密码"}`, true, pos.PaymentPaying, nil},
		{"password (error)", 403, `{"code":"USERPAYING","message":"需要用户输入支付密码"}`, true, pos.PaymentPaying, nil},
		{"declined", 403, `{"code":"NOTENOUGH","message":"用户余额不足"}`, true, pos.PaymentFailed, nil},
		{"unsigned decline", 403, `{"code":"NOTENOUGH","message":"用户余额不足"}`, false, "", pay.ErrUnreachable},
		{"system error", 500, `{"code":"SYSTEM_ERROR","message":"系统异常"}`, true, "", pay.ErrUnreachable},
		{"bank error", 403, `{"code":"BANKERROR","message":"银行系统异常"}`, true, "", pay.ErrUnreachable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent string
			c := fakeRoutes(t, 0, func(r *http.Request) (int, string, bool) {
				b, _ := io.ReadAll(r.Body)
				sent = r.URL.Path + " " + string(b)
				return tc.status, tc.body, tc.sign
			})
			st, err := c.PayCode(context.Background(), testOrder(), "134567890123456789")
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) || (err == nil && st.State != tc.state) {
				t.Fatalf("= %+v, %v; want %s, %v", st, err, tc.state, tc.want)
			}
			if !strings.HasPrefix(sent, "/v3/pay/transactions/codepay ") || !strings.Contains(sent, `"payer":{"auth_code":"134567890123456789"}`) ||
				!strings.Contains(sent, `"scene_info":{"store_info":{"out_id":"`) {
				t.Fatalf("sent %s", sent)
			}
		})
	}
	if _, err := fakeAPI(t, 200, paid, true).PayCode(context.Background(), testOrder(), "281234567890123456"); err == nil {
		t.Fatal("an Alipay code sent to WeChat")
	}
}

func TestRefundStates(t *testing.T) {
	ro := pay.RefundOrder{OrderNo: "T1ORDER", RequestNo: "R1", Amount: 500, Total: 1250, Reason: "too sweet"}
	answer := func(status string, amount int) string {
		return `{"refund_id":"50","out_refund_no":"R1","out_trade_no":"T1ORDER","status":"` + status +
			`","amount":{"refund":` + strconv.Itoa(amount) + `,"total":1250,"currency":"CNY"}}`
	}
	for _, tc := range []struct {
		name   string
		status int
		body   string
		sign   bool
		state  pos.WalletRefundState
		want   error
	}{
		{"success", 200, answer("SUCCESS", 500), true, pos.WalletRefunded, nil},
		{"processing", 200, answer("PROCESSING", 500), true, pos.WalletProcessing, nil},
		{"abnormal", 200, answer("ABNORMAL", 500), true, pos.WalletFailed, nil},
		{"closed", 200, answer("CLOSED", 500), true, pos.WalletFailed, nil},
		{"other amount", 200, answer("SUCCESS", 501), true, "", pay.ErrMismatch},
		{"refused", 403, `{"code":"INVALID_REQUEST","message":"订单已全额退款"}`, true, pos.WalletFailed, nil},
		{"merchant short of money", 403, `{"code":"NOT_ENOUGH","message":"基本账户余额不足"}`, true, "", pay.ErrUnreachable},
		{"unsigned refusal", 403, `{"code":"INVALID_REQUEST","message":"x"}`, false, "", pay.ErrUnreachable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent string
			c := fakeRoutes(t, 0, func(r *http.Request) (int, string, bool) {
				b, _ := io.ReadAll(r.Body)
				sent = r.URL.Path + " " + string(b)
				return tc.status, tc.body, tc.sign
			})
			st, err := c.Refund(context.Background(), ro)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) || (err == nil && st.State != tc.state) {
				t.Fatalf("= %+v, %v; want %s, %v", st, err, tc.state, tc.want)
			}
			if sent != `/v3/refund/domestic/refunds {"out_trade_no":"T1ORDER","out_refund_no":"R1","reason":"too sweet","amount":{"refund":500,"total":1250,"currency":"CNY"}}` {
				t.Fatalf("sent %s", sent)
			}
		})
	}
	c := fakeAPI(t, 404, `{"code":"RESOURCE_NOT_EXISTS","message":"退款单不存在"}`, true)
	if st, err := c.QueryRefund(context.Background(), ro); err != nil || st.State != pos.WalletPending {
		t.Fatalf("unknown refund: %+v %v", st, err)
	}
	c = fakeAPI(t, 404, `{"code":"RESOURCE_NOT_EXISTS","message":"退款单不存在"}`, false)
	if _, err := c.QueryRefund(context.Background(), ro); !errors.Is(err, pay.ErrUnreachable) {
		t.Fatalf("unsigned unknown refund: %v", err)
	}
}
