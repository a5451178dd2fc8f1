// Package paysim simulates the parts of Alipay's OpenAPI gateway and
// WeChat Pay's APIv3 that Till uses, on loopback, for demos and tests.
//
// It checks request signatures the way the real services do and refuses
// a wrongly signed request with their error shapes (Alipay sub_code
// isv.invalid-signature, WeChat 401 SIGN_ERROR); it signs its responses
// with its own keys, so Till's real clients verify them. Its QR codes are
// links to a small "customer phone" page with Pay and Decline buttons.
// Orders live in memory, keyed by provider and out_trade_no.
package paysim

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/wire"
	"github.com/tillpos/till/pos/pay/wechat"
)

// DefaultAddr is where Serve listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8750"

// Config is the simulator's configuration ([paysim] in till.toml).
type Config struct {
	Addr string `toml:"addr"` // listen address; default 127.0.0.1:8750
	// PublicURL is the base of the QR links, e.g. http://192.168.1.20:8750
	// so that a real phone on the shop's network can open them. Empty:
	// the address the till reached the simulator at.
	PublicURL string `toml:"public_url"`
	Merchant  string `toml:"merchant"` // shown on the phone page
	// KeyDir keeps the simulator's key pairs (and the till's, when the
	// simulator made them) across runs. Empty: Serve uses a temporary
	// directory and New keeps keys in memory.
	KeyDir string       `toml:"key_dir"`
	Alipay AlipayConfig `toml:"alipay"`
	WeChat WeChatConfig `toml:"wechat"`

	Keys *Keys            `toml:"-"` // keys to use instead of loading or making them
	Now  func() time.Time `toml:"-"` // the simulator's clock; nil for time.Now
	Log  io.Writer        `toml:"-"` // one line per event; nil for none
}

// AlipayConfig is the Alipay side of the simulator.
type AlipayConfig struct {
	AppID string `toml:"app_id"`
	// AppPublicKey names the till's app public key file. Empty: the
	// simulator makes the pair and hands the private half to the till
	// through WriteClientConfig.
	AppPublicKey string `toml:"app_public_key"`
}

// WeChatConfig is the WeChat Pay side of the simulator.
type WeChatConfig struct {
	AppID string `toml:"app_id"`
	MchID string `toml:"mch_id"`
	// MerchantSerial and MerchantPublicKey describe the till's merchant
	// API key. Empty: the simulator makes the pair (and a serial).
	MerchantSerial    string `toml:"merchant_serial"`
	MerchantPublicKey string `toml:"merchant_public_key"`
}

// Keys are the four key pairs in play. The till's halves (AlipayApp,
// WeChatMerchant) may be nil when only their public keys are configured.
type Keys struct {
	AlipayApp      *rsa.PrivateKey // the till's Alipay app key
	Alipay         *rsa.PrivateKey // Alipay's key, signs gateway responses
	WeChatMerchant *rsa.PrivateKey // the till's merchant API key
	WeChatPlatform *rsa.PrivateKey // WeChat Pay's key, signs API responses
}

// Sim is a running simulator's state. It is safe for concurrent use.
type Sim struct {
	cfg Config
	now func() time.Time

	appKey, merchantKey      *rsa.PrivateKey // nil when configured public-only
	appPub, merchantPub      *rsa.PublicKey
	alipayKey, platformKey   *rsa.PrivateKey
	merchantSerial, pubKeyID string

	logMu sync.Mutex

	mu      sync.Mutex
	orders  map[string]*order // provider + "/" + out_trade_no
	wallets map[string]*wallet
	seq     int
	down    bool
}

