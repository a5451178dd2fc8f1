package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
)

// tillIn runs the binary with stdin.
func tillIn(t *testing.T, db, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(tillBin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "TILL_DB=", "TILL_CONFIG=")
	cmd.Stdin = strings.NewReader(stdin)
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

func TestStaffCommands(t *testing.T) {
	db := newDB(t)
	if out := mustOK(t, till(t, db, "staff", "list")); !strings.Contains(out, "no staff") {
		t.Fatalf("staff list of a new till:\n%s", out)
	}
	// The till sells at once with no staff.
	mustOK(t, till(t, db, "sell", "--item", "SKU1002"))
	if r := tillIn(t, db, "1234\n4321\n", "staff", "add", "--name", "Ann", "--role", "manager"); r.code == 0 || !strings.Contains(r.err, "differ") {
		t.Fatalf("two different PINs: exit %d %s", r.code, r.err)
	}
	if r := tillIn(t, db, "12\n12\n", "staff", "add", "--name", "Ann", "--role", "manager"); r.code == 0 || !strings.Contains(r.err, "4 to 8 digits") {
		t.Fatalf("short PIN: exit %d %s", r.code, r.err)
	}
	if r := tillIn(t, db, "", "staff", "add", "--name", "Ann", "--role", "boss"); r.code == 0 || !strings.Contains(r.err, `unknown role "boss"`) {
		t.Fatalf("unknown role: exit %d %s", r.code, r.err)
	}
	out := mustOK(t, tillIn(t, db, "1234\n1234\n", "staff", "add", "--name", "Ann", "--role", "manager", "--badge", "041001"))
	if !strings.Contains(out, "staff ID 1") {
		t.Fatalf("add: %s", out)
	}
	pinFile := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(pinFile, []byte("5678\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustOK(t, till(t, db, "staff", "add", "--name", "Bob", "--role", "cashier", "--pin-file", pinFile))
	mustOK(t, till(t, db, "staff", "disable", "2"))
	mustOK(t, tillIn(t, db, "9999\n9999\n", "staff", "pin", "1"))
	list := mustOK(t, till(t, db, "staff", "list"))
	for _, want := range []string{"Ann", "manager", "041001", "Bob", "disabled"} {
		if !strings.Contains(list, want) {
			t.Fatalf("staff list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "9999") || strings.Contains(list, "argon2") {
		t.Fatalf("staff list shows a PIN or its hash:\n%s", list)
	}
	// With a manager, a scripted sale has no one logged in.
	if r := till(t, db, "sell", "--item", "SKU1002"); r.code == 0 || !strings.Contains(r.err, "log in first") {
		t.Fatalf("sell with staff and no login: exit %d %s", r.code, r.err)
	}
}

// hqTestStorage is how the command line names one head-office storage.
type hqTestStorage struct {
	name string
	args []string // the flag that names it
}

// eachHQStorage runs fn on a bbolt file in a temporary directory and on
// a fresh schema of the PostgreSQL server named by $TILL_TEST_PG (dropped
// when the test ends), named with --storage-file since its connection
// string holds a password. The PostgreSQL run skips without $TILL_TEST_PG
// (and fails under CI=true); check, if set, then looks into the schema to
// prove the commands used it.
func eachHQStorage(t *testing.T, fn func(t *testing.T, st hqTestStorage), check func(t *testing.T, conn *pgx.Conn)) {
	t.Run("bolt", func(t *testing.T) {
		fn(t, hqTestStorage{"bolt", []string{"--storage", filepath.Join(t.TempDir(), "hq.db")}})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storagetest.PostgresDSN(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		schema := "till_cli_" + strings.ToLower(rand.Text()[:10])
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
		conn.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if c, err := pgx.Connect(ctx, dsn); err == nil {
				_, _ = c.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
				c.Close(ctx)
			}
		})
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		file := filepath.Join(t.TempDir(), "hq.dsn")
		if err := os.WriteFile(file, []byte(u.String()+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		fn(t, hqTestStorage{"postgres", []string{"--storage-file", file}})
		if check != nil {
			cfg, err := pgx.ParseConfig(u.String())
			if err != nil {
				t.Fatal(err)
			}
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			check(t, conn)
		}
	})
}

func TestHeadOfficeStaffAndKey(t *testing.T) {
	eachHQStorage(t, testHeadOfficeStaffAndKey, func(t *testing.T, conn *pgx.Conn) {
		var staff, keys int
		if err := conn.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM till_staff WHERE shop = 'S1'),
			(SELECT count(*) FROM till_terminal_keys WHERE terminal = 'T1')`).Scan(&staff, &keys); err != nil {
			t.Fatal(err)
		}
		if staff != 2 || keys != 1 {
			t.Fatalf("PostgreSQL holds %d staff and %d keys, want 2 and 1", staff, keys)
		}
	})
}

func testHeadOfficeStaffAndKey(t *testing.T, st hqTestStorage) {
	dir := t.TempDir()
	unused := filepath.Join(dir, "unused.db")
	hq := func(args ...string) []string { return append(append([]string{"hq"}, args...), st.args...) }
	if r := tillIn(t, unused, "", hq("staff", "list")...); r.code != 2 {
		t.Fatalf("staff list without --store: exit %d %s", r.code, r.err)
	}
	out := mustOK(t, tillIn(t, unused, "2580\n2580\n", hq("staff", "add", "--store", "S1", "--name", "Dee", "--role", "manager", "--badge", "041009")...))
	if !strings.Contains(out, "staff ID 1") {
		t.Fatalf("hq staff add: %s", out)
	}
	if r := tillIn(t, unused, "2580\n2580\n", hq("staff", "add", "--store", "S1", "--name", "Eve", "--role", "cashier", "--badge", "041009")...); r.code == 0 || !strings.Contains(r.err, "badge 041009 already belongs to Dee") {
		t.Fatalf("second member with the same badge: exit %d %s", r.code, r.err)
	}
	out = mustOK(t, tillIn(t, unused, "1470\n1470\n", hq("staff", "add", "--store", "S1", "--name", "Eve", "--role", "cashier")...))
	if !strings.Contains(out, "staff ID 2") {
		t.Fatalf("second hq staff add: %s", out)
	}
	mustOK(t, tillIn(t, unused, "", hq("staff", "disable", "1", "--store", "S1")...))
	list := mustOK(t, till(t, unused, hq("staff", "list", "--store", "S1")...))
	if !strings.Contains(list, "Dee") || !strings.Contains(list, "disabled") || !strings.Contains(list, "Eve") || strings.Contains(list, "argon2") {
		t.Fatalf("hq staff list:\n%s", list)
	}
	if list := mustOK(t, till(t, unused, hq("staff", "list", "--store", "S2")...)); !strings.Contains(list, "no staff") {
		t.Fatalf("hq staff list of another store:\n%s", list)
	}
	db := newDB(t)
	key := strings.TrimSpace(mustOK(t, till(t, db, "verify", "--public-key")))
	out = mustOK(t, till(t, unused, hq("enrol", "--store", "S1", "--terminal", "T1", "--public-key", key)...))
	if !strings.Contains(out, "Registered terminal T1's signing key "+key) {
		t.Fatalf("enrol with a key:\n%s", out)
	}
	if r := till(t, unused, hq("enrol", "--store", "S1", "--terminal", "T2", "--public-key", "ed25519:nope")...); r.code == 0 || !strings.Contains(r.err, "not an Ed25519 key") {
		t.Fatalf("enrol with a bad key: exit %d %s", r.code, r.err)
	}
	if terms := mustOK(t, till(t, unused, hq("terminals")...)); strings.Contains(terms, "T2") || !strings.Contains(terms, "T1") {
		t.Fatalf("a bad key still enrolled T2:\n%s", terms)
	}
}
