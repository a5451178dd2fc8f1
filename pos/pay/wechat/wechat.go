// Package wechat is a WeChat Pay APIv3 Native client: the till creates
// an order and shows its code_url as a QR code, the customer scans it in
// WeChat, the till polls the order by out_trade_no and closes it when
// the cashier aborts. Requests carry a WECHATPAY2-SHA256-RSA2048
// signature made with the merchant's API key; every response is verified
// against the WeChat Pay public key (or platform certificate).
package wechat

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/wire"
)

// Name is the provider name stored with payments.
const Name = "wechat"

// DefaultBaseURL is the production API host.
const DefaultBaseURL = "https://api.mch.weixin.qq.com"

// MaxSkew is how far a response's timestamp may be from the till's clock.
const MaxSkew = 5 * time.Minute

// Config is the WeChat Pay part of the till's configuration.
type Config struct {
	AppID   string `toml:"app_id"`   // the AppID bound to the merchant
	MchID   string `toml:"mch_id"`   // 商户号
	BaseURL string `toml:"base_url"` // default DefaultBaseURL
	// SerialNo is the serial number of the merchant API certificate whose
	// private key is PrivateKey (apiclient_key.pem).
	SerialNo   string `toml:"serial_no"`
	PrivateKey string `toml:"private_key"`
	// PlatformPublicKey names the WeChat Pay public key file (pub_key.pem)
	// or a platform certificate; PlatformSerial is its ID (PUB_KEY_ID_...)
	// or certificate serial. Responses signed under another serial are
	// refused; an empty PlatformSerial accepts any.
	PlatformPublicKey string `toml:"platform_public_key"`
	PlatformSerial    string `toml:"platform_serial"`
	// NotifyURL is required by the API. Till polls instead of listening,
	// so any https URL of the shop will do.
	NotifyURL string `toml:"notify_url"`
	// StoreID is the shop's own store ID sent with code payments
	// (scene_info.store_info.out_id); default the merchant number.
	StoreID string        `toml:"store_id"`
	Timeout time.Duration `toml:"timeout"` // per request; default 3s

	Transport http.RoundTripper `toml:"-"`
	Now       func() time.Time  `toml:"-"`
}

// Client is a WeChat Pay provider. It keeps no state between calls.
type Client struct {
	cfg      Config
	base     *url.URL
	key      *rsa.PrivateKey
	platform *rsa.PublicKey
	http     *http.Client
	now      func() time.Time
	skew     atomic.Int64 // till minus WeChat in the last signed answer, |1; 0 before any
}

// Skew implements pay.ClockChecker from the Wechatpay-Timestamp of the
// last signed answer.
func (c *Client) Skew() (time.Duration, bool) {
	v := c.skew.Load()
	return time.Duration(v), v != 0
}

var (
	_ pay.Provider     = (*Client)(nil)
	_ pay.ClockChecker = (*Client)(nil)
)

// New loads the keys named in cfg.
func New(cfg Config) (*Client, error) {
	if cfg.PrivateKey == "" || cfg.PlatformPublicKey == "" {
		return nil, errors.New("wechat: private_key and platform_public_key files are required")
	}
	key, pub, err := rsakey.LoadPair(cfg.PrivateKey, cfg.PlatformPublicKey)
	if err != nil {
		return nil, fmt.Errorf("wechat: %w", err)
	}
	return NewWithKeys(cfg, key, pub)
}

