package paysim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/wire"
	"github.com/tillpos/till/pos/pay/wechat"
)

// wechatWrite sends a response signed as WeChat Pay signs them: the
// Wechatpay-* headers cover timestamp, nonce and the exact body.
func (s *Sim) wechatWrite(w http.ResponseWriter, status int, v any) {
	var body []byte
	if v != nil {
		body, _ = wire.JSON(v)
	}
	ts, nonce := strconv.FormatInt(s.now().Unix(), 10), wire.Nonce()
	sig, err := rsakey.Sign(s.platformKey, []byte(wechat.ResponseMessage(ts, nonce, body)))
	if err != nil {
		http.Error(w, "sign: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Wechatpay-Timestamp", ts)
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Serial", s.pubKeyID)
	h.Set("Wechatpay-Signature", sig)
	h.Set("Request-ID", wire.Nonce())
	if body != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Detail  any    `json:"detail,omitempty"`
}

func (s *Sim) wechatFail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	s.logf("wechat %s %s refused: %s %s", r.Method, r.URL.Path, code, msg)
	s.wechatWrite(w, status, apiError{Code: code, Message: msg})
}

// wechatAuth reads the body and checks the request's signature the way
// APIv3 does; it answers 401 SIGN_ERROR itself and returns ok=false.
func (s *Sim) wechatAuth(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "请求体过大或无法读取")
		return nil, false
	}
	f, err := wechat.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		s.wechatFail(w, r, http.StatusUnauthorized, "SIGN_ERROR", "Authorization 不合法: "+err.Error())
		return nil, false
	}
	sec, err := strconv.ParseInt(f["timestamp"], 10, 64)
	if d := s.now().Sub(time.Unix(sec, 0)); err != nil || d > wechat.MaxSkew || d < -wechat.MaxSkew {
		s.wechatFail(w, r, http.StatusUnauthorized, "SIGN_ERROR", "timestamp 已过期或不合法")
		return nil, false
	}
	if f["mchid"] != s.cfg.WeChat.MchID || f["serial_no"] != s.merchantSerial {
		s.wechatFail(w, r, http.StatusUnauthorized, "SIGN_ERROR", "商户号或证书序列号有误")
		return nil, false
	}
	msg := wechat.RequestMessage(r.Method, r.RequestURI, f["timestamp"], f["nonce_str"], string(body))
	if rsakey.Verify(s.merchantPub, []byte(msg), f["signature"]) != nil {
		s.logf("wechat %s %s refused: SIGN_ERROR", r.Method, r.URL.Path)
		s.wechatWrite(w, http.StatusUnauthorized, apiError{Code: "SIGN_ERROR", Message: "签名错误，请检查后再试",
			Detail: map[string]any{"field": "signature", "location": "authorization",
				"detail": map[string]string{"issue": "sign not match"},
				"sign_information": map[string]any{"method": r.Method, "url": r.RequestURI,
					"sign_message_length": len(msg)}}})
		return nil, false
	}
	return body, true
}

func (s *Sim) wechatNative(w http.ResponseWriter, r *http.Request) {
	body, ok := s.wechatAuth(w, r)
	if !ok {
		return
	}
	var req wechat.NativeRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "请求体不合法: "+err.Error())
		return
	}
	if !s.wechatOrderFields(w, r, req.MchID, req.AppID, req.Description, req.OutTradeNo) {
		return
	}
	bad := func(what string) { s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "参数错误: "+what) }
	switch {
	case req.NotifyURL == "":
		bad("notify_url")
		return
	case req.Amount.Total <= 0 || req.Amount.Currency != "" && req.Amount.Currency != "CNY":
		bad("amount")
		return
	}
	now := s.now()
	expires := now.Add(2 * time.Hour)
	if req.TimeExpire != "" {
		t, err := time.Parse(time.RFC3339, req.TimeExpire)
		if err != nil {
			bad("time_expire")
			return
		}
		expires = t
	}
	amount := pos.Money(req.Amount.Total)
	details := fmt.Sprintf("%d|%s|%s", req.Amount.Total, req.Description, req.TimeExpire)
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[wechat.Name+"/"+req.OutTradeNo]
	if o != nil {
		switch {
		case o.state == paid:
			s.wechatFail(w, r, http.StatusBadRequest, "ORDERPAID", "订单已支付")
		case o.state != waiting:
			s.wechatFail(w, r, http.StatusBadRequest, "ORDER_CLOSED", "订单已关闭")
		case o.details != details:
			s.wechatFail(w, r, http.StatusForbidden, "OUT_TRADE_NO_USED", "商户订单号重复")
		default:
			s.logf("wechat native %s again: same code", o.no)
			s.wechatWrite(w, http.StatusOK, map[string]string{"code_url": o.qr})
		}
		return
	}
	o = &order{provider: wechat.Name, no: req.OutTradeNo, amount: amount, subject: req.Description,
		expires: expires, details: details, qr: s.base(r) + "/pay/wechat/" + req.OutTradeNo, visible: true}
	s.orders[wechat.Name+"/"+o.no] = o
	s.logf("wechat native %s ¥%s %q until %s", o.no, amount.Format(2), o.subject, expires.Format(time.RFC3339))
	s.wechatWrite(w, http.StatusOK, map[string]string{"code_url": o.qr})
}

