package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/tui/qrtext"
)

// payScreen is a payment on screen: a QR code the customer scans (beside
// the amount and its state), or the customer's payment code the cashier
// scanned (its state in words), until it is paid (the sale is then
// completed), or ends without money. Its commands are in paycmd.go, its
// view in payview.go.
//
// A paid payment stays attached to its cart: the screen cannot be left
// for checkout or a new code until its sale is saved (with cash for the
// rest of a split), so the same goods are never sold twice and the
// customer is never shown a second code for money already paid.
type payScreen struct {
	c     *common
	p     pos.Payment
	total pos.Money // the sale's total; p.Amount may be only part of it
	// unreachable: the online provider could not be reached to start;
	// the cashier may fall back to the offline QR with the same amount.
	unreachable bool
	amount      pos.Money
	// code: the customer's payment code, scanned; no QR is drawn.
	code bool
	// late: a payment the provider reported paid after it had confirmed
	// the order closed; resolved by finishing its sale or refunding it.
	late bool
	// polling: a query to the provider is in flight; polls counts them
	// for the backoff; nextPoll is when to ask again.
	polling  bool
	polls    int
	nextPoll time.Time
	// unknown says, when set, why the outcome is not known right now
	// (the provider cannot be reached); it is shown beside the state.
	unknown string
	// gate is a discount to have approved if the register refuses the
	// sale for want of one (see complete).
	gate *gated
	// lateApprovals are the approvals a late payment's sale was given.
	lateApprovals []staff.Approval
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

// CodeSeller charges the customer's payment code (付款码) that the cashier
// scans. *register.Register satisfies it. The payment then goes on like
// a QR one: QRSeller.PollQR polls it (as PollCodePay), EndQR withdraws it
// (as CancelCodePay) and CompleteQR saves its sale.
type CodeSeller interface {
	StartCodePay(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money, scan string) (pos.Payment, error)
}

// OpenPayments lists QR payments not yet final, to resume one left
// waiting when Till stopped.
type OpenPayments interface {
	OpenPayments() ([]pos.Payment, error)
}

func (s *payScreen) split() bool  { return s.p.Amount < s.total }
func (s *payScreen) online() bool { return s.p.Online() }

// waiting: the code is out (or sent) and nothing final has happened to
// it yet.
func (s *payScreen) waiting() bool { return s.p.ID != "" && !s.p.State.Final() }

// unconfirmed: the till asked the provider to close or withdraw the
// order and the provider has not confirmed it: the customer may still
// be charged, so no other money may be taken yet.
func (s *payScreen) unconfirmed() bool {
	return s.p.State == pos.PaymentClosing || s.p.State == pos.PaymentReversing
}

// paidOpen: paid, its sale not saved yet.
func (s *payScreen) paidOpen() bool { return s.p.State == pos.PaymentPaid && !s.p.Applied }

// rest is the cash still due once the payment is in.
func (s *payScreen) rest() pos.Money {
	return pos.RoundCash(s.total-s.p.Amount, s.c.deps.Currency.CashStep)
}

func (s *payScreen) title() string {
	if s.code {
		return s.c.t("Payment code")
	}
	return s.c.t("QR payment")
}

// probes are payloads as long as a real one, to check the terminal is
// big enough for the code before the payment (and its clock) starts.
var probes = map[bool]string{
	false: "https://qr.alipay.com/bax00000000000000000000000000000000000", // an online order's link
	true:  strings.Repeat("0", 150),                                       // an EMV payload
}

// fits reports whether a code like the one a payment would show fits the
// terminal beside the pay panel, with the size needed when it does not.
func (c *common) fits(offline bool) (bool, string) {
	_, err := qrtext.Fit(probes[offline], c.w-payPanel-1, c.h)
	var tooSmall *qrtext.TooSmallError
	if errors.As(err, &tooSmall) {
		return false, fmt.Sprintf("%dx%d", tooSmall.NeedW+payPanel+1, tooSmall.NeedH)
	}
	return true, ""
}

// startQR begins a QR payment of amount (the whole total, or the QR part
// of a split tender) and shows it once it is stored: online with the
// provider when one is set up, unless offline. It stays on from when the
// payment cannot start, and starts nothing (so no clock runs) on a
// terminal too small for the code.
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
		c.fail(c.t("A QR part must be more than 0 and at most %s.", c.money(t.Total)), nil)
		return from, nil
	}
	if ok, need := c.fits(offline); !ok {
		c.fail(c.t("Window too small for a QR, needs %s: nothing started.", need), nil)
		return from, nil
	}
	s := &payScreen{c: c, total: t.Total, amount: amount}
	c.info("Creating the QR code…")
	return s, s.start(amount, offline)
}

