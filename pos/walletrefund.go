package pos

import (
	"fmt"
	"time"
)

// WalletRefundState is where a refund to a customer's wallet is.
type WalletRefundState string

// A wallet refund goes pending -> processing -> refunded | failed. It is
// stored pending, with its request number, in the refund's own
// transaction, before anything is sent, so a retry never refunds twice.
const (
	WalletPending    WalletRefundState = "pending"    // stored; not yet accepted by the provider
	WalletProcessing WalletRefundState = "processing" // accepted; money on its way
	WalletRefunded   WalletRefundState = "refunded"   // the provider confirmed the money is back
	WalletFailed     WalletRefundState = "failed"     // refused or abnormal: a person must look
)

// Final reports whether the provider has given its last word.
func (s WalletRefundState) Final() bool { return s == WalletRefunded || s == WalletFailed }

// WalletRefund is the part of a refund that goes back to the wallet that
// paid one online tender of the sale.
type WalletRefund struct {
	RequestNo string            `json:"request_no"` // out_request_no / out_refund_no, derived from the refund
	RefundID  string            `json:"refund_id"`
	SaleID    string            `json:"sale_id"`
	PaymentID string            `json:"payment_id"`
	Provider  string            `json:"provider"`
	OrderNo   string            `json:"order_no"` // the paid order
	Amount    Money             `json:"amount"`
	Total     Money             `json:"total"` // the paid order's amount
	Currency  string            `json:"currency"`
	Reason    string            `json:"reason,omitempty"`
	State     WalletRefundState `json:"state"`
	Reference string            `json:"reference,omitempty"` // the provider's refund number
	Problem   string            `json:"problem,omitempty"`   // why it failed, or the last error, in words
	Created   time.Time         `json:"created"`
	Updated   time.Time         `json:"updated,omitzero"`
	Attempts  int               `json:"attempts,omitempty"`
}

// RefundRequestNo derives the request number of part n of a refund:
// letters and digits, at most 32 characters, the same on every retry.
func RefundRequestNo(refundID string, n int) string {
	base := OrderNo(refundID)
	if len(base) > 29 {
		base = base[:29]
	}
	return fmt.Sprintf("%sR%02d", base, n%100)
}

// WalletTender reports whether a sale's tender was paid through a
// provider that can refund to the wallet (not the offline EMV QR,
// which only the cashier confirmed).
func WalletTender(t Tender) bool {
	return t.Kind == QR && t.PaymentID != "" && !OfflineProvider(t.Provider)
}

// refundedMoney is what the refunds of already (line -> qty) gave back,
// as NewRefund prices it.
func refundedMoney(s Sale, already map[int]int64) Money {
	var m Money
	for i, l := range s.Lines {
		if q := already[i]; q > 0 {
			m += proportion(l.Net, q, l.Qty)
			if !s.TaxIncluded {
				m += proportion(l.Tax, q, l.Qty)
			}
		}
	}
	return m
}

// ToWallets sends the refund's money back the way the sale was paid:
// each online tender gets its share, in proportion to what it paid and
// counted over all refunds of the sale (so the parts never exceed what a
// tender paid, and a full refund gives each tender back exactly), and
// the rest goes back in cash, rounded to the cash step. already is what
// earlier refunds took back (line -> qty), as for NewRefund. A cashier
// who chose cash calls nothing: NewRefund already pays it all in cash.
// The wallet parts come back pending, with their request numbers.
func (r *Refund) ToWallets(s Sale, already map[int]int64, cashStep Money, at time.Time) []WalletRefund {
	before := refundedMoney(s, already)
	after := before + r.Total
	var parts []WalletRefund
	var tenders []Tender
	left := r.Total
	for _, t := range s.Tenders {
		if !WalletTender(t) || s.Total <= 0 {
			continue
		}
		share := proportion(t.Amount, int64(min(after, s.Total)), int64(s.Total)) - proportion(t.Amount, int64(min(before, s.Total)), int64(s.Total))
		share = min(share, left)
		if share <= 0 {
			continue
		}
		left -= share
		w := WalletRefund{RequestNo: RefundRequestNo(r.ID, len(parts)+1), RefundID: r.ID, SaleID: s.ID,
			PaymentID: t.PaymentID, Provider: t.Provider, OrderNo: OrderNo(s.ID), Amount: share, Total: t.Amount,
			Currency: s.Currency, Reason: r.Reason, State: WalletPending, Created: at}
		parts = append(parts, w)
		tenders = append(tenders, Tender{Kind: QR, Amount: share, Provider: t.Provider, PaymentID: t.PaymentID,
			Reference: w.RequestNo})
	}
	if len(parts) == 0 {
		return nil
	}
	cashPaid := false
	for _, t := range s.Tenders {
		cashPaid = cashPaid || t.Kind == Cash || (t.Kind == QR && !WalletTender(t))
	}
	if !cashPaid && left > 0 {
		// All wallets: a fen of rounding between the shares goes to the last.
		parts[len(parts)-1].Amount += left
		tenders[len(tenders)-1].Amount += left
		left = 0
	}
	r.Rounding = 0
	if left > 0 {
		back := RoundCash(left, cashStep)
		r.Rounding = back - left
		tenders = append(tenders, Tender{Kind: Cash, Amount: back})
	}
	r.Tenders = tenders
	return parts
}

// walletNames are the providers' names on a receipt.
var walletNames = map[string]string{"alipay": "Alipay", "wechat": "WeChat Pay"}

// RefundedTo says, for a refund receipt, where a refund tender's money
// went: "cash", or the wallet and the refund's request number.
func (t Tender) RefundedTo() string {
	if t.Kind == Cash {
		return "cash"
	}
	name := walletNames[t.Provider]
	if name == "" {
		name = t.Provider
	}
	if t.Reference == "" {
		return name + " wallet"
	}
	return name + " wallet, refund " + t.Reference
}
