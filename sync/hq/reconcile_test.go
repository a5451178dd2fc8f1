package hq_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/reconcile"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
)

// TestReconcileAtHeadOffice reconciles the QR payments head office holds
// for a day, of one store, with a statement: an online order matched by
// its derived order number, a cashier-confirmed EMV payment that never
// arrived, a sale of another store and of another day left out, and a
// statement line no sale accounts for.
func TestReconcileAtHeadOffice(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, cst)
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		ctx := context.Background()
		put := func(store, term string, s pos.Sale) {
			t.Helper()
			body, _ := json.Marshal(s)
			res, err := b.PutRecords(ctx, []storage.Record{{Kind: pos.RecordSale, ID: s.ID, Store: store, Terminal: term,
				At: s.At, Currency: "CNY", Total: s.Due, Body: body}})
			if err != nil || res[0] != storage.Stored {
				t.Fatalf("put %s: %v %v", s.ID, res, err)
			}
		}
		qr := func(id string, at time.Time, provider, by string, amount pos.Money) pos.Sale {
			return pos.Sale{ID: id, Terminal: "T1", At: at, Due: amount, Currency: "CNY", Receipt: 1,
				Tenders: []pos.Tender{{Kind: pos.QR, Provider: provider, Amount: amount, ConfirmedBy: by, ConfirmedAt: at}}}
		}
		put("S1", "T1", qr("01JNKZAAAA-T1", day.Add(10*time.Hour), "wechat", pos.ByProvider, 650))
		put("S1", "T1", qr("01JNKZBBBB-T1", day.Add(11*time.Hour), "emvqr", pos.ByCashier, 990))
		put("S2", "T9", qr("01JNKZCCCC-T9", day.Add(12*time.Hour), "wechat", pos.ByProvider, 300))
		put("S1", "T1", qr("01JNKZDDDD-T1", day.Add(-2*time.Hour), "wechat", pos.ByProvider, 100))
		statement := []reconcile.Entry{
			{Provider: "wechat", OrderNo: "01JNKZAAAAT1", Amount: 650, At: day.Add(10*time.Hour + 3*time.Second), Line: 2},
			{Provider: "wechat", OrderNo: "01JNKZZZZZT1", Amount: 1500, At: day.Add(15 * time.Hour), Line: 3},
		}
		r, err := hq.Reconcile(ctx, b, day, "S1", statement, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Matched) != 1 || !r.Matched[0].ByOrder || r.Matched[0].Till.SaleID != "01JNKZAAAA-T1" {
			t.Errorf("matched %+v", r.Matched)
		}
		if len(r.TillOnly) != 1 || r.TillOnly[0].SaleID != "01JNKZBBBB-T1" {
			t.Errorf("till only %+v, want the cashier-confirmed EMV payment", r.TillOnly)
		}
		if len(r.StatementOnly) != 1 || r.StatementOnly[0].OrderNo != "01JNKZZZZZT1" {
			t.Errorf("statement only %+v", r.StatementOnly)
		}
	})
}
