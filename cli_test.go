package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// The command line is tested by the scripts in testdata/script, one or
// more per command, named after it (sell.txtar, hq_dsn.txtar, ...): each
// runs the real till (this test binary, re-executed as "till") in its own
// work directory with an empty config home. Scripts that start servers
// begin with "[short] skip", so go test -short leaves them out.
//
// The demo shop is in CN, so Till speaks Chinese by default: the tests
// check its English unless they set $TILL_LANGUAGE (even to empty, for
// the default, as lang_zh.txtar does).
func TestMain(m *testing.M) {
	if _, set := os.LookupEnv("TILL_LANGUAGE"); !set {
		os.Setenv("TILL_LANGUAGE", "en")
	}
	testscript.Main(lookTill{m}, map[string]func(){"till": main})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			for k, v := range map[string]string{
				"HOME":            e.WorkDir,
				"XDG_CONFIG_HOME": e.WorkDir + "/.config",
				"XDG_DATA_HOME":   e.WorkDir + "/.local/share",
				"TILL_DB":         "", "TILL_CONFIG": "", "TILL_HQ_STORAGE": "", "TILL_HQ_TOKEN": "",
				"PGPASSFILE": e.WorkDir + "/no-pgpass", "PGPASSWORD": "", "PGSERVICEFILE": "",
				"TILL_TEST_PG":  os.Getenv("TILL_TEST_PG"),
				"TILL_LANGUAGE": "en", // see TestMain
			} {
				e.Setenv(k, v)
			}
			if os.Getenv("GORACE") == "" {
				// Under -race every till would sleep a second as it exits.
				e.Setenv("GORACE", "atexit_sleep_ms=50")
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			case "pg":
				// As in the other PostgreSQL tests: CI must have one.
				if os.Getenv("TILL_TEST_PG") == "" && os.Getenv("CI") == "true" {
					return false, errors.New("CI=true but $TILL_TEST_PG is unset (see sync/README-ci.sh)")
				}
				return os.Getenv("TILL_TEST_PG") != "", nil
			}
			return false, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"freeport":  cmdFreeport,
			"waitport":  cmdWaitport,
			"capture":   cmdCapture,
			"lockdb":    cmdLockDB,
			"counterdb": cmdCounterDB,
			"scramble":  cmdScramble,
			"repeat":    cmdRepeat,
			"expand":    cmdExpand,
			"oneline":   cmdOneLine,
			"pgsetup":   cmdPGSetup,
			"killsell":  cmdKillSell,
		},
	})
}

// freeport VAR sets VAR to a free loopback address.
func cmdFreeport(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Setenv(args[0], ln.Addr().String())
	ln.Close()
}

// waitport ADDR waits up to ten seconds for something to listen on ADDR.
func cmdWaitport(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: waitport ADDR")
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", args[0]); err == nil {
			c.Close()
			return
		}
	}
	ts.Fatalf("nothing listens on %s", args[0])
}

// capture VAR REGEXP sets VAR to the first group (or the whole match) of
// REGEXP in the last command's standard output.
func cmdCapture(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: capture VAR REGEXP")
	}
	m := regexp.MustCompile(args[1]).FindStringSubmatch(ts.ReadFile("stdout"))
	if m == nil {
		ts.Fatalf("no match for %q in stdout", args[1])
	}
	ts.Setenv(args[0], m[len(m)-1])
}

// lockdb FILE holds the terminal database open, as a running counter
// does, until the script ends.
func cmdLockDB(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: lockdb FILE")
	}
	s, err := bolt.Open(ts.MkAbs(args[0]), bolt.Options{})
	ts.Check(err)
	ts.Defer(func() { s.Close() })
}

// scramble SRC DST copies a file, flipping bits in every seventh byte
// after the first two pages.
func cmdScramble(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: scramble SRC DST")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	for i := 4096 * 2; i < len(data); i += 7 {
		data[i] ^= 0x5a
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o600))
}

// repeat FILE N TEXT writes TEXT N times to FILE.
func cmdRepeat(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 || neg {
		ts.Fatalf("usage: repeat FILE N TEXT")
	}
	n := 0
	for _, c := range args[1] {
		n = n*10 + int(c-'0')
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), bytes.Repeat([]byte(args[2]), n), 0o600))
}

// Each domain error errorText translates is keyed by its own text.
func TestDomainErrorKeys(t *testing.T) {
	zh := i18n.New(i18n.Chinese)
	for e, key := range storeErrors {
		if e.Error() != key {
			t.Errorf("storeErrors keys %v by %q", e, key)
		}
	}
	err := fmt.Errorf("%w: %s given, %s short", pos.ErrUnderpaid, "¥1.00", "¥2.00")
	if got := errorText(zh, err); got != "付款不足: ¥1.00 given, ¥2.00 short" {
		t.Errorf("errorText = %q", got)
	}
	if got := errorText(i18n.New(i18n.English), err); got != err.Error() {
		t.Errorf("errorText in English = %q", got)
	}
}

// Every command in the table is in till --help, with its usage line.
func TestUsageListsEveryCommand(t *testing.T) {
	u := usage(i18n.New(i18n.English))
	for _, c := range commands {
		line := strings.Join(strings.Fields("till "+c.name+" "+c.usage), " ")
		if !strings.Contains(u, line) || !strings.Contains(u, c.short) {
			t.Errorf("till --help lacks %q / %q", line, c.short)
		}
		if c.summary == "" || c.flags == nil {
			t.Errorf("command %q has no summary or flags", c.name)
		}
	}
}

// expand SRC DST copies a file with $VAR and ${VAR} replaced from the
// script's environment.
func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: expand SRC DST")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(os.Expand(ts.ReadFile(args[0]), ts.Getenv)), 0o600))
}