// New makes a simulator: it loads or makes its keys.
func New(cfg Config) (*Sim, error) {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&cfg.Merchant, "Till Demo Shop")
	def(&cfg.Alipay.AppID, "2021000000000001")
	def(&cfg.WeChat.AppID, "wx8888888888888888")
	def(&cfg.WeChat.MchID, "1900000109")
	if cfg.KeyDir != "" {
		if err := os.MkdirAll(cfg.KeyDir, 0o700); err != nil {
			return nil, fmt.Errorf("paysim: key dir: %w", err)
		}
	}
	keys := cfg.Keys
	if keys == nil {
		keys = &Keys{}
	}
	s := &Sim{cfg: cfg, now: cfg.Now, orders: map[string]*order{}}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.appKey, s.appPub, err = s.peerKey(keys.AlipayApp, cfg.Alipay.AppPublicKey, "alipay_app"); err != nil {
		return nil, err
	}
	if s.merchantKey, s.merchantPub, err = s.peerKey(keys.WeChatMerchant, cfg.WeChat.MerchantPublicKey, "wechat_merchant"); err != nil {
		return nil, err
	}
	if s.alipayKey, err = s.ownKey(keys.Alipay, "alipay"); err != nil {
		return nil, err
	}
	if s.platformKey, err = s.ownKey(keys.WeChatPlatform, "wechat_platform"); err != nil {
		return nil, err
	}
	s.merchantSerial = cfg.WeChat.MerchantSerial
	if s.merchantSerial == "" {
		s.merchantSerial = rsakey.Serial(s.merchantPub)
	}
	s.pubKeyID = "PUB_KEY_ID_" + rsakey.Serial(&s.platformKey.PublicKey)
	return s, nil
}

// peerKey finds the till's key pair for one provider: a configured
// public key file, a given key, a key kept in KeyDir, or a new one.
func (s *Sim) peerKey(given *rsa.PrivateKey, pubFile, name string) (*rsa.PrivateKey, *rsa.PublicKey, error) {
	if pubFile != "" {
		pub, err := rsakey.LoadPublic(pubFile)
		if err != nil {
			return nil, nil, fmt.Errorf("paysim: %w", err)
		}
		return nil, pub, nil
	}
	k, err := s.ownKey(given, name)
	if err != nil {
		return nil, nil, err
	}
	return k, &k.PublicKey, nil
}

func (s *Sim) ownKey(given *rsa.PrivateKey, name string) (*rsa.PrivateKey, error) {
	if given != nil {
		return given, nil
	}
	if s.cfg.KeyDir == "" {
		return rsakey.Generate()
	}
	path := filepath.Join(s.cfg.KeyDir, name+"_private.pem")
	k, err := rsakey.LoadPrivate(path)
	if err == nil {
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("paysim: %w", err)
	}
	if k, err = rsakey.Generate(); err != nil {
		return nil, err
	}
	if err := rsakey.WritePrivate(path, k); err != nil {
		return nil, fmt.Errorf("paysim: %w", err)
	}
	if err := rsakey.WritePublic(filepath.Join(s.cfg.KeyDir, name+"_public.pem"), &k.PublicKey); err != nil {
		return nil, fmt.Errorf("paysim: %w", err)
	}
	return k, nil
}

// AlipayPublicKey is the key the simulated Alipay signs responses with.
func (s *Sim) AlipayPublicKey() *rsa.PublicKey { return &s.alipayKey.PublicKey }

// WeChatPlatformKey is the key the simulated WeChat Pay signs with.
func (s *Sim) WeChatPlatformKey() *rsa.PublicKey { return &s.platformKey.PublicKey }

// WeChatPlatformSerial is the Wechatpay-Serial the simulator signs under.
func (s *Sim) WeChatPlatformSerial() string { return s.pubKeyID }

// ClientConfig is what the till needs to talk to the simulator.
type ClientConfig struct {
	Alipay alipay.Config
	WeChat wechat.Config
}

