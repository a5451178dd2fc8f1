package paysim

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/tillpos/till/pos/pay/internal/wire"
)

// The customer's wallet: it shows a one-time payment code for the
// cashier to scan (or type), and, when the till asks for it, the
// password prompt.
var walletTmpl = template.Must(template.New("wallet").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.ProviderName}} payment code</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f2f2f2;color:#222}
main{max-width:26rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:100vh;box-sizing:border-box}
.brand{color:#fff;margin:-1.5rem -1.5rem 1rem;padding:.8rem 1.5rem;font-weight:600}
.alipay .brand{background:#1677ff}.wechat .brand{background:#07c160}
.code{font-family:ui-monospace,monospace;font-size:1.6rem;letter-spacing:.1rem;word-break:break-all;padding:1rem;border:2px dashed #999;text-align:center}
.meta{color:#777;font-size:.9rem}
button{display:block;width:100%;font-size:1.1rem;padding:.9rem;margin:.6rem 0;border-radius:.4rem;border:1px solid #ccc;background:#fff}
.message{background:#fff3cd;padding:.6rem;border-radius:.3rem}
</style>
</head>
<body class="{{.Provider}}">
<main>
<p class="brand">{{.ProviderName}} <small>(simulated wallet)</small></p>
{{with .Message}}<p id="message" class="message">{{.}}</p>{{end}}
{{with .Code}}<p class="meta">Payment code: the cashier scans or types it</p>
<p id="code" class="code">{{.}}</p>{{end}}
{{range .Pending}}<form method="post" action="/wallet/{{$.Provider}}">
<input type="hidden" name="code" value="{{.Code}}">
<p>{{$.Merchant}} asks for ¥{{.Amount}} (order {{.OrderNo}})</p>
<button id="password" name="action" value="password" type="submit">Enter password and pay ¥{{.Amount}}</button>
</form>{{end}}
<form method="post" action="/wallet/{{.Provider}}">
<button id="show-pay" name="action" value="pay" type="submit">Show a payment code (pays at once)</button>
<button id="show-password" name="action" value="password-code" type="submit">Show a payment code (asks for my password)</button>
<button id="show-decline" name="action" value="decline" type="submit">Show a payment code (not enough balance)</button>
<button id="show-race" name="action" value="race" type="submit">Show a payment code (password goes in as the till gives up)</button>
</form>
</main>
</body>
</html>
`))

type pendingCode struct {
	Code, OrderNo, Amount string
}

type walletData struct {
	Provider, ProviderName, Merchant, Code, Message string
	Pending                                         []pendingCode
}

func (s *Sim) walletRender(w http.ResponseWriter, status int, provider, code, msg string) {
	s.mu.Lock()
	d := walletData{Provider: provider, ProviderName: providerNames[provider], Merchant: s.cfg.Merchant, Code: code, Message: msg}
	for _, wl := range s.wallets {
		if wl.provider != provider || wl.orderNo == "" {
			continue
		}
		if o := s.orders[provider+"/"+wl.orderNo]; o != nil && o.state == waiting {
			d.Pending = append(d.Pending, pendingCode{Code: wl.code, OrderNo: o.no, Amount: o.amount.Format(2)})
		}
	}
	s.mu.Unlock()
	sort.Slice(d.Pending, func(i, j int) bool { return d.Pending[i].OrderNo < d.Pending[j].OrderNo })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = walletTmpl.Execute(w, d)
}

// walletPage shows the wallet: buttons to show a payment code, and any
// payment waiting for the customer's password.
func (s *Sim) walletPage(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("provider")
	if providerNames[p] == "" {
		http.Error(w, "No such wallet.", http.StatusNotFound)
		return
	}
	s.walletRender(w, http.StatusOK, p, r.URL.Query().Get("code"), "")
}

// walletPress shows a new code, or enters the password for a payment.
func (s *Sim) walletPress(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	p := r.PathValue("provider")
	if err := r.ParseForm(); err != nil || providerNames[p] == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	switch a := r.PostFormValue("action"); a {
	case "pay", "password-code", "decline", "race":
		b := map[string]Behaviour{"pay": PayNow, "password-code": Password, "decline": Decline, "race": Race}[a]
		code, err := s.IssueCode(p, b)
		if err != nil {
			s.walletRender(w, http.StatusBadRequest, p, "", err.Error())
			return
		}
		if r.Header.Get("Accept") == "text/plain" { // till paysim code
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write([]byte(code + "\n"))
			return
		}
		http.Redirect(w, r, "/wallet/"+p+"?code="+code, http.StatusSeeOther)
	case "password":
		if err := s.EnterPassword(r.PostFormValue("code")); err != nil {
			s.walletRender(w, http.StatusConflict, p, "", "This payment can no longer be made.")
			return
		}
		s.walletRender(w, http.StatusOK, p, "", "Paid.")
	default:
		s.walletRender(w, http.StatusBadRequest, p, "", "Press a button.")
	}
}

// Behaviours are the wallet page's names for what a code does.
var Behaviours = map[string]Behaviour{"pay": PayNow, "password": Password, "decline": Decline, "race": Race}

// FetchCode asks a running simulator at baseURL for a payment code of
// provider that behaves as b (a key of Behaviours): what `till paysim
// code` prints for the cashier to scan or type.
func FetchCode(ctx context.Context, baseURL, provider, b string) (string, error) {
	action := map[string]string{"pay": "pay", "password": "password-code", "decline": "decline", "race": "race"}[b]
	if action == "" {
		return "", fmt.Errorf("paysim: no behaviour %q (want pay, password, decline or race)", b)
	}
	form := url.Values{"action": {action}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(baseURL, "/")+"/wallet/"+url.PathEscape(provider),
		strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("paysim: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/plain")
	resp, err := wire.Client(3*time.Second, nil).Do(req)
	if err != nil {
		return "", fmt.Errorf("paysim: is the simulator running? %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	code := strings.TrimSpace(string(body))
	if resp.StatusCode != http.StatusOK || code == "" || strings.ContainsAny(code, "<> ") {
		return "", fmt.Errorf("paysim: no code for %s (HTTP %d)", provider, resp.StatusCode)
	}
	return code, nil
}