// startCode charges the customer's payment code, scanned on checkout,
// for amount.
func startCode(c *common, from screen, amount pos.Money, scan string) (screen, tea.Cmd) {
	if c.deps.Code == nil || c.deps.QR == nil {
		c.fail("Payment codes are not taken on this till (no online provider); take cash or show a QR.", nil)
		return from, nil
	}
	t, err := pos.Price(c.cart, c.deps.TaxIncluded)
	if err != nil {
		c.fail("This cart cannot be priced.", err)
		return from, nil
	}
	s := &payScreen{c: c, total: t.Total, amount: amount, code: true}
	c.info("Sending the payment code…")
	return s, s.startCode(amount, scan)
}

type payKeys struct{ paid, cancel, again, offline, back, cash, exact, leave, refund key.Binding }

func (s *payScreen) keys() payKeys {
	k := &s.c.keys
	cash := named(k.Enter, "enter", "finish the sale")
	if s.split() {
		cash = named(k.Enter, "enter", "cash for the rest")
	}
	final := s.p.ID != "" && !s.waiting()
	cancel := named(k.QRCancel, "c", "cancel the QR")
	if s.code {
		cancel = named(k.QRCancel, "c", "cancel the payment")
	}
	return payKeys{
		paid:    on(named(k.QRPaid, "p", "customer has paid"), s.waiting() && !s.online()),
		cancel:  on(cancel, s.waiting() && !s.unconfirmed() && !s.late),
		again:   on(named(k.QRNew, "n", "new QR code"), final && !s.paidOpen() && !s.code),
		offline: on(named(k.QROffline, "e", "offline QR instead"), s.unreachable),
		back:    on(named(k.Back, "esc", "back to take cash"), !s.waiting() && !s.paidOpen()),
		cash:    on(cash, s.paidOpen()),
		exact:   on(named(k.Exact, k.Exact.Help().Key, "exact rest"), s.paidOpen() && s.split()),
		leave:   on(k.Leave, s.unconfirmed()),
		// A late payment, or the paid part of a cart the customer cannot
		// pay the rest of, may go back to the wallet (online only: an
		// offline code has no provider to refund it).
		refund: on(k.Refund2Wallet, s.paidOpen() && (s.late || s.online()) && s.c.deps.Watch != nil),
	}
}

func (s *payScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.cash, k.exact, k.refund, k.paid, k.cancel, k.again, k.offline, k.leave, k.back}
}
func (s *payScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

// quitQuestion is what ctrl+c asks on the pay screen: the payment is
// stored, so quitting loses nothing; Till resumes it when it starts.
func (s *payScreen) quitQuestion() string {
	switch {
	case s.paidOpen():
		return s.c.t("Quit? The paid part stays with this cart; Till asks for the rest when it starts again.")
	case s.waiting():
		return s.c.t("Quit? This payment is kept; Till resumes it when it starts again.")
	}
	return ""
}

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
		if s.c.refused(s.gate, msg.err) {
			return s, nil
		}
		return saleDone(s.c, s, msg)
	case lateRefundMsg:
		return s.refunded(msg)
	}
	return s, nil
}

func (s *payScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c, keys := s.c, s.keys()
	switch {
	case key.Matches(k, keys.offline):
		return startQR(c, s, s.amount, true)
	case key.Matches(k, keys.paid):
		c.askYes(c.t("Does the customer's app show %s PAID to %s?", c.money(s.p.Amount), c.deps.Shop),
			func() tea.Cmd { return s.move(pos.PaymentPaid, "") })
	case key.Matches(k, keys.cancel):
		q := c.t("Cancel this QR payment? (only if the customer has NOT paid)")
		if s.code {
			q = c.t("Cancel this payment? The till withdraws it at the provider first.")
		}
		c.askYes(q, func() tea.Cmd { return s.end(pos.PaymentCancelled, "cancelled by the cashier") })
	case key.Matches(k, keys.again):
		return startQR(c, s, s.amount, false)
	case key.Matches(k, keys.back):
		return openCheckout(c), nil
	case key.Matches(k, keys.cash):
		return s, s.paid()
	case key.Matches(k, keys.exact):
		return s, s.complete(s.rest())
	case key.Matches(k, keys.refund):
		q := c.t("Send %s back to the customer's %s wallet? (the sale is not made)", c.money(s.p.Amount), c.t(providerName(s.p.Provider)))
		if !s.late {
			q = c.t("Send the paid %s back to the customer's %s wallet? The cart stays, to be paid another way.", c.money(s.p.Amount), c.t(providerName(s.p.Provider)))
		}
		c.askYes(q, func() tea.Cmd { return s.refundLate() })
	case key.Matches(k, keys.leave):
		return s.leave()
	default:
		if k.Text != "" {
			c.fail(s.hint(), nil)
		}
	}
	return s, nil
}