// NewWithKeys makes a client from keys already in memory.
func NewWithKeys(cfg Config, key *rsa.PrivateKey, platform *rsa.PublicKey) (*Client, error) {
	switch {
	case cfg.AppID == "" || cfg.MchID == "" || cfg.SerialNo == "":
		return nil, errors.New("wechat: app_id, mch_id and serial_no are required")
	case cfg.NotifyURL == "":
		return nil, errors.New("wechat: notify_url is required by the API (any https URL of the shop)")
	case key == nil || platform == nil:
		return nil, errors.New("wechat: both keys are required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := wire.BaseURL(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("wechat: base_url %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = pay.DefaultTimeout
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{cfg: cfg, base: base, key: key, platform: platform,
		http: wire.Client(cfg.Timeout, cfg.Transport), now: now}, nil
}

// Name implements pay.Provider.
func (c *Client) Name() string { return Name }

// Amount is an APIv3 amount: integer fen, never a float.
type Amount struct {
	Total         int64  `json:"total"`
	Currency      string `json:"currency,omitempty"`
	PayerTotal    int64  `json:"payer_total,omitempty"`
	PayerCurrency string `json:"payer_currency,omitempty"`
}

// NativeRequest is the body of POST /v3/pay/transactions/native.
type NativeRequest struct {
	AppID       string `json:"appid"`
	MchID       string `json:"mchid"`
	Description string `json:"description"`
	OutTradeNo  string `json:"out_trade_no"`
	TimeExpire  string `json:"time_expire,omitempty"`
	NotifyURL   string `json:"notify_url"`
	Amount      Amount `json:"amount"`
}

// Transaction is the answer of the query by out_trade_no.
type Transaction struct {
	AppID          string `json:"appid"`
	MchID          string `json:"mchid"`
	OutTradeNo     string `json:"out_trade_no"`
	TransactionID  string `json:"transaction_id,omitempty"`
	TradeType      string `json:"trade_type,omitempty"`
	TradeState     string `json:"trade_state"`
	TradeStateDesc string `json:"trade_state_desc"`
	SuccessTime    string `json:"success_time,omitempty"`
	Amount         Amount `json:"amount"`
}

// Description makes a description the API accepts: at most 127
// characters, never empty.
func Description(s string) string { return wire.Text(s, "", 127) }

// Create implements pay.Provider. Repeating the same request returns the
// same code_url; an order number already used with other details is
// answered OUT_TRADE_NO_USED, and a paid one ErrPaid. WeChat raises a
// time limit under a minute to one minute, so Till never asks for less.
func (c *Client) Create(ctx context.Context, o pay.Order) (string, error) {
	if err := o.Check(); err != nil {
		return "", fmt.Errorf("wechat create: %w", err)
	}
	body := NativeRequest{AppID: c.cfg.AppID, MchID: c.cfg.MchID, Description: Description(o.Subject),
		OutTradeNo: o.OrderNo, NotifyURL: c.cfg.NotifyURL, Amount: Amount{Total: int64(o.Amount), Currency: "CNY"}}
	if exp := Expiry(o); !exp.IsZero() {
		body.TimeExpire = exp.In(wire.CST).Format(time.RFC3339)
	}
	resp, err := c.do(ctx, "create", o.OrderNo, http.MethodPost, "/v3/pay/transactions/native", nil, body)
	if err != nil {
		var e *pay.Error
		if errors.As(err, &e) {
			switch e.Code {
			case "ORDERPAID", "ORDER_PAID":
				e.Kind = pay.ErrPaid
			case "OUT_TRADE_NO_USED":
				// Same number, other details: it is only safe to go on if it was paid.
				if t, ok, qerr := c.query(ctx, o.OrderNo); qerr == nil && ok && t.TradeState == "SUCCESS" {
					e.Kind = pay.ErrPaid
				}
			}
		}
		return "", err
	}
	var out struct {
		CodeURL string `json:"code_url"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil || out.CodeURL == "" {
		return "", c.fail("create", o.OrderNo, pay.ErrVerify, "", "response has no code_url")
	}
	return out.CodeURL, nil
}

// MinExpiry is the shortest time limit WeChat Pay keeps.
const MinExpiry = time.Minute

// Expiry is the time_expire sent for o: its own, but never less than
// MinExpiry after the order was made.
func Expiry(o pay.Order) time.Time {
	if o.Expires.IsZero() {
		return o.Expires
	}
	if o.Window > 0 && o.Window < MinExpiry {
		return o.Expires.Add(MinExpiry - o.Window)
	}
	return o.Expires
}

// query returns the transaction, or ok=false for a signed ORDER_NOT_EXIST.
func (c *Client) query(ctx context.Context, orderNo string) (t Transaction, ok bool, err error) {
	resp, err := c.do(ctx, "query", orderNo, http.MethodGet,
		"/v3/pay/transactions/out-trade-no/"+url.PathEscape(orderNo), url.Values{"mchid": {c.cfg.MchID}}, nil)
	var e *pay.Error
	if errors.As(err, &e) && (e.Code == "ORDER_NOT_EXIST" || e.Code == "ORDERNOTEXIST") {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	if err := json.Unmarshal(resp.Body, &t); err != nil {
		return t, false, c.fail("query", orderNo, pay.ErrVerify, "", "response: "+err.Error())
	}
	if t.OutTradeNo != orderNo || t.MchID != c.cfg.MchID {
		return t, false, c.fail("query", orderNo, pay.ErrVerify, "", "response is for another order or merchant")
	}
	return t, true, nil
}

// status maps a transaction to a pay.Status, checking a paid amount.
// ACCEPT and USERPAYING are a customer still paying; REFUND means money
// moved (the order was paid, then refunded), never a failure.
func (c *Client) status(op string, o pay.Order, t Transaction) (pay.Status, error) {
	ref := t.TransactionID
	switch t.TradeState {
	case "NOTPAY":
		return pay.Status{State: pos.PaymentShown, Raw: t.TradeState}, nil
	case "USERPAYING", "ACCEPT":
		return pay.Status{State: pos.PaymentPaying, Reference: ref, Raw: t.TradeState}, nil
	case "SUCCESS", "REFUND":
		if t.Amount.Total != int64(o.Amount) {
			return pay.Status{}, c.fail(op, o.OrderNo, pay.ErrMismatch, "",
				fmt.Sprintf("paid %d fen, order is %d", t.Amount.Total, o.Amount))
		}
		st := pay.Status{State: pos.PaymentPaid, Reference: ref, Raw: t.TradeState}
		if t.TradeState == "REFUND" {
			st.Refunded = true
			st.Reason = reason("paid, and WeChat reports a refund on the order", t.TradeStateDesc)
		}
		return st, nil
	case "PAYERROR":
		return pay.Status{State: pos.PaymentFailed, Reference: ref, Raw: t.TradeState,
			Reason: reason("the payment failed", t.TradeStateDesc)}, nil
	case "CLOSED", "REVOKED":
		return pay.Status{State: pos.PaymentCancelled, Reference: ref, Raw: t.TradeState,
			Reason: reason("the order was closed", t.TradeStateDesc)}, nil
	}
	return pay.Status{}, c.fail(op, o.OrderNo, pay.ErrVerify, t.TradeState, "unknown trade_state")
}

// Query implements pay.Provider. It never reports an order expired:
// time_expire ends the chance to pay at WeChat's clock, not the till's,
// and the order stays NOTPAY until it is closed.
func (c *Client) Query(ctx context.Context, o pay.Order) (pay.Status, error) {
	t, ok, err := c.query(ctx, o.OrderNo)
	if err != nil {
		return pay.Status{}, err
	}
	if !ok {
		return pay.Status{State: pos.PaymentShown, Raw: "ORDER_NOT_EXIST"}, nil
	}
	return c.status("query", o, t)
}

func reason(what, desc string) string {
	if desc == "" {
		return what
	}
	return what + ": " + desc
}

// confirm queries after a close or reverse: the order must be reported
// closed, revoked, paid or failed (or, signed, never made); an order
// still open is not confirmed. refunded is the words for a REFUND seen
// after a reverse, which refunds a paid order.
func (c *Client) confirm(ctx context.Context, op string, o pay.Order, refunded string) (pay.Status, error) {
	t, ok, err := c.query(ctx, o.OrderNo)
	if err != nil {
		return pay.Status{}, err
	}
	if !ok {
		return pay.Status{State: pos.PaymentCancelled, Raw: "ORDER_NOT_EXIST",
			Reason: "WeChat Pay has no such order: nothing was paid"}, nil
	}
	if t.TradeState == "REFUND" && refunded != "" {
		return pay.Status{State: pos.PaymentCancelled, Reference: t.TransactionID, Raw: t.TradeState, Reason: refunded}, nil
	}
	st, err := c.status(op, o, t)
	if err == nil && st.Open() {
		return st, c.fail(op, o.OrderNo, pay.ErrUnreachable, t.TradeState, "closed, but WeChat Pay still reports the order open")
	}
	return st, err
}

// Close implements pay.Provider: close the order, then ask until WeChat
// reports it closed, because a close answers 204 whatever the order's
// state and users see payments completing after a close.
func (c *Client) Close(ctx context.Context, o pay.Order) (pay.Status, error) {
	_, err := c.do(ctx, "close", o.OrderNo, http.MethodPost,
		"/v3/pay/transactions/out-trade-no/"+url.PathEscape(o.OrderNo)+"/close", nil,
		map[string]string{"mchid": c.cfg.MchID})
	var e *pay.Error
	if errors.As(err, &e) {
		switch e.Code {
		case "ORDERPAID", "ORDER_PAID", "ORDER_CLOSED", "ORDERCLOSED", "ORDER_NOT_EXIST", "ORDERNOTEXIST":
			err = nil // signed: the query below says which
		}
	}
	if err != nil {
		return pay.Status{}, err
	}
	return c.confirm(ctx, "close", o, "")
}

func (c *Client) fail(op, orderNo string, kind error, code, msg string) *pay.Error {
	return &pay.Error{Provider: Name, Op: op, OrderNo: orderNo, Kind: kind, Code: code, Message: msg}
}

// sign returns the Authorization header for a request.
func (c *Client) sign(method, canonicalURL, body string) (string, error) {
	ts := strconv.FormatInt(c.now().Unix(), 10)
	nonce := wire.Nonce()
	sig, err := rsakey.Sign(c.key, []byte(RequestMessage(method, canonicalURL, ts, nonce, body)))
	if err != nil {
		return "", err
	}
	return Authorization(c.cfg.MchID, nonce, ts, c.cfg.SerialNo, sig), nil
}

// verify checks a response's Wechatpay-* headers against its body.
func (c *Client) verify(h http.Header, body []byte) error {
	ts, nonce, sig, serial := h.Get("Wechatpay-Timestamp"), h.Get("Wechatpay-Nonce"),
		h.Get("Wechatpay-Signature"), h.Get("Wechatpay-Serial")
	if ts == "" || nonce == "" || sig == "" || serial == "" {
		return errors.New("response is not signed")
	}
	if c.cfg.PlatformSerial != "" && serial != c.cfg.PlatformSerial {
		return fmt.Errorf("response signed by unknown key %q", serial)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("response timestamp %q", ts)
	}
	if rsakey.Verify(c.platform, []byte(ResponseMessage(ts, nonce, body)), sig) != nil {
		return errors.New("response signature does not verify")
	}
	d := c.now().Sub(time.Unix(sec, 0))
	c.skew.Store(int64(d) | 1) // |1: never zero, so "no answer yet" stays apart
	if d > MaxSkew || d < -MaxSkew {
		return fmt.Errorf("response time differs from the till's clock by %s: check the till's clock", d.Round(time.Second).Abs())
	}
	return nil
}

// do makes one signed request and verifies the response. Success is
// 2xx; anything else comes back as a *pay.Error carrying WeChat's code.
func (c *Client) do(ctx context.Context, op, orderNo, method, path string, query url.Values, body any) (*wire.Response, error) {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawPath = ""
	if query != nil {
		u.RawQuery = query.Encode()
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = wire.JSON(body); err != nil {
			return nil, fmt.Errorf("wechat %s %s: %w", op, orderNo, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("wechat %s %s: %w", op, orderNo, err)
	}
	auth, err := c.sign(method, u.RequestURI(), string(payload))
	if err != nil {
		return nil, fmt.Errorf("wechat %s %s: %w", op, orderNo, err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "till")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := wire.Do(c.http, req)
	if err != nil {
		e := c.fail(op, orderNo, pay.ErrUnreachable, "", "")
		e.Err = err
		return nil, e
	}
	ok := resp.Status >= 200 && resp.Status < 300
	if !ok && resp.Header.Get("Wechatpay-Signature") == "" {
		// An unsigned error may be forged (or a proxy's page): it changes
		// nothing, and the outcome stays unknown until a signed answer.
		return nil, c.fail(op, orderNo, pay.ErrUnreachable, "",
			fmt.Sprintf("unsigned HTTP %d answer ignored: %s", resp.Status, wire.Snippet(resp.Body)))
	}
	if err := c.verify(resp.Header, resp.Body); err != nil {
		return nil, c.fail(op, orderNo, pay.ErrVerify, "", err.Error())
	}
	if ok {
		return resp, nil
	}
	var apiErr struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(resp.Body, &apiErr)
	// A 4xx is WeChat Pay saying no; anything else (5xx, rate limits,
	// a redirect from some proxy) leaves the outcome unknown.
	kind := pay.ErrUnreachable
	if resp.Status >= 400 && resp.Status < 500 && resp.Status != http.StatusTooManyRequests && apiErr.Code != "SYSTEM_ERROR" {
		kind = pay.ErrRefused
	}
	if apiErr.Code == "" {
		apiErr.Message = fmt.Sprintf("HTTP %d: %s", resp.Status, wire.Snippet(resp.Body))
	}
	return nil, c.fail(op, orderNo, kind, apiErr.Code, apiErr.Message)
}
