package paysim

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/internal/wire"
	"github.com/tillpos/till/pos/pay/wechat"
)

// Statements: the simulator serves each provider's bill of a day (China
// time) the way the real one does. Alipay: the gateway method
// alipay.data.dataservice.bill.downloadurl.query answers a download URL,
// which gives a zip of GBK-encoded CSVs (业务明细 lists each trade and
// refund). WeChat Pay: GET /v3/bill/tradebill answers a download URL with
// the file's SHA1, and the signed GET of that URL gives the trade bill, a
// CSV with every value prefixed by a backtick. An order paid after the
// till gave up on it (PayLate) is in the bill like any other.

// line is one money movement of a statement.
type line struct {
	at             time.Time
	o              *order
	refund         *refund
	amount         pos.Money
	orderNo, trade string
}

// movements lists, oldest first, the payments and refunds of provider
// whose money moved on day (s.mu held).
func (s *Sim) movements(provider string, day time.Time) []line {
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, wire.CST)
	to := from.AddDate(0, 0, 1)
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	var out []line
	for _, o := range s.orders {
		if o.provider != provider {
			continue
		}
		if (o.state == paid || o.state == refunded || len(o.refunds) > 0) && in(o.paidAt) {
			out = append(out, line{at: o.paidAt, o: o, amount: o.amount, orderNo: o.no, trade: o.tradeNo})
		}
		for _, rf := range o.refunds {
			if in(rf.at) {
				out = append(out, line{at: rf.at, o: o, refund: rf, amount: -rf.amount, orderNo: rf.no, trade: o.tradeNo})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].at.Equal(out[j].at) {
			return out[i].at.Before(out[j].at)
		}
		return out[i].orderNo < out[j].orderNo
	})
	return out
}

// AlipayBill is the account bill of day as Alipay's download URL gives
// it: a zip holding the 业务明细 (business details) CSV and its summary,
// GBK-encoded, file names in GBK too.
func (s *Sim) AlipayBill(day time.Time) ([]byte, error) {
	s.mu.Lock()
	moves := s.movements(alipay.Name, day)
	s.mu.Unlock()
	d := day.In(wire.CST)
	ymd := d.Format("20060102")
	var b strings.Builder
	b.WriteString("#支付宝业务明细查询\n#账号：[" + s.alipayAccount() + "]\n")
	fmt.Fprintf(&b, "#起始日期：[%s 00:00:00]   终止日期：[%s 00:00:00]\n", d.Format("2006年01月02日"), d.AddDate(0, 0, 1).Format("2006年01月02日"))
	b.WriteString("#-----------------------------------------业务明细列表----------------------------------------\n")
	b.WriteString("支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\n")
	var trades, refunds int
	var got, back pos.Money
	for _, m := range moves {
		kind, refundNo := "交易", ""
		if m.refund != nil {
			kind, refundNo = "退款", m.refund.no+"\t"
			refunds++
			back += m.amount
		} else {
			trades++
			got += m.amount
		}
		amt := m.amount.Format(2)
		fmt.Fprintf(&b, "%s\t,%s\t,%s,%s,%s,%s,,,,,b***@example.com,%s,%s,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,%s,0.00,0.00,\n",
			m.trade, m.o.no, kind, csvText(m.o.subject), m.at.In(wire.CST).Format(time.DateTime), m.at.In(wire.CST).Format(time.DateTime),
			amt, amt, refundNo)
	}
	b.WriteString("#-----------------------------------------业务明细列表结束------------------------------------\n")
	fmt.Fprintf(&b, "#交易合计：%d笔，商家实收共%s元，商家优惠共0.00元\n#退款合计：%d笔，商家实收退款共%s元\n", trades, got.Format(2), refunds, back.Format(2))
	fmt.Fprintf(&b, "#导出时间：[%s]\n", s.now().In(wire.CST).Format("2006年01月02日 15:04:05"))
	gbk := simplifiedchinese.GBK.NewEncoder()
	detail, err := gbk.String(b.String())
	if err != nil {
		return nil, fmt.Errorf("paysim: alipay bill: %w", err)
	}
	summary, _ := gbk.String(fmt.Sprintf("#支付宝业务汇总查询\n交易笔数,%d\n退款笔数,%d\n", trades, refunds))
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range []struct{ name, body string }{
		{s.alipayAccount() + "_" + ymd + "_业务明细.csv", detail},
		{s.alipayAccount() + "_" + ymd + "_业务明细(汇总).csv", summary},
	} {
		name, _ := gbk.String(f.name)
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: s.now()})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *Sim) alipayAccount() string { return "2088" + s.cfg.Alipay.AppID[len(s.cfg.Alipay.AppID)-12:] }