// WriteClientConfig writes the till's side of the keys into dir (private
// keys readable by the owner only) and returns client configs pointing at
// the simulator at baseURL, e.g. http://127.0.0.1:8750. A till key that
// was configured public-only is left out: its private_key stays empty.
func (s *Sim) WriteClientConfig(dir, baseURL string) (ClientConfig, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ClientConfig{}, fmt.Errorf("paysim: %w", err)
	}
	baseURL = strings.TrimSuffix(baseURL, "/")
	p := func(name string) string { return filepath.Join(dir, name) }
	cc := ClientConfig{
		Alipay: alipay.Config{AppID: s.cfg.Alipay.AppID, Gateway: baseURL + "/gateway.do",
			AlipayPublicKey: p("alipay_public.pem")},
		WeChat: wechat.Config{AppID: s.cfg.WeChat.AppID, MchID: s.cfg.WeChat.MchID, BaseURL: baseURL,
			SerialNo: s.merchantSerial, PlatformPublicKey: p("wechat_platform_public.pem"),
			PlatformSerial: s.pubKeyID, NotifyURL: baseURL + "/notify"},
	}
	if err := rsakey.WritePublic(cc.Alipay.AlipayPublicKey, &s.alipayKey.PublicKey); err != nil {
		return cc, err
	}
	if err := rsakey.WritePublic(cc.WeChat.PlatformPublicKey, &s.platformKey.PublicKey); err != nil {
		return cc, err
	}
	if s.appKey != nil {
		cc.Alipay.PrivateKey = p("alipay_app_private.pem")
		if err := rsakey.WritePrivate(cc.Alipay.PrivateKey, s.appKey); err != nil {
			return cc, err
		}
	}
	if s.merchantKey != nil {
		cc.WeChat.PrivateKey = p("wechat_merchant_private.pem")
		if err := rsakey.WritePrivate(cc.WeChat.PrivateKey, s.merchantKey); err != nil {
			return cc, err
		}
	}
	return cc, nil
}

// TOML renders the client configs as till.toml sections.
func (cc ClientConfig) TOML() string {
	q := strconv.Quote
	a, w := cc.Alipay, cc.WeChat
	return fmt.Sprintf(`[alipay]
app_id = %s
gateway = %s
private_key = %s
alipay_public_key = %s

[wechat]
app_id = %s
mch_id = %s
base_url = %s
serial_no = %s
private_key = %s
platform_public_key = %s
platform_serial = %s
notify_url = %s
`, q(a.AppID), q(a.Gateway), q(a.PrivateKey), q(a.AlipayPublicKey),
		q(w.AppID), q(w.MchID), q(w.BaseURL), q(w.SerialNo), q(w.PrivateKey),
		q(w.PlatformPublicKey), q(w.PlatformSerial), q(w.NotifyURL))
}

// Handler serves both APIs and the customer pages.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /gateway.do", s.alipayGateway)
	mux.HandleFunc("POST /v3/pay/transactions/native", s.wechatNative)
	mux.HandleFunc("GET /v3/pay/transactions/out-trade-no/{no}", s.wechatQuery)
	mux.HandleFunc("POST /v3/pay/transactions/out-trade-no/{no}/close", s.wechatClose)
	mux.HandleFunc("POST /v3/pay/transactions/codepay", s.wechatCodePay)
	mux.HandleFunc("POST /v3/pay/transactions/out-trade-no/{no}/reverse", s.wechatReverse)
	mux.HandleFunc("POST /v3/refund/domestic/refunds", s.wechatRefund)
	mux.HandleFunc("GET /v3/refund/domestic/refunds/{no}", s.wechatRefundQuery)
	mux.HandleFunc("GET /v3/bill/tradebill", s.wechatTradeBill)
	mux.HandleFunc("GET /v3/billdownload/file", s.wechatBillDownload)
	mux.HandleFunc("GET /bill/alipay", s.alipayBillDownload)
	mux.HandleFunc("GET /wallet/{provider}", s.walletPage)
	mux.HandleFunc("POST /wallet/{provider}", s.walletPress)
	mux.HandleFunc("GET /pay/{provider}/{no}", s.page)
	mux.HandleFunc("POST /pay/{provider}/{no}", s.press)
	mux.HandleFunc("POST /notify", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /{$}", s.index)
	return s.outage(mux)
}

