package register

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/pay/wechat"
)

// counterTick is how often the counter's pay screen wakes up (tui's
// qrTickMsg): it asks the provider on the first tick at or after the
// time pay.NextDelay set, never while a query is in flight.
const counterTick = pay.PollTick

// BenchmarkPaidToScreen measures, with the payment simulator on loopback
// and a real store (fsync on), how long after the customer presses Pay
// on the phone the till has the payment stored as paid: the time from
// the simulator's "paid" to PollQR returning it, run the way the counter
// runs PollQR (a tick a second, the next query no sooner than
// pay.NextDelay after the last answer). Each op is one payment; the
// customer pays at a moment drawn evenly from 1 to 25 seconds after the
// code is shown, and all the payments wait at once, so run it with a
// count: -benchtime 200x. It reports the median and the 95th
// percentile, and the queries each payment cost.
func BenchmarkPaidToScreen(b *testing.B) {
	for _, name := range []string{alipay.Name, wechat.Name} {
		b.Run(name, func(b *testing.B) { benchPaidToScreen(b, name) })
	}
}

func benchPaidToScreen(b *testing.B, provider string) {
	prov, sim := benchSim(b, provider)
	s, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), bolt.Options{Identity: pos.Identity{Terminal: "T1", Shop: "S", Currency: "CNY", Exponent: 2}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.PutProducts([]pos.Product{{SKU: "A", Name: "Tea", Price: 1250, TaxRate: 1300}}); err != nil {
		b.Fatal(err)
	}
	r := New(s, pos.Currency{Code: "CNY", Numeric: "156", Exponent: 2}, true, "ann")
	r.QR = &QR{Online: prov, Expiry: 5 * time.Minute}
	rng := rand.New(rand.NewPCG(5, 6))
	offsets := make([]time.Duration, b.N)
	for i := range offsets {
		offsets[i] = time.Second + time.Duration(rng.Int64N(int64(24*time.Second)))
	}
	delays := make([]time.Duration, b.N)
	queries := make([]int, b.N)
	var wg sync.WaitGroup
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		wg.Go(func() {
			p, err := r.StartQR(ctx, teaCart(1), time.Now(), 1250, false)
			if err != nil {
				b.Error(err)
				return
			}
			shown := time.Now()
			var paidAt time.Time
			pressed := make(chan struct{})
			go func() { // the customer
				time.Sleep(time.Until(shown.Add(offsets[i])))
				paidAt = time.Now()
				if err := pressPay(sim, p.Payload); err != nil {
					b.Error(err)
				}
				close(pressed)
			}()
			// The counter: a tick a second; a query when one is due.
			polls := 0
			var next time.Time
			for tick := shown.Add(counterTick); ; tick = tick.Add(counterTick) {
				time.Sleep(time.Until(tick))
				if time.Now().Before(next) {
					continue
				}
				q, err := r.PollQR(ctx, p.ID)
				polls++
				next = time.Now().Add(pay.NextDelay(polls))
				if err != nil {
					b.Error(err)
					return
				}
				if q.State == pos.PaymentPaid {
					<-pressed
					delays[i] = time.Since(paidAt)
					queries[i] = polls
					return
				}
				if q.State.Final() || time.Since(shown) > time.Minute {
					b.Errorf("payment %s: %s", p.ID, q.State)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(delays)
	q := func(f float64) float64 { return delays[min(len(delays)-1, int(f*float64(len(delays))))].Seconds() }
	b.ReportMetric(q(0.5), "p50-s")
	b.ReportMetric(q(0.95), "p95-s")
	b.ReportMetric(delays[len(delays)-1].Seconds(), "max-s")
	total := 0
	for _, n := range queries {
		total += n
	}
	b.ReportMetric(float64(total)/float64(b.N), "queries/payment")
}

// benchSim starts the simulator on loopback and returns a client of
// one of its providers, configured from the files it wrote.
func benchSim(b *testing.B, provider string) (pay.Provider, string) {
	sim, err := paysim.New(paysim.Config{Merchant: "Test Shop"})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	b.Cleanup(srv.Close)
	cc, err := sim.WriteClientConfig(b.TempDir(), srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	var p pay.Provider
	if provider == alipay.Name {
		p, err = alipay.New(cc.Alipay)
	} else {
		p, err = wechat.New(cc.WeChat)
	}
	if err != nil {
		b.Fatal(err)
	}
	return p, srv.URL
}

// pressPay presses Pay on the simulator's customer page for the QR
// link, as the phone does (the form posts back to the link).
func pressPay(base, link string) error {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(link, url.Values{"action": {"pay"}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(link, base) {
		return fmt.Errorf("pay %s: %s", link, resp.Status)
	}
	return nil
}