// WeChatBill is the trade bill (bill_type ALL) of day as WeChat Pay's
// download gives it.
func (s *Sim) WeChatBill(day time.Time) []byte {
	s.mu.Lock()
	moves := s.movements(wechat.Name, day)
	s.mu.Unlock()
	var b strings.Builder
	b.WriteString("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n")
	var n int
	var settled, back, total pos.Money
	for _, m := range moves {
		kind := "NATIVE"
		if m.o.code != nil {
			kind = "MICROPAY"
		}
		f := []string{m.at.In(wire.CST).Format(time.DateTime), s.cfg.WeChat.AppID, s.cfg.WeChat.MchID, "0", "", m.trade, m.o.no,
			"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", kind}
		if m.refund == nil {
			n++
			settled += m.amount
			total += m.amount
			f = append(f, "SUCCESS", "OTHERS", "CNY", m.amount.Format(2), "0.00", "0", "0", "0.00", "0.00", "", "")
		} else {
			back -= m.amount
			f = append(f, "REFUND", "OTHERS", "CNY", "0.00", "0.00", m.refund.refundID, m.refund.no, (-m.amount).Format(2), "0.00", "ORIGINAL", "SUCCESS")
		}
		req := "0.00"
		if m.refund != nil {
			req = (-m.amount).Format(2)
		}
		f = append(f, csvText(m.o.subject), "", "0.00000", "0.60%", m.o.amount.Format(2), req, "")
		b.WriteString("`" + strings.Join(f, ",`") + "\n")
	}
	b.WriteString("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n")
	fmt.Fprintf(&b, "`%d,`%s,`%s,`0.00,`0.00000,`%s,`%s\n", n, settled.Format(2), back.Format(2), total.Format(2), back.Format(2))
	return []byte(b.String())
}

// csvText keeps a statement's free text from breaking its CSV.
func csvText(s string) string {
	return strings.NewReplacer(",", " ", "\n", " ", "\r", " ", "`", "'").Replace(s)
}

// billDay reads a bill_date: a day before today (China time), as both
// providers give bills only for days that are over... except that the
// simulator also gives today's, so a demo can reconcile at once.
func (s *Sim) billDay(v string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, v, wire.CST)
	if err != nil || d.After(s.now().In(wire.CST)) {
		return time.Time{}, false
	}
	return d, true
}

// alipayBillURL answers alipay.data.dataservice.bill.downloadurl.query.
func (s *Sim) alipayBillURL(r *http.Request, b biz) reply {
	if b.BillType != "trade" && b.BillType != "signcustomer" {
		return bizFailure("isv.invalid-parameter", "bill_type 不合法")
	}
	if _, ok := s.billDay(b.BillDate); !ok {
		return bizFailure("isp.bill_not_exist", "账单不存在")
	}
	s.logf("alipay bill of %s asked for", b.BillDate)
	return success(reply{"bill_download_url": s.base(r) + "/bill/alipay?" + url.Values{"bill_date": {b.BillDate}}.Encode()})
}

// alipayBillDownload serves the zip. Alipay's real links are short-lived
// bearer URLs on its file server, fetched without a signature.
func (s *Sim) alipayBillDownload(w http.ResponseWriter, r *http.Request) {
	d, ok := s.billDay(r.URL.Query().Get("bill_date"))
	if !ok {
		http.Error(w, "no such bill", http.StatusNotFound)
		return
	}
	z, err := s.AlipayBill(d)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	_, _ = w.Write(z)
}

// wechatTradeBill answers GET /v3/bill/tradebill with the download URL
// and the SHA1 of the file it gives.
func (s *Sim) wechatTradeBill(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.wechatAuth(w, r); !ok {
		return
	}
	q := r.URL.Query()
	if t := q.Get("bill_type"); t != "" && t != "ALL" && t != "SUCCESS" && t != "REFUND" {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "bill_type 不合法")
		return
	}
	d, ok := s.billDay(q.Get("bill_date"))
	if !ok {
		s.wechatFail(w, r, http.StatusBadRequest, "NO_STATEMENT_EXIST", "账单文件不存在")
		return
	}
	sum := sha1.Sum(s.WeChatBill(d))
	s.logf("wechat bill of %s asked for", q.Get("bill_date"))
	s.wechatWrite(w, http.StatusOK, wechat.BillAnswer{HashType: "SHA1", HashValue: hex.EncodeToString(sum[:]),
		DownloadURL: s.base(r) + "/v3/billdownload/file?" + url.Values{"token": {d.Format("20060102")}}.Encode()})
}

// wechatBillDownload serves the bill itself: the request is signed like
// any other, the answer is the file, unsigned (its hash came before).
func (s *Sim) wechatBillDownload(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.wechatAuth(w, r); !ok {
		return
	}
	d, err := time.ParseInLocation("20060102", r.URL.Query().Get("token"), wire.CST)
	if err != nil {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "token 不合法")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(s.WeChatBill(d))
}
