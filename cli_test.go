package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos/bolt"
)

var tillBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "till-cli")
	if err != nil {
		panic(err)
	}
	tillBin = filepath.Join(dir, "till")
	if out, err := exec.Command("go", "build", "-o", tillBin, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	out, err string
	code     int
}

// till runs the real binary against db with an empty config home.
func till(t *testing.T, db string, args ...string) result {
	t.Helper()
	cmd := exec.Command(tillBin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "TILL_DB=", "TILL_CONFIG=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func mustOK(t *testing.T, r result) string {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	return r.out
}

// oneLineError asserts a failure printed exactly one line naming want.
func oneLineError(t *testing.T, r result, want string) {
	t.Helper()
	if r.code == 0 {
		t.Fatalf("succeeded, want error %q; out: %s", want, r.out)
	}
	if !strings.Contains(r.err, want) {
		t.Fatalf("stderr %q does not mention %q", r.err, want)
	}
	if n := strings.Count(strings.TrimSpace(r.err), "\n"); n != 0 && !strings.Contains(r.err, "bad line") {
		t.Fatalf("want one line, got %d:\n%s", n+1, r.err)
	}
}

func newDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "till.db")
	mustOK(t, till(t, db, "sales")) // creates it with the demo shop
	return db
}

func TestFreshDatabaseHasDemoShop(t *testing.T) {
	db := newDB(t)
	goods := mustOK(t, till(t, db, "export", "goods"))
	if n := strings.Count(goods, "\n"); n != 31 {
		t.Fatalf("demo export has %d lines, want header + 30 goods", n)
	}
	if !strings.Contains(goods, "农夫山泉 550ml") {
		t.Fatal("demo goods lost their Chinese names")
	}
}

func TestSellRefundAndReports(t *testing.T) {
	db := newDB(t)
	out := mustOK(t, till(t, db, "sell", "--item", "6900012345004:2", "--item", "SKU1006", "--cash", "100"))
	for _, want := range []string{"Receipt 000001", "¥73.90", "Change", "26.10", "Tax 13% incl."} {
		if !strings.Contains(out, want) {
			t.Fatalf("receipt lacks %q:\n%s", want, out)
		}
	}
	id := regexp.MustCompile(`Sale (\S+-T1)`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("no sale ID on receipt:\n%s", out)
	}
	out = mustOK(t, till(t, db, "refund", id[1], "--line", "1:1"))
	if !strings.Contains(out, "Receipt 000002") || !strings.Contains(out, "¥2.00") {
		t.Fatalf("refund slip:\n%s", out)
	}
	oneLineError(t, till(t, db, "refund", id[1], "--line", "1:2"), "refund exceeds what was sold")
	x := mustOK(t, till(t, db, "report", "x"))
	if !strings.Contains(x, "NET                               ¥71.90") {
		t.Fatalf("X report:\n%s", x)
	}
	z := mustOK(t, till(t, db, "report", "z", "--counted", "71.00"))
	if !strings.Contains(z, "Z REPORT 1") || !strings.Contains(z, "-¥0.90") {
		t.Fatalf("Z report:\n%s", z)
	}
	oneLineError(t, till(t, db, "report", "z"), "nothing to close")
	mustOK(t, till(t, db, "sell", "--item", "SKU1002"))
	z2 := mustOK(t, till(t, db, "report", "z"))
	if !strings.Contains(z2, "Z REPORT 2") || !strings.Contains(z2, "000003-000003") {
		t.Fatalf("second Z must cover only receipt 3:\n%s", z2)
	}
	list := mustOK(t, till(t, db, "sales"))
	if !strings.Contains(list, "2 sale(s)") {
		t.Fatalf("sales list:\n%s", list)
	}
	csv := mustOK(t, till(t, db, "export", "sales"))
	if strings.Count(csv, "\n") != 4 { // header + 2 lines + 1 line
		t.Fatalf("sales export:\n%s", csv)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	db := newDB(t)
	before := mustOK(t, till(t, db, "export", "goods"))
	r := till(t, db, "import", "testdata/goods-bad.csv")
	if r.code == 0 {
		t.Fatal("bad file imported")
	}
	for _, want := range []string{"line 3: barcode 4006381333932: bad check digit", "line 4: missing name",
		"line 5: price", "line 6: sku NEW1 already on line 2", "line 7: price", "amount too large"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("error lacks %q:\n%s", want, r.err)
		}
	}
	if after := mustOK(t, till(t, db, "export", "goods")); after != before {
		t.Fatal("a rejected import changed the goods")
	}
	out := mustOK(t, till(t, db, "import", "testdata/goods-good.csv"))
	if !strings.Contains(out, "2 added, 1 updated") || !strings.Contains(out, "ignored column(s): supplier") {
		t.Fatalf("import said: %s", out)
	}
	goods := mustOK(t, till(t, db, "export", "goods"))
	if !strings.Contains(goods, "SKU1001,6900012345004,Mineral water 550ml,,drinks,2.50,13%,300") {
		t.Fatalf("re-import did not update SKU1001:\n%s", goods)
	}
	if !strings.Contains(goods, "NEW2,96385074,圆珠笔 Ballpoint,,office,3.00,6%,") {
		t.Fatalf("untracked new goods wrong:\n%s", goods)
	}
	// Giving a demo barcode to another SKU is refused, by line.
	conflict := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(conflict, []byte("sku,barcode,name,price,tax_rate\nX1,6900012345370,Fake tea,1.00,13%\n"), 0o600)
	oneLineError(t, till(t, db, "import", conflict), "line 2: barcode 6900012345370 already belongs to SKU1002")
}

