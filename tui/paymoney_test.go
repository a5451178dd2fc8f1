package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

// Issue 10 item 1: a paid QR part stays attached to its cart. Esc on the
// cash prompt, esc, n or checkout never drop it or sell the goods again;
// the sale is finished with cash for the rest, once.
func TestSplitQRPaidPartStaysWithItsCart(t *testing.T) {
	st := newStore(t)
	m, _ := newPayModel(t, st)
	scan(t, m, rice) // 78.99
	press(t, m, "f12")
	typ(t, m, "50")
	press(t, m, "f2", "p", "y")
	if prompting(m) == nil {
		t.Fatal("no cash prompt for the rest")
	}
	press(t, m, "esc") // the cashier leaves the prompt
	ps := cur[*payScreen](t, m)
	if ps.p.State != pos.PaymentPaid {
		t.Fatalf("state %s", ps.p.State)
	}
	screen := viewText(m)
	if strings.Contains(screen, "new QR code") || strings.Contains(screen, "back to take cash") ||
		!strings.Contains(screen, "cash for the rest") || !strings.Contains(screen, "exact rest") {
		t.Fatalf("paid part offers the wrong way out:\n%s", screen)
	}
	press(t, m, "esc", "n", "f12", "enter")
	if !is[*payScreen](m) && prompting(m) == nil {
		t.Fatalf("left the paid payment: %T", m.screen)
	}
	if ps, _ := st.OpenPayments(); len(ps) != 1 || ps[0].State != pos.PaymentPaid {
		t.Fatalf("open payments %+v", ps)
	}
	if prompting(m) != nil {
		press(t, m, "esc")
	}
	if len(todaysSales(t, st)) != 0 {
		t.Fatal("a sale was stored without the cash")
	}
	press(t, m, "f10") // exact rest
	sales := todaysSales(t, st)
	if len(sales) != 1 || len(sales[0].Tenders) != 2 || sales[0].Tenders[0].Amount != 5000 || sales[0].Tenders[1].Given != 2899 {
		t.Fatalf("stored %+v", sales)
	}
	if ps, _ := st.OpenPayments(); len(ps) != 0 {
		t.Fatalf("still open %+v", ps)
	}
}

// After a restart the paid part comes back with its cart and is sold
// once: no cash sale of the same goods in between.
func TestSplitQRPaidPartSurvivesRestartAndSellsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	st := openStore(t, path)
	if _, err := st.PutProducts(extraGoods); err != nil {
		t.Fatal(err)
	}
	m, _ := newPayModel(t, st)
	typ(t, m, "SKU2001")
	press(t, m, "enter", "f12")
	typ(t, m, "1")
	press(t, m, "f2", "p", "y", "esc", "esc", "enter")
	if n := len(todaysSales(t, st)); n != 0 {
		t.Fatalf("%d sales before the rest was paid", n)
	}
	st.Close()

	st = openStore(t, path)
	m, _ = newPayModel(t, st)
	if prompting(m) == nil || !strings.Contains(prompting(m).label, "remaining") {
		t.Fatalf("restart did not ask for the rest: %T %q", m.screen, m.c.msg)
	}
	press(t, m, "esc", "f10")
	sales := todaysSales(t, st)
	if len(sales) != 1 || len(sales[0].Tenders) != 2 || sales[0].Tenders[0].Kind != pos.QR {
		t.Fatalf("stored %+v", sales)
	}
}

