package reconcile

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var shanghai = time.FixedZone("CST", 8*3600)

func at(hhmmss string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, "2026-12-01 "+hhmmss, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// wechatBill is a trade bill as WeChat Pay's /v3/bill/tradebill download
// gives it: every value prefixed with a backtick, a summary at the end.
const wechatBill = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n" +
	"`2026-12-01 10:00:05,`wx8888888888888888,`1900000109,`0,`,`4200000001202612010000000001,`01JNKZAAAAT1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`OTHERS,`CNY,`6.50,`0.00,`0,`0,`0.00,`0.00,`,`,`Till sale,`,`0.04000,`0.60%,`6.50,`0.00,`\n" +
	"`2026-12-01 11:30:00,`wx8888888888888888,`1900000109,`0,`,`4200000001202612010000000002,`01JNKZBBBBT1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`OTHERS,`CNY,`12.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Till sale,`,`0.07000,`0.60%,`12.00,`0.00,`\n" +
	"`2026-12-01 12:00:00,`wx8888888888888888,`1900000109,`0,`,`4200000001202612010000000003,`01JNKZCCCCT1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`OTHERS,`CNY,`3.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Till sale,`,`0.02000,`0.60%,`3.00,`0.00,`\n" +
	"`2026-12-01 14:00:00,`wx8888888888888888,`1900000109,`0,`,`4200000001202612010000000001,`01JNKZAAAAT1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50000000012026120100001,`R01JNKZDDDDT1,`2.50,`0.00,`ORIGINAL,`SUCCESS,`Till sale,`,`-0.02000,`0.60%,`0.00,`2.50,`\n" +
	"`2026-12-01 15:00:00,`wx8888888888888888,`1900000109,`0,`,`4200000001202612010000000009,`01JNKZEEEET1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`REVOKED,`OTHERS,`CNY,`0.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Till sale,`,`0.00000,`0.60%,`8.00,`0.00,`\n" +
	"总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n" +
	"`4,`21.50,`2.50,`0.00,`0.11000,`29.50,`2.50\n"

func TestWeChatStatement(t *testing.T) {
	got, format, err := Read([]byte(wechatBill), "", 2, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if format != FormatWeChat {
		t.Fatalf("format %q", format)
	}
	if len(got) != 4 {
		t.Fatalf("%d entries, want 3 payments and 1 refund (revoked and summary left out): %+v", len(got), got)
	}
	want := []Entry{
		{Provider: "wechat", OrderNo: "01JNKZAAAAT1", Reference: "4200000001202612010000000001", Amount: 650, At: at("10:00:05"), Line: 2},
		{Provider: "wechat", OrderNo: "01JNKZBBBBT1", Reference: "4200000001202612010000000002", Amount: 1200, At: at("11:30:00"), Line: 3},
		{Provider: "wechat", OrderNo: "01JNKZCCCCT1", Reference: "4200000001202612010000000003", Amount: 300, At: at("12:00:00"), Line: 4},
		{Provider: "wechat", OrderNo: "R01JNKZDDDDT1", Reference: "4200000001202612010000000001", Amount: -250, At: at("14:00:00"), Line: 5},
	}
	for i := range want {
		if !got[i].At.Equal(want[i].At) {
			t.Errorf("entry %d at %v, want %v", i, got[i].At, want[i].At)
		}
		got[i].At = want[i].At
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// alipayCSV is the 业务明细 file of an Alipay account bill, as the bill
// download URL's zip holds it (GBK, # comments, tab padding).
const alipayCSV = "#支付宝业务明细查询\n#账号：[20880000000000000156]\n#起始日期：[2026年12月01日 00:00:00]   终止日期：[2026年12月02日 00:00:00]\n" +
	"#-----------------------------------------业务明细列表----------------------------------------\n" +
	"支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\n" +
	"2026120122001400001\t,01JNKZFFFFT1\t,交易,Till sale,2026-12-01 09:00:00,2026-12-01 09:00:20,,,,T1,b***@example.com,71.90,71.90,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.43,0.00,\n" +
	"2026120122001400002\t,01JNKZGGGGT1\t,交易,Till sale,2026-12-01 09:30:00,2026-12-01 09:30:10,,,,T1,c***@example.com,20.00,20.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.12,0.00,\n" +
	"2026120122001400001\t,01JNKZFFFFT1\t,退款,Till sale,2026-12-01 16:00:00,2026-12-01 16:00:02,,,,T1,b***@example.com,-10.00,-10.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,RF01JNKZHHHHT1\t,0.06,0.00,\n" +
	"#-----------------------------------------业务明细列表结束------------------------------------\n" +
	"#交易合计：2笔，商家实收共91.90元，商家优惠共0.00元\n#退款合计：1笔，商家实收退款共-10.00元\n#导出时间：[2026年12月02日 09:00:00]\n"

func alipayZip(t *testing.T) []byte {
	t.Helper()
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(alipayCSV)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"20880000000000000156_20261201_业务明细.csv":     gbk,
		"20880000000000000156_20261201_业务明细(汇总).csv": "#汇总\n",
	} {
		// The zip names files in GBK too, without the UTF-8 flag.
		n, _ := simplifiedchinese.GBK.NewEncoder().String(name)
		w, err := z.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAlipayStatement(t *testing.T) {
	for name, data := range map[string][]byte{"zip": alipayZip(t), "csv": []byte(alipayCSV)} {
		t.Run(name, func(t *testing.T) {
			got, format, err := Read(data, "", 2, shanghai)
			if err != nil {
				t.Fatal(err)
			}
			if format != FormatAlipay || len(got) != 3 {
				t.Fatalf("format %q, %d entries: %+v", format, len(got), got)
			}
			if got[0].OrderNo != "01JNKZFFFFT1" || got[0].Amount != 7190 || !got[0].At.Equal(at("09:00:20")) || got[0].Reference != "2026120122001400001" {
				t.Errorf("first trade %+v", got[0])
			}
			if got[2].OrderNo != "RF01JNKZHHHHT1" || got[2].Amount != -1000 {
				t.Errorf("refund %+v, want request number RF01JNKZHHHHT1 and -10.00", got[2])
			}
		})
	}
}

func TestSimpleStatement(t *testing.T) {
	csv := "provider,order_no,reference,amount,time\npromptpay,,BANK123,12.50,2026-12-01 10:00:00\nunionpay,X1,,-1.00,2026-12-01T11:00:00+08:00\n"
	got, format, err := Read([]byte(csv), "", 2, shanghai)
	if err != nil || format != FormatCSV || len(got) != 2 {
		t.Fatalf("Read = %+v, %q, %v", got, format, err)
	}
	if got[0].Amount != 1250 || got[1].Amount != -100 || !got[1].At.Equal(at("11:00:00")) {
		t.Errorf("entries %+v", got)
	}
	bad := "provider,amount,time\nx,1.5,2026-12-01 10:00:00\nx,abc,2026-12-01 10:00:00\n,1.00,yesterday\n"
	_, _, err = Read([]byte(bad), FormatCSV, 2, shanghai)
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("bad lines named: %v", err)
	}
	if _, _, err := Read([]byte("hello\n"), "", 2, shanghai); !errors.Is(err, ErrFormat) {
		t.Fatalf("unknown format: %v", err)
	}
}

// TestMatchFindsEveryKind reconciles a day of Till payments against the
// WeChat and Alipay statements above, with one of each problem.
func TestMatchFindsEveryKind(t *testing.T) {
	wx, _, err := Read([]byte(wechatBill), "", 2, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	ali, _, err := Read(alipayZip(t), "", 2, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	statement := append(wx, ali...)
	till := []Entry{
		// WeChat order A and its refund: matched by order number.
		{Provider: "wechat", OrderNo: "01JNKZAAAAT1", Amount: 650, At: at("10:00:01"), SaleID: "A-T1", Receipt: 1},
		{Provider: "wechat", OrderNo: "R01JNKZDDDDT1", Amount: -250, At: at("14:00:00"), SaleID: "D-T1", Receipt: 5},
		// WeChat order B: Till has 11.00, WeChat 12.00.
		{Provider: "wechat", OrderNo: "01JNKZBBBBT1", Amount: 1100, At: at("11:30:00"), SaleID: "B-T1", Receipt: 2},
		// WeChat order C was paid after the till gave up: not in Till.
		// Alipay F: matched. Alipay G: paid at the provider, never sold.
		{Provider: "alipay", OrderNo: "01JNKZFFFFT1", Amount: 7190, At: at("09:00:18"), SaleID: "F-T1", Receipt: 3},
		{Provider: "alipay", OrderNo: "RF01JNKZHHHHT1", Amount: -1000, At: at("16:00:00"), SaleID: "H-T1", Receipt: 6},
		// An offline EMV payment the cashier confirmed that never arrived.
		{Provider: "emvqr", Amount: 4400, At: at("13:00:00"), SaleID: "E-T1", Receipt: 4},
	}
	r := Match(till, statement, Options{Loc: shanghai})
	if len(r.Matched) != 4 {
		t.Errorf("matched %d, want 4: %+v", len(r.Matched), r.Matched)
	}
	if len(r.Mismatched) != 1 || r.Mismatched[0].Till.OrderNo != "01JNKZBBBBT1" || r.Mismatched[0].Statement.Amount != 1200 {
		t.Errorf("mismatched %+v", r.Mismatched)
	}
	if len(r.TillOnly) != 1 || r.TillOnly[0].SaleID != "E-T1" {
		t.Errorf("till only %+v, want the offline EMV payment", r.TillOnly)
	}
	var only []string
	for _, e := range r.StatementOnly {
		only = append(only, e.OrderNo)
	}
	if strings.Join(only, ",") != "01JNKZCCCCT1,01JNKZGGGGT1" {
		t.Errorf("statement only %v, want C (paid after the till gave up) and G", only)
	}
	if r.Clean() {
		t.Error("a result with problems says clean")
	}
	var tot = map[string]Total{}
	for _, x := range r.Totals {
		tot[x.Provider] = x
	}
	if w := tot["wechat"]; w.Till != 650-250+1100 || w.Statement != 650+1200+300-250 || w.Day != "2026-12-01" {
		t.Errorf("wechat totals %+v", w)
	}
	if a := tot["alipay"]; a.Till != 7190-1000 || a.Statement != 7190+2000-1000 {
		t.Errorf("alipay totals %+v", a)
	}
	var text, csv bytes.Buffer
	WriteText(&text, r, 2, shanghai, nil)
	for _, want := range []string{"In Till only (1)", "receipt 000004 emvqr 44.00", "In the statement only (2)", "a refund is owed", "Till 11.00, statement 12.00"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
	WriteCSV(&csv, r, 2, shanghai)
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(lines) != 1+4+1+1+2 {
		t.Errorf("csv has %d lines:\n%s", len(lines), csv.String())
	}
	if !strings.Contains(csv.String(), "statement_only,wechat,,,,01JNKZCCCCT1,") {
		t.Errorf("csv lacks the statement-only row:\n%s", csv.String())
	}
}

func TestMatchByAmountAndTime(t *testing.T) {
	// A static-code payment has no order number: it matches the statement
	// line of the same amount nearest in time, within the window.
	statement := []Entry{
		{Provider: "alipay", OrderNo: "2026120100001", Amount: 500, At: at("10:00:00"), Line: 2},
		{Provider: "alipay", OrderNo: "2026120100002", Amount: 500, At: at("10:04:00"), Line: 3},
		{Provider: "alipay", OrderNo: "2026120100003", Amount: 500, At: at("11:00:00"), Line: 4},
	}
	till := []Entry{
		{Provider: "static", Amount: 500, At: at("10:05:00"), SaleID: "S1"},
		{Provider: "static", Amount: 500, At: at("10:06:00"), SaleID: "S2"},
		{Provider: "static", Amount: pos.Money(501), At: at("11:00:00"), SaleID: "S3"},
	}
	r := Match(till, statement, Options{Window: 7 * time.Minute})
	if len(r.Matched) != 2 || r.Matched[0].Statement.Line != 3 || r.Matched[1].Statement.Line != 2 || r.Matched[0].ByOrder {
		t.Errorf("matched %+v", r.Matched)
	}
	if len(r.TillOnly) != 1 || r.TillOnly[0].SaleID != "S3" || len(r.StatementOnly) != 1 || r.StatementOnly[0].Line != 4 {
		t.Errorf("till only %+v, statement only %+v", r.TillOnly, r.StatementOnly)
	}
}

func TestFromTill(t *testing.T) {
	sales := []pos.Sale{
		{ID: "S1-T1", Receipt: 1, At: at("10:00:00"), Tenders: []pos.Tender{
			{Kind: pos.QR, Provider: "wechat", Amount: 250, PaymentID: "P1", ConfirmedAt: at("09:59:58")},
			{Kind: pos.Cash, Amount: 400, Given: 500, Change: 100}}},
		{ID: "S2-T1", Receipt: 2, At: at("10:10:00"), Tenders: []pos.Tender{{Kind: pos.QR, Provider: "emvqr", Amount: 990, PaymentID: "P2"}}},
	}
	refunds := []pos.Refund{{ID: "R1-T1", Receipt: 3, At: at("11:00:00"), Tenders: []pos.Tender{{Kind: pos.QR, Provider: "wechat", Amount: 250}}}}
	got := FromTill(sales, refunds, func(t pos.Tender, id string) string {
		if t.PaymentID == "P1" {
			return "ORDER1"
		}
		return ""
	})
	if len(got) != 3 {
		t.Fatalf("%d entries, want the 2 QR tenders and the QR refund (cash left out): %+v", len(got), got)
	}
	if got[0].OrderNo != "ORDER1" || got[0].Amount != 250 || !got[0].At.Equal(at("09:59:58")) || got[0].Receipt != 1 {
		t.Errorf("split sale's QR part %+v", got[0])
	}
	if got[1].OrderNo != "" || !got[1].At.Equal(at("10:10:00")) {
		t.Errorf("offline payment %+v: no order number, the sale's time", got[1])
	}
	if got[2].Amount != -250 || got[2].SaleID != "R1-T1" {
		t.Errorf("refund %+v", got[2])
	}
}

func TestOrderOf(t *testing.T) {
	if got := OrderOf(pos.Tender{Kind: pos.QR, Provider: "wechat", ConfirmedBy: pos.ByProvider}, "01JNKZAAAA-T1"); got != "01JNKZAAAAT1" {
		t.Errorf("online order %q", got)
	}
	if got := OrderOf(pos.Tender{Kind: pos.QR, Provider: "emvqr", ConfirmedBy: pos.ByCashier}, "01JNKZAAAA-T1"); got != "" {
		t.Errorf("offline order %q, want none", got)
	}
}

// The providers' statements are in China time wherever the shop is.
func TestProviderStatementsInChinaTime(t *testing.T) {
	got, _, err := Read([]byte(wechatBill), "", 2, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 1, 2, 0, 5, 0, time.UTC); !got[0].At.Equal(want) {
		t.Fatalf("first line at %v, want %v", got[0].At, want)
	}
}
