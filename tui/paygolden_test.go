package tui

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
)

// fakeCode is a CodeSeller that answers with a fixed state.
type fakeCode struct{ state pos.PaymentState }

func (f fakeCode) StartCodePay(_ context.Context, c pos.Cart, started time.Time, amount pos.Money, _ string) (pos.Payment, error) {
	return pos.Payment{ID: "C1", SaleID: "S2", Provider: "wechat", Amount: amount, Currency: "156", State: f.state, Flow: pos.FlowCode,
		CodeTail: "4321", Cart: c, Started: started, Created: testNow, Submitted: testNow, ExpiresAt: testNow.Add(45 * time.Second)}, nil
}

// TestGoldenPayStates draws each new state of the pay and checkout
// screens at 80x24 and 120x40: a paid QR part waiting for the rest, an
// expired and a failed code replaced by the outcome, an order closing
// unconfirmed, a payment code while the customer enters the password
// and while it is withdrawn, a payment that landed late, letters
// refused in the cash box.
func TestGoldenPayStates(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := "-" + itoa(size.w) + "x" + itoa(size.h)
		sized := func(online bool) *Model {
			m := fakePayModel(t, online)
			send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
			scan(t, m, rice)
			press(t, m, "f12")
			return m
		}
		move := func(m *Model, to pos.PaymentState, err error) {
			p := cur[*payScreen](t, m).p
			p.State = to
			send(t, m, qrMsg{p: p, err: err})
		}

		m := sized(false)
		typ(t, m, "SKU1006")
		golden(t, m, "checkout-letters"+suffix)

		m = sized(false)
		typ(t, m, "50")
		press(t, m, "f2", "p", "y", "esc")
		golden(t, m, "pay-paid-rest"+suffix)

		m = sized(false)
		press(t, m, "f2")
		move(m, pos.PaymentExpired, nil)
		golden(t, m, "pay-expired"+suffix)

		m = sized(true)
		press(t, m, "f2")
		move(m, pos.PaymentFailed, nil)
		golden(t, m, "pay-failed"+suffix)

		m = sized(true)
		press(t, m, "f2")
		move(m, pos.PaymentClosing, errors.Join(errors.New("not confirmed"), pay.ErrUnreachable))
		golden(t, m, "pay-closing"+suffix)

		m = sized(true)
		m.c.deps.Code = fakeCode{state: pos.PaymentPaying}
		typ(t, m, "134567890123454321")
		press(t, m, "enter")
		golden(t, m, "pay-code-paying"+suffix)
		move(m, pos.PaymentReversing, nil)
		golden(t, m, "pay-code-reversing"+suffix)

		m = fakePayModel(t, true)
		send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		m.c.deps.Watch = &fakeWatch{}
		late := pos.Payment{ID: "P9", SaleID: "S9", Provider: "alipay", Amount: 226, State: pos.PaymentPaid, LatePaid: testNow,
			Cart: pos.Cart{Lines: []pos.Line{{SKU: "SKU1001", Name: "Mineral water 550ml", Qty: 1, UnitPrice: 200}}}}
		send(t, m, checkMsg{check: PaymentCheck{LatePaid: []pos.Payment{late}}})
		golden(t, m, "pay-late"+suffix)
	}
}