// hint is the message for a key that does nothing here: the keys that do.
func (s *payScreen) hint() string {
	var ks []string
	for _, b := range s.ShortHelp() {
		if b.Enabled() {
			ks = append(ks, b.Help().Key+" "+s.c.t(b.Help().Desc))
		}
	}
	if len(ks) == 0 {
		return s.c.t("Wait for the payment to finish.")
	}
	return s.c.t("This screen takes only: %s.", strings.Join(ks, s.c.t(" · ")))
}

// leave hands a payment that cannot be confirmed closed to the
// background check and goes back to an empty sale: the till keeps
// closing the order, says when it is closed, and opens it again if the
// customer paid after all, so its goods are sold once.
func (s *payScreen) leave() (screen, tea.Cmd) {
	c := s.c
	c.left = append(c.left, s.p)
	c.newCart()
	c.fail("Left with the till: it keeps closing the %s order for %s. Do NOT take other money for those goods until it says closed.",
		nil, c.t(providerName(s.p.Provider)), c.money(s.p.Amount))
	return newSell(c), nil
}

// result applies a payment that came back from the store.
func (s *payScreen) result(msg qrMsg) (screen, tea.Cmd) {
	c := s.c
	if msg.err != nil && msg.p.ID == "" {
		switch {
		case s.p.ID == "" && errors.Is(msg.err, pay.ErrUnreachable) && c.deps.QROffline && !s.code:
			s.unreachable = true
			c.fail("The payment provider cannot be reached. e: offline QR · esc: back to take cash.", msg.err)
		case s.p.ID == "" && errors.Is(msg.err, pay.ErrUnreachable):
			next := openCheckout(c)
			c.fail("The payment provider cannot be reached; nothing was charged. Take cash.", msg.err)
			return next, nil
		case s.p.ID == "" && errors.Is(msg.err, errAttemptOpen):
			next := openCheckout(c)
			c.fail("The previous payment-code attempt is not finished (it is being withdrawn): wait for it, or take cash or show a QR.", msg.err)
			return next, nil
		case s.p.ID == "":
			next := openCheckout(c)
			c.fail("Could not start the payment; nothing was charged: %s", msg.err, c.t(pay.Words(msg.err)))
			return next, nil
		default:
			c.fail("Could not do that; the payment is unchanged. Try again.", msg.err)
		}
		return s, nil
	}
	if s.p.ID != "" && msg.p.ID != s.p.ID {
		return s, nil
	}
	first := s.p.ID == ""
	s.p = msg.p
	s.unreachable = false
	if msg.err != nil {
		// Stored, outcome unknown (not sent, not answered, not confirmed
		// closed): keep asking; say what is known.
		c.deps.Log.Warn("payment", "id", s.p.ID, "state", s.p.State, "err", msg.err)
		s.unknown = pay.Words(msg.err)
		if s.code && s.p.State == pos.PaymentSubmitted && first {
			c.fail("No answer yet about the payment code; asking again. Do not take other money yet.", nil)
		} else {
			c.fail(s.knownWords(), nil)
		}
		return s, s.keepAsking()
	}
	s.unknown = ""
	switch msg.p.State {
	case pos.PaymentShown, pos.PaymentCreated:
		c.info("Waiting for the customer to pay.")
		return s, s.tick()
	case pos.PaymentSubmitted:
		c.info("Sent to %s; waiting for its answer.", c.t(providerName(s.p.Provider)))
		return s, s.keepAsking()
	case pos.PaymentPaying:
		c.info("The customer is entering the password on the phone.")
		return s, s.keepAsking()
	case pos.PaymentClosing, pos.PaymentReversing:
		c.fail(s.knownWords(), nil)
		return s, s.keepAsking()
	case pos.PaymentPaid:
		if s.online() {
			c.info("Paid: %s confirmed it.", c.t(providerName(s.p.Provider)))
		} else {
			c.info("Paid: confirmed by the cashier.")
		}
		return s, s.paid()
	case pos.PaymentExpired:
		c.fail("The QR code expired; nothing was charged. n: new code · esc: back to take cash.", nil)
	case pos.PaymentFailed:
		if s.code {
			next := openCheckout(c)
			c.fail("The payment code was declined%s; nothing was charged. Scan again or take other money.", nil, reasonWords(s.p.Reason))
			return next, nil
		}
		c.fail("The payment failed; nothing was charged. n: new code · esc: back to take cash.", nil)
	case pos.PaymentReversed:
		next := openCheckout(c)
		c.info("The payment was withdrawn; nothing stays charged. Take other money or scan again.")
		return next, nil
	case pos.PaymentCancelled:
		next := openCheckout(c)
		c.info("QR payment cancelled; nothing charged; cart kept.")
		return next, nil
	}
	return s, nil
}

