package tui

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/register"
)

// onlineModel is a pay model whose QR goes to the payment simulator's
// Alipay, or to addr when given (a server that never answers).
func onlineModel(t *testing.T, addr string) (*Model, *clock, string) {
	t.Helper()
	st := newStore(t)
	m, c := newPayModel(t, st)
	sim, err := paysim.New(paysim.Config{Now: c.now, Merchant: "Corner Shop"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	base := srv.URL
	if addr != "" {
		base = "http://" + addr
	}
	cc, err := sim.WriteClientConfig(t.TempDir(), base)
	if err != nil {
		t.Fatal(err)
	}
	cc.Alipay.Now = c.now
	cc.Alipay.Timeout = 500 * time.Millisecond
	prov, err := alipay.New(cc.Alipay)
	if err != nil {
		t.Fatal(err)
	}
	m.c.deps.QR.(*register.Register).QR.Online = prov
	return m, c, srv.URL
}

func phonePays(t *testing.T, base, link string) {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action := regexp.MustCompile(`<form method="post" action="([^"]+)">`).FindSubmatch(page)
	if action == nil {
		t.Fatalf("no pay button:\n%s", page)
	}
	resp, err = http.PostForm(base+string(action[1]), url.Values{"action": {"pay"}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pay: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestOnlineQRTurnsPaidByItself(t *testing.T) {
	m, c, base := onlineModel(t, "")
	scan(t, m, water)
	press(t, m, "f12", "f2")
	ps := cur[*payScreen](t, m)
	if ps.p.Provider != "alipay" || !strings.HasPrefix(ps.p.Payload, base) {
		t.Fatalf("pay %+v msg %q", ps, m.c.msg)
	}
	if got := decodeScreen(t, viewText(m)); got != ps.p.Payload {
		t.Fatalf("screen QR %q, order %q", got, ps.p.Payload)
	}
	press(t, m, "p")
	if asking(m) != nil {
		t.Fatal("an online payment can be confirmed by hand")
	}
	id := ps.p.ID
	send(t, m, qrTickMsg{id: id}) // asks: not paid yet
	if !is[*payScreen](m) {
		t.Fatal("left the pay screen before paying")
	}
	phonePays(t, base, ps.p.Payload)
	c.t = c.t.Add(2 * time.Second)
	send(t, m, qrTickMsg{id: id})
	if !is[*receiptScreen](m) || !strings.Contains(cur[*receiptScreen](t, m).text, "Alipay ") {
		t.Fatalf("screen %T msg %q", m.screen, m.c.msg)
	}
	sales := todaysSales(t, m.c.deps.Store.(*tilltest.Store))
	if len(sales) != 1 || sales[0].Tenders[0].ConfirmedBy != pos.ByProvider || sales[0].Tenders[0].Reference == "" {
		t.Fatalf("stored %+v", sales)
	}
}

func TestUnreachableProviderOffersOfflineQR(t *testing.T) {
	addr := silentServer(t)
	m, _, _ := onlineModel(t, addr)
	scan(t, m, water)
	press(t, m, "f12", "f2")
	if ps := cur[*payScreen](t, m); !ps.unreachable || !strings.Contains(viewText(m), "e  offline QR instead") {
		t.Fatalf("pay %+v msg %q", ps, m.c.msg)
	}
	press(t, m, "e")
	if ps := cur[*payScreen](t, m); ps.p.Provider != "emvqr" || ps.p.State != pos.PaymentShown {
		t.Fatalf("fallback %+v", ps)
	}
	press(t, m, "p", "y")
	cur[*receiptScreen](t, m)
}

func TestUnreachableProviderWithoutOfflineQRSaysTakeCash(t *testing.T) {
	m, _, _ := onlineModel(t, silentServer(t))
	m.c.deps.QROffline = false
	scan(t, m, water)
	press(t, m, "f12", "f2")
	if !is[*checkoutScreen](m) || !strings.Contains(m.c.msg, "Take cash") {
		t.Fatalf("screen %T msg %q", m.screen, m.c.msg)
	}
	press(t, m, "f10") // exact money is its own key (issue 10 item 3)
	if !is[*receiptScreen](m) {
		t.Fatal("cash after an unreachable provider did not sell")
	}
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	return ln.Addr().String()
}