func TestBadInputChangesNothing(t *testing.T) {
	db := newDB(t)
	mustOK(t, till(t, db, "sell", "--item", "SKU1001"))
	snapshot := func() string {
		return mustOK(t, till(t, db, "export", "goods")) + mustOK(t, till(t, db, "export", "sales")) + mustOK(t, till(t, db, "report", "x"))
	}
	before := snapshot()
	garbage := filepath.Join(t.TempDir(), "garbage.csv")
	os.WriteFile(garbage, []byte("sku,name,price,tax_rate\n\"unclosed,quote,1.00,13%\n"), 0o600)
	unreadable := filepath.Join(t.TempDir(), "secret.csv")
	os.WriteFile(unreadable, []byte("x"), 0o000)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"import", "/nonexistent/goods.csv"}, "no such file"},
		{[]string{"import", garbage}, "line 2"},
		{[]string{"sell", "--item", "NOPE"}, "unknown barcode or SKU"},
		{[]string{"sell", "--item", "SKU1001:0"}, "quantity must be"},
		{[]string{"sell", "--item", "SKU1001:99999999999999999999"}, "quantity must be"},
		{[]string{"sell", "--item", "SKU1001:-3"}, "quantity must be"},
		{[]string{"sell", "--item", "SKU1001", "--cash", "1.00"}, "not enough paid"},
		{[]string{"sell", "--item", "SKU1001", "--cash", "-5"}, "invalid amount"},
		{[]string{"sell", "--item", "SKU1001", "--cash", "99999999999999999999"}, "amount too large"},
		{[]string{"refund", "01ZZZZZZZZZZZZZZZZZZZZZZZZ-T1"}, "not found"},
		{[]string{"report", "q"}, "till report x|z"},
		{[]string{"frobnicate"}, "unknown command"},
	}
	if os.Geteuid() != 0 { // root reads anything
		cases = append(cases, struct {
			args []string
			want string
		}{[]string{"import", unreadable}, "permission denied"})
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) { oneLineError(t, till(t, db, c.args...), c.want) })
	}
	if after := snapshot(); after != before {
		t.Fatalf("bad input changed the database:\n%s\n---\n%s", before, after)
	}
}

