package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
)

// till hq reconcile compares what the terminals synced for a day with a
// statement: an online order matched by its number, one of another
// amount, a static payment a cashier confirmed that never arrived, a line
// no sale accounts for; another store's sale is left out with --store.
func TestHQReconcile(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "hq.db")
	ctx := context.Background()
	b, err := hq.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	put := func(store, id string, at time.Time, provider, by string, amount pos.Money) {
		t.Helper()
		s := pos.Sale{ID: id, Terminal: "T1", At: at, Due: amount, Currency: "CNY", Receipt: 1,
			Tenders: []pos.Tender{{Kind: pos.QR, Provider: provider, Amount: amount, ConfirmedBy: by, ConfirmedAt: at}}}
		if provider == pos.ProviderStatic {
			s.Tenders[0].Label = "Alipay"
		}
		body, _ := json.Marshal(s)
		if _, err := b.PutRecords(ctx, []storage.Record{{Kind: pos.RecordSale, ID: id, Store: store, Terminal: "T1",
			At: at, Currency: "CNY", Total: amount, Body: body}}); err != nil {
			t.Fatal(err)
		}
	}
	put("S1", "01JNKZAAAA-T1", day, "wechat", pos.ByProvider, 650)
	put("S1", "01JNKZBBBB-T1", day.Add(time.Hour), "wechat", pos.ByProvider, 1200)
	put("S1", "01JNKZCCCC-T1", day.Add(2*time.Hour), pos.ProviderStatic, pos.ByCashier, 990)
	put("S2", "01JNKZDDDD-T9", day.Add(3*time.Hour), "wechat", pos.ByProvider, 300)
	b.Close()
	stmt := filepath.Join(dir, "bank.csv")
	if err := os.WriteFile(stmt, []byte("provider,order_no,reference,amount,time\n"+
		"wechat,01JNKZAAAAT1,4200001,6.50,2026-12-01T10:00:03Z\n"+
		"wechat,01JNKZBBBBT1,4200002,12.01,2026-12-01T11:00:02Z\n"+
		"wechat,01JNKZZZZZT1,4200003,15.00,2026-12-01T13:00:00Z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := newDB(t)
	out := mustOK(t, till(t, db, "hq", "reconcile", "--storage", spec, "--date", "2026-12-01", "--store", "S1", "--statement", stmt))
	for _, want := range []string{"Reconciliation of 2026-12-01, store S1, with bank.csv", "Matched: 1",
		"wechat order 01JNKZBBBBT1: Till 12.00, statement 12.01", "In Till only (1)", "static 9.90 01JNKZCCCC-T1",
		"In the statement only (1)", "wechat 15.00 order 01JNKZZZZZT1"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "01JNKZDDDD") {
		t.Errorf("another store's sale in the report:\n%s", out)
	}
	csv := mustOK(t, till(t, db, "hq", "reconcile", "--storage", spec, "--date", "2026-12-01", "--statement", stmt, "--csv"))
	if !strings.HasPrefix(csv, "outcome,provider,") || !strings.Contains(csv, "till_only,wechat,2026-12-01T13:00:00Z,01JNKZDDDD-T9") || !strings.Contains(csv, "mismatch,wechat,") {
		t.Errorf("csv:\n%s", csv)
	}
	oneLineError(t, till(t, db, "hq", "reconcile", "--storage", spec), reconcileUsage)
	oneLineError(t, till(t, db, "hq", "reconcile", "--storage", spec, "--statement", filepath.Join(dir, "none.csv")), "none.csv")
}