// Issue 10 item 2: letters in an amount box are refused with a message
// and change nothing: the cash given, the QR part, the rest of a split.
func TestLettersAreNeverCash(t *testing.T) {
	st := newStore(t)
	m, _ := newPayModel(t, st)
	scan(t, m, rice) // 78.99
	press(t, m, "f12")
	typ(t, m, "SKU1006")
	if in := input(t, m); in != "SKU1006" || !m.c.msgErr || !strings.Contains(m.c.msg, "Letters") {
		t.Fatalf("typing letters: input %q msg %q", in, m.c.msg)
	}
	if !strings.Contains(viewText(m), "Letters are not an amount") {
		t.Fatalf("refusal not on screen:\n%s", viewText(m))
	}
	press(t, m, "enter")
	if !is[*checkoutScreen](m) || !m.c.msgErr || len(todaysSales(t, st)) != 0 {
		t.Fatalf("SKU1006 sold: %T %q %d", m.screen, m.c.msg, len(todaysSales(t, st)))
	}
	typ(t, m, "1a")
	press(t, m, "f2")
	if !is[*checkoutScreen](m) || !m.c.msgErr {
		t.Fatalf("QR part 1a: %T %q", m.screen, m.c.msg)
	}
	if ps, _ := st.OpenPayments(); len(ps) != 0 {
		t.Fatalf("a payment started for 1a: %+v", ps)
	}
	typ(t, m, "50")
	press(t, m, "f2", "p", "y")
	typ(t, m, "3O") // letter O for zero
	if !m.c.msgErr || !strings.Contains(m.c.msg, "Letters") {
		t.Fatalf("rest prompt: msg %q", m.c.msg)
	}
	press(t, m, "enter")
	if prompting(m) == nil || len(todaysSales(t, st)) != 0 {
		t.Fatal("3O taken as cash")
	}
	typ(t, m, "30")
	press(t, m, "enter")
	if s := todaysSales(t, st); len(s) != 1 || s[0].Tenders[1].Given != 3000 {
		t.Fatalf("stored %+v", s)
	}
}

// Issue 10 item 3: after a refusal Enter never completes the sale; exact
// money is its own key, shown on the screen.
func TestEnterAfterARefusalNeverBooksExactCash(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	scan(t, m, rice)
	press(t, m, "f12")
	if !strings.Contains(viewText(m), "f10: exact money ¥78.99") {
		t.Fatalf("exact money not shown:\n%s", viewText(m))
	}
	for _, typed := range []string{"50", "abc", ""} {
		typ(t, m, typed)
		press(t, m, "enter")
		press(t, m, "enter")
		if !is[*checkoutScreen](m) || !m.c.msgErr || len(todaysSales(t, st)) != 0 {
			t.Fatalf("after %q and enter, enter: %T %q, %d sales", typed, m.screen, m.c.msg, len(todaysSales(t, st)))
		}
		if !strings.Contains(m.c.msg, "f10") {
			t.Fatalf("the refusal does not name the exact-money key: %q", m.c.msg)
		}
	}
	press(t, m, "f10")
	if s := todaysSales(t, st); len(s) != 1 || s[0].Change != 0 || s[0].Tenders[0].Given != 7899 {
		t.Fatalf("exact money: %+v", s)
	}
}

// Issue 10 item 4: a QR payment resumed after a restart shows its amount,
// and a new code after it expires is for the same amount.
func TestResumedQRShowsItsAmount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	st := openStore(t, path)
	if _, err := st.PutProducts(extraGoods); err != nil {
		t.Fatal(err)
	}
	m, _ := newPayModel(t, st)
	typ(t, m, "SKU2001")
	press(t, m, "enter", "f12", "f2")
	p := openPayment(t, st)
	st.Close()

	st = openStore(t, path)
	m, c := newPayModel(t, st)
	want := "Scan to pay " + m.c.money(p.Amount)
	if s := viewText(m); !strings.Contains(s, want) || strings.Contains(s, "¥0.00") {
		t.Fatalf("resumed screen lacks %q:\n%s", want, s)
	}
	c.t = c.t.Add(6 * time.Minute)
	send(t, m, qrTickMsg{id: p.ID})
	if !strings.Contains(viewText(m), "EXPIRED") || !strings.Contains(viewText(m), "This code is dead") {
		t.Fatalf("expired:\n%s", viewText(m))
	}
	press(t, m, "n")
	q := openPayment(t, st)
	if q.ID == p.ID || q.Amount != p.Amount {
		t.Fatalf("new code %+v for %+v (msg %q)", q, p, m.c.msg)
	}
}
