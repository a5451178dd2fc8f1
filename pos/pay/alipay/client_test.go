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
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		m := r.Form.Get("method")
		called = append(called, m)
		obj, ok := objects[m]
		if status != http.StatusOK || !ok {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(obj))
			return
		}
		body := `{"` + ResponseKey(m) + `":` + obj
		if sign {
			sig, err := rsakey.Sign(testkeys.Key("alipay"), []byte(obj))
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
		{"not scanned yet", 200, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`, false, nil, pos.PaymentShown},
		{"closed early", 200, `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"TRADE_CLOSED"}`, true, nil, pos.PaymentFailed},
		{"busy", 200, `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"aop.unknow-error"}`, true, pay.ErrUnreachable, ""},
		{"system error", 200, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.SYSTEM_ERROR"}`, true, pay.ErrUnreachable, ""},
		{"refused", 200, `{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}`, true, pay.ErrRefused, ""},
		{"bad gateway", 502, `<html>bad gateway</html>`, false, pay.ErrUnreachable, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeGateway(t, tc.status, map[string]string{MethodQuery: tc.object}, tc.sign)
			st, err := c.Query(ctx, testOrder())
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

// A paid order is not cancelled (Alipay would refund it): ErrPaid, and
// no alipay.trade.cancel call is made.
func TestCancelPaidAsksFirst(t *testing.T) {
	c, called := fakeGateway(t, 200, map[string]string{
		MethodQuery:  `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","trade_status":"TRADE_SUCCESS","total_amount":"12.50"}`,
		MethodCancel: `{"code":"10000","msg":"Success","out_trade_no":"T1ORDER","action":"refund","retry_flag":"N"}`,
	}, true)
	if err := c.Cancel(context.Background(), "T1ORDER"); !errors.Is(err, pay.ErrPaid) {
		t.Fatalf("err = %v, want ErrPaid", err)
	}
	if strings.Join(*called, ",") != MethodQuery {
		t.Fatalf("calls = %v", *called)
	}
}

func TestCancelRetryFlag(t *testing.T) {
	c, _ := fakeGateway(t, 200, map[string]string{
		MethodQuery:  `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST"}`,
		MethodCancel: `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_STATUS_ERROR","retry_flag":"Y"}`,
	}, true)
	if err := c.Cancel(context.Background(), "T1ORDER"); !errors.Is(err, pay.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable (retry)", err)
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
}
