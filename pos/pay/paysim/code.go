package paysim

import (
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/internal/wire"
	"github.com/tillpos/till/pos/pay/wechat"
)

// Behaviour is what a simulated customer does with a payment code.
type Behaviour string

const (
	PayNow   Behaviour = "pay"      // the wallet pays at once
	Password Behaviour = "password" // the customer must enter a password (EnterPassword, or the wallet page)
	Decline  Behaviour = "decline"  // the wallet declines: not enough balance
	// Race asks for a password, and the customer enters it at the very
	// moment the till's reverse arrives: the payment lands first, and the
	// reverse refunds it.
	Race Behaviour = "race"
)

// wallet is a payment code the simulator issued.
type wallet struct {
	provider, code string
	behaviour      Behaviour
	issued         time.Time
	orderNo        string // the order it paid, once used
}

// CodeLife is how long an issued payment code can be used, as in the
// wallets (about a minute).
const CodeLife = time.Minute

// IssueCode makes a one-time payment code for provider ("alipay",
// "wechat") that behaves as b when the till submits it: what the
// customer's wallet shows and the cashier scans.
func (s *Sim) IssueCode(provider string, b Behaviour) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	var code string
	switch provider {
	case alipay.Name:
		code = fmt.Sprintf("28%016d", s.now().UnixNano()%1e12*1e4+int64(s.seq%1e4)) // 18 digits, 25-30
	case wechat.Name:
		code = fmt.Sprintf("13%016d", s.now().UnixNano()%1e12*1e4+int64(s.seq%1e4)) // 18 digits, 10-15
	default:
		return "", fmt.Errorf("paysim: no provider %q", provider)
	}
	switch b {
	case PayNow, Password, Decline, Race:
	default:
		return "", fmt.Errorf("paysim: no behaviour %q", b)
	}
	if s.wallets == nil {
		s.wallets = map[string]*wallet{}
	}
	s.wallets[code] = &wallet{provider: provider, code: code, behaviour: b, issued: s.now()}
	s.logf("%s wallet shows payment code %s (%s)", provider, code, b)
	return code, nil
}

// codeResult is what happens when the till submits a code.
type codeResult int

const (
	codeInvalid codeResult = iota
	codePaid
	codePaying
	codeDeclined
)

// submitCode makes the order for a submitted code (s.mu held): it is
// paid, waits for the password, or is declined. A code works once, and
// only within CodeLife.
func (s *Sim) submitCode(provider, no, code, subject string, amount pos.Money) (*order, codeResult) {
	w := s.wallets[code]
	now := s.now()
	if w == nil || w.provider != provider || w.orderNo != "" && w.orderNo != no || now.Sub(w.issued) > CodeLife {
		return nil, codeInvalid
	}
	if o := s.orders[provider+"/"+no]; o != nil {
		// The same order again (a retry): answer as it stands.
		switch o.state {
		case paid:
			return o, codePaid
		case waiting:
			return o, codePaying
		}
		return o, codeDeclined
	}
	w.orderNo = no
	o := &order{provider: provider, no: no, amount: amount, subject: subject, expires: now.Add(2 * time.Minute),
		visible: true, tradeNo: s.tradeNo(provider), code: w}
	s.orders[provider+"/"+no] = o
	switch w.behaviour {
	case PayNow:
		o.state, o.paidAt = paid, now
		s.logf("%s code %s paid ¥%s (%s)", provider, no, amount.Format(2), o.tradeNo)
		return o, codePaid
	case Decline:
		o.state = declined
		s.logf("%s code %s declined", provider, no)
		return o, codeDeclined
	}
	s.logf("%s code %s: the customer is entering a password", provider, no)
	return o, codePaying
}

// EnterPassword is the customer confirming on the phone: the order the
// code was submitted for is paid, if it can still be.
func (s *Sim) EnterPassword(code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.wallets[code]
	if w == nil || w.orderNo == "" {
		return fmt.Errorf("paysim: code %s has not been scanned", code)
	}
	o := s.orders[w.provider+"/"+w.orderNo]
	if o.state != waiting {
		return fmt.Errorf("paysim: order %s can no longer be paid", o.no)
	}
	o.state, o.paidAt = paid, s.now()
	s.logf("%s code %s: password entered, paid ¥%s", o.provider, o.no, o.amount.Format(2))
	return nil
}

// PayLate pays an order whatever its state, as the providers have been
// seen to do after a close: for tests of the till noticing it.
func (s *Sim) PayLate(provider, orderNo string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[provider+"/"+orderNo]
	if o == nil {
		return fmt.Errorf("paysim: no order %s/%s", provider, orderNo)
	}
	o.visible = true
	if o.tradeNo == "" {
		o.tradeNo = s.tradeNo(provider)
	}
	o.state, o.paidAt = paid, s.now()
	s.logf("%s %s paid LATE ¥%s (%s)", provider, orderNo, o.amount.Format(2), o.tradeNo)
	return nil
}

// raceOnReverse is called (s.mu held) when the till withdraws an order:
// a Race customer's payment lands just before the reverse.
func (s *Sim) raceOnReverse(o *order) {
	if o.code != nil && o.code.behaviour == Race && o.state == waiting {
		o.state, o.paidAt = paid, s.now()
		s.logf("%s %s: the password went in just as the reverse arrived: paid", o.provider, o.no)
	}
}

// refund is a simulated refund of (part of) an order.
type refund struct {
	no       string
	amount   pos.Money
	refundID string
	at       time.Time
}

// addRefund records a refund of an order (s.mu held). A request number
// seen before answers the first refund again (fresh=false); ok=false
// when the order cannot refund that much.
func (s *Sim) addRefund(o *order, no string, amount pos.Money) (rf *refund, fresh, ok bool) {
	for _, r := range o.refunds {
		if r.no == no {
			return r, false, r.amount == amount
		}
	}
	var sum pos.Money
	for _, r := range o.refunds {
		sum += r.amount
	}
	if o.state != paid || amount <= 0 || sum+amount > o.amount {
		return nil, false, false
	}
	s.seq++
	rf = &refund{no: no, amount: amount, at: s.now(),
		refundID: "50" + s.now().In(wire.CST).Format("20060102") + fmt.Sprintf("%018d", s.seq)}
	o.refunds = append(o.refunds, rf)
	s.logf("%s %s refunded ¥%s (%s)", o.provider, o.no, amount.Format(2), no)
	return rf, true, true
}

// refunded is how much of an order has gone back.
func (o *order) refunded() pos.Money {
	var sum pos.Money
	for _, r := range o.refunds {
		sum += r.amount
	}
	return sum
}

// Refunds returns how much of an order the simulator has refunded.
func (s *Sim) Refunds(provider, orderNo string) (pos.Money, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[provider+"/"+orderNo]
	if o == nil {
		return 0, 0
	}
	return o.refunded(), len(o.refunds)
}

// SetDown makes the simulated providers answer every API call with an
// unsigned 503, as an unreachable gateway's proxy would, until called
// with false.
func (s *Sim) SetDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}
