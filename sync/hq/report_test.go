package hq_test

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/internal/synctest"
)

type want struct {
	sales, refunds, zs int
	net, tax, cash     pos.Money
}

func TestReport(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		srv := synctest.StartHQ(t, b)
		cst := time.FixedZone("CST", 8*3600)
		day := time.Date(2025, 3, 3, 0, 0, 0, 0, cst)
		rng := rand.New(rand.NewPCG(9, 9))
		wants := map[string]*want{}
		for _, tc := range []struct{ term, shop string }{{"T1", "S1"}, {"T2", "S1"}, {"T3", "S2"}} {
			tm := synctest.NewTerminal(t, tc.term, tc.shop)
			tok := synctest.Enrol(t, b, tc.shop, tc.term)
			w := &want{}
			wants[tc.term] = w
			// Sales from 23:00 the evening before to 01:00 the morning
			// after, in the shop's time zone: only the day's count.
			now := day.Add(-time.Hour)
			tm.Reg.Now = func() time.Time { return now }
			for now.Before(day.Add(25 * time.Hour)) {
				s, err := tm.Sell(rng)
				if err != nil {
					t.Fatal(err)
				}
				in := !now.Before(day) && now.Before(day.AddDate(0, 0, 1))
				if in {
					w.sales++
					w.net += s.Due
					w.tax += s.Tax
					w.cash += s.Due
				}
				if rng.IntN(5) == 0 {
					r, err := tm.Reg.Refund(s.ID, nil, pos.KindRefund, "")
					if err != nil {
						t.Fatal(err)
					}
					if in {
						w.refunds++
						w.net -= r.Total + r.Rounding
						w.tax -= r.Tax
						w.cash -= r.Tenders[0].Amount
					}
				}
				now = now.Add(time.Duration(10+rng.IntN(50)) * time.Minute)
			}
			if tc.term == "T2" {
				// The drawer outside sales, at noon: counted in the day's
				// paid in, paid out and no-sales, never in its net.
				now = day.Add(12 * time.Hour)
				if _, err := tm.Reg.PayIn(5000, "change from the bank"); err != nil {
					t.Fatal(err)
				}
				if _, err := tm.Reg.PayOut(1250, "milk delivery"); err != nil {
					t.Fatal(err)
				}
				if _, err := tm.Reg.NoSale("customer wanted coins"); err != nil {
					t.Fatal(err)
				}
			}
			if tc.term == "T1" {
				if _, err := tm.Store.TakeZ(day.Add(20*time.Hour), cst, nil); err != nil {
					t.Fatal(err)
				}
				w.zs = 1
			}
			if _, err := client.Sync(ctx, tm.Store, client.Config{URL: srv.URL, Token: tok}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := hq.BuildReport(ctx, b, day.Add(13*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Day.Equal(day) || len(rep.Terminals) != 3 || len(rep.Stores) != 2 || len(rep.Chain) != 1 {
			t.Fatalf("report shape: day %v, %d terminals, %d stores, %d chain rows", rep.Day, len(rep.Terminals), len(rep.Stores), len(rep.Chain))
		}
		var total want
		for _, row := range rep.Terminals {
			w := wants[row.Terminal]
			got := want{row.Sales, row.Refunds, row.ZReports, row.Net, row.Tax, row.Tenders[pos.Cash]}
			if got != *w {
				t.Errorf("%s: %+v, want %+v", row.Terminal, got, *w)
			}
			total.sales += w.sales
			total.refunds += w.refunds
			total.zs += w.zs
			total.net += w.net
			total.tax += w.tax
			total.cash += w.cash
		}
		for _, row := range append(rep.Terminals, rep.Chain...) {
			in, out, ns := pos.Money(0), pos.Money(0), 0
			if row.Terminal == "T2" || row.Terminal == "" {
				in, out, ns = 5000, 1250, 1
			}
			if row.PaidIn != in || row.PaidOut != out || row.NoSales != ns {
				t.Errorf("%s drawer: paid in %d out %d no-sales %d; want %d %d %d", row.Terminal, row.PaidIn, row.PaidOut, row.NoSales, in, out, ns)
			}
		}
		c := rep.Chain[0]
		if got := (want{c.Sales, c.Refunds, c.ZReports, c.Net, c.Tax, c.Tenders[pos.Cash]}); got != total {
			t.Errorf("chain: %+v, want %+v", got, total)
		}
		s1 := rep.Stores[0]
		if s1.Store != "S1" || s1.Sales != wants["T1"].sales+wants["T2"].sales || s1.Net != wants["T1"].net+wants["T2"].net {
			t.Errorf("store S1: %+v", s1)
		}

		var buf bytes.Buffer
		if err := rep.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var levels []string
		for _, r := range rows[1:] {
			levels = append(levels, r[1]+":"+r[2]+":"+r[3])
		}
		if got := strings.Join(levels, " "); got != "terminal:S1:T1 terminal:S1:T2 store:S1: terminal:S2:T3 store:S2: chain::" {
			t.Fatalf("CSV rows: %s", got)
		}
		if h := strings.Join(rows[0], ","); h != "date,level,store,terminal,currency,sales,refunds,z_reports,gross,discounts,refunds_total,rounding,net,tax,paid_in,paid_out,no_sales,tender_cash" {
			t.Fatalf("CSV header: %s", h)
		}
		last := rows[len(rows)-1]
		if last[0] != "2025-03-03" || last[12] != total.net.Format(2) || last[14] != "50.00" || last[15] != "12.50" || last[16] != "1" || last[17] != total.cash.Format(2) {
			t.Fatalf("chain CSV row %v, want net %s", last, total.net.Format(2))
		}
		buf.Reset()
		if err := rep.WriteText(&buf, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "Mon 3 Mar 2025") || !strings.Contains(buf.String(), total.net.Format(2)) {
			t.Fatalf("text report:\n%s", buf.String())
		}
		// A day with nothing says so.
		empty, err := hq.BuildReport(ctx, b, day.AddDate(0, 0, 5))
		if err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		if err := empty.WriteText(&buf, nil); err != nil || !strings.Contains(buf.String(), "No sales") {
			t.Fatalf("empty day: %v %q", err, buf.String())
		}
	})
}
