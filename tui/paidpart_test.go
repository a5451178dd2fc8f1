package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/register"
)

// regWatch gives a test the register's late-payment resolution, with no
// background check.
type regWatch struct{ *register.Register }

func (regWatch) CheckPayments(context.Context) (PaymentCheck, error) { return PaymentCheck{}, nil }
func (regWatch) CheckClock(context.Context) (string, error)          { return "", nil }

// Issue 10 item 1: a paid QR part stays with its cart; when the customer
// cannot pay the rest it can be refunded at the provider instead, and the
// cart stays to be paid another way. Nothing is sold twice, nothing is
// dropped.
func TestPaidPartRefundedToTheWallet(t *testing.T) {
	m, c, base := onlineModel(t, "")
	reg := m.c.deps.QR.(*register.Register)
	m.c.deps.Watch = regWatch{reg}
	scan(t, m, rice) // 78.99 with tax
	press(t, m, "f12")
	typ(t, m, "50")
	press(t, m, "f2")
	ps := cur[*payScreen](t, m)
	phonePays(t, base, ps.p.Payload)
	c.t = c.t.Add(2 * time.Second)
	send(t, m, qrTickMsg{id: ps.p.ID})
	if p := prompting(m); p == nil || !strings.Contains(p.label, "remaining ¥28.99") {
		t.Fatalf("no cash prompt for the rest:\n%s", viewText(m))
	}
	press(t, m, "esc")
	if strings.Contains(m.c.msg, "Cancelled") || !strings.Contains(m.c.msg, "part is paid and stays with this cart") {
		t.Fatalf("esc on the rest says %q", m.c.msg)
	}
	if s := viewText(m); !strings.Contains(s, "w  refund to wallet") {
		t.Fatalf("no refund key on the paid part:\n%s", s)
	}
	press(t, m, "w")
	if q := asking(m); q == nil || !strings.HasPrefix(q.text, "Send the paid ¥50.00 back to the customer's Alipay wallet? The cart stays") {
		t.Fatalf("no question before refunding:\n%s", viewText(m))
	}
	press(t, m, "y")
	if !is[*checkoutScreen](m) || !strings.Contains(m.c.msg, "¥50.00 went back to the customer's Alipay wallet") {
		t.Fatalf("after the refund: %T %q", m.screen, m.c.msg)
	}
	if len(m.c.cart.Lines) != 1 {
		t.Fatalf("the cart was dropped: %+v", m.c.cart)
	}
	if open, _ := reg.Store.OpenPayments(); len(open) != 0 {
		t.Fatalf("the refunded part is still open: %+v", open)
	}
	// The whole cart is then paid in cash, once.
	press(t, m, "f10")
	st := m.c.deps.Store.(interface {
		SalesBetween(from, to time.Time) ([]pos.Sale, error)
	})
	sales, err := st.SalesBetween(testNow.Add(-time.Hour), testNow.Add(time.Hour))
	if err != nil || len(sales) != 1 || len(sales[0].Tenders) != 1 || sales[0].Tenders[0].Kind != pos.Cash || sales[0].Due != 7899 {
		t.Fatalf("stored %+v %v", sales, err)
	}
}
