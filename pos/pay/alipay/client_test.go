package alipay

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/testkeys"
)

// fakeGateway answers every method with a canned response object,
// signed with the test Alipay key unless sign is false.
func fakeGateway(t *testing.T, status int, objects map[string]string, sign bool) (*Client, *[]string) {
	t.Helper()
	var called []string
	bizContent = map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		m := r.Form.Get("method")
		called = append(called, m)
		bizContent[m] = r.Form.Get("biz_content")
		obj, ok := objects[m]
		if status != http.StatusOK || !ok {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(obj))
			return
		}
		// "unsigned:" sends one object without a signature; "unescaped:"
		// signs its text with the JSON \/ escapes undone.
		signIt, signed := sign, obj
		if rest, ok := strings.CutPrefix(obj, "unsigned:"); ok {
			obj, signIt, signed = rest, false, rest
		}
		if rest, ok := strings.CutPrefix(obj, "unescaped:"); ok {
			obj, signed = rest, strings.ReplaceAll(rest, `\/`, `/`)
		}
		body := `{"` + ResponseKey(m) + `":` + obj
		if signIt {
			sig, err := rsakey.Sign(testkeys.Key("alipay"), []byte(signed))
			if err != nil {
				t.Error(err)
			}
			body += `,"sign":"` + sig + `"`
		}
		_, _ = w.Write([]byte(body + "}"))
	}))
	t.Cleanup(srv.Close)
	c, err := NewWithKeys(Config{AppID: "2021000000000001", Gateway: srv.URL + "/gateway.do"},
		testkeys.Key("app"), &testkeys.Key("alipay").PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return c, &called
}

// bizContent is the last biz_content fakeGateway saw, per method.
var bizContent map[string]string

func testOrder() pay.Order {
	return pay.Order{OrderNo: "T1ORDER", Amount: 1250, Currency: "CNY", Exponent: 2,
		Subject: "Shop", Expires: time.Now().Add(time.Minute)}
}

func TestQueryChecks(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
		object string
		sign   bool
		want   error
		state  pos.PaymentState
	}{
		{"paid", 200, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_no":"2026","trade_status":"TRADE_SUCCESS","total_amount":"12.50"}`, true, nil, pos.PaymentPaid},
		{"other amount", 200, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"TRADE_SUCCESS","total_amount":"12.49"}`, true, pay.ErrMismatch, ""},
		{"unsigned success", 200, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"TRADE_SUCCESS","total_amount":"12.50"}`, false, pay.ErrVerify, ""},
		{"other order", 200, `{"code":"10000","msg":"Success","out_trade_no":"T2ORDER","trade_status":"TRADE_SUCCESS","total_amount":"12.50"}`, true, pay.ErrVerify, ""},
		{"unknown status", 200, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"HUH"}`, true, pay.ErrVerify, ""},
		{"not scanned yet", 200, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`, true, nil, pos.PaymentShown},
		// An unsigned error may be forged: the outcome stays unknown.
		{"unsigned not found", 200, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`, false, pay.ErrUnreachable, ""},
		{"closed", 200, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"TRADE_CLOSED"}`, true, nil, pos.PaymentCancelled},
		{"open past the till's deadline", 200, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"WAIT_BUYER_PAY"}`, true, nil, pos.PaymentShown},
		{"signed over unescaped text", 200, `unescaped:{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_no":"2026","trade_status":"TRADE_SUCCESS","total_amount":"12.50","buyer_logon_id":"a\/b"}`, true, nil, pos.PaymentPaid},
		{"busy", 200, `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"aop.unknow-error"}`, true, pay.ErrUnreachable, ""},
		{"system error", 200, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.SYSTEM_ERROR"}`, true, pay.ErrUnreachable, ""},
		{"refused", 200, `{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}`, true, pay.ErrRefused, ""},
		{"bad gateway", 502, `<html>bad gateway</html>`, false, pay.ErrUnreachable, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeGateway(t, tc.status, map[string]string{MethodQuery: tc.object}, tc.sign)
			o := testOrder()
			if strings.Contains(tc.name, "deadline") {
				o.Expires = time.Now().Add(-time.Hour)
			}
			st, err := c.Query(ctx, o)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && st.State != tc.state {
				t.Fatalf("state = %s, want %s", st.State, tc.state)
			}
		})
	}
}

func TestPortalPageIsUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html>Please log in to the hotel Wi-Fi</html>"))
	}))
	defer srv.Close()
	c, err := NewWithKeys(Config{AppID: "1", Gateway: srv.URL}, testkeys.Key("app"), &testkeys.Key("alipay").PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(context.Background(), testOrder()); !errors.Is(err, pay.ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
}

// A paid order is not cancelled (Alipay would refund it): Close answers
// paid, and no alipay.trade.cancel call is made.
func TestClosePaidAsksFirst(t *testing.T) {
	c, called := fakeGateway(t, 200, map[string]string{
		MethodQuery:  `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"TRADE_SUCCESS","total_amount":"12.50"}`,
		MethodCancel: `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","action":"refund","retry_flag":"N"}`,
	}, true)
	if st, err := c.Close(context.Background(), testOrder()); err != nil || st.State != pos.PaymentPaid {
		t.Fatalf("close = %+v, %v; want paid", st, err)
	}
	if strings.Join(*called, ",") != MethodQuery {
		t.Fatalf("calls = %v", *called)
	}
}

func TestCloseRetryFlag(t *testing.T) {
	c, _ := fakeGateway(t, 200, map[string]string{
		MethodQuery:  `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST"}`,
		MethodCancel: `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_STATUS_ERROR","retry_flag":"Y"}`,
	}, true)
	if _, err := c.Close(context.Background(), testOrder()); !errors.Is(err, pay.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable (retry)", err)
	}
}

// Finding 2: a forged unsigned "no such trade" must not count as closed.
// Before, Cancel took it as "nothing to pay" and the till said take cash.
func TestForgedUnsignedNotFoundDoesNotClose(t *testing.T) {
	notFound := `unsigned:{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`
	c, _ := fakeGateway(t, 200, map[string]string{MethodQuery: notFound, MethodCancel: notFound}, true)
	st, err := c.Close(context.Background(), testOrder())
	if !errors.Is(err, pay.ErrUnreachable) || st.State == pos.PaymentCancelled {
		t.Fatalf("close = %+v, %v; want unknown (ErrUnreachable)", st, err)
	}
	// A signed cancel, then a signed "no such trade", is a confirmed close.
	c, _ = fakeGateway(t, 200, map[string]string{
		MethodQuery:  `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST"}`,
		MethodCancel: `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","action":"close","retry_flag":"N"}`,
	}, true)
	if st, err := c.Close(context.Background(), testOrder()); err != nil || st.State != pos.PaymentCancelled {
		t.Fatalf("signed close = %+v, %v", st, err)
	}
	// Cancelled, but still open when asked: not confirmed.
	c, _ = fakeGateway(t, 200, map[string]string{
		MethodQuery:  `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"WAIT_BUYER_PAY"}`,
		MethodCancel: `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","action":"close","retry_flag":"N"}`,
	}, true)
	if _, err := c.Close(context.Background(), testOrder()); !errors.Is(err, pay.ErrUnreachable) {
		t.Fatalf("open after cancel: %v", err)
	}
}

func TestCreateSendsTimeoutExpress(t *testing.T) {
	c, _ := fakeGateway(t, 200, map[string]string{
		MethodPrecreate: `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","qr_code":"https://qr.alipay.com/x"}`}, true)
	for window, want := range map[time.Duration]string{30 * time.Second: "1m", time.Minute: "1m", 90 * time.Second: "2m", 5 * time.Minute: "5m"} {
		o := testOrder()
		o.Window = window
		if _, err := c.Create(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(bizContent[MethodPrecreate], `"qr_code_timeout_express":"`+want+`"`) ||
			!strings.Contains(bizContent[MethodPrecreate], `"time_expire":"`) {
			t.Errorf("window %s: biz_content %s, want qr_code_timeout_express %s", window, bizContent[MethodPrecreate], want)
		}
	}
}

func TestPayCodeAnswers(t *testing.T) {
	code := "281234567890123456"
	for _, tc := range []struct {
		name, object string
		state        pos.PaymentState
		want         error
	}{
		{"paid", `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_no":"2026","total_amount":"12.50"}`, pos.PaymentPaid, nil},
		{"password", `{"code":"10003","msg":"order success pay inprocess","out_trade_no":"T1ORDER","trade_no":"2026"}`, pos.PaymentPaying, nil},
		{"declined", `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.BUYER_BALANCE_NOT_ENOUGH","sub_msg":"买家余额不足"}`, pos.PaymentFailed, nil},
		{"unsigned decline", `unsigned:{"code":"40004","msg":"Business Failed","sub_code":"ACQ.BUYER_BALANCE_NOT_ENOUGH"}`, "", pay.ErrUnreachable},
		{"unknown", `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"aop.unknow-error"}`, "", pay.ErrUnreachable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeGateway(t, 200, map[string]string{MethodPay: tc.object}, true)
			st, err := c.PayCode(context.Background(), testOrder(), code)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) || (err == nil && st.State != tc.state) {
				t.Fatalf("= %+v, %v; want %s, %v", st, err, tc.state, tc.want)
			}
			if !strings.Contains(bizContent[MethodPay], `"scene":"bar_code"`) || !strings.Contains(bizContent[MethodPay], `"auth_code":"`+code+`"`) {
				t.Fatalf("biz_content %s", bizContent[MethodPay])
			}
		})
	}
}