// outage answers API calls with an unsigned 503 while SetDown(true).
func (s *Sim) outage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		down := s.down
		s.mu.Unlock()
		if down && (r.URL.Path == "/gateway.do" || strings.HasPrefix(r.URL.Path, "/v3/")) {
			http.Error(w, "503 Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Serve runs the simulator until ctx ends. It writes the till's keys and
// a ready till.toml snippet for them, then one line per event, to out.
func Serve(ctx context.Context, cfg Config, out io.Writer) error {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.KeyDir == "" {
		dir, err := os.MkdirTemp("", "till-paysim-")
		if err != nil {
			return fmt.Errorf("paysim: %w", err)
		}
		defer os.RemoveAll(dir)
		cfg.KeyDir = dir
	}
	cfg.Log = out
	s, err := New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("paysim: %w", err)
	}
	base := "http://" + ln.Addr().String()
	if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsUnspecified() {
		// Listening everywhere: the till on this machine uses loopback
		// (plain http is refused anywhere else).
		base = fmt.Sprintf("http://127.0.0.1:%d", a.Port)
	}
	cc, err := s.WriteClientConfig(cfg.KeyDir, base)
	if err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(out, "paysim: simulated Alipay and WeChat Pay at %s (orders at %s/)\n", base, base)
	fmt.Fprintf(out, "paysim: customers' payment codes at %s/wallet/alipay and %s/wallet/wechat\n", base, base)
	fmt.Fprintf(out, "paysim: keys in %s; add this to till.toml:\n\n%s\n", cfg.KeyDir, cc.TOML())
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("paysim: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	<-done
	return nil
}

func (s *Sim) logf(format string, args ...any) {
	if s.cfg.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, "%s "+format+"\n", append([]any{s.now().Format("15:04:05")}, args...)...)
}

// base is the start of QR links for a request that reached us at r.
func (s *Sim) base(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/")
	}
	return "http://" + r.Host
}

// A state of a simulated order. Expiry is computed from the clock.
type state int

const (
	waiting state = iota
	paid
	declined // the customer pressed Decline
	closed   // the merchant cancelled or closed it
	refunded // cancelled after it was paid (Alipay's cancel refunds)
)

type order struct {
	provider, no string
	amount       pos.Money
	subject      string
	expires      time.Time
	details      string // what must match for a repeated create
	qr           string
	state        state
	visible      bool   // Alipay: the trade exists once the code is scanned (or cancelled)
	tradeNo      string // the provider's transaction number
	paidAt       time.Time
	timeout      string  // Alipay qr_code_timeout_express as sent
	code         *wallet // the payment code of a code payment
	reversed     bool    // withdrawn by a reverse (WeChat REVOKED)
	refunds      []*refund
}

func (o *order) expired(now time.Time) bool {
	return o.state == waiting && !now.Before(o.expires)
}

// Public is what tests and the index page see of an order.
type Public struct {
	Provider, OrderNo, Subject string
	Amount                     pos.Money
	Expires                    time.Time
	State                      pos.PaymentState // shown while it can be paid
	TradeNo                    string
	TimeoutExpress             string    // Alipay qr_code_timeout_express as sent
	Refunded                   pos.Money // refunded so far
}

func (s *Sim) public(o *order) Public {
	st := map[state]pos.PaymentState{waiting: pos.PaymentShown, paid: pos.PaymentPaid,
		declined: pos.PaymentFailed, closed: pos.PaymentCancelled, refunded: pos.PaymentCancelled}[o.state]
	if o.expired(s.now()) {
		st = pos.PaymentExpired
	}
	return Public{Provider: o.provider, OrderNo: o.no, Subject: o.subject, Amount: o.amount,
		Expires: o.expires, State: st, TradeNo: o.tradeNo, TimeoutExpress: o.timeout, Refunded: o.refunded()}
}

// Order returns what the simulator knows of an order.
func (s *Sim) Order(provider, orderNo string) (Public, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[provider+"/"+orderNo]
	if o == nil {
		return Public{}, false
	}
	return s.public(o), true
}

// tradeNo makes a provider transaction number: Alipay's are 28 digits
// starting with the date, WeChat's 28 digits starting 4200.
func (s *Sim) tradeNo(provider string) string {
	s.seq++
	if provider == alipay.Name {
		return s.now().In(wire.CST).Format("20060102") + fmt.Sprintf("2200%016d", s.seq)
	}
	return "4200" + s.now().In(wire.CST).Format("20060102") + fmt.Sprintf("%016d", s.seq)
}
