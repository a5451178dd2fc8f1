// Package alipay is an Alipay face-to-face (当面付) client for the OpenAPI
// gateway: alipay.trade.precreate makes a QR code the customer scans,
// alipay.trade.query polls it, alipay.trade.cancel withdraws it. Requests
// are signed RSA2 (SHA256withRSA) with the app's private key; responses
// are verified with Alipay's public key over the raw response object.
package alipay

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/wire"
)

// Name is the provider name stored with payments.
const Name = "alipay"

// DefaultGateway is the production OpenAPI gateway.
const DefaultGateway = "https://openapi.alipay.com/gateway.do"

// The methods Till uses.
const (
	MethodPrecreate = "alipay.trade.precreate"
	MethodQuery     = "alipay.trade.query"
	MethodCancel    = "alipay.trade.cancel"
	MethodPay       = "alipay.trade.pay"
	MethodRefund    = "alipay.trade.refund"
	MethodRefundQ   = "alipay.trade.fastpay.refund.query"
	MethodBillURL   = "alipay.data.dataservice.bill.downloadurl.query"
)

// CodeSuccess is the gateway's code for a successful call; CodeWaiting
// (alipay.trade.pay) says the customer must still confirm on the phone.
const (
	CodeSuccess = "10000"
	CodeWaiting = "10003"
)

// Config is the Alipay part of the till's configuration.
type Config struct {
	AppID   string `toml:"app_id"`
	Gateway string `toml:"gateway"` // default DefaultGateway
	// PrivateKey names the PEM file of the app's private key (PKCS #1 or
	// PKCS #8); its public half is registered with Alipay.
	PrivateKey string `toml:"private_key"`
	// AlipayPublicKey names the PEM (or bare base64) file of Alipay's
	// public key, which signs the responses.
	AlipayPublicKey string        `toml:"alipay_public_key"`
	Timeout         time.Duration `toml:"timeout"` // per request; default 3s

	Transport http.RoundTripper `toml:"-"` // nil for http.DefaultTransport
	Now       func() time.Time  `toml:"-"` // nil for time.Now
}

// Client is an Alipay provider. It is safe for concurrent use and keeps
// no state between calls, so a new Client after a crash carries on.
type Client struct {
	cfg       Config
	key       *rsa.PrivateKey
	alipayKey *rsa.PublicKey
	http      *http.Client
	now       func() time.Time
}

var _ pay.Provider = (*Client)(nil)

// New loads the keys named in cfg.
func New(cfg Config) (*Client, error) {
	if cfg.PrivateKey == "" || cfg.AlipayPublicKey == "" {
		return nil, errors.New("alipay: private_key and alipay_public_key files are required")
	}
	key, pub, err := rsakey.LoadPair(cfg.PrivateKey, cfg.AlipayPublicKey)
	if err != nil {
		return nil, fmt.Errorf("alipay: %w", err)
	}
	return NewWithKeys(cfg, key, pub)
}

