package paysim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tillpos/till/pos"

	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/wire"
)

// alipaySkew is how far a request's timestamp may be from the clock.
const alipaySkew = 10 * time.Minute

// reply is an Alipay response object. Every object has code and msg.
type reply map[string]any

func failure(code, msg, subCode, subMsg string) reply {
	return reply{"code": code, "msg": msg, "sub_code": subCode, "sub_msg": subMsg}
}

func bizFailure(subCode, subMsg string) reply {
	return failure("40004", "Business Failed", subCode, subMsg)
}

func success(r reply) reply {
	r["code"], r["msg"] = alipay.CodeSuccess, "Success"
	return r
}

// alipayWrite sends {"<key>":<object>,"sign":"..."}, signing the exact
// bytes of the object as written, the way the gateway does.
func (s *Sim) alipayWrite(w http.ResponseWriter, key string, r reply) {
	content, _ := wire.JSON(r)
	sig, err := rsakey.Sign(s.alipayKey, content)
	if err != nil {
		http.Error(w, "sign: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	var out bytes.Buffer
	out.WriteString(`{"` + key + `":`)
	out.Write(content)
	out.WriteString(`,"sign":"` + sig + `"}`)
	_, _ = w.Write(out.Bytes())
}

// biz is the biz_content of the methods the simulator knows. Amounts
// are strings, as Alipay sends them: a JSON number is refused, never read
// as a float.
type biz struct {
	OutTradeNo   string `json:"out_trade_no"`
	TotalAmount  string `json:"total_amount"`
	Subject      string `json:"subject"`
	TimeExpire   string `json:"time_expire"`
	QRTimeout    string `json:"qr_code_timeout_express"`
	Scene        string `json:"scene"`
	AuthCode     string `json:"auth_code"`
	RefundAmount string `json:"refund_amount"`
	OutRequestNo string `json:"out_request_no"`
	BillType     string `json:"bill_type"`
	BillDate     string `json:"bill_date"`
}

var alipayMethods = map[string]func(*Sim, *http.Request, biz) reply{
	alipay.MethodPrecreate: (*Sim).alipayPrecreate,
	alipay.MethodQuery:     (*Sim).alipayQuery,
	alipay.MethodCancel:    (*Sim).alipayCancel,
	alipay.MethodPay:       (*Sim).alipayPay,
	alipay.MethodRefund:    (*Sim).alipayRefund,
	alipay.MethodRefundQ:   (*Sim).alipayRefundQuery,
	alipay.MethodBillURL:   (*Sim).alipayBillURL,
}

// validTimeout checks qr_code_timeout_express: whole minutes (1m to
// 15d as Alipay allows, here just m/h/d with a positive count), or empty.
func validTimeout(s string) (time.Duration, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 {
		return 0, false
	}
	switch s[len(s)-1] {
	case 'm':
		return time.Duration(n) * time.Minute, true
	case 'h':
		return time.Duration(n) * time.Hour, true
	case 'd':
		return time.Duration(n) * 24 * time.Hour, true
	}
	return 0, false
}

// alipayGateway checks the common parameters and the signature in the
// gateway's order, then runs the method.
func (s *Sim) alipayGateway(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := r.Form
	method := p.Get("method")
	run, known := alipayMethods[method]
	key := alipay.ResponseKey(method)
	if !known {
		key = "error_response"
	}
	fail := func(code, msg, sub, subMsg string) {
		s.logf("alipay %s refused: %s %s", method, sub, subMsg)
		s.alipayWrite(w, key, failure(code, msg, sub, subMsg))
	}
	for _, m := range []struct{ param, sub, msg string }{
		{"method", "isv.missing-method", "缺少方法名参数"},
		{"app_id", "isv.missing-app-id", "缺少AppID参数"},
		{"sign_type", "isv.missing-signature-type", "缺少签名类型参数"},
		{"sign", "isv.missing-signature", "缺少签名参数"},
		{"timestamp", "isv.missing-timestamp", "缺少时间戳参数"},
		{"version", "isv.missing-version", "缺少版本参数"},
	} {
		if p.Get(m.param) == "" {
			fail("40001", "Missing Required Arguments", m.sub, m.msg)
			return
		}
	}
	if !known {
		fail("40002", "Invalid Arguments", "isv.invalid-method", "不存在的方法名")
		return
	}
	ts, err := alipay.ParseTime(p.Get("timestamp"))
	if d := s.now().Sub(ts); err != nil || d > alipaySkew || d < -alipaySkew {
		fail("40002", "Invalid Arguments", "isv.invalid-timestamp", "非法的时间戳参数")
		return
	}
	switch {
	case p.Get("app_id") != s.cfg.Alipay.AppID:
		fail("40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数")
		return
	case p.Get("sign_type") != "RSA2":
		fail("40002", "Invalid Arguments", "isv.invalid-signature-type", "无效的签名类型参数")
		return
	case p.Get("charset") != "" && !strings.EqualFold(p.Get("charset"), "utf-8"):
		fail("40002", "Invalid Arguments", "isv.invalid-charset", "字符集错误")
		return
	case p.Get("format") != "" && !strings.EqualFold(p.Get("format"), "json"):
		fail("40002", "Invalid Arguments", "isv.invalid-format", "无效的数据格式参数")
		return
	case p.Get("version") != "1.0":
		fail("40002", "Invalid Arguments", "isv.invalid-version", "无效的版本参数")
		return
	}
	signed := alipay.SigningString(p)
	if rsakey.Verify(s.appPub, []byte(signed), p.Get("sign")) != nil {
		fail("40002", "Invalid Arguments", "isv.invalid-signature",
			"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为："+signed)
		return
	}
	var b biz
	if err := json.Unmarshal([]byte(p.Get("biz_content")), &b); err != nil {
		fail("40002", "Invalid Arguments", "isv.invalid-parameter", "biz_content 不合法: "+err.Error())
		return
	}
	s.alipayWrite(w, key, run(s, r, b))
}

func validOrderNo(no string, max int, extra string) bool {
	if no == "" || len(no) > max {
		return false
	}
	for _, c := range no {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.ContainsRune(extra, c)) {
			return false
		}
	}
	return true
}

func (s *Sim) alipayPrecreate(r *http.Request, b biz) reply {
	no, subject := b.OutTradeNo, b.Subject
	amount, err := alipay.ParseAmount(b.TotalAmount)
	switch {
	case !validOrderNo(no, 64, "_"):
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: out_trade_no")
	case err != nil || amount < alipay.MinAmount || amount > alipay.MaxAmount:
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: total_amount")
	case subject == "":
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: subject")
	}
	now := s.now()
	expires := now.Add(2 * time.Hour) // an unscanned code lives two hours
	if b.TimeExpire != "" {
		if expires, err = alipay.ParseTime(b.TimeExpire); err != nil {
			return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: time_expire")
		}
	}
	timeout, ok := validTimeout(b.QRTimeout)
	if !ok {
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: qr_code_timeout_express")
	}
	if timeout > 0 && b.TimeExpire == "" {
		expires = now.Add(timeout)
	}
	details := amount.Format(2) + "|" + subject + "|" + b.TimeExpire + "|" + b.QRTimeout
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[alipay.Name+"/"+no]
	if o != nil {
		switch {
		case o.state == paid:
			return bizFailure("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
		case o.state != waiting || o.expired(now):
			return bizFailure("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
		case o.details != details:
			return bizFailure("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
		}
		s.logf("alipay precreate %s again: same code", no)
		return success(reply{"out_trade_no": no, "qr_code": o.qr})
	}
	o = &order{provider: alipay.Name, no: no, amount: amount, subject: subject, expires: expires,
		details: details, qr: s.base(r) + "/pay/alipay/" + no, timeout: b.QRTimeout}
	s.orders[alipay.Name+"/"+no] = o
	s.logf("alipay precreate %s ¥%s %q until %s", no, amount.Format(2), subject, alipay.FormatTime(expires))
	return success(reply{"out_trade_no": no, "qr_code": o.qr})
}

// alipayStatus is trade_status; an expired trade is closed by Alipay, and
// so is a fully refunded one.
func alipayStatus(o *order, now time.Time) string {
	switch {
	case o.state == paid && o.refunded() == o.amount:
		return "TRADE_CLOSED"
	case o.state == paid:
		return "TRADE_SUCCESS"
	case o.state != waiting || o.expired(now):
		return "TRADE_CLOSED"
	}
	return "WAIT_BUYER_PAY"
}

func (s *Sim) alipayQuery(_ *http.Request, b biz) reply {
	no := b.OutTradeNo
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[alipay.Name+"/"+no]
	if o == nil || !o.visible {
		// A precreated trade exists at Alipay only once the buyer scans it.
		return bizFailure("ACQ.TRADE_NOT_EXIST", "交易不存在")
	}
	out := reply{"trade_no": o.tradeNo, "out_trade_no": no, "buyer_logon_id": "sim***@example.com",
		"trade_status": alipayStatus(o, s.now()), "total_amount": o.amount.Format(2), "buyer_pay_amount": "0.00"}
	if o.state == paid {
		out["buyer_pay_amount"] = o.amount.Format(2)
		out["send_pay_date"] = alipay.FormatTime(o.paidAt)
	}
	return success(out)
}

// alipayCancel closes an unpaid trade and refunds a paid one, as
// alipay.trade.cancel does.
func (s *Sim) alipayCancel(_ *http.Request, b biz) reply {
	no := b.OutTradeNo
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[alipay.Name+"/"+no]
	if o == nil {
		return bizFailure("ACQ.TRADE_NOT_EXIST", "交易不存在")
	}
	s.raceOnReverse(o)
	action := "close"
	switch o.state {
	case paid:
		o.state, action = refunded, "refund"
	case waiting:
		o.state = closed
	case refunded:
		action = "refund"
	}
	if o.tradeNo == "" {
		o.tradeNo = s.tradeNo(alipay.Name)
	}
	o.visible = true
	s.logf("alipay cancel %s: %s", no, action)
	return success(reply{"out_trade_no": no, "trade_no": o.tradeNo, "retry_flag": "N", "action": action})
}

// alipayPay is alipay.trade.pay with scene bar_code: 10000 paid, 10003
// waiting for the customer's password, 40004 declined or a bad code.
func (s *Sim) alipayPay(_ *http.Request, b biz) reply {
	no := b.OutTradeNo
	amount, err := alipay.ParseAmount(b.TotalAmount)
	switch {
	case !validOrderNo(no, 64, "_"):
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: out_trade_no")
	case b.Scene != "bar_code":
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: scene")
	case err != nil || amount < alipay.MinAmount || amount > alipay.MaxAmount:
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: total_amount")
	case b.Subject == "":
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: subject")
	}
	if _, kind := pos.ClassifyPayCode(b.AuthCode); kind != pos.CodeAlipay {
		return bizFailure("ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, res := s.submitCode(alipay.Name, no, b.AuthCode, b.Subject, amount)
	trade := func(o *order) reply {
		return reply{"trade_no": o.tradeNo, "out_trade_no": no, "buyer_logon_id": "sim***@example.com",
			"total_amount": o.amount.Format(2)}
	}
	switch res {
	case codePaid:
		out := success(trade(o))
		out["gmt_payment"] = alipay.FormatTime(o.paidAt)
		return out
	case codePaying:
		out := trade(o)
		out["code"], out["msg"] = "10003", "order success pay inprocess"
		return out
	case codeDeclined:
		out := bizFailure("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足")
		return out
	}
	return bizFailure("ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款")
}

// alipayRefund is alipay.trade.refund: the same out_request_no never
// refunds twice (a repeat answers fund_change N).
func (s *Sim) alipayRefund(_ *http.Request, b biz) reply {
	amount, err := alipay.ParseAmount(b.RefundAmount)
	if err != nil || amount <= 0 {
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: refund_amount")
	}
	if !validOrderNo(b.OutRequestNo, 64, "_") {
		return bizFailure("ACQ.INVALID_PARAMETER", "参数无效: out_request_no")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[alipay.Name+"/"+b.OutTradeNo]
	if o == nil || !o.visible {
		return bizFailure("ACQ.TRADE_NOT_EXIST", "交易不存在")
	}
	rf, fresh, ok := s.addRefund(o, b.OutRequestNo, amount)
	if !ok {
		if rf != nil {
			return bizFailure("ACQ.REQUEST_AMOUNT_EXCEED", "请求金额与原请求不一致")
		}
		return bizFailure("ACQ.TRADE_NOT_ALLOW_REFUND", "当前交易不允许退款")
	}
	change := "Y"
	if !fresh {
		change = "N"
	}
	return success(reply{"trade_no": o.tradeNo, "out_trade_no": o.no, "buyer_logon_id": "sim***@example.com",
		"fund_change": change, "refund_fee": o.refunded().Format(2)})
}

// alipayRefundQuery is alipay.trade.fastpay.refund.query: an unknown
// request answers success with no refund in it.
func (s *Sim) alipayRefundQuery(_ *http.Request, b biz) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[alipay.Name+"/"+b.OutTradeNo]
	if o == nil || !o.visible {
		return bizFailure("ACQ.TRADE_NOT_EXIST", "交易不存在")
	}
	for _, r := range o.refunds {
		if r.no == b.OutRequestNo {
			return success(reply{"trade_no": o.tradeNo, "out_trade_no": o.no, "out_request_no": r.no,
				"total_amount": o.amount.Format(2), "refund_amount": r.amount.Format(2), "refund_status": "REFUND_SUCCESS"})
		}
	}
	return success(reply{"trade_no": o.tradeNo, "out_trade_no": o.no})
}