// wechatState is trade_state. time_expire ends the chance to pay but
// leaves the order NOTPAY until someone closes it, as WeChat Pay does.
func wechatState(o *order) (string, string) {
	switch {
	case o.state == paid && len(o.refunds) > 0:
		return "REFUND", "订单发生过退款"
	case o.state == paid:
		return "SUCCESS", "支付成功"
	case o.state == declined:
		return "PAYERROR", "支付失败，请重新下单支付"
	case o.state == closed && o.reversed:
		return "REVOKED", "订单已撤销"
	case o.state == closed:
		return "CLOSED", "订单已关闭"
	case o.state == refunded:
		return "REFUND", "订单发生过退款"
	case o.code != nil:
		return "USERPAYING", "需要用户输入支付密码"
	}
	return "NOTPAY", "订单未支付"
}

func (s *Sim) wechatQuery(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.wechatAuth(w, r); !ok {
		return
	}
	if r.URL.Query().Get("mchid") != s.cfg.WeChat.MchID {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "参数错误: mchid")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[wechat.Name+"/"+r.PathValue("no")]
	if o == nil {
		s.wechatFail(w, r, http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在")
		return
	}
	state, desc := wechatState(o)
	s.wechatWrite(w, http.StatusOK, s.wechatTransaction(o, state, desc))
}

// wechatTransaction is an order as the query answers it.
func (s *Sim) wechatTransaction(o *order, state, desc string) wechat.Transaction {
	kind := "NATIVE"
	if o.code != nil {
		kind = "MICROPAY"
	}
	t := wechat.Transaction{AppID: s.cfg.WeChat.AppID, MchID: s.cfg.WeChat.MchID, OutTradeNo: o.no,
		TradeType: kind, TradeState: state, TradeStateDesc: desc,
		Amount: wechat.Amount{Total: int64(o.amount), Currency: "CNY", PayerCurrency: "CNY"}}
	if o.state == paid || o.state == refunded {
		t.TransactionID = o.tradeNo
		t.SuccessTime = o.paidAt.In(wire.CST).Format(time.RFC3339)
		t.Amount.PayerTotal = int64(o.amount)
	}
	return t
}

func (s *Sim) wechatClose(w http.ResponseWriter, r *http.Request) {
	body, ok := s.wechatAuth(w, r)
	if !ok {
		return
	}
	var req struct {
		MchID string `json:"mchid"`
	}
	if json.Unmarshal(body, &req) != nil || req.MchID != s.cfg.WeChat.MchID {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "参数错误: mchid")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[wechat.Name+"/"+r.PathValue("no")]
	switch {
	case o == nil:
		s.wechatFail(w, r, http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在")
		return
	case o.state == paid || o.state == refunded:
		s.wechatFail(w, r, http.StatusBadRequest, "ORDERPAID", "订单已支付")
		return
	}
	o.state = closed
	s.logf("wechat close %s", o.no)
	s.wechatWrite(w, http.StatusNoContent, nil)
}

func (s *Sim) wechatCodePay(w http.ResponseWriter, r *http.Request) {
	body, ok := s.wechatAuth(w, r)
	if !ok {
		return
	}
	var req wechat.CodePayRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "请求体不合法: "+err.Error())
		return
	}
	if !s.wechatOrderFields(w, r, req.MchID, req.AppID, req.Description, req.OutTradeNo) {
		return
	}
	bad := func(what string) { s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "参数错误: "+what) }
	switch {
	case req.Amount.Total <= 0 || req.Amount.Currency != "" && req.Amount.Currency != "CNY":
		bad("amount")
		return
	case req.SceneInfo.StoreInfo.OutID == "":
		bad("scene_info.store_info.out_id")
		return
	}
	if _, kind := pos.ClassifyPayCode(req.Payer.AuthCode); kind != pos.CodeWeChat {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "101 每个二维码仅限使用一次，请刷新再试")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, res := s.submitCode(wechat.Name, req.OutTradeNo, req.Payer.AuthCode, req.Description, pos.Money(req.Amount.Total))
	switch res {
	case codePaid:
		st, desc := wechatState(o)
		s.wechatWrite(w, http.StatusOK, s.wechatTransaction(o, st, desc))
	case codePaying:
		s.wechatFail(w, r, http.StatusAccepted, "USERPAYING", "需要用户输入支付密码")
	case codeDeclined:
		s.wechatFail(w, r, http.StatusForbidden, "NOTENOUGH", "用户余额不足")
	default:
		s.wechatFail(w, r, http.StatusBadRequest, "AUTH_CODE_INVALID", "101 每个二维码仅限使用一次，请刷新再试")
	}
}