// oneline checks that the last command's standard error is one line: a
// failure names its problem in one line (an import lists its bad lines).
func cmdOneLine(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 0 || neg {
		ts.Fatalf("usage: oneline")
	}
	if e := strings.TrimSpace(ts.ReadFile("stderr")); e == "" || strings.Contains(e, "\n") {
		ts.Fatalf("want one line on stderr, got %q", e)
	}
}

// pgsetup makes a fresh schema on the server named by $TILL_TEST_PG
// (dropped when the script ends), writes its password to $WORK/pgpass in
// PostgreSQL's password file format, and sets connection strings to it:
// PG_NOPW (a URL without the password), PG_KW (a keyword string without
// it), PG_KW_PASSFILE (PG_KW naming the password file) and PG_PW (a URL
// with the password).
func cmdPGSetup(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 0 || neg {
		ts.Fatalf("usage: pgsetup")
	}
	dsn := os.Getenv("TILL_TEST_PG")
	u, err := url.Parse(dsn)
	ts.Check(err)
	pw, _ := u.User.Password()
	if pw == "" {
		ts.Fatalf("$TILL_TEST_PG has no password")
	}
	schema := fmt.Sprintf("till_cli_%x", crand.Text()[:8])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	ts.Check(err)
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	conn.Close(ctx)
	ts.Check(err)
	ts.Defer(func() {
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			c.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
			c.Close(ctx)
		}
	})
	db := strings.TrimPrefix(u.Path, "/")
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	pass := ts.MkAbs("pgpass")
	ts.Check(os.WriteFile(pass, []byte(fmt.Sprintf("%s:%s:%s:%s:%s\n", host, port, db, u.User.Username(), pw)), 0o600))
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	ts.Setenv("PG_PW", u.String())
	u.User = url.User(u.User.Username())
	ts.Setenv("PG_NOPW", u.String())
	kw := fmt.Sprintf("host=%s port=%s dbname=%s user=%s sslmode=%s search_path=%s", host, port, db, u.User.Username(), q.Get("sslmode"), schema)
	if q.Get("sslmode") == "" {
		kw = strings.Replace(kw, " sslmode=", "", 1)
	}
	ts.Setenv("PG_KW", kw)
	ts.Setenv("PG_KW_PASSFILE", kw+" passfile="+pass)
}

// killsell N makes two sales to time one, then runs till sell --id
// kill-I N times, each killed with SIGKILL at a random moment within
// twice the time a sale takes (an eighth of that every other run), and
// retries each to the end: every retry must print receipt I+3, whether
// the killed run had committed its sale (the retry prints the stored
// receipt) or not (the retry sells). The database is the script's
// default one, which must exist.
func cmdKillSell(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: killsell N")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	env := []string{"PATH=" + os.Getenv("PATH"), "TILL_DB=", "TILL_CONFIG="}
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "GORACE"} {
		env = append(env, k+"="+ts.Getenv(k))
	}
	till := func(args ...string) *exec.Cmd {
		c := exec.Command("till", args...)
		c.Env, c.Dir = env, ts.MkAbs(".")
		return c
	}
	sell := func(key string) *exec.Cmd { return till("sell", "--id", key, "--item", "SKU1001:2", "--cash", "10") }
	// A run's length differs by machine and by -race: time the quicker
	// of two whole sales (the first is often slow, reading the binary).
	const warm = 2
	window := time.Hour
	for i := range warm {
		start := time.Now()
		ts.Check(sell(fmt.Sprintf("warm-%d", i)).Run())
		window = min(window, 2*time.Since(start))
	}
	committed := 0
	for i := range n {
		key := fmt.Sprintf("kill-%d", i)
		c := sell(key)
		ts.Check(c.Start())
		w := window
		if i%2 == 0 {
			w /= 8 // under -race most of a run comes after the commit
		}
		time.Sleep(rand.N(w))
		c.Process.Kill()
		c.Wait()
		var out, errb bytes.Buffer
		r := sell(key)
		r.Stdout, r.Stderr = &out, &errb
		if err := r.Run(); err != nil {
			ts.Fatalf("retry %s: %v: %s", key, err, errb.String())
		}
		want := fmt.Sprintf("Receipt %06d", warm+i+1)
		if !strings.Contains(out.String(), want) {
			ts.Fatalf("retry %s: want %s, got:\n%s%s", key, want, out.String(), errb.String())
		}
		if strings.Contains(errb.String(), "already sold") {
			committed++
		}
	}
	ts.Logf("%d of %d killed runs had committed their sale before the kill (kills within %v)", committed, n, window)
}

// Every command has its own test, easy to find by its name: a script
// testdata/script/NAME.txtar (the counter's is counter.txtar) or, for a
// test that needs Go, cmd_NAME_test.go beside cmd_NAME.go.
func TestEveryCommandHasItsTest(t *testing.T) {
	for _, c := range append([]*command{&counterCmd}, commands...) {
		name := c.name
		if c == &counterCmd {
			name = "counter"
		}
		_, err1 := os.Stat("testdata/script/" + name + ".txtar")
		_, err2 := os.Stat("cmd_" + name + "_test.go")
		if err1 != nil && err2 != nil {
			t.Errorf("command %q has no testdata/script/%s.txtar nor cmd_%s_test.go", name, name, name)
		}
	}
}

func TestCheckSaleKey(t *testing.T) {
	for key, ok := range map[string]bool{
		"order-1": true, "订单 42": true, strings.Repeat("k", 128): true,
		"": false, strings.Repeat("k", 129): false, "a\tb": false, "a\x1b]0;x\x07": false, "\xff": false, "a\u200fb": false,
	} {
		if err := checkSaleKey(&env{}, key); (err == nil) != ok {
			t.Errorf("%q: %v, want ok %v", key, err, ok)
		}
	}
}