// knownWords says what is known about the money of a payment whose
// outcome is not confirmed.
func (s *payScreen) knownWords() string {
	c := s.c
	who := c.t(providerName(s.p.Provider))
	switch s.p.State {
	case pos.PaymentClosing:
		return c.t("Closing the order at %s, not confirmed yet: the customer may still pay it. Do not take other money yet.", who)
	case pos.PaymentReversing:
		return c.t("Withdrawing the payment at %s, not confirmed yet. Do not take other money yet.", who)
	}
	if s.unknown != "" {
		return c.t("No answer from %s: whether the customer paid is not known yet; asking again. Do not take other money yet.", who)
	}
	return c.t("Waiting for the customer to pay.")
}

func (s *payScreen) polled(msg qrPolledMsg) (screen, tea.Cmd) {
	c := s.c
	if s.p.ID != msg.p.ID && msg.p.ID != "" {
		return s, nil
	}
	s.polling = false
	s.polls++
	s.nextPoll = c.deps.Now().Add(s.delay())
	if msg.err != nil {
		c.deps.Log.Warn("poll payment", "id", s.p.ID, "err", msg.err)
		if msg.p.ID != "" {
			s.p = msg.p
		}
		s.unknown = pay.Words(msg.err)
		c.fail(s.knownWords(), nil)
		return s, nil
	}
	s.unknown = ""
	if msg.p.State == s.p.State {
		if s.unconfirmed() {
			c.fail(s.knownWords(), nil)
		}
		s.p = msg.p
		return s, nil
	}
	return s.result(qrMsg{p: msg.p})
}

// delay is how long to wait before the next question to the provider.
func (s *payScreen) delay() time.Duration {
	if s.code {
		return codePollEvery
	}
	return pay.NextDelay(s.polls)
}

// paid completes the sale, asking for the rest in cash if the payment
// paid only part of it. The prompt can be left (esc): the screen stays,
// paid, with the keys to ask again or take the exact rest.
func (s *payScreen) paid() tea.Cmd {
	c := s.c
	if s.split() {
		rest := s.rest()
		label := c.t("QR paid. Cash given for the remaining %s:", c.money(rest))
		if s.code {
			label = c.t("Code paid. Cash given for the remaining %s:", c.money(rest))
		}
		c.askAmount(label,
			func(text string) (tea.Cmd, string) {
				given, why := c.cashGiven(text, rest)
				if why != "" {
					return nil, why
				}
				return s.complete(given), ""
			})
		if p, ok := c.asked.(*prompt); ok {
			p.left = c.t("The %s part is paid and stays with this cart: enter cash for the rest, or refund it to the wallet.", c.money(s.p.Amount))
			if !s.online() {
				p.left = c.t("The %s part is paid and stays with this cart: enter cash for the rest.", c.money(s.p.Amount))
			}
		}
		return nil
	}
	return s.complete(0)
}

