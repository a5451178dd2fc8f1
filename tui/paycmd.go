package tui

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

// The pay screen's messages and commands. Each command copies what it
// needs before it is returned.
type (
	// qrMsg is a payment as the store has it after a start or a move.
	qrMsg struct {
		p   pos.Payment
		err error
	}
	qrTickMsg struct{ id string }
	// qrPolledMsg is a provider's answer; polls run in the background
	// and do not hold up the keyboard.
	qrPolledMsg struct {
		p   pos.Payment
		err error
	}
	// openPaysMsg is the payments left waiting at start-up; it opens the
	// pay screen to finish one.
	openPaysMsg struct {
		ps  []pos.Payment
		err error
	}
	// lateRefundMsg is a late payment's wallet refund, stored (and sent,
	// unless err).
	lateRefundMsg struct {
		w   pos.WalletRefund
		err error
	}
)

// errAttemptOpen: a new payment code refused while an earlier attempt
// may still charge a customer.
var errAttemptOpen = errors.New("an earlier payment-code attempt is open")

// codePollEvery is how often a payment-code payment is asked about
// (register.CodePollEvery).
const codePollEvery = 5 * time.Second

// startCode sends the scanned payment code for amount. The code is a
// one-time bearer token: it lives only in this command, never on the
// screen or in the log.
func (s *payScreen) startCode(amount pos.Money, scan string) tea.Cmd {
	cs, cart, started, ctx := s.c.deps.Code, cloneCart(s.c.cart), s.c.started, s.c.deps.Ctx
	return s.c.work(func() tea.Msg {
		p, err := cs.StartCodePay(ctx, cart, started, amount, scan)
		if err != nil && p.ID != "" && !p.Started.Equal(started) {
			// The payment that came back is an earlier attempt, still open
			// (register.ErrAttemptOpen), for another cart: this code was
			// not sent.
			return qrMsg{err: fmt.Errorf("%w: %w", errAttemptOpen, err)}
		}
		return qrMsg{p: p, err: err}
	})
}

// refundLate sends a late payment, or the paid part of a cart whose
// sale is not made, back to the customer's wallet.
func (s *payScreen) refundLate() tea.Cmd {
	w, id, ctx := s.c.deps.Watch, s.p.ID, s.c.deps.Ctx
	reason := "paid after the order was closed; refunded at the counter"
	if !s.late {
		reason = "paid part of a sale the customer could not finish; refunded at the counter"
	}
	return s.c.work(func() tea.Msg {
		r, err := w.RefundLate(ctx, id, reason)
		return lateRefundMsg{w: r, err: err}
	})
}

// start stores a new payment and shows its code.
func (s *payScreen) start(amount pos.Money, offline bool) tea.Cmd {
	qr, cart, started, ctx := s.c.deps.QR, cloneCart(s.c.cart), s.c.started, s.c.deps.Ctx
	return s.c.work(func() tea.Msg {
		p, err := qr.StartQR(ctx, cart, started, amount, offline)
		if err != nil {
			return qrMsg{err: err}
		}
		p, err = qr.MoveQR(p.ID, pos.PaymentShown, "")
		return qrMsg{p: p, err: err}
	})
}

func (s *payScreen) move(to pos.PaymentState, reason string) tea.Cmd {
	qr, id := s.c.deps.QR, s.p.ID
	return s.c.work(func() tea.Msg {
		p, err := qr.MoveQR(id, to, reason)
		return qrMsg{p: p, err: err}
	})
}

// end cancels or expires the payment, at the provider too when online.
func (s *payScreen) end(to pos.PaymentState, reason string) tea.Cmd {
	qr, id, ctx := s.c.deps.QR, s.p.ID, s.c.deps.Ctx
	return s.c.work(func() tea.Msg {
		p, err := qr.EndQR(ctx, id, to, reason)
		return qrMsg{p: p, err: err}
	})
}

// poll asks the provider once, in the background.
func (s *payScreen) poll() tea.Cmd {
	qr, id, ctx := s.c.deps.QR, s.p.ID, s.c.deps.Ctx
	s.polling = true
	return func() tea.Msg {
		p, err := qr.PollQR(ctx, id)
		return qrPolledMsg{p: p, err: err}
	}
}

// complete records the sale the payment paid, with cash for the rest
// (a late payment through the watch, which checks it is still open).
//
// On a till with staff the sale is the cashier's and carries the
// approvals the cart collected (a discount above their limit, a price
// override, a removed line), as a cash sale does; a discount the register
// still refuses opens the approval prompt and the sale is retried with it.
func (s *payScreen) complete(cash pos.Money) tea.Cmd {
	qr, w, p, late := s.c.deps.QR, s.c.deps.Watch, s.p, s.late
	var st Staff
	var aps []staff.Approval
	if s.c.people.on && s.c.deps.Staff != nil {
		st = s.c.deps.Staff
		again := func() tea.Cmd { return s.complete(cash) }
		if late {
			// A late payment's cart is not the open one: its approvals
			// are its own, asked for here.
			aps = s.lateApprovals
			s.gate = s.c.saleGateOf(p.Cart, aps, func(ap staff.Approval) { s.lateApprovals = append(s.lateApprovals, ap) }, again)
		} else {
			aps = s.c.cartApprovals(p.Cart)
			s.gate = s.c.saleGate(again)
		}
	}
	return s.c.work(func() tea.Msg {
		var sale pos.Sale
		var err error
		switch {
		case late && st != nil:
			sale, err = st.CompleteLateWith(p.ID, cash, aps)
		case late:
			sale, err = w.CompleteLate(p.ID, cash)
		case st != nil:
			sale, err = st.CompleteQRWith(p, cash, aps)
		default:
			sale, err = qr.CompleteQR(p, cash)
		}
		return saleDoneMsg{sale: sale, err: err}
	})
}

// tick wakes the screen in a second: the countdown, expiry and polls.
func (s *payScreen) tick() tea.Cmd {
	id := s.p.ID
	return s.c.tick(time.Second, func(time.Time) tea.Msg { return qrTickMsg{id: id} })
}

// loadOpenPayments looks for a payment left waiting when Till stopped.
func loadOpenPayments(c *common) tea.Cmd {
	var st OpenPayments = c.deps.Store
	return func() tea.Msg {
		ps, err := st.OpenPayments()
		return openPaysMsg{ps: ps, err: err}
	}
}