func TestLockedAndCorruptDatabase(t *testing.T) {
	db := newDB(t)
	s, err := bolt.Open(db, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	oneLineError(t, till(t, db, "sales"), "already in use by another Till")
	s.Close()

	notTill := filepath.Join(t.TempDir(), "notes.db")
	os.WriteFile(notTill, bytes.Repeat([]byte("not a database "), 1000), 0o600)
	oneLineError(t, till(t, notTill, "sales"), "not a Till database")

	data, _ := os.ReadFile(db)
	for i := 4096 * 2; i < len(data); i += 7 {
		data[i] ^= 0x5a
	}
	broken := filepath.Join(t.TempDir(), "broken.db")
	os.WriteFile(broken, data, 0o600)
	r := till(t, broken, "report", "x")
	if r.code == 0 || strings.Contains(r.err, "panic") || strings.Contains(r.err, "goroutine") {
		t.Fatalf("corrupt database: exit %d, stderr %q", r.code, r.err)
	}
}

func TestQRDecode(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unused.db")
	pix := "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
	out := mustOK(t, till(t, db, "qr", "decode", pix))
	for _, want := range []string{`59 merchant name                      "Fulano de Tal"`, "valid Pix, CRC correct", `00 globally unique identifier         "br.gov.bcb.pix"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("decode lacks %q:\n%s", want, out)
		}
	}
	oneLineError(t, till(t, db, "qr", "decode", pix[:len(pix)-1]+"E"), "checksum mismatch: expected 1D3D, found 1D3E")
	oneLineError(t, till(t, db, "qr", "decode", "000201265800"), "at offset 6")
	if _, err := os.Stat(db); err == nil {
		t.Fatal("qr decode created a database")
	}
}

func TestHeadOfficeCommands(t *testing.T) {
	dir := t.TempDir()
	hqdb := filepath.Join(dir, "hq.db")
	out := mustOK(t, till(t, filepath.Join(dir, "unused.db"), "hq", "enrol", "--storage", hqdb, "--store", "S1", "--terminal", "T1"))
	token := regexp.MustCompile(`T1\.[A-Za-z0-9_-]+`).FindString(out)
	if token == "" {
		t.Fatalf("no credential printed:\n%s", out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serve := exec.Command(tillBin, "hq", "serve", "--storage", hqdb, "--addr", addr)
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
	db := newDB(t)
	mustOK(t, till(t, db, "sell", "--item", "SKU1001:2"))
	tokenFile := filepath.Join(dir, "token")
	cfg := filepath.Join(dir, "till.toml")
	os.WriteFile(cfg, []byte("[hq]\nurl = \"http://"+addr+"\"\ntoken_file = \""+tokenFile+"\"\n"), 0o600)

	// A wrong credential stores nothing, and the error does not echo it.
	os.WriteFile(tokenFile, []byte("T1.not-the-secret\n"), 0o600)
	r := till(t, db, "--config", cfg, "sync", "-q")
	if r.code == 0 || strings.Contains(r.err, "not-the-secret") {
		t.Fatalf("wrong credential: exit %d, %q", r.code, r.err)
	}
	os.WriteFile(tokenFile, []byte(token+"\n"), 0o600)
	out = mustOK(t, till(t, db, "--config", cfg, "sync", "-q"))
	if !strings.Contains(out, "sent 1,") {
		t.Fatalf("sync said: %s", out)
	}
	out = mustOK(t, till(t, db, "--config", cfg, "sync", "-q"))
	if !strings.Contains(out, "sent 0,") {
		t.Fatalf("second sync said: %s", out)
	}
	serve.Process.Kill()
	serve.Wait()
	report := mustOK(t, till(t, db, "hq", "report", "--storage", hqdb, "--csv"))
	if !strings.Contains(report, "S1,T1") || strings.Count(report, "\n") < 2 {
		t.Fatalf("chain report:\n%s", report)
	}
}