func (s *payScreen) ticked(msg qrTickMsg) tea.Cmd {
	c := s.c
	if s.p.ID != msg.id || s.p.State.Final() {
		return nil
	}
	if s.p.Expired(c.deps.Now()) && !s.code && (s.p.State == pos.PaymentShown || s.p.State == pos.PaymentCreated) {
		// Time is up: an offline code is dead at once; an online order is
		// closed at the provider first (closing until it confirms), so the
		// code leaves the screen either way. A payment code's own limit is
		// the register's (PollCodePay withdraws it).
		return s.end(pos.PaymentExpired, "")
	}
	if s.online() && !s.polling && !c.deps.Now().Before(s.nextPoll) {
		return tea.Batch(s.poll(), s.tick())
	}
	return s.tick()
}

// keepAsking asks the provider again after the usual delay, in the
// background, and keeps the clock running.
func (s *payScreen) keepAsking() tea.Cmd {
	if s.polling {
		return s.tick()
	}
	s.nextPoll = s.c.deps.Now().Add(s.delay())
	return s.tick()
}

// refunded is a late payment sent back to the wallet (or queued to be).
func (s *payScreen) refunded(msg lateRefundMsg) (screen, tea.Cmd) {
	c := s.c
	if msg.err != nil && msg.w.RequestNo == "" {
		c.fail("Could not start the refund; the money is still with the shop. Try again.", msg.err)
		return s, nil
	}
	// A late payment's cart is long gone; a paid part's cart is still
	// the customer's, to be paid another way.
	var next screen
	if s.late {
		c.newCart()
		next = newSell(c)
	} else {
		next = openCheckout(c)
	}
	switch {
	case msg.w.State == pos.WalletRefunded:
		c.info("%s went back to the customer's %s wallet.", c.money(msg.w.Amount), c.t(providerName(msg.w.Provider)))
	case msg.err != nil:
		c.fail(c.t("Refund of %s to the wallet is stored and will be sent when %s answers (reports screen).", c.money(msg.w.Amount), c.t(providerName(msg.w.Provider))), msg.err)
	default:
		c.info("Refund of %s to the wallet sent; %s is processing it (reports screen).", c.money(msg.w.Amount), c.t(providerName(msg.w.Provider)))
	}
	return next, nil
}

// open resumes a payment found waiting when Till started: the terminal
// was closed or crashed while a customer was paying. A paid one whose
// sale is not saved comes first: its money is in.
func (msg openPaysMsg) open(c *common) (screen, tea.Cmd) {
	if msg.err != nil {
		c.deps.Log.Error("read waiting payments", "err", msg.err)
		return nil, nil
	}
	if len(msg.ps) == 0 || c.deps.QR == nil {
		return nil, nil
	}
	p := msg.ps[0]
	for _, q := range msg.ps {
		if q.State == pos.PaymentPaid {
			p = q
			break
		}
	}
	return resume(c, p, false)
}

// resume puts a stored payment and its cart on the pay screen.
func resume(c *common, p pos.Payment, late bool) (screen, tea.Cmd) {
	t, err := pos.Price(p.Cart, c.deps.TaxIncluded)
	if err != nil {
		c.fail("A waiting payment has a cart that cannot be priced.", err)
		return nil, nil
	}
	c.cart, c.started, c.line = cloneCart(p.Cart), p.Started, 0
	s := &payScreen{c: c, p: p, total: t.Total, amount: p.Amount, code: p.Flow == pos.FlowCode, late: late}
	switch {
	case late:
		c.fail(c.t("%s was paid by %s AFTER its order was closed. enter: finish the sale · w: refund it to the wallet.",
			c.money(p.Amount), c.t(providerName(p.Provider))), nil)
		return s, nil
	case p.State == pos.PaymentPaid:
		c.info("A payment was confirmed before Till closed; finishing its sale.")
		return s, s.paid()
	case !s.online() && p.Expired(c.deps.Now()):
		return s, s.end(pos.PaymentExpired, "")
	case s.online():
		c.info("Resumed the sale that was waiting for payment; asking %s.", c.t(providerName(p.Provider)))
		return s, tea.Batch(s.poll(), s.tick())
	}
	c.info("Resumed the sale that was waiting for QR payment: p paid · c cancel.")
	return s, s.tick()
}

// providerName is a provider in words.
func providerName(p string) string {
	switch p {
	case "alipay":
		return i18n.N("Alipay")
	case "wechat":
		return i18n.N("WeChat Pay")
	case "emvqr", "":
		return i18n.N("QR")
	case "static":
		return i18n.N("the shop's code")
	}
	return p
}

func reasonWords(r string) string {
	if r == "" {
		return ""
	}
	return " (" + r + ")"
}
