package paysim_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/pay/wechat"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe runs `till paysim` as the lead wires it and uses the
// till.toml snippet it prints, decoded as the till's config would be.
func TestServe(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- paysim.Serve(ctx, paysim.Config{Addr: "127.0.0.1:0", KeyDir: t.TempDir(), Keys: simKeys()}, &out)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "notify_url") {
		if time.Now().After(deadline) {
			t.Fatalf("no config printed:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	text := out.String()
	snippet := text[strings.Index(text, "[alipay]"):]
	var cfg struct {
		Alipay alipay.Config `toml:"alipay"`
		WeChat wechat.Config `toml:"wechat"`
	}
	md, err := toml.Decode(snippet, &cfg)
	if err != nil || len(md.Undecoded()) > 0 {
		t.Fatalf("snippet does not decode (%v, %v):\n%s", err, md.Undecoded(), snippet)
	}
	a, err := alipay.New(cfg.Alipay)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wechat.New(cfg.WeChat)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []pay.Provider{a, w} {
		o := pay.Order{OrderNo: "SERVE" + p.Name(), Amount: 99, Currency: "CNY", Exponent: 2, Subject: "S",
			Expires: time.Now().Add(time.Minute)}
		qr, err := p.Create(ctx, o)
		if err != nil {
			t.Fatalf("%s: %v", p.Name(), err)
		}
		resp, err := http.PostForm(qr, map[string][]string{"action": {"pay"}})
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s pay: %v %v", p.Name(), resp, err)
		}
		resp.Body.Close()
		if st, err := p.Query(ctx, o); err != nil || st.State != pos.PaymentPaid {
			t.Fatalf("%s: %+v %v", p.Name(), st, err)
		}
	}
	// The order list shows both.
	base := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(text)
	if base == nil {
		t.Fatalf("no address in:\n%s", text)
	}
	resp, err := http.Get(base[1] + "/")
	if err != nil {
		t.Fatal(err)
	}
	index, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(index, []byte("SERVEalipay")) || !bytes.Contains(index, []byte("SERVEwechat")) {
		t.Fatalf("index:\n%s", index)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not stop")
	}
	if !strings.Contains(out.String(), "paid ¥0.99") {
		t.Fatalf("no event lines:\n%s", out.String())
	}
}

// TestKeyDir: keys made once are kept, so the till's config stays valid
// across simulator runs.
func TestKeyDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s1, err := paysim.New(paysim.Config{KeyDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := paysim.New(paysim.Config{KeyDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !s1.AlipayPublicKey().Equal(s2.AlipayPublicKey()) || !s1.WeChatPlatformKey().Equal(s2.WeChatPlatformKey()) ||
		s1.WeChatPlatformSerial() != s2.WeChatPlatformSerial() {
		t.Fatal("keys changed between runs")
	}
}

// TestClockSkew: a till whose clock is far off is refused (Alipay checks
// the request timestamp) or cannot trust the answer (WeChat's signed
// response carries one too); either way nothing is created.
func TestClockSkew(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, name := range providers {
		p := e.client(name, func(a *alipay.Config, w *wechat.Config) {
			late := func() time.Time { return time.Now().Add(-20 * time.Minute) }
			a.Now, w.Now = late, late
		})
		o := e.order("01JSKEW-" + name)
		_, err := p.Create(context.Background(), o)
		if err == nil || errors.Is(err, pay.ErrUnreachable) {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %v", name, err)
		if _, ok := e.sim.Order(name, o.OrderNo); ok {
			t.Fatalf("%s: created", name)
		}
	}
}
