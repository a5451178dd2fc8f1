package pgstore_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tillpos/till/sync/hq/pgstore"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
)

// TestConformance runs against the server named by $TILL_TEST_PG; it
// skips without one, except under CI=true, where it fails.
func TestConformance(t *testing.T) { storagetest.Run(t, storagetest.Postgres()) }

// TestOpenErrorsHideThePassword: whatever is wrong with a connection
// string, Open's error never repeats the password in it.
func TestOpenErrorsHideThePassword(t *testing.T) {
	const pw = "s3cret-Pw"
	dsns := []string{
		"postgres://till:" + pw + "@127.0.0.1:notaport/till",
		"postgres://till:" + pw + "@127.0.0.1:5432/till?sslmode=bogus",
		"postgres://till:" + pw + "@[::1/till",
		"postgres://till:" + pw + "%zz@127.0.0.1/till",
	}
	if dsn := os.Getenv("TILL_TEST_PG"); dsn != "" {
		// The real server, with a wrong password.
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(u.User.Username(), pw)
		dsns = append(dsns, u.String())
	}
	for _, dsn := range dsns {
		s, err := pgstore.Open(context.Background(), dsn, pgstore.Options{})
		if err == nil {
			s.Close()
			t.Errorf("opened with a wrong connection string")
			continue
		}
		if strings.Contains(err.Error(), pw) {
			t.Errorf("error repeats the password: %v", err)
		}
	}
}
