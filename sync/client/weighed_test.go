package client_test

import (
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

// Head office's catalog carries unit, mnemonic, reorder level and PLU to
// the terminal; a sale by weight and a scale-label line go back and are
// stored as they are (head office checks gross = price x weight, or the
// label's amount).
func TestWeighedGoodsSyncBothWays(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ storagetest.Harness, b storage.Backend) {
		srv := synctest.StartHQ(t, b)
		term := synctest.NewTerminal(t, "T1", "S1")
		tok := synctest.Enrol(t, b, "S1", "T1")
		importCSV(t, b, "S1", "sku,name,name_zh,price,tax_rate,stock,unit,mnemonic,reorder_level,plu\n"+
			"PORK,Pork belly,五花肉,36.00,9%,20.5,kg,WHR,2.5,01028\n")
		cfg := config(srv.URL, tok)
		cfg.Now = func() time.Time { return time.Date(2025, 3, 3, 18, 0, 0, 0, time.UTC) }
		if _, err := client.Sync(ctx, term.Store, cfg); err != nil {
			t.Fatal(err)
		}
		pork, err := term.Store.Lookup("PORK")
		if err != nil {
			t.Fatal(err)
		}
		if pork.Unit != pos.Kilogram || pork.Mnemonic != "WHR" || pork.PLU != "01028" || pork.Stock != 20_500 ||
			pork.ReorderLevel == nil || *pork.ReorderLevel != 2500 || pork.AltName != "五花肉" {
			t.Fatalf("pulled %+v", pork)
		}
		var c pos.Cart
		if _, err := c.Add(pork, 1255); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddLabel(pork, 800, 2890, "260102802890008006"); err != nil {
			t.Fatal(err)
		}
		sale, err := term.Reg.Complete(c, time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 10_000}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := client.Sync(ctx, term.Store, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Pushed != 1 || res.Rejected != 0 || sale.Total != 4518+2890 {
			t.Fatalf("push %+v, total %d", res, sale.Total)
		}
		synctest.CheckExactlyOnce(t, b, term.Store)
		if got, _ := term.Store.Product("PORK"); got.Stock != 20_500-1255-800 {
			t.Errorf("stock %d g", got.Stock)
		}
	})
}