// wechatReverse withdraws an order: an unpaid one is revoked, a paid one
// refunded.
func (s *Sim) wechatReverse(w http.ResponseWriter, r *http.Request) {
	body, ok := s.wechatAuth(w, r)
	if !ok {
		return
	}
	var req struct {
		MchID string `json:"mchid"`
		AppID string `json:"appid"`
	}
	if json.Unmarshal(body, &req) != nil || req.MchID != s.cfg.WeChat.MchID || req.AppID != s.cfg.WeChat.AppID {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "参数错误: mchid/appid")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[wechat.Name+"/"+r.PathValue("no")]
	if o == nil {
		s.wechatFail(w, r, http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在")
		return
	}
	s.raceOnReverse(o)
	switch o.state {
	case paid:
		o.state = refunded
	case waiting, declined:
		o.state, o.reversed = closed, true
	}
	s.logf("wechat reverse %s", o.no)
	s.wechatWrite(w, http.StatusOK, map[string]string{"appid": s.cfg.WeChat.AppID, "mchid": s.cfg.WeChat.MchID, "out_trade_no": o.no})
}

// wechatRefundAnswer is a refund as the API answers it; the simulator's
// refunds succeed at once.
func (s *Sim) wechatRefundAnswer(o *order, rf *refund) wechat.RefundAnswer {
	return wechat.RefundAnswer{RefundID: rf.refundID, OutRefundNo: rf.no, OutTradeNo: o.no, Status: "SUCCESS",
		Amount: wechat.RefundAmount{Refund: int64(rf.amount), Total: int64(o.amount), Currency: "CNY"}}
}

func (s *Sim) wechatRefund(w http.ResponseWriter, r *http.Request) {
	body, ok := s.wechatAuth(w, r)
	if !ok {
		return
	}
	var req wechat.RefundRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "请求体不合法: "+err.Error())
		return
	}
	if req.OutRefundNo == "" || !validOrderNo(req.OutRefundNo, 64, "_-|*@") || req.Amount.Refund <= 0 || req.Amount.Currency != "CNY" {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "参数错误: out_refund_no/amount")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[wechat.Name+"/"+req.OutTradeNo]
	if o == nil {
		s.wechatFail(w, r, http.StatusNotFound, "RESOURCE_NOT_EXISTS", "订单不存在")
		return
	}
	if req.Amount.Total != int64(o.amount) {
		s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "订单金额与原订单不一致")
		return
	}
	rf, _, ok := s.addRefund(o, req.OutRefundNo, pos.Money(req.Amount.Refund))
	if !ok {
		s.wechatFail(w, r, http.StatusForbidden, "INVALID_REQUEST", "订单状态不允许退款或退款金额超过可退金额")
		return
	}
	s.wechatWrite(w, http.StatusOK, s.wechatRefundAnswer(o, rf))
}

func (s *Sim) wechatRefundQuery(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.wechatAuth(w, r); !ok {
		return
	}
	no := r.PathValue("no")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.provider != wechat.Name {
			continue
		}
		for _, rf := range o.refunds {
			if rf.no == no {
				s.wechatWrite(w, http.StatusOK, s.wechatRefundAnswer(o, rf))
				return
			}
		}
	}
	s.wechatFail(w, r, http.StatusNotFound, "RESOURCE_NOT_EXISTS", "退款单不存在")
}

// wechatOrderFields checks the fields every order request carries (the
// merchant, the app, the description and the order number), answering
// WeChat's refusal when one is wrong; it reports whether all were right.
func (s *Sim) wechatOrderFields(w http.ResponseWriter, r *http.Request, mch, app, desc, outTradeNo string) bool {
	bad := func(what string) { s.wechatFail(w, r, http.StatusBadRequest, "PARAM_ERROR", "参数错误: "+what) }
	switch {
	case mch != s.cfg.WeChat.MchID:
		s.wechatFail(w, r, http.StatusBadRequest, "MCH_NOT_EXISTS", "商户号不存在")
	case app != s.cfg.WeChat.AppID:
		s.wechatFail(w, r, http.StatusBadRequest, "APPID_MCHID_NOT_MATCH", "AppID和mch_id不匹配")
	case desc == "" || utf8.RuneCountInString(desc) > 127:
		bad("description")
	case len(outTradeNo) < 6 || !validOrderNo(outTradeNo, 32, "_-|*"):
		bad("out_trade_no")
	default:
		return true
	}
	return false
}
