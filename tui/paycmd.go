package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
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
)

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

// complete records the sale the payment paid, with cash for the rest.
func (s *payScreen) complete(cash pos.Money) tea.Cmd {
	qr, p := s.c.deps.QR, s.p
	return s.c.work(func() tea.Msg {
		sale, err := qr.CompleteQR(p, cash)
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
