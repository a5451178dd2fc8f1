package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/internal/wire"
)

var (
	_ pay.CodePayer = (*Client)(nil)
	_ pay.Refunder  = (*Client)(nil)
)

// CodePayRequest is the body of POST /v3/pay/transactions/codepay.
type CodePayRequest struct {
	AppID       string    `json:"appid"`
	MchID       string    `json:"mchid"`
	Description string    `json:"description"`
	OutTradeNo  string    `json:"out_trade_no"`
	Payer       CodePayer `json:"payer"`
	Amount      Amount    `json:"amount"`
	SceneInfo   SceneInfo `json:"scene_info"`
}

// CodePayer carries the customer's payment code.
type CodePayer struct {
	AuthCode string `json:"auth_code"`
}

// SceneInfo says where the code was scanned.
type SceneInfo struct {
	StoreInfo StoreInfo `json:"store_info"`
}

// StoreInfo names the shop (out_id is the merchant's own store ID).
type StoreInfo struct {
	OutID string `json:"out_id"`
}

// Codes WeChat answers a code payment with while the customer is still
// paying, and when its own systems are in trouble (outcome unknown).
var (
	payingCodes  = map[string]bool{"USERPAYING": true, "ACCEPT": true}
	unknownCodes = map[string]bool{"SYSTEM_ERROR": true, "SYSTEMERROR": true, "BANKERROR": true, "BANK_ERROR": true,
		"FREQUENCY_LIMITED": true, "ORDERPAID": true, "ORDER_PAID": true}
)

// PayCode implements pay.CodePayer with APIv3 code payment. SUCCESS is
// paid; USERPAYING (the customer enters a password) is paying; a signed
// refusal is a decline; anything else is unknown: query, then reverse.
func (c *Client) PayCode(ctx context.Context, o pay.Order, code string) (pay.Status, error) {
	if err := o.Check(); err != nil {
		return pay.Status{}, fmt.Errorf("wechat codepay: %w", err)
	}
	if _, kind := pos.ClassifyPayCode(code); kind != pos.CodeWeChat {
		return pay.Status{}, fmt.Errorf("wechat codepay %s: not a WeChat payment code", o.OrderNo)
	}
	store := c.cfg.StoreID
	if store == "" {
		store = c.cfg.MchID
	}
	body := CodePayRequest{AppID: c.cfg.AppID, MchID: c.cfg.MchID, Description: Description(o.Subject),
		OutTradeNo: o.OrderNo, Payer: CodePayer{AuthCode: code},
		Amount:    Amount{Total: int64(o.Amount), Currency: "CNY"},
		SceneInfo: SceneInfo{StoreInfo: StoreInfo{OutID: store}}}
	resp, err := c.do(ctx, "codepay", o.OrderNo, http.MethodPost, "/v3/pay/transactions/codepay", nil, body)
	var e *pay.Error
	switch {
	case err == nil:
		var t Transaction
		var code struct {
			Code string `json:"code"`
		}
		if json.Unmarshal(resp.Body, &code) == nil && payingCodes[code.Code] {
			return pay.Status{State: pos.PaymentPaying, Raw: code.Code}, nil // answered as 202 Accepted
		}
		if err := json.Unmarshal(resp.Body, &t); err != nil {
			return pay.Status{}, c.fail("codepay", o.OrderNo, pay.ErrVerify, "", "response: "+err.Error())
		}
		if t.OutTradeNo != o.OrderNo || t.MchID != c.cfg.MchID {
			return pay.Status{}, c.fail("codepay", o.OrderNo, pay.ErrVerify, "", "response is for another order or merchant")
		}
		return c.status("codepay", o, t)
	case errors.As(err, &e) && payingCodes[e.Code]:
		return pay.Status{State: pos.PaymentPaying, Raw: e.Code}, nil
	case errors.As(err, &e) && e.Kind == pay.ErrRefused && !unknownCodes[e.Code]:
		return pay.Status{State: pos.PaymentFailed, Raw: e.Code, Reason: reason("WeChat Pay declined", e.Message)}, nil
	case e != nil && unknownCodes[e.Code]:
		e.Kind = pay.ErrUnreachable
	}
	return pay.Status{}, err
}

// Reverse implements pay.CodePayer: reverse the order (WeChat closes an
// unpaid one and refunds a paid one), then query to confirm. A reverse
// refused because the customer is still paying is not confirmed: query
// and reverse again.
func (c *Client) Reverse(ctx context.Context, o pay.Order) (pay.Status, error) {
	_, err := c.do(ctx, "reverse", o.OrderNo, http.MethodPost,
		"/v3/pay/transactions/out-trade-no/"+url.PathEscape(o.OrderNo)+"/reverse", nil,
		map[string]string{"appid": c.cfg.AppID, "mchid": c.cfg.MchID})
	var e *pay.Error
	if errors.As(err, &e) {
		switch {
		case payingCodes[e.Code] || unknownCodes[e.Code]:
			e.Kind = pay.ErrUnreachable
		case e.Code == "ORDER_NOT_EXIST" || e.Code == "ORDERNOTEXIST" || e.Code == "ORDER_REVERSED" || e.Code == "ORDER_CLOSED":
			err = nil // signed: the query below says which
		}
	}
	if err != nil {
		return pay.Status{}, err
	}
	return c.confirm(ctx, "reverse", o, "the customer paid during the reverse; WeChat Pay refunded it")
}

