package paysim_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/internal/testkeys"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/pay/wechat"
)

// clock is the shared clock of a simulator and its clients, so a test
// can move time on past an order's deadline without sleeping.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

func simKeys() *paysim.Keys {
	return &paysim.Keys{AlipayApp: testkeys.Key("alipay-app"), Alipay: testkeys.Key("alipay"),
		WeChatMerchant: testkeys.Key("wechat-merchant"), WeChatPlatform: testkeys.Key("wechat-platform")}
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

type env struct {
	t   *testing.T
	clk *clock
	sim *paysim.Sim
	url string
	cc  paysim.ClientConfig
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clk := &clock{}
	sim, err := paysim.New(paysim.Config{Keys: simKeys(), Now: clk.Now, Log: logWriter{t}, Merchant: "Corner Shop 街角小店"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	cc, err := sim.WriteClientConfig(t.TempDir(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, clk: clk, sim: sim, url: srv.URL, cc: cc}
}

// client makes a provider client from the config files the simulator
// wrote, as the till does at start-up; edit adjusts the config first.
func (e *env) client(name string, edit func(a *alipay.Config, w *wechat.Config)) pay.Provider {
	e.t.Helper()
	a, w := e.cc.Alipay, e.cc.WeChat
	a.Now, w.Now = e.clk.Now, e.clk.Now
	if edit != nil {
		edit(&a, &w)
	}
	var p pay.Provider
	var err error
	if name == alipay.Name {
		p, err = alipay.New(a)
	} else {
		p, err = wechat.New(w)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

var providers = []string{alipay.Name, wechat.Name}

func (e *env) order(no string) pay.Order {
	return pay.Order{OrderNo: pos.OrderNo(no), Amount: 1250, Currency: "CNY", Exponent: 2,
		Subject: "Corner Shop", Expires: e.clk.Now().Add(5 * time.Minute).Truncate(time.Second)}
}

func (e *env) query(p pay.Provider, o pay.Order) pay.Status {
	e.t.Helper()
	st, err := p.Query(context.Background(), o)
	if err != nil {
		e.t.Fatalf("query: %v", err)
	}
	return st
}

var formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)

// press opens the QR link as the customer's phone would, checks the page,
// and presses a button by posting its form. It returns the final status.
func (e *env) press(qr, button string) (int, string) {
	e.t.Helper()
	resp, err := http.Get(qr)
	if err != nil {
		e.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := formAction.FindSubmatch(page)
	if m == nil {
		// No buttons (a final order): post to the page itself anyway.
		m = [][]byte{nil, []byte(strings.TrimPrefix(qr, e.url))}
	} else {
		for _, want := range []string{`id="pay"`, `id="decline"`, "¥12.50", "Corner Shop 街角小店"} {
			if !bytes.Contains(page, []byte(want)) {
				e.t.Fatalf("phone page lacks %s:\n%s", want, page)
			}
		}
	}
	resp, err = http.PostForm(e.url+string(m[1]), url.Values{"action": {button}})
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	state := regexp.MustCompile(`data-state="([a-z]+)"`).FindSubmatch(body)
	if state == nil {
		e.t.Fatalf("result page has no state:\n%s", body)
	}
	return resp.StatusCode, string(state[1])
}

func TestPay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, name := range providers {
		p := e.client(name, nil)
		o := e.order("01JPAY-" + name)
		qr, err := p.Create(ctx, o)
		if err != nil {
			t.Fatalf("%s create: %v", name, err)
		}
		if want := e.url + "/pay/" + name + "/" + o.OrderNo; qr != want {
			t.Fatalf("%s qr = %q, want %q", name, qr, want)
		}
		if st := e.query(p, o); st.State != pos.PaymentShown {
			t.Fatalf("%s before paying: %+v", name, st)
		}
		if code, state := e.press(qr, "pay"); code != http.StatusOK || state != "paid" {
			t.Fatalf("%s pay: %d %s", name, code, state)
		}
		st := e.query(p, o)
		sim, _ := e.sim.Order(name, o.OrderNo)
		if st.State != pos.PaymentPaid || st.Reference == "" || st.Reference != sim.TradeNo {
			t.Fatalf("%s after paying: %+v (sim %+v)", name, st, sim)
		}
		// Paid is final: closing says paid, no second payment, no new order.
		if st, err := p.Close(ctx, o); err != nil || st.State != pos.PaymentPaid {
			t.Fatalf("%s close a paid order: %+v %v", name, st, err)
		}
		if code, _ := e.press(qr, "pay"); code != http.StatusConflict {
			t.Fatalf("%s paid twice: %d", name, code)
		}
		if _, err := p.Create(ctx, o); !errors.Is(err, pay.ErrPaid) {
			t.Fatalf("%s create a paid order: %v", name, err)
		}
		if st := e.query(p, o); st.State != pos.PaymentPaid {
			t.Fatalf("%s still paid: %+v", name, st)
		}
	}
}

func TestDecline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, name := range providers {
		p := e.client(name, nil)
		o := e.order("01JDECLINE-" + name)
		qr, err := p.Create(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if code, state := e.press(qr, "decline"); code != http.StatusOK || state != "failed" {
			t.Fatalf("%s decline: %d %s", name, code, state)
		}
		// WeChat says PAYERROR; Alipay has no failed state and closes it.
		if st := e.query(p, o); (st.State != pos.PaymentFailed && st.State != pos.PaymentCancelled) || st.Reason == "" {
			t.Fatalf("%s after declining: %+v", name, st)
		}
		if code, _ := e.press(qr, "pay"); code != http.StatusConflict {
			t.Fatalf("%s paid after declining: %d", name, code)
		}
	}
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var qrs []string
	var orders []pay.Order
	clients := map[string]pay.Provider{}
	for _, name := range providers {
		clients[name] = e.client(name, nil)
		o := e.order("01JEXPIRE-" + name)
		o.Expires = e.clk.Now().Add(time.Minute).Truncate(time.Second)
		qr, err := clients[name].Create(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := http.Get(qr); err != nil { // scanned, not paid
			t.Fatal(err)
		}
		qrs, orders = append(qrs, qr), append(orders, o)
	}
	e.clk.Advance(2 * time.Minute)
	for i, name := range providers {
		p, o := clients[name], orders[i]
		// A query never decides "expired": only a confirmed close does.
		if st := e.query(p, o); st.State == pos.PaymentExpired || st.State == pos.PaymentPaid {
			t.Fatalf("%s after the deadline: %+v", name, st)
		}
		if sim, _ := e.sim.Order(name, o.OrderNo); sim.State != pos.PaymentExpired {
			t.Fatalf("%s simulator says %s", name, sim.State)
		}
		if code, state := e.press(qrs[i], "pay"); code != http.StatusConflict || state != "expired" {
			t.Fatalf("%s paid after the deadline: %d %s", name, code, state)
		}
		// The till then closes, to make the end certain at the provider.
		if st, err := p.Close(ctx, o); err != nil || st.State != pos.PaymentCancelled {
			t.Fatalf("%s close an expired order: %+v %v", name, st, err)
		}
		if st := e.query(p, o); st.State != pos.PaymentCancelled {
			t.Fatalf("%s after closing an expired order: %+v", name, st)
		}
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, name := range providers {
		p := e.client(name, nil)
		o := e.order("01JCANCEL-" + name)
		qr, err := p.Create(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := p.Close(ctx, o); err != nil || st.State != pos.PaymentCancelled {
			t.Fatalf("%s close: %+v %v", name, st, err)
		}
		if st, err := p.Close(ctx, o); err != nil || st.State != pos.PaymentCancelled {
			t.Fatalf("%s close twice: %+v %v", name, st, err)
		}
		if sim, _ := e.sim.Order(name, o.OrderNo); sim.State != pos.PaymentCancelled {
			t.Fatalf("%s simulator says %s", name, sim.State)
		}
		// The customer scans the code after all: the payment is refused.
		if code, state := e.press(qr, "pay"); code != http.StatusConflict || state != "cancelled" {
			t.Fatalf("%s paid after cancel: %d %s", name, code, state)
		}
		if st := e.query(p, o); !st.State.Final() || st.State == pos.PaymentPaid {
			t.Fatalf("%s after cancel: %+v", name, st)
		}
		if _, err := p.Create(ctx, o); !errors.Is(err, pay.ErrRefused) {
			t.Fatalf("%s create a cancelled order: %v", name, err)
		}
	}
	// Closing an order that never reached the provider is fine.
	for _, name := range providers {
		if st, err := e.client(name, nil).Close(ctx, e.order("NEVERCREATED1")); err != nil || st.State != pos.PaymentCancelled {
			t.Fatalf("%s close unknown: %+v %v", name, st, err)
		}
	}
}

// TestCreateAfterCrash: a new client (a restarted till) asking for the
// same order gets the same QR code and the provider has one order.
func TestCreateAfterCrash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, name := range providers {
		o := e.order("01JCRASH-" + name)
		qr1, err := e.client(name, nil).Create(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(time.Second) // a new request timestamp and nonce
		p := e.client(name, nil)
		qr2, err := p.Create(ctx, o)
		if err != nil || qr2 != qr1 {
			t.Fatalf("%s create again: %q %v, want %q", name, qr2, err, qr1)
		}
		// The same number with another amount is not the same order.
		other := o
		other.Amount++
		if _, err := p.Create(ctx, other); !errors.Is(err, pay.ErrRefused) {
			t.Fatalf("%s same number, other amount: %v", name, err)
		}
		if code, _ := e.press(qr2, "pay"); code != http.StatusOK {
			t.Fatal(code)
		}
		if st := e.query(p, o); st.State != pos.PaymentPaid {
			t.Fatalf("%s: %+v", name, st)
		}
	}
}

func TestWrongSignatureRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wrong := testkeys.Key("intruder")
	dir := t.TempDir()
	sim2, err := paysim.New(paysim.Config{Keys: &paysim.Keys{AlipayApp: wrong, WeChatMerchant: wrong,
		Alipay: testkeys.Key("alipay"), WeChatPlatform: testkeys.Key("wechat-platform")}})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := sim2.WriteClientConfig(dir, e.url) // the intruder's private keys
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{alipay.Name: "isv.invalid-signature", wechat.Name: "SIGN_ERROR"}
	for _, name := range providers {
		p := e.client(name, func(a *alipay.Config, w *wechat.Config) {
			a.PrivateKey, w.PrivateKey = bad.Alipay.PrivateKey, bad.WeChat.PrivateKey
		})
		o := e.order("01JFORGED-" + name)
		_, err := p.Create(context.Background(), o)
		var pe *pay.Error
		if !errors.Is(err, pay.ErrRefused) || !errors.As(err, &pe) || pe.Code != codes[name] {
			t.Fatalf("%s forged create: %v", name, err)
		}
		if _, ok := e.sim.Order(name, o.OrderNo); ok {
			t.Fatalf("%s: a forged request created an order", name)
		}
	}
}

// tamper sits between client and simulator and rewrites response bodies,
// leaving the signatures as they were.
func tamper(t *testing.T, target, from, to string) string {
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(r *http.Response) error {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		r.Body.Close()
		b = bytes.ReplaceAll(b, []byte(from), []byte(to))
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		r.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestTamperedResponseRejected(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct{ provider, from, to string }{
		{alipay.Name, "/pay/alipay/", "/pay/evil/"},
		{wechat.Name, "/pay/wechat/", "/pay/evil/"},
	} {
		via := tamper(t, e.url, tc.from, tc.to)
		p := e.client(tc.provider, func(a *alipay.Config, w *wechat.Config) {
			a.Gateway, w.BaseURL = via+"/gateway.do", via
		})
		if _, err := p.Create(ctx, e.order("01JTAMPER-"+tc.provider)); !errors.Is(err, pay.ErrVerify) {
			t.Fatalf("%s tampered create: %v", tc.provider, err)
		}
	}
	// A forged "paid" is the one that matters.
	for _, tc := range []struct{ provider, from, to string }{
		{alipay.Name, "WAIT_BUYER_PAY", "TRADE_SUCCESS"},
		{wechat.Name, `"NOTPAY"`, `"SUCCESS"`},
	} {
		o := e.order("01JFAKEPAID-" + tc.provider)
		qr, err := e.client(tc.provider, nil).Create(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := http.Get(qr); err != nil { // scanned: Alipay's trade now exists
			t.Fatal(err)
		}
		via := tamper(t, e.url, tc.from, tc.to)
		p := e.client(tc.provider, func(a *alipay.Config, w *wechat.Config) {
			a.Gateway, w.BaseURL = via+"/gateway.do", via
		})
		if st, err := p.Query(ctx, o); !errors.Is(err, pay.ErrVerify) {
			t.Fatalf("%s forged paid: %+v %v", tc.provider, st, err)
		}
	}
}

// silent accepts connections and never answers.
func silent(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	closed := func() string { // a port nobody listens on
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
		return "http://" + ln.Addr().String()
	}()
	for _, target := range []string{silent(t), closed} {
		for _, name := range providers {
			p := e.client(name, func(a *alipay.Config, w *wechat.Config) {
				a.Gateway, w.BaseURL = target+"/gateway.do", target
				a.Timeout, w.Timeout = 300*time.Millisecond, 300*time.Millisecond
			})
			start := time.Now()
			_, err := p.Create(context.Background(), e.order("01JDOWN-"+name))
			if !errors.Is(err, pay.ErrUnreachable) {
				t.Fatalf("%s %s: %v", name, target, err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("%s took %v to give up", name, d)
			}
			if _, err := p.Query(context.Background(), e.order("01JDOWN-"+name)); !errors.Is(err, pay.ErrUnreachable) {
				t.Fatalf("%s query: %v", name, err)
			}
			if _, err := p.Close(context.Background(), e.order("01JDOWN")); !errors.Is(err, pay.ErrUnreachable) {
				t.Fatalf("%s close: %v", name, err)
			}
		}
	}
}

// TestPollToPaid drives the loop the TUI runs: query, wait NextDelay.
func TestPollToPaid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.client(wechat.Name, nil)
	o := e.order("01JPOLL")
	qr, err := p.Create(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type result struct {
		st  pay.Status
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := pay.Wait(ctx, p, o)
		done <- result{st, err}
	}()
	time.Sleep(200 * time.Millisecond) // a query or two while waiting
	if code, _ := e.press(qr, "pay"); code != http.StatusOK {
		t.Fatal(code)
	}
	r := <-done
	st, err := r.st, r.err
	if err != nil || st.State != pos.PaymentPaid {
		t.Fatalf("%+v %v", st, err)
	}
}

// TestErrorShapes: malformed requests get the providers' own error shapes.
func TestErrorShapes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	form := url.Values{"app_id": {"2021000000000001"}, "method": {alipay.MethodQuery}, "format": {"JSON"},
		"charset": {"utf-8"}, "sign_type": {"RSA2"}, "timestamp": {alipay.FormatTime(time.Now())}, "version": {"1.0"},
		"biz_content": {`{"out_trade_no":"X"}`}}
	for _, tc := range []struct {
		edit      func(url.Values)
		key, code string
	}{
		{func(url.Values) {}, "alipay_trade_query_response", "isv.missing-signature"},
		{func(v url.Values) { v.Set("sign", "AAAA") }, "alipay_trade_query_response", "isv.invalid-signature"},
		{func(v url.Values) { v.Set("sign", "AAAA"); v.Set("app_id", "1") }, "alipay_trade_query_response", "isv.invalid-app-id"},
		{func(v url.Values) { v.Set("sign", "AAAA"); v.Set("method", "alipay.nope") }, "error_response", "isv.invalid-method"},
	} {
		v := url.Values{}
		for k, vs := range form {
			v[k] = append([]string(nil), vs...)
		}
		tc.edit(v)
		resp, err := http.PostForm(e.url+"/gateway.do", v)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		env, err := alipay.SplitResponse(body, v.Get("method"))
		if err != nil || env.Key != tc.key || env.Sign == "" ||
			!bytes.Contains(env.Content, []byte(`"sub_code":"`+tc.code+`"`)) {
			t.Errorf("%s: %s", tc.code, body)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, e.url+"/v3/pay/transactions/out-trade-no/X123456?mchid=1900000109", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !bytes.Contains(body, []byte(`"code":"SIGN_ERROR"`)) ||
		resp.Header.Get("Wechatpay-Signature") == "" {
		t.Errorf("unsigned WeChat request: %d %s", resp.StatusCode, body)
	}
}

// TestWalletPage is the customer's wallet: it shows a payment code the
// till recognises, and a payment waiting for the password.
func TestWalletPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, name := range providers {
		resp, err := http.PostForm(e.url+"/wallet/"+name, url.Values{"action": {"password-code"}})
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := regexp.MustCompile(`<p id="code" class="code">(\d+)</p>`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("%s wallet shows no code:\n%s", name, page)
		}
		code := string(m[1])
		if _, kind := pos.ClassifyPayCode(code); string(kind) != name {
			t.Fatalf("%s code %s classified %q", name, code, kind)
		}
		p := e.client(name, nil).(pay.CodePayer)
		o := e.order("01JWALLET-" + name)
		st, err := p.PayCode(context.Background(), o, code)
		if err != nil || st.State != pos.PaymentPaying {
			t.Fatalf("%s pay code: %+v %v", name, st, err)
		}
		resp, err = http.Get(e.url + "/wallet/" + name)
		if err != nil {
			t.Fatal(err)
		}
		page, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !bytes.Contains(page, []byte(`id="password"`)) || !bytes.Contains(page, []byte(o.OrderNo)) {
			t.Fatalf("%s wallet shows no password prompt:\n%s", name, page)
		}
		resp, err = http.PostForm(e.url+"/wallet/"+name, url.Values{"action": {"password"}, "code": {code}})
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s password: %v %v", name, resp, err)
		}
		resp.Body.Close()
		if st := e.query(e.client(name, nil), o); st.State != pos.PaymentPaid {
			t.Fatalf("%s after the password: %+v", name, st)
		}
		// A code works once.
		if st, err := p.PayCode(context.Background(), e.order("01JWALLET2-"+name), code); err != nil || st.State != pos.PaymentFailed {
			t.Fatalf("%s code used twice: %+v %v", name, st, err)
		}
	}
}

func TestFetchCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, name := range providers {
		code, err := paysim.FetchCode(context.Background(), e.url, name, "password")
		if _, kind := pos.ClassifyPayCode(code); err != nil || string(kind) != name {
			t.Fatalf("%s: %q %v", name, code, err)
		}
		st, err := e.client(name, nil).(pay.CodePayer).PayCode(context.Background(), e.order("01JFETCH-"+name), code)
		if err != nil || st.State != pos.PaymentPaying {
			t.Fatalf("%s: %+v %v", name, st, err)
		}
	}
	if _, err := paysim.FetchCode(context.Background(), e.url, "alipay", "steal"); err == nil {
		t.Fatal("unknown behaviour accepted")
	}
	if _, err := paysim.FetchCode(context.Background(), e.url, "visa", "pay"); err == nil {
		t.Fatal("unknown provider accepted")
	}
}
