package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/paysim"
	"github.com/tillpos/till/pos/pay/wechat"
	"github.com/tillpos/till/pos/reconcile"
)

// till reconcile --fetch asks each provider (here the simulator, on
// loopback) for the day's statement with the keys in the config, and
// finds the order paid after the till gave up on it: in the statement
// only, a refund is owed. The till runs in China time, the providers'.
func TestReconcileFetch(t *testing.T) {
	if _, err := os.Stat("/usr/share/zoneinfo/Asia/Shanghai"); err != nil {
		t.Skip("no Asia/Shanghai zone on this machine")
	}
	sim, err := paysim.New(paysim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cc, err := sim.WriteClientConfig(dir, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := alipay.New(cc.Alipay)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wechat.New(cc.WeChat)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []pay.Provider{a, w} {
		o := pay.Order{OrderNo: "01JLATE" + p.Name(), Amount: 1250, Currency: "CNY", Exponent: 2, Subject: "Till",
			Expires: time.Now().Add(5 * time.Minute).Truncate(time.Second)}
		if _, err := p.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Close(ctx, o); err != nil {
			t.Fatal(err)
		}
		if err := sim.PayLate(p.Name(), o.OrderNo); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "till.toml")
	if err := os.WriteFile(cfg, []byte(cc.TOML()), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "till.db")
	date := time.Now().In(reconcile.ChinaTime).Format(time.DateOnly)
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command(tillBin, append([]string{"--db", db, "--config", cfg}, args...)...)
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "TILL_DB=", "TILL_CONFIG=", "TZ=Asia/Shanghai")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	if _, e, err := run("sell", "--item", "SKU1001"); err != nil {
		t.Fatalf("sell: %v %s", err, e)
	}
	for _, name := range []string{"alipay", "wechat"} {
		saved := filepath.Join(dir, name+".bill")
		out, e, err := run("reconcile", "--fetch", name, "--save", saved, "--date", date)
		if err != nil {
			t.Fatalf("%s: %v %s", name, err, e)
		}
		for _, want := range []string{"Reconciliation of " + date + ": 0 payments in Till, 1 in the statement",
			"In the statement only (1)", name + " 12.50 order 01JLATE" + name} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q in\n%s", name, want, out)
			}
		}
		// The statement kept is the provider's file, which reads the same.
		data, err := os.ReadFile(saved)
		if err != nil {
			t.Fatal(err)
		}
		if lines, format, err := reconcile.Read(data, "", 2, nil); err != nil || format != name || len(lines) != 1 || lines[0].Amount != pos.Money(1250) {
			t.Fatalf("%s saved statement: %+v %s %v", name, lines, format, err)
		}
	}
	// Without keys there is nothing to fetch with.
	if err := os.WriteFile(cfg, []byte("shop = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, e, err := run("reconcile", "--fetch", "wechat", "--date", date); err == nil || !strings.Contains(e, "needs a [wechat] section") {
		t.Fatalf("no keys: %v %s", err, e)
	}
	if _, e, err := run("reconcile", "--fetch", "wechat", "--statement", "x.csv"); err == nil || !strings.Contains(e, "--statement FILE | --fetch") {
		t.Fatalf("both: %v %s", err, e)
	}
}
