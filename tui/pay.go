package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

// payScreen is a QR payment on screen: the code beside the amount and
// its state, until it is paid (the sale is then completed), cancelled or
// expired. Its commands are in paycmd.go, its view in payview.go.
type payScreen struct {
	c     *common
	p     pos.Payment
	total pos.Money // the sale's total; p.Amount may be only part of it
	// unreachable: the online provider could not be reached to start;
	// the cashier may fall back to the offline QR with the same amount.
	unreachable bool
	amount      pos.Money
	// polling: a query to the provider is in flight; polls counts them
	// for the backoff; nextPoll is when to ask again.
	polling  bool
	polls    int
	nextPoll time.Time
}

// QRSeller takes QR payments: it stores each payment before the code is
// shown, moves it through its states, and completes the sale it paid.
// *register.Register satisfies it.
type QRSeller interface {
	// StartQR uses the online provider unless offline is set or none is
	// set up; an unreachable provider gives an error matching
	// pay.ErrUnreachable.
	StartQR(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money, offline bool) (pos.Payment, error)
	MoveQR(id string, to pos.PaymentState, reason string) (pos.Payment, error)
	PollQR(ctx context.Context, id string) (pos.Payment, error)
	EndQR(ctx context.Context, id string, to pos.PaymentState, reason string) (pos.Payment, error)
	CompleteQR(p pos.Payment, cashGiven pos.Money) (pos.Sale, error)
}

// OpenPayments lists QR payments not yet final, to resume one left
// waiting when Till stopped.
type OpenPayments interface {
	OpenPayments() ([]pos.Payment, error)
}

func (s *payScreen) split() bool  { return s.p.Amount < s.total }
func (s *payScreen) online() bool { return s.p.Provider != "" && s.p.Provider != "emvqr" }

// waiting: the code is out and nothing final has happened to it yet.
func (s *payScreen) waiting() bool { return s.p.ID != "" && !s.p.State.Final() }

func (s *payScreen) title() string { return "QR payment" }

// startQR begins a QR payment of amount (the whole total, or the QR part
// of a split tender) and shows it once it is stored: online with the
// provider when one is set up, unless offline. It stays on from when the
// payment cannot start.
func startQR(c *common, from screen, amount pos.Money, offline bool) (screen, tea.Cmd) {
	if c.deps.QR == nil {
		c.fail("QR payment is not set up on this till; take cash.", nil)
		return from, nil
	}
	t, err := pos.Price(c.cart, c.deps.TaxIncluded)
	if err != nil {
		c.fail("This cart cannot be priced.", err)
		return from, nil
	}
	if amount <= 0 || amount > t.Total {
		c.fail(fmt.Sprintf("A QR part must be more than 0 and at most %s.", c.money(t.Total)), nil)
		return from, nil
	}
	s := &payScreen{c: c, total: t.Total, amount: amount}
	c.info("Creating the QR code…")
	return s, s.start(amount, offline)
}

type payKeys struct{ paid, cancel, again, offline, back key.Binding }

func (s *payScreen) keys() payKeys {
	k := &s.c.keys
	return payKeys{
		paid:    on(k.QRPaid, s.waiting() && !s.online()),
		cancel:  on(k.QRCancel, s.waiting()),
		again:   on(k.QRNew, s.p.ID != "" && !s.waiting()),
		offline: on(k.QROffline, s.unreachable),
		back:    on(named(k.Back, "esc", "back to take cash"), !s.waiting()),
	}
}

func (s *payScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.paid, k.cancel, k.again, k.offline, k.back}
}
func (s *payScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *payScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s.key(msg)
	case qrMsg:
		return s.result(msg)
	case qrPolledMsg:
		return s.polled(msg)
	case qrTickMsg:
		return s, s.ticked(msg)
	case saleDoneMsg:
		return saleDone(s.c, s, msg)
	}
	return s, nil
}

func (s *payScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c, keys := s.c, s.keys()
	switch {
	case key.Matches(k, keys.offline):
		return startQR(c, s, s.amount, true)
	case key.Matches(k, keys.paid):
		c.askYes(fmt.Sprintf("Does the customer's app show %s PAID to %s?", c.money(s.p.Amount), c.deps.Shop),
			func() tea.Cmd { return s.move(pos.PaymentPaid, "") })
	case key.Matches(k, keys.cancel):
		c.askYes("Cancel this QR payment? (only if the customer has NOT paid)",
			func() tea.Cmd { return s.end(pos.PaymentCancelled, "cancelled by the cashier") })
	case key.Matches(k, keys.again):
		return startQR(c, s, s.amount, false)
	case key.Matches(k, keys.back):
		return openCheckout(c), nil
	default:
		if k.Text != "" && s.waiting() {
			c.fail("Finish or cancel the QR payment first (p paid · c cancel).", nil)
		}
	}
	return s, nil
}

