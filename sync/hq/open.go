package hq

import (
	"context"
	"strings"

	"github.com/tillpos/till/sync/hq/boltstore"
	"github.com/tillpos/till/sync/hq/pgstore"
	"github.com/tillpos/till/sync/hq/storage"
)

// Open opens head office's storage: a PostgreSQL connection string
// ("postgres://..." or "postgresql://...") opens PostgreSQL and creates
// its tables if missing; anything else is the path of a bbolt file,
// created if missing. The connection string may hold a password: Open
// never logs it and its errors do not repeat it.
func Open(ctx context.Context, spec string) (storage.Backend, error) {
	if strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://") {
		return pgstore.Open(ctx, spec, pgstore.Options{})
	}
	return boltstore.Open(spec, boltstore.Options{})
}
