package alipay

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos/pay"
)

// The bill query asks for the day's trade bill; a download URL on a host
// that is not Alipay's (over plain http) is not fetched, and an unsigned
// answer is not believed.
func TestStatementChecksTheURL(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c, called := fakeGateway(t, 200, map[string]string{
		MethodBillURL: `{"code":"10000","msg":"Success","bill_download_url":"http://evil.example.com/bill.zip"}`,
	}, true)
	_, err := c.Statement(context.Background(), day)
	if !errors.Is(err, pay.ErrVerify) || !strings.Contains(err.Error(), "evil.example.com") {
		t.Fatalf("foreign URL: %v", err)
	}
	if strings.Join(*called, ",") != MethodBillURL || bizContent[MethodBillURL] != `{"bill_date":"2026-12-01","bill_type":"trade"}` {
		t.Fatalf("calls %v, biz %s", *called, bizContent[MethodBillURL])
	}
	c, _ = fakeGateway(t, 200, map[string]string{
		MethodBillURL: `unsigned:{"code":"10000","msg":"Success","bill_download_url":"https://dwbillcenter.alipay.com/x"}`,
	}, true)
	if _, err := c.Statement(context.Background(), day); !errors.Is(err, pay.ErrVerify) {
		t.Fatalf("unsigned answer: %v", err)
	}
	c, _ = fakeGateway(t, 200, map[string]string{
		MethodBillURL: `{"code":"40004","msg":"Business Failed","sub_code":"isp.bill_not_exist","sub_msg":"账单不存在"}`,
	}, true)
	if _, err := c.Statement(context.Background(), day); !errors.Is(err, pay.ErrRefused) || !strings.Contains(err.Error(), "isp.bill_not_exist") {
		t.Fatalf("no bill: %v", err)
	}
}