// result applies a payment that came back from the store.
func (s *payScreen) result(msg qrMsg) (screen, tea.Cmd) {
	c := s.c
	if msg.err != nil {
		switch {
		case s.p.ID == "" && errors.Is(msg.err, pay.ErrUnreachable) && c.deps.QROffline:
			s.unreachable = true
			c.fail("The payment provider cannot be reached. e: offline QR · esc: back to take cash.", msg.err)
		case s.p.ID == "" && errors.Is(msg.err, pay.ErrUnreachable):
			next := openCheckout(c)
			c.fail("The payment provider cannot be reached; nothing was charged. Take cash.", msg.err)
			return next, nil
		case s.p.ID == "":
			next := openCheckout(c)
			c.fail("Could not start the QR payment; nothing was charged. Take cash or try again.", msg.err)
			return next, nil
		default:
			c.fail("Could not do that; the payment is unchanged. Try again.", msg.err)
		}
		return s, nil
	}
	s.p = msg.p
	s.unreachable = false
	switch msg.p.State {
	case pos.PaymentShown, pos.PaymentCreated:
		c.info("Waiting for the customer to pay.")
		return s, s.tick()
	case pos.PaymentPaid:
		if s.online() {
			c.info("Paid: %s confirmed it.", s.p.Provider)
		}
		return s, s.paid()
	case pos.PaymentExpired:
		c.fail("The QR code expired. n: new code · esc: back to take cash.", nil)
	case pos.PaymentFailed:
		c.fail("The payment failed. n: new code · esc: back to take cash.", nil)
	case pos.PaymentCancelled:
		next := openCheckout(c)
		c.info("QR payment cancelled; the cart is still here.")
		return next, nil
	}
	return s, nil
}

func (s *payScreen) polled(msg qrPolledMsg) (screen, tea.Cmd) {
	c := s.c
	if s.p.ID != msg.p.ID {
		return s, nil
	}
	s.polling = false
	s.polls++
	s.nextPoll = c.deps.Now().Add(pay.NextDelay(s.polls))
	if msg.err != nil {
		c.deps.Log.Warn("poll payment", "id", s.p.ID, "err", msg.err)
		if errors.Is(msg.err, pay.ErrUnreachable) {
			c.fail("Cannot reach the payment provider; still trying. The customer's payment is safe.", nil)
		}
		return s, nil
	}
	if msg.p.State == s.p.State {
		return s, nil
	}
	return s.result(qrMsg{p: msg.p})
}

// paid completes the sale, asking for the rest in cash if the QR paid
// only part of it.
func (s *payScreen) paid() tea.Cmd {
	c := s.c
	if s.split() {
		rest := pos.RoundCash(s.total-s.p.Amount, c.deps.Currency.CashStep)
		c.askLine(fmt.Sprintf("QR paid. Cash given for the remaining %s (empty = exact):", c.money(rest)),
			func(text string) (tea.Cmd, string) {
				given, why := c.cashGiven(text, rest)
				if why != "" {
					return nil, why
				}
				return s.complete(given), ""
			})
		return nil
	}
	return s.complete(0)
}

func (s *payScreen) ticked(msg qrTickMsg) tea.Cmd {
	c := s.c
	if s.p.ID != msg.id || s.p.State.Final() {
		return nil
	}
	if s.p.Expired(c.deps.Now()) {
		return s.end(pos.PaymentExpired, "")
	}
	if s.online() && !s.polling && !c.deps.Now().Before(s.nextPoll) {
		return tea.Batch(s.poll(), s.tick())
	}
	return s.tick()
}

// open resumes a payment found waiting when Till started: the terminal
// was closed or crashed while a customer was paying.
func (msg openPaysMsg) open(c *common) (screen, tea.Cmd) {
	if msg.err != nil {
		c.deps.Log.Error("read waiting payments", "err", msg.err)
		return nil, nil
	}
	if len(msg.ps) == 0 || c.deps.QR == nil {
		return nil, nil
	}
	p := msg.ps[0]
	t, err := pos.Price(p.Cart, c.deps.TaxIncluded)
	if err != nil {
		c.fail("A waiting QR payment has a cart that cannot be priced.", err)
		return nil, nil
	}
	c.cart, c.started, c.line = cloneCart(p.Cart), p.Started, 0
	s := &payScreen{c: c, p: p, total: t.Total}
	switch {
	case p.State == pos.PaymentPaid:
		c.info("A QR payment was confirmed before Till closed; finishing its sale.")
		return s, s.paid()
	case p.Expired(c.deps.Now()):
		return s, s.end(pos.PaymentExpired, "")
	case s.online():
		c.info("Resumed the sale that was waiting for QR payment; asking %s.", p.Provider)
		return s, tea.Batch(s.poll(), s.tick())
	}
	c.info("Resumed the sale that was waiting for QR payment: p paid · c cancel.")
	return s, s.tick()
}
