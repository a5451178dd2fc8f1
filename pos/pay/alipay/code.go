package alipay

import (
	"context"
	"errors"
	"fmt"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

var (
	_ pay.CodePayer = (*Client)(nil)
	_ pay.Refunder  = (*Client)(nil)
)

// PayCode implements pay.CodePayer with alipay.trade.pay, scene bar_code:
// 10000 is paid, 10003 is the customer confirming on the phone, a signed
// business failure is a decline, and anything else (20000, no answer, an
// unsigned answer) is unknown.
func (c *Client) PayCode(ctx context.Context, o pay.Order, code string) (pay.Status, error) {
	if err := o.Check(); err != nil {
		return pay.Status{}, fmt.Errorf("alipay pay: %w", err)
	}
	if _, kind := pos.ClassifyPayCode(code); kind != pos.CodeAlipay {
		return pay.Status{}, fmt.Errorf("alipay pay %s: not an Alipay payment code", o.OrderNo)
	}
	amount, err := FormatAmount(o.Amount)
	if err != nil {
		return pay.Status{}, fmt.Errorf("alipay pay %s: %w", o.OrderNo, err)
	}
	biz := map[string]string{"out_trade_no": o.OrderNo, "scene": "bar_code", "auth_code": code,
		"total_amount": amount, "subject": Subject(o.Subject)}
	var t trade
	cm, err := c.call(ctx, "pay", o.OrderNo, MethodPay, biz, &t)
	var e *pay.Error
	switch {
	case err == nil:
		if t.OutTradeNo != o.OrderNo {
			return pay.Status{}, c.fail("pay", o.OrderNo, pay.ErrVerify, "", "response is for another order")
		}
		if t.TradeStatus == "" {
			t.TradeStatus = "TRADE_SUCCESS" // 10000 from trade.pay is a paid trade
		}
		return c.status("pay", o, t)
	case cm.Code == CodeWaiting && errors.As(err, &e) && e.Kind == pay.ErrRefused:
		return pay.Status{State: pos.PaymentPaying, Reference: t.TradeNo, Raw: CodeWaiting}, nil
	case errors.As(err, &e) && e.Kind == pay.ErrRefused && e.Code == "ACQ.TRADE_HAS_SUCCESS":
		return c.Query(ctx, o)
	case errors.As(err, &e) && e.Kind == pay.ErrRefused:
		return pay.Status{State: pos.PaymentFailed, Reference: t.TradeNo, Raw: e.Code,
			Reason: "Alipay declined: " + e.Message}, nil
	}
	return pay.Status{}, err
}

// Reverse implements pay.CodePayer with alipay.trade.cancel (closes an
// unpaid trade, refunds a paid one), then a query to confirm. A
// retry_flag=Y answer comes back as ErrUnreachable: cancel again.
func (c *Client) Reverse(ctx context.Context, o pay.Order) (pay.Status, error) {
	out, _, err := c.cancel(ctx, "reverse", o.OrderNo)
	if err != nil {
		return pay.Status{}, err
	}
	return c.confirmClosed(ctx, "reverse", o, out.Action)
}

// Refund implements pay.Refunder with alipay.trade.refund. The same
// out_request_no never refunds twice: a repeat answers fund_change=N,
// and the refund query says how the first went.
func (c *Client) Refund(ctx context.Context, r pay.RefundOrder) (pay.RefundStatus, error) {
	amount, err := FormatAmount(r.Amount)
	if err != nil {
		return pay.RefundStatus{}, fmt.Errorf("alipay refund %s: %w", r.RequestNo, err)
	}
	biz := map[string]string{"out_trade_no": r.OrderNo, "refund_amount": amount, "out_request_no": r.RequestNo}
	if r.Reason != "" {
		biz["refund_reason"] = Subject(r.Reason)
	}
	var out struct {
		TradeNo    string `json:"trade_no"`
		OutTradeNo string `json:"out_trade_no"`
		FundChange string `json:"fund_change"`
	}
	_, err = c.call(ctx, "refund", r.OrderNo, MethodRefund, biz, &out)
	var e *pay.Error
	if errors.As(err, &e) && e.Kind == pay.ErrRefused {
		return pay.RefundStatus{State: pos.WalletFailed, Raw: e.Code, Reason: "Alipay refused the refund: " + e.Message}, nil
	}
	if err != nil {
		return pay.RefundStatus{}, err
	}
	if out.OutTradeNo != r.OrderNo {
		return pay.RefundStatus{}, c.fail("refund", r.OrderNo, pay.ErrVerify, "", "response is for another order")
	}
	if out.FundChange == "Y" {
		return pay.RefundStatus{State: pos.WalletRefunded, Reference: out.TradeNo, Raw: "fund_change=Y"}, nil
	}
	return c.QueryRefund(ctx, r)
}

// QueryRefund implements pay.Refunder with
// alipay.trade.fastpay.refund.query: an answer without the request is a
// refund Alipay never took (pending: send it); one with it, whose
// refund_status is REFUND_SUCCESS or empty, is done.
func (c *Client) QueryRefund(ctx context.Context, r pay.RefundOrder) (pay.RefundStatus, error) {
	var out struct {
		OutTradeNo   string `json:"out_trade_no"`
		OutRequestNo string `json:"out_request_no"`
		RefundAmount string `json:"refund_amount"`
		RefundStatus string `json:"refund_status"`
		TradeNo      string `json:"trade_no"`
	}
	_, err := c.call(ctx, "refund query", r.OrderNo, MethodRefundQ,
		map[string]string{"out_trade_no": r.OrderNo, "out_request_no": r.RequestNo}, &out)
	var e *pay.Error
	if errors.As(err, &e) && e.Code == "ACQ.TRADE_NOT_EXIST" {
		return pay.RefundStatus{}, c.fail("refund query", r.OrderNo, pay.ErrRefused, e.Code, "the paid order is not known to Alipay")
	}
	if err != nil {
		return pay.RefundStatus{}, err
	}
	if out.OutRequestNo == "" {
		return pay.RefundStatus{State: pos.WalletPending, Raw: "not found"}, nil
	}
	if out.OutRequestNo != r.RequestNo || out.OutTradeNo != r.OrderNo {
		return pay.RefundStatus{}, c.fail("refund query", r.OrderNo, pay.ErrVerify, "", "response is for another refund")
	}
	if got, err := ParseAmount(out.RefundAmount); err != nil || got != r.Amount {
		return pay.RefundStatus{}, c.fail("refund query", r.OrderNo, pay.ErrMismatch, "",
			fmt.Sprintf("refunded %q yuan, asked %s", out.RefundAmount, r.Amount.Format(2)))
	}
	if out.RefundStatus == "" || out.RefundStatus == "REFUND_SUCCESS" {
		return pay.RefundStatus{State: pos.WalletRefunded, Reference: out.TradeNo, Raw: "REFUND_SUCCESS"}, nil
	}
	return pay.RefundStatus{State: pos.WalletProcessing, Raw: out.RefundStatus}, nil
}