// NewWithKeys makes a client from keys already in memory.
func NewWithKeys(cfg Config, key *rsa.PrivateKey, alipayKey *rsa.PublicKey) (*Client, error) {
	if cfg.AppID == "" {
		return nil, errors.New("alipay: app_id is required")
	}
	if key == nil || alipayKey == nil {
		return nil, errors.New("alipay: both keys are required")
	}
	if cfg.Gateway == "" {
		cfg.Gateway = DefaultGateway
	}
	if _, err := wire.BaseURL(cfg.Gateway); err != nil {
		return nil, fmt.Errorf("alipay: gateway %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = pay.DefaultTimeout
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{cfg: cfg, key: key, alipayKey: alipayKey,
		http: wire.Client(cfg.Timeout, cfg.Transport), now: now}, nil
}

// Name implements pay.Provider.
func (c *Client) Name() string { return Name }

// common is what every response object carries.
type common struct {
	Code    string `json:"code"`
	Msg     string `json:"msg"`
	SubCode string `json:"sub_code"`
	SubMsg  string `json:"sub_msg"`
}

// Create implements pay.Provider with alipay.trade.precreate. Alipay
// returns the same qr_code for the same out_trade_no and details. The
// time limit goes as time_expire and as qr_code_timeout_express (whole
// minutes, at least one), since Alipay may ignore the first.
func (c *Client) Create(ctx context.Context, o pay.Order) (string, error) {
	if err := o.Check(); err != nil {
		return "", fmt.Errorf("alipay create: %w", err)
	}
	amount, err := FormatAmount(o.Amount)
	if err != nil {
		return "", fmt.Errorf("alipay create %s: %w", o.OrderNo, err)
	}
	biz := map[string]string{"out_trade_no": o.OrderNo, "total_amount": amount, "subject": Subject(o.Subject)}
	if !o.Expires.IsZero() {
		biz["time_expire"] = FormatTime(o.Expires)
	}
	if o.Window > 0 {
		biz["qr_code_timeout_express"] = TimeoutExpress(o.Window)
	}
	var out struct {
		OutTradeNo string `json:"out_trade_no"`
		QRCode     string `json:"qr_code"`
	}
	if _, err := c.call(ctx, "create", o.OrderNo, MethodPrecreate, biz, &out); err != nil {
		var e *pay.Error
		if errors.As(err, &e) && e.Code == "ACQ.TRADE_HAS_SUCCESS" {
			e.Kind = pay.ErrPaid
		}
		return "", err
	}
	if out.OutTradeNo != o.OrderNo || out.QRCode == "" {
		return "", c.fail("create", o.OrderNo, pay.ErrVerify, "", "response is for another order or has no qr_code")
	}
	return out.QRCode, nil
}

// TimeoutExpress renders a time limit as Alipay's relative form: whole
// minutes, rounded up so the customer is never refused while the till
// still shows the code, and at least 1m.
func TimeoutExpress(d time.Duration) string {
	m := int64((d + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("%dm", max(m, 1))
}

type trade struct {
	TradeNo     string `json:"trade_no"`
	OutTradeNo  string `json:"out_trade_no"`
	TradeStatus string `json:"trade_status"`
	TotalAmount string `json:"total_amount"`
}

// query returns the trade, or ok=false while Alipay has no trade (the
// buyer has not scanned the code yet). Only a signed answer says so.
func (c *Client) query(ctx context.Context, orderNo string) (t trade, ok bool, err error) {
	_, err = c.call(ctx, "query", orderNo, MethodQuery, map[string]string{"out_trade_no": orderNo}, &t)
	var e *pay.Error
	if errors.As(err, &e) && e.Code == "ACQ.TRADE_NOT_EXIST" {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	if t.OutTradeNo != orderNo {
		return t, false, c.fail("query", orderNo, pay.ErrVerify, "", "response is for another order")
	}
	return t, true, nil
}

// status maps a trade to a pay.Status, checking a paid amount.
func (c *Client) status(op string, o pay.Order, t trade) (pay.Status, error) {
	switch t.TradeStatus {
	case "WAIT_BUYER_PAY":
		return pay.Status{State: pos.PaymentShown, Reference: t.TradeNo, Raw: t.TradeStatus}, nil
	case "TRADE_SUCCESS", "TRADE_FINISHED":
		paid, err := ParseAmount(t.TotalAmount)
		if err != nil || paid != o.Amount {
			return pay.Status{}, c.fail(op, o.OrderNo, pay.ErrMismatch, "",
				fmt.Sprintf("paid %q yuan, order is %s", t.TotalAmount, o.Amount.Format(2)))
		}
		return pay.Status{State: pos.PaymentPaid, Reference: t.TradeNo, Raw: t.TradeStatus}, nil
	case "TRADE_CLOSED":
		return pay.Status{State: pos.PaymentCancelled, Reference: t.TradeNo, Raw: t.TradeStatus,
			Reason: "Alipay closed the order unpaid"}, nil
	}
	return pay.Status{}, c.fail(op, o.OrderNo, pay.ErrVerify, t.TradeStatus, "unknown trade_status")
}

// Query implements pay.Provider with alipay.trade.query. It never
// reports an order expired: an open trade is open, whatever the clock.
func (c *Client) Query(ctx context.Context, o pay.Order) (pay.Status, error) {
	t, ok, err := c.query(ctx, o.OrderNo)
	if err != nil {
		return pay.Status{}, err
	}
	if !ok {
		return pay.Status{State: pos.PaymentShown, Raw: "ACQ.TRADE_NOT_EXIST"}, nil
	}
	return c.status("query", o, t)
}

// cancelAnswer is alipay.trade.cancel's response object.
type cancelAnswer struct {
	OutTradeNo string `json:"out_trade_no"`
	RetryFlag  string `json:"retry_flag"`
	Action     string `json:"action"` // close, refund
}

// cancel calls alipay.trade.cancel once. A retry_flag=Y answer is
// ErrUnreachable (Alipay asks for the cancel to be repeated); a signed
// ACQ.TRADE_NOT_EXIST is no trade to cancel (found=false).
func (c *Client) cancel(ctx context.Context, op, orderNo string) (out cancelAnswer, found bool, err error) {
	_, err = c.call(ctx, op, orderNo, MethodCancel, map[string]string{"out_trade_no": orderNo}, &out)
	var e *pay.Error
	if errors.As(err, &e) && e.Code == "ACQ.TRADE_NOT_EXIST" {
		return out, false, nil
	}
	if err != nil {
		if e != nil && out.RetryFlag == "Y" {
			e.Kind = pay.ErrUnreachable
		}
		return out, false, err
	}
	if out.OutTradeNo != orderNo {
		return out, false, c.fail(op, orderNo, pay.ErrVerify, "", "response is for another order")
	}
	return out, true, nil
}

// confirmClosed asks after a cancel until Alipay reports the trade
// closed (or never made); anything else is not confirmed.
func (c *Client) confirmClosed(ctx context.Context, op string, o pay.Order, action string) (pay.Status, error) {
	t, ok, err := c.query(ctx, o.OrderNo)
	if err != nil {
		return pay.Status{}, err
	}
	if !ok {
		return pay.Status{State: pos.PaymentCancelled, Raw: "ACQ.TRADE_NOT_EXIST",
			Reason: "Alipay has no such trade: nothing was paid"}, nil
	}
	st, err := c.status(op, o, t)
	if err != nil {
		return st, err
	}
	switch {
	case st.State == pos.PaymentCancelled && action == "refund":
		st.Reason = "the customer paid just before the cancel; Alipay refunded it"
	case st.Open():
		return st, c.fail(op, o.OrderNo, pay.ErrUnreachable, t.TradeStatus, "cancelled, but Alipay still reports the trade open")
	}
	return st, nil
}

// Close implements pay.Provider with alipay.trade.cancel, then a query
// to confirm. Alipay's cancel refunds a paid trade, so Close asks first
// and answers paid rather than give the money back behind the cashier's
// back. (If the customer pays in the instant between the two calls,
// Alipay refunds it and the order ends closed: money never moves twice.)
func (c *Client) Close(ctx context.Context, o pay.Order) (pay.Status, error) {
	t, ok, err := c.query(ctx, o.OrderNo)
	if err != nil {
		return pay.Status{}, err
	}
	if ok {
		st, err := c.status("close", o, t)
		if err != nil || !st.Open() {
			return st, err
		}
	}
	out, _, err := c.cancel(ctx, "close", o.OrderNo)
	if err != nil {
		return pay.Status{}, err
	}
	return c.confirmClosed(ctx, "close", o, out.Action)
}

// Subject makes a subject Alipay accepts: no / = & characters, at most
// 256 characters, never empty.
func Subject(s string) string { return wire.Text(s, "/=&", 256) }

func (c *Client) fail(op, orderNo string, kind error, code, msg string) *pay.Error {
	return &pay.Error{Provider: Name, Op: op, OrderNo: orderNo, Kind: kind, Code: code, Message: msg}
}

// params returns the signed request parameters for method and biz.
func (c *Client) params(method string, biz any) (url.Values, error) {
	b, err := wire.JSON(biz)
	if err != nil {
		return nil, err
	}
	v := url.Values{}
	v.Set("app_id", c.cfg.AppID)
	v.Set("method", method)
	v.Set("format", "JSON")
	v.Set("charset", "utf-8")
	v.Set("sign_type", "RSA2")
	v.Set("timestamp", FormatTime(c.now()))
	v.Set("version", "1.0")
	v.Set("biz_content", string(b))
	sig, err := rsakey.Sign(c.key, []byte(SigningString(v)))
	if err != nil {
		return nil, err
	}
	v.Set("sign", sig)
	return v, nil
}

// call makes one signed gateway call and decodes the verified response
// object into out. A non-success code comes back as a *pay.Error, with
// out still decoded (cancel's retry_flag lives there).
func (c *Client) call(ctx context.Context, op, orderNo, method string, biz, out any) (common, error) {
	var cm common
	params, err := c.params(method, biz)
	if err != nil {
		return cm, fmt.Errorf("alipay %s %s: %w", op, orderNo, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Gateway, strings.NewReader(params.Encode()))
	if err != nil {
		return cm, fmt.Errorf("alipay %s %s: %w", op, orderNo, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	req.Header.Set("Accept", "application/json")
	resp, err := wire.Do(c.http, req)
	if err != nil {
		e := c.fail(op, orderNo, pay.ErrUnreachable, "", "")
		e.Err = err
		return cm, e
	}
	if resp.Status != http.StatusOK {
		return cm, c.fail(op, orderNo, pay.ErrUnreachable, "", fmt.Sprintf("HTTP %d", resp.Status))
	}
	env, err := SplitResponse(resp.Body, method)
	if err != nil {
		// Not the gateway speaking (a proxy or portal page): outcome unknown.
		return cm, c.fail(op, orderNo, pay.ErrUnreachable, "", err.Error()+": "+wire.Snippet(resp.Body))
	}
	if err := json.Unmarshal(env.Content, &cm); err != nil {
		return cm, c.fail(op, orderNo, pay.ErrVerify, "", "response object: "+err.Error())
	}
	if env.Sign == "" {
		if cm.Code == CodeSuccess {
			return cm, c.fail(op, orderNo, pay.ErrVerify, cm.Code, "response is not signed")
		}
		// An unsigned error may be forged: it changes nothing, and the
		// outcome stays unknown until a signed answer comes.
		code := cm.SubCode
		if code == "" {
			code = cm.Code
		}
		return cm, c.fail(op, orderNo, pay.ErrUnreachable, "", "unsigned error answer ignored: "+code)
	}
	if !VerifyContent(c.alipayKey, env.Content, env.Sign) {
		return cm, c.fail(op, orderNo, pay.ErrVerify, "", "response signature does not verify")
	}
	if cm.Code != CodeSuccess {
		_ = json.Unmarshal(env.Content, out)
		code := cm.SubCode
		if code == "" {
			code = cm.Code
		}
		kind := pay.ErrRefused
		if cm.Code == "20000" || cm.SubCode == "ACQ.SYSTEM_ERROR" || strings.HasPrefix(cm.SubCode, "aop.") {
			kind = pay.ErrUnreachable // the gateway's own trouble: try again
		}
		msg := cm.Msg
		if cm.SubMsg != "" {
			msg = cm.SubMsg
		}
		return cm, c.fail(op, orderNo, kind, code, msg)
	}
	if err := json.Unmarshal(env.Content, out); err != nil {
		return cm, c.fail(op, orderNo, pay.ErrVerify, "", "response object: "+err.Error())
	}
	return cm, nil
}
