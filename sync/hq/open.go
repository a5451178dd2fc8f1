package hq

import (
	"context"
	"net/url"
	"regexp"
	"strings"

	"github.com/tillpos/till/sync/hq/boltstore"
	"github.com/tillpos/till/sync/hq/pgstore"
	"github.com/tillpos/till/sync/hq/storage"

	"github.com/tillpos/till/internal/errmsg"
)

// Open opens head office's storage. A PostgreSQL connection string, as a
// URL ("postgres://..." or "postgresql://...") or in libpq's keyword form
// ("host=... dbname=... user=..."), opens PostgreSQL and creates its
// tables if missing; the password may come from the string, from
// PostgreSQL's password file ($PGPASSFILE, passfile=, or ~/.pgpass) or
// $PGPASSWORD. Another scheme ("postgress://...") is refused by name.
// Anything else is the path of a bbolt file, created if missing. No error
// of Open repeats the string: it may hold a password.
func Open(ctx context.Context, spec string) (storage.Backend, error) {
	switch kind, err := StorageKind(spec); {
	case err != nil:
		return nil, err
	case kind == Postgres:
		return pgstore.Open(ctx, strings.TrimSpace(spec), pgstore.Options{})
	default:
		return boltstore.Open(spec, boltstore.Options{})
	}
}

// Kinds of head-office storage.
const (
	Bolt     = "bbolt"
	Postgres = "postgres"
)

// keyword is how a libpq keyword/value connection string begins:
// "host=...", "dbname = ...", with one of libpq's keywords. A bbolt file
// name that looks like this is far more likely a connection string.
var keyword = regexp.MustCompile(`^\s*([a-z_]+)\s*=`)

var libpqKeywords = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"passfile": true, "service": true, "sslmode": true, "sslrootcert": true, "sslcert": true, "sslkey": true,
	"connect_timeout": true, "application_name": true, "options": true, "target_session_attrs": true,
	"client_encoding": true, "sslpassword": true, "search_path": true,
}

// isKeywords reports whether s is a libpq keyword/value string.
func isKeywords(s string) bool {
	m := keyword.FindStringSubmatch(s)
	return m != nil && libpqKeywords[m[1]]
}

// scheme is a URL scheme followed by "://".
var scheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://`)

var passwordKeyword = regexp.MustCompile(`(^|\s)password\s*=`)

// StorageKind says what spec names: Postgres or Bolt. A URL with another
// scheme is an error naming only the scheme.
func StorageKind(spec string) (string, error) {
	s := strings.TrimSpace(spec)
	switch {
	case s == "":
		return "", errmsg.Errorf("head office storage: empty; want a bbolt file or a postgres:// connection string")
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"), isKeywords(s):
		return Postgres, nil
	}
	if m := scheme.FindStringSubmatch(s); m != nil {
		return "", errmsg.Errorf("head office storage: unknown scheme %q (the rest is not shown: it may hold a password); want postgres:// or postgresql://, a keyword string like host=... dbname=..., or a bbolt file", m[1]+"://")
	}
	return Bolt, nil
}

// HasPassword reports whether a connection string carries a password:
// in a URL's user information or its password= parameter, or as a
// password keyword. It errs towards yes for a string it cannot parse.
func HasPassword(spec string) bool {
	s := strings.TrimSpace(spec)
	if m := scheme.FindString(s); m != "" {
		rest := s[len(m):]
		if u, err := url.Parse(s); err == nil {
			if _, ok := u.User.Password(); ok {
				return true
			}
			q, err := url.ParseQuery(u.RawQuery)
			return err != nil || q.Has("password")
		}
		// Unparsable: look for user:password@ before the host, and for a
		// password parameter anywhere.
		if at := strings.LastIndex(rest, "@"); at >= 0 && strings.Contains(rest[:at], ":") {
			return true
		}
		return strings.Contains(rest, "password=")
	}
	if isKeywords(s) {
		return passwordKeyword.MatchString(s)
	}
	return false
}
