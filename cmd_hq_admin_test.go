package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHeadOfficeAdminWhileServing: with `till hq serve` running on a
// bbolt file (which it holds locked), enrol, import, revoke, terminals and
// report still work, through its admin socket; a revoked terminal's next
// sync is refused in one line saying nothing is lost; the log file has a
// line per request with the refusal's reason, and no credential.
func TestHeadOfficeAdminWhileServing(t *testing.T) {
	dir := t.TempDir()
	hqdb, logFile := filepath.Join(dir, "hq.db"), filepath.Join(dir, "hq.log")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serve := exec.Command(tillBin, "hq", "serve", "--storage", hqdb, "--addr", addr, "--log", logFile, "--log-json")
	serve.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { serve.Process.Kill(); serve.Wait() }()
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	unused := filepath.Join(dir, "unused.db")
	out := mustOK(t, till(t, unused, "hq", "enrol", "--storage", hqdb, "--store", "S1", "--terminal", "T1"))
	token := regexp.MustCompile(`T1\.[A-Za-z0-9_-]+`).FindString(out)
	if token == "" {
		t.Fatalf("no credential printed:\n%s", out)
	}
	goods := filepath.Join(dir, "goods.csv")
	os.WriteFile(goods, []byte("sku,barcode,name,price,tax_rate,stock\nHQ1,,From head office,2.50,13%,5\n"), 0o600)
	if out := mustOK(t, till(t, unused, "hq", "import", goods, "--storage", hqdb, "--store", "S1")); !strings.Contains(out, "1 added") {
		t.Fatalf("import while serving: %s", out)
	}

	db := newDB(t)
	mustOK(t, till(t, db, "sell", "--item", "SKU1001:2"))
	tokenFile, cfg := filepath.Join(dir, "token"), filepath.Join(dir, "till.toml")
	os.WriteFile(tokenFile, []byte(token+"\n"), 0o600)
	os.WriteFile(cfg, []byte("[hq]\nurl = \"http://"+addr+"\"\ntoken_file = \""+tokenFile+"\"\n"), 0o600)
	if out := mustOK(t, till(t, db, "--config", cfg, "sync", "-q")); !strings.Contains(out, "sent 1,") || !strings.Contains(out, "catalog changes 1") {
		t.Fatalf("sync said: %s", out)
	}
	if r := mustOK(t, till(t, unused, "hq", "report", "--storage", hqdb, "--csv")); !strings.Contains(r, "S1,T1") {
		t.Fatalf("report while serving:\n%s", r)
	}
	mustOK(t, till(t, unused, "hq", "revoke", "--storage", hqdb, "--terminal", "T1"))
	mustOK(t, till(t, db, "sell", "--item", "SKU1001:1"))
	oneLineError(t, till(t, db, "--config", cfg, "sync", "-q"), "nothing lost; 1 record waiting")
	list := mustOK(t, till(t, unused, "hq", "terminals", "--storage", hqdb))
	if !strings.Contains(list, "revoked") || !strings.Contains(list, "(revoked 2)") {
		t.Fatalf("terminals while serving:\n%s", list)
	}
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := strings.Cut(token, ".")
	if strings.Contains(string(log), secret) {
		t.Fatal("the log holds the credential")
	}
	for _, want := range []string{`"msg":"request"`, `"path":"/v1/push"`, `"status":401`, `"reason":"revoked"`, `"terminal":"T1"`, `"bytes_in":`} {
		if !strings.Contains(string(log), want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
}
