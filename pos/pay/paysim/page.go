package paysim

import (
	"html/template"
	"net/http"
	"sort"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/internal/wire"
	"github.com/tillpos/till/pos/pay/wechat"
)

var providerNames = map[string]string{alipay.Name: "Alipay", wechat.Name: "WeChat Pay"}

// The customer's phone: plain HTML, one form, no scripts.
var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.ProviderName}} · {{.Merchant}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f2f2f2;color:#222}
main{max-width:26rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:100vh;box-sizing:border-box}
.brand{color:#fff;margin:-1.5rem -1.5rem 1rem;padding:.8rem 1.5rem;font-weight:600}
.alipay .brand{background:#1677ff}.wechat .brand{background:#07c160}
.amount{font-size:2.4rem;font-weight:700;margin:.5rem 0}
.meta{color:#777;font-size:.9rem}
.status{font-size:1.2rem;font-weight:600}
.paid{color:#07a050}.failed,.cancelled,.expired{color:#c33}
.message{background:#fff3cd;padding:.6rem;border-radius:.3rem}
button{display:block;width:100%;font-size:1.1rem;padding:.9rem;margin:.6rem 0;border-radius:.4rem;border:1px solid #ccc;background:#fff}
#pay{color:#fff;border:0}.alipay #pay{background:#1677ff}.wechat #pay{background:#07c160}
</style>
</head>
<body class="{{.Provider}}">
<main>
<p class="brand">{{.ProviderName}} <small>(simulated)</small></p>
<h1 id="merchant">{{.Merchant}}</h1>
<p id="subject">{{.Subject}}</p>
<p id="amount" class="amount">¥{{.Amount}}</p>
<p class="meta">Order <span id="order">{{.OrderNo}}</span></p>
{{with .Message}}<p id="message" class="message">{{.}}</p>{{end}}
<p id="status" class="status {{.State}}" data-state="{{.State}}">{{.StateText}}</p>
{{if .CanPay}}
<form method="post" action="{{.Action}}">
<button id="pay" name="action" value="pay" type="submit">Pay ¥{{.Amount}}</button>
<button id="decline" name="action" value="decline" type="submit">Decline</button>
</form>
<p class="meta">Pay before {{.Expires}}</p>
{{end}}
</main>
</body>
</html>
`))

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>paysim</title><style>body{font-family:system-ui,sans-serif;margin:1.5rem}td,th{padding:.3rem .8rem;text-align:left}</style></head>
<body><h1>paysim: {{.Merchant}}</h1>
{{if .Orders}}<table><tr><th>Provider</th><th>Order</th><th>Amount</th><th>State</th><th>Expires</th></tr>
{{range .Orders}}<tr><td>{{.Provider}}</td><td><a href="/pay/{{.Provider}}/{{.OrderNo}}">{{.OrderNo}}</a></td><td>¥{{.Amount.Format 2}}</td><td>{{.State}}</td><td>{{.Expires.Format "15:04:05"}}</td></tr>
{{end}}</table>{{else}}<p>No orders yet.</p>{{end}}
</body></html>
`))

var stateText = map[pos.PaymentState]string{
	pos.PaymentShown:     "Waiting for payment",
	pos.PaymentPaid:      "Paid",
	pos.PaymentFailed:    "Declined",
	pos.PaymentCancelled: "Cancelled by the shop",
	pos.PaymentExpired:   "Expired",
}

type pageData struct {
	Provider, ProviderName, Merchant, Subject, Amount, OrderNo string
	State                                                      pos.PaymentState
	StateText, Message, Action, Expires                        string
	CanPay                                                     bool
}

// lookup finds the order a page is about.
func (s *Sim) lookup(r *http.Request) *order {
	p := r.PathValue("provider")
	if providerNames[p] == "" {
		return nil
	}
	return s.orders[p+"/"+r.PathValue("no")]
}

func (s *Sim) render(w http.ResponseWriter, status int, o *order, msg string) {
	pub := s.public(o)
	d := pageData{Provider: o.provider, ProviderName: providerNames[o.provider], Merchant: s.cfg.Merchant,
		Subject: o.subject, Amount: o.amount.Format(2), OrderNo: o.no, State: pub.State,
		StateText: stateText[pub.State], Message: msg, Action: "/pay/" + o.provider + "/" + o.no,
		Expires: o.expires.In(wire.CST).Format("15:04:05 (UTC+8)"), CanPay: pub.State == pos.PaymentShown}
	if o.state == refunded {
		d.StateText = "Cancelled by the shop; the payment was refunded"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, d)
}

// page shows an order on the customer's phone. For Alipay, opening it
// is the scan that makes the trade exist.
func (s *Sim) page(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.lookup(r)
	if o == nil {
		http.Error(w, "No such order.", http.StatusNotFound)
		return
	}
	if !o.visible {
		o.visible = true
		o.tradeNo = s.tradeNo(o.provider)
		s.logf("%s %s scanned", o.provider, o.no)
	}
	s.render(w, http.StatusOK, o, "")
}

// press handles the Pay and Decline buttons.
func (s *Sim) press(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.lookup(r)
	if o == nil {
		http.Error(w, "No such order.", http.StatusNotFound)
		return
	}
	action := r.PostFormValue("action")
	if action != "pay" && action != "decline" {
		s.render(w, http.StatusBadRequest, o, "Press Pay or Decline.")
		return
	}
	now := s.now()
	if o.state != waiting || o.expired(now) {
		s.logf("%s %s: %s refused, order is %s", o.provider, o.no, action, s.public(o).State)
		s.render(w, http.StatusConflict, o, "This order can no longer be paid.")
		return
	}
	if !o.visible || o.tradeNo == "" {
		o.visible, o.tradeNo = true, s.tradeNo(o.provider)
	}
	if action == "pay" {
		if o.provider == wechat.Name {
			o.tradeNo = s.tradeNo(o.provider) // transaction_id exists once paid
		}
		o.state, o.paidAt = paid, now
		s.logf("%s %s paid ¥%s (%s)", o.provider, o.no, o.amount.Format(2), o.tradeNo)
	} else {
		o.state = declined
		s.logf("%s %s declined", o.provider, o.no)
	}
	http.Redirect(w, r, "/pay/"+o.provider+"/"+o.no, http.StatusSeeOther)
}

func (s *Sim) index(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	list := make([]Public, 0, len(s.orders))
	for _, o := range s.orders {
		list = append(list, s.public(o))
	}
	s.mu.Unlock()
	sort.Slice(list, func(i, j int) bool { return list[i].Expires.After(list[j].Expires) })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = indexTmpl.Execute(w, struct {
		Merchant string
		Orders   []Public
	}{s.cfg.Merchant, list})
}