// RefundRequest is the body of POST /v3/refund/domestic/refunds.
type RefundRequest struct {
	OutTradeNo  string       `json:"out_trade_no"`
	OutRefundNo string       `json:"out_refund_no"`
	Reason      string       `json:"reason,omitempty"`
	Amount      RefundAmount `json:"amount"`
}

// RefundAmount is a refund's amount in fen.
type RefundAmount struct {
	Refund   int64  `json:"refund"`
	Total    int64  `json:"total"`
	Currency string `json:"currency"`
}

// RefundAnswer is a refund as WeChat Pay reports it.
type RefundAnswer struct {
	RefundID    string       `json:"refund_id"`
	OutRefundNo string       `json:"out_refund_no"`
	OutTradeNo  string       `json:"out_trade_no"`
	Status      string       `json:"status"` // SUCCESS, CLOSED, PROCESSING, ABNORMAL
	Amount      RefundAmount `json:"amount"`
}

func (c *Client) refundStatus(op string, r pay.RefundOrder, body []byte) (pay.RefundStatus, error) {
	var a RefundAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return pay.RefundStatus{}, c.fail(op, r.OrderNo, pay.ErrVerify, "", "response: "+err.Error())
	}
	if a.OutRefundNo != r.RequestNo {
		return pay.RefundStatus{}, c.fail(op, r.OrderNo, pay.ErrVerify, "", "response is for another refund")
	}
	if a.Amount.Refund != int64(r.Amount) {
		return pay.RefundStatus{}, c.fail(op, r.OrderNo, pay.ErrMismatch, "",
			fmt.Sprintf("refund of %d fen, asked %d", a.Amount.Refund, r.Amount))
	}
	st := pay.RefundStatus{Reference: a.RefundID, Raw: a.Status}
	switch a.Status {
	case "SUCCESS":
		st.State = pos.WalletRefunded
	case "PROCESSING":
		st.State = pos.WalletProcessing
	case "ABNORMAL":
		st.State, st.Reason = pos.WalletFailed, "WeChat Pay could not pay the refund into the customer's account (ABNORMAL): finish it on the merchant platform"
	case "CLOSED":
		st.State, st.Reason = pos.WalletFailed, "WeChat Pay closed the refund"
	default:
		return pay.RefundStatus{}, c.fail(op, r.OrderNo, pay.ErrVerify, a.Status, "unknown refund status")
	}
	return st, nil
}

// Refund implements pay.Refunder. The same out_refund_no never refunds
// twice: WeChat answers a repeat with the first refund.
func (c *Client) Refund(ctx context.Context, r pay.RefundOrder) (pay.RefundStatus, error) {
	body := RefundRequest{OutTradeNo: r.OrderNo, OutRefundNo: r.RequestNo,
		Amount: RefundAmount{Refund: int64(r.Amount), Total: int64(r.Total), Currency: "CNY"}}
	if r.Reason != "" {
		body.Reason = wire.Text(r.Reason, "", 80)
	}
	resp, err := c.do(ctx, "refund", r.OrderNo, http.MethodPost, "/v3/refund/domestic/refunds", nil, body)
	var e *pay.Error
	if errors.As(err, &e) && e.Kind == pay.ErrRefused && !unknownCodes[e.Code] && e.Code != "NOT_ENOUGH" {
		return pay.RefundStatus{State: pos.WalletFailed, Raw: e.Code, Reason: reason("WeChat Pay refused the refund", e.Message)}, nil
	}
	if err != nil {
		if e != nil && (unknownCodes[e.Code] || e.Code == "NOT_ENOUGH") {
			e.Kind = pay.ErrUnreachable // try again later
		}
		return pay.RefundStatus{}, err
	}
	return c.refundStatus("refund", r, resp.Body)
}

// QueryRefund implements pay.Refunder: GET the refund by out_refund_no.
// A refund WeChat does not know is pending: it was never received.
func (c *Client) QueryRefund(ctx context.Context, r pay.RefundOrder) (pay.RefundStatus, error) {
	resp, err := c.do(ctx, "refund query", r.OrderNo, http.MethodGet,
		"/v3/refund/domestic/refunds/"+url.PathEscape(r.RequestNo), nil, nil)
	var e *pay.Error
	if errors.As(err, &e) && e.Code == "RESOURCE_NOT_EXISTS" {
		return pay.RefundStatus{State: pos.WalletPending, Raw: e.Code}, nil
	}
	if err != nil {
		return pay.RefundStatus{}, err
	}
	return c.refundStatus("refund query", r, resp.Body)
}
