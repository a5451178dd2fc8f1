package hq

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStorageKind(t *testing.T) {
	for spec, want := range map[string]string{
		"hq.db":                                Bolt,
		"/var/lib/till/hq.db":                  Bolt,
		"postgres://till@127.0.0.1/till":       Postgres,
		"postgresql://till@db/till":            Postgres,
		"host=127.0.0.1 dbname=till user=till": Postgres,
		"  dbname = till host=/run/postgresql": Postgres,
		"service=till":                         Postgres,
		"notakeyword=1.db":                     Bolt,
		"host=127.0.0.1 password=s3cret-Pw":    Postgres,
		"./host=weird name but a file path.db": Bolt,
	} {
		got, err := StorageKind(spec)
		if err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", spec, got, err, want)
		}
	}
	for _, spec := range []string{"postgress://till:s3cret-Pw@db/till", "mysql://root:s3cret-Pw@db/x", "pg://s3cret-Pw@x", "", "  "} {
		_, err := StorageKind(spec)
		if err == nil {
			t.Errorf("%q: accepted", spec)
			continue
		}
		if strings.Contains(err.Error(), "s3cret-Pw") || strings.Contains(err.Error(), "till@") {
			t.Errorf("%q: the error shows the string: %v", spec, err)
		}
		if i := strings.Index(spec, "://"); i > 0 && !strings.Contains(err.Error(), spec[:i+3]) {
			t.Errorf("%q: the error does not name the scheme: %v", spec, err)
		}
	}
}

func TestHasPassword(t *testing.T) {
	for spec, want := range map[string]bool{
		"postgres://till:pw@127.0.0.1/till":              true,
		"postgres://till@127.0.0.1/till":                 false,
		"postgres://till@127.0.0.1/till?sslmode=disable": false,
		"postgres://till@127.0.0.1/till?password=pw":     true,
		"postgres://till:pw@[::1/till":                   true, // unparsable
		"postgres://till:pw%zz@127.0.0.1/till":           true,
		"postgress://till:pw@db/till":                    true,
		"host=db dbname=till password=pw":                true,
		"host=db dbname=till password = 'p w'":           true,
		"password=pw host=db":                            true,
		"host=db dbname=till passfile=/etc/till/pgpass":  false,
		"host=db dbname=till sslpassword=x":              false,
		"hq.db":                                          false,
		"/srv/till:pw@x/hq.db":                           false,
	} {
		if got := HasPassword(spec); got != want {
			t.Errorf("%q: %v, want %v", spec, got, want)
		}
	}
}

// A keyword string was once taken as a bbolt file name: Open created an
// empty head office named after the password. Now it is PostgreSQL, and
// the error does not show the password.
func TestOpenKeywordStringIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	b, err := Open(context.Background(), "host=127.0.0.1 port=1 dbname=till user=till password=s3cret-Pw connect_timeout=2 sslmode=disable")
	if err == nil {
		b.Close()
		t.Fatal("opened")
	}
	if strings.Contains(err.Error(), "s3cret-Pw") {
		t.Fatalf("error shows the password: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("created %s", filepath.Join(dir, ents[0].Name()))
	}
	if _, err := Open(context.Background(), "postgress://till:s3cret-Pw@127.0.0.1/till"); err == nil || strings.Contains(err.Error(), "s3cret-Pw") || !strings.Contains(err.Error(), `"postgress://"`) {
		t.Fatalf("mistyped scheme: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("created %s", ents[0].Name())
	}
}
