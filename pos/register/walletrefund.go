package register

import (
	"context"
	"errors"
	"fmt"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/staff"
)

// RefundToWallet refunds the wanted quantities of a sale (nil: all not
// yet refunded) and sends the money back the way the sale was paid:
// each online tender's share to its own wallet (Alipay, WeChat Pay), the
// rest in cash. Use Refund instead when the cashier chooses cash.
//
// The refund, its stock and its wallet parts (pending, each with a
// request number derived from the refund) are stored in one transaction
// before anything is sent, so a retry never refunds twice. Then each
// part is sent; a part that cannot be sent now stays pending and
// CheckPayments sends it when the provider is reachable. The refund
// record's tenders say where the money went; the wallet parts returned
// say how far each has got. The error is only about storing: a sending
// failure is in the part's Problem.
//
// On a till with staff it is the logged-in cashier's refund and needs the
// refund (or void) permission at its amount, as RefundWith does: what the
// role leaves to a manager is refused with ErrNeedsApproval before
// anything is stored or sent (money cannot be called back from a wallet).
func (r *Register) RefundToWallet(ctx context.Context, saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, []pos.WalletRefund, error) {
	return r.RefundToWalletWith(ctx, saleID, want, kind, reason, nil)
}

// RefundToWalletWith is RefundToWallet with the managers' approvals the
// refund needs, checked and stored on the refund in its transaction.
func (r *Register) RefundToWalletWith(ctx context.Context, saleID string, want map[int]int64, kind pos.RefundKind, reason string, approvals []staff.Approval) (pos.Refund, []pos.WalletRefund, error) {
	name, cid, err := r.cashier()
	if err != nil {
		return pos.Refund{}, nil, err
	}
	voided, err := r.voidedThisPeriod(cid, kind)
	if err != nil {
		return pos.Refund{}, nil, err
	}
	id, err := r.NewID()
	if err != nil {
		return pos.Refund{}, nil, err
	}
	now := r.Now()
	ref, parts, err := r.Store.RefundToWallets(saleID, func(s pos.Sale, already map[int]int64) (pos.Refund, []pos.WalletRefund, error) {
		if kind == pos.KindVoid && len(already) > 0 {
			return pos.Refund{}, nil, fmt.Errorf("sale %s is already partly refunded; refund the rest instead of voiding", saleID)
		}
		w := want
		if w == nil {
			w = pos.Remaining(s, already)
		}
		ref, err := pos.NewRefund(id, name, kind, now, s, already, w, r.Currency.CashStep, reason)
		if err != nil {
			return ref, nil, err
		}
		perm := staff.Refund
		if kind == pos.KindVoid {
			perm = staff.Void
		}
		if err := r.gate([]need{{perm, int64(voided + ref.Total + ref.Rounding)}}, approvals); err != nil {
			return pos.Refund{}, nil, fmt.Errorf("refund of sale %s: %w", saleID, err)
		}
		ref.CashierID, ref.Approvals = cid, approvals
		if err := ref.Check(); err != nil {
			return pos.Refund{}, nil, fmt.Errorf("refund %s: %w", ref.ID, err)
		}
		parts := ref.ToWallets(s, already, r.Currency.CashStep, now)
		if len(parts) == 0 {
			return ref, nil, fmt.Errorf("sale %s was not paid through a wallet; refund it in cash", saleID)
		}
		return ref, parts, nil
	})
	if err != nil {
		return ref, nil, err
	}
	for i, w := range parts {
		if got, err := r.SendWalletRefund(ctx, w.RequestNo); err == nil || got.RequestNo != "" {
			parts[i] = got
		}
	}
	return ref, parts, nil
}

// SendWalletRefund sends a pending wallet refund, or asks how a
// processing one went, and stores the answer. A final one comes back as
// stored. An error leaves it as it was (its Problem says why, in words)
// for the next try.
func (r *Register) SendWalletRefund(ctx context.Context, requestNo string) (pos.WalletRefund, error) {
	w, err := r.Store.WalletRefund(requestNo)
	if err != nil || w.State.Final() {
		return w, err
	}
	prov, err := r.providerNamed(w.Provider)
	if err != nil {
		return w, err
	}
	rf, ok := prov.(pay.Refunder)
	if !ok {
		return w, fmt.Errorf("%s on this till does not refund to wallets", w.Provider)
	}
	ro := pay.RefundOrder{OrderNo: w.OrderNo, RequestNo: w.RequestNo, Amount: w.Amount, Total: w.Total, Reason: w.Reason}
	var st pay.RefundStatus
	if w.State == pos.WalletPending {
		st, err = rf.Refund(ctx, ro)
	} else {
		st, err = rf.QueryRefund(ctx, ro)
	}
	now := r.Now()
	if err != nil {
		words := pay.Words(err)
		if errors.Is(err, pay.ErrUnreachable) {
			words = "Not sent yet: the provider cannot be reached. Till sends it when it can."
		}
		got, uerr := r.Store.UpdateWalletRefund(requestNo, func(q *pos.WalletRefund) error {
			q.Attempts++
			q.Updated = now
			q.Problem = words
			return nil
		})
		if uerr != nil {
			return w, errors.Join(err, uerr)
		}
		return got, err
	}
	return r.Store.UpdateWalletRefund(requestNo, func(q *pos.WalletRefund) error {
		q.Attempts++
		q.Updated = now
		q.Problem = st.Reason
		if st.Reference != "" {
			q.Reference = st.Reference
		}
		if st.State != pos.WalletPending || q.State != pos.WalletPending {
			q.State = st.State
		}
		return nil
	})
}

// PendingWalletRefunds lists the wallet refunds not done yet, for the
// reports screen.
func (r *Register) PendingWalletRefunds() ([]pos.WalletRefund, error) {
	return r.Store.OpenWalletRefunds()
}

// WalletRefundsOf lists the wallet parts of a refund, for its receipt.
func (r *Register) WalletRefundsOf(refundID string) ([]pos.WalletRefund, error) {
	return r.Store.WalletRefundsOf(refundID)
}