func TestCreateErrors(t *testing.T) {
	for code, want := range map[string]error{"ACQ.TRADE_HAS_SUCCESS": pay.ErrPaid, "ACQ.TRADE_HAS_CLOSE": pay.ErrRefused} {
		c, _ := fakeGateway(t, 200, map[string]string{
			MethodPrecreate: `{"code":"40004","msg":"Business Failed","sub_code":"` + code + `"}`}, true)
		_, err := c.Create(context.Background(), testOrder())
		var e *pay.Error
		if !errors.Is(err, want) || !errors.As(err, &e) || e.Code != code {
			t.Errorf("%s: err = %v", code, err)
		}
	}
	c, _ := fakeGateway(t, 200, nil, true)
	for _, o := range []pay.Order{
		{OrderNo: "X", Amount: 0, Currency: "CNY", Exponent: 2},
		{OrderNo: "X", Amount: 100, Currency: "USD", Exponent: 2},
		{OrderNo: "", Amount: 100, Currency: "CNY", Exponent: 2},
	} {
		if _, err := c.Create(context.Background(), o); err == nil {
			t.Errorf("order %+v accepted", o)
		}
	}
}

func TestNewNeedsKeysAndApp(t *testing.T) {
	if _, err := New(Config{AppID: "1"}); err == nil {
		t.Error("no key files accepted")
	}
	if _, err := NewWithKeys(Config{}, testkeys.Key("app"), &testkeys.Key("alipay").PublicKey); err == nil {
		t.Error("no app_id accepted")
	}
	if _, err := NewWithKeys(Config{AppID: "1", Gateway: "ftp://x"}, testkeys.Key("app"), &testkeys.Key("alipay").PublicKey); err == nil {
		t.Error("ftp gateway accepted")
	}
	if _, err := NewWithKeys(Config{AppID: "1", Gateway: "http://openapi.alipay.com/gateway.do"}, testkeys.Key("app"), &testkeys.Key("alipay").PublicKey); err == nil {
		t.Error("plain http gateway off loopback accepted")
	}
	for _, ok := range []string{"http://127.0.0.1:8750/gateway.do", "http://localhost:8750/gateway.do", "http://[::1]:8750/gateway.do", "https://openapi.alipay.com/gateway.do"} {
		if _, err := NewWithKeys(Config{AppID: "1", Gateway: ok}, testkeys.Key("app"), &testkeys.Key("alipay").PublicKey); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
}

func TestRefundAnswers(t *testing.T) {
	ro := pay.RefundOrder{OrderNo: "T1ORDER", RequestNo: "R1", Amount: 500, Total: 1250}
	found := `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","out_request_no":"R1","refund_amount":"5.00","refund_status":"REFUND_SUCCESS"}`
	for _, tc := range []struct {
		name          string
		refund, query string
		state         pos.WalletRefundState
		want          error
		calls         string
	}{
		{"done", `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_no":"2026","fund_change":"Y"}`, found, pos.WalletRefunded, nil, MethodRefund},
		{"a repeat asks", `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","fund_change":"N"}`, found, pos.WalletRefunded, nil, MethodRefund + "," + MethodRefundQ},
		{"not taken yet", `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","fund_change":"N"}`, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER"}`, pos.WalletPending, nil, MethodRefund + "," + MethodRefundQ},
		{"refused", `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_ALLOW_REFUND","sub_msg":"当前交易不允许退款"}`, found, pos.WalletFailed, nil, MethodRefund},
		{"unsigned refusal", `unsigned:{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_ALLOW_REFUND"}`, found, "", pay.ErrUnreachable, MethodRefund},
		{"other amount", `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","fund_change":"N"}`, strings.Replace(found, "5.00", "5.01", 1), "", pay.ErrMismatch, MethodRefund + "," + MethodRefundQ},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, called := fakeGateway(t, 200, map[string]string{MethodRefund: tc.refund, MethodRefundQ: tc.query}, true)
			st, err := c.Refund(context.Background(), ro)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) || (err == nil && st.State != tc.state) {
				t.Fatalf("= %+v, %v; want %s, %v", st, err, tc.state, tc.want)
			}
			if strings.Join(*called, ",") != tc.calls {
				t.Fatalf("calls %v", *called)
			}
			if !strings.Contains(bizContent[MethodRefund], `"out_request_no":"R1"`) || !strings.Contains(bizContent[MethodRefund], `"refund_amount":"5.00"`) {
				t.Fatalf("biz_content %s", bizContent[MethodRefund])
			}
		})
	}
}
