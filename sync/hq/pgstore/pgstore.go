// Package pgstore keeps head office's data in PostgreSQL, for chains that
// want their sales where their accountants' tools already look. It creates
// its tables on start.
//
// Amounts are BIGINT minor units. A record's body is kept byte for byte as
// the terminal sent it (BYTEA; convert_from(body, 'UTF8')::jsonb reads it
// as JSON), beside typed columns for queries: shop, terminal, at,
// currency, total, tax. Times are timestamptz, so microseconds.
package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq/storage"
)

// Options tune Open.
type Options struct {
	// Schema, if set, is created if missing and used for every table, so
	// several head offices (or tests) can share one database.
	Schema string
}

// Store is head-office storage in a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
}

var _ storage.Backend = (*Store)(nil)

const ddl = `
CREATE TABLE IF NOT EXISTS till_terminals (
	terminal    TEXT PRIMARY KEY,
	shop        TEXT NOT NULL,
	token_hash  BYTEA NOT NULL,
	enrolled_at TIMESTAMPTZ NOT NULL,
	revoked_at  TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS till_records (
	kind        TEXT NOT NULL,
	id          TEXT NOT NULL,
	shop        TEXT NOT NULL,
	terminal    TEXT NOT NULL,
	at          TIMESTAMPTZ NOT NULL,
	currency    TEXT NOT NULL,
	total       BIGINT NOT NULL,
	tax         BIGINT NOT NULL,
	digest      BYTEA NOT NULL,
	body        BYTEA NOT NULL,
	received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS till_records_at ON till_records (at);
CREATE TABLE IF NOT EXISTS till_catalog_seq (
	shop TEXT PRIMARY KEY,
	seq  BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS till_catalog (
	shop    TEXT NOT NULL,
	sku     TEXT NOT NULL,
	seq     BIGINT NOT NULL,
	price   BIGINT,
	product JSONB,
	PRIMARY KEY (shop, sku)
);
CREATE INDEX IF NOT EXISTS till_catalog_changes ON till_catalog (shop, seq);
`

// Open connects to the database named by a connection string such as
// "postgres://till@127.0.0.1:5432/till?sslmode=disable" and creates the
// tables if they are missing.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parser's message quotes the string with passwords masked
		// only on a best-effort basis: show the cause alone.
		var pe *pgconn.ParseConfigError
		if errors.As(err, &pe) {
			if cause := errors.Unwrap(pe); cause != nil {
				return nil, fmt.Errorf("postgres: cannot parse the connection string (not shown: it may hold a password): %v", cause)
			}
			return nil, errors.New("postgres: cannot parse the connection string (not shown: it may hold a password)")
		}
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if opt.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = opt.Schema
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx, opt.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres %s@%s/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	return s, nil
}

// migrate creates the tables under an advisory lock, so head offices
// starting together do not race on CREATE TABLE.
func (s *Store) migrate(ctx context.Context, schema string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7346110)`); err != nil {
			return err
		}
		if schema != "" {
			if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize()); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, ddl)
		return err
	})
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Enrol implements storage.Backend.
func (s *Store) Enrol(ctx context.Context, t storage.Terminal) error {
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO till_terminals (terminal, shop, token_hash, enrolled_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (terminal) DO UPDATE SET token_hash = EXCLUDED.token_hash,
			enrolled_at = EXCLUDED.enrolled_at, revoked_at = NULL
		WHERE till_terminals.shop = EXCLUDED.shop`, t.ID, t.Store, t.Hash, t.Enrolled)
	if err != nil {
		return fmt.Errorf("enrol %s: %w", t.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("terminal %s: %w", t.ID, storage.ErrEnrolled)
	}
	return nil
}

func scanTerminal(row pgx.Row) (storage.Terminal, error) {
	var t storage.Terminal
	var revoked *time.Time
	if err := row.Scan(&t.ID, &t.Store, &t.Hash, &t.Enrolled, &revoked); err != nil {
		return t, err
	}
	if revoked != nil {
		t.Revoked = *revoked
	}
	return t, nil
}

// Terminal implements storage.Backend.
func (s *Store) Terminal(ctx context.Context, id string) (storage.Terminal, error) {
	t, err := scanTerminal(s.pool.QueryRow(ctx,
		`SELECT terminal, shop, token_hash, enrolled_at, revoked_at FROM till_terminals WHERE terminal = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		err = storage.ErrNotFound
	}
	if err != nil {
		return storage.Terminal{}, fmt.Errorf("terminal %s: %w", id, err)
	}
	return t, nil
}

// Terminals implements storage.Backend.
func (s *Store) Terminals(ctx context.Context) ([]storage.Terminal, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT terminal, shop, token_hash, enrolled_at, revoked_at FROM till_terminals ORDER BY terminal`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.Terminal
	for rows.Next() {
		t, err := scanTerminal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Revoke implements storage.Backend.
func (s *Store) Revoke(ctx context.Context, id string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE till_terminals SET revoked_at = $2 WHERE terminal = $1`, id, at)
	if err != nil {
		return fmt.Errorf("revoke %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("terminal %s: %w", id, storage.ErrNotFound)
	}
	return nil
}

type recKey struct{ kind, id string }

// PutRecords implements storage.Backend: one INSERT of the whole batch,
// skipping IDs already stored, then one look-up of the skipped ones'
// digests, in one transaction.
func (s *Store) PutRecords(ctx context.Context, recs []storage.Record) ([]storage.PutResult, error) {
	n := len(recs)
	res := make([]storage.PutResult, n)
	if n == 0 {
		return res, nil
	}
	kinds, ids, shops, terms, curs := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ats := make([]time.Time, n)
	totals, taxes := make([]int64, n), make([]int64, n)
	digests, bodies := make([][]byte, n), make([][]byte, n)
	for i, r := range recs {
		kinds[i], ids[i], shops[i], terms[i], curs[i] = r.Kind, r.ID, r.Store, r.Terminal, r.Currency
		ats[i], totals[i], taxes[i] = r.At, int64(r.Total), int64(r.Tax)
		digests[i], bodies[i] = storage.Digest(r.Body), r.Body
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			INSERT INTO till_records (kind, id, shop, terminal, at, currency, total, tax, digest, body)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
				$6::text[], $7::bigint[], $8::bigint[], $9::bytea[], $10::bytea[])
			ON CONFLICT (kind, id) DO NOTHING
			RETURNING kind, id`, kinds, ids, shops, terms, ats, curs, totals, taxes, digests, bodies)
		if err != nil {
			return err
		}
		inserted := map[recKey]bool{}
		for rows.Next() {
			var k recKey
			if err := rows.Scan(&k.kind, &k.id); err != nil {
				rows.Close()
				return err
			}
			inserted[k] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var lookK, lookI []string
		for i := range recs {
			k := recKey{kinds[i], ids[i]}
			if inserted[k] {
				res[i] = storage.Stored
				delete(inserted, k) // a second copy in the same batch is a duplicate
				continue
			}
			res[i] = storage.Conflict
			lookK, lookI = append(lookK, k.kind), append(lookI, k.id)
		}
		if len(lookK) == 0 {
			return nil
		}
		rows, err = tx.Query(ctx, `
			SELECT r.kind, r.id, r.digest FROM till_records r
			JOIN unnest($1::text[], $2::text[]) AS u(kind, id) ON r.kind = u.kind AND r.id = u.id`, lookK, lookI)
		if err != nil {
			return err
		}
		stored := map[recKey][]byte{}
		for rows.Next() {
			var k recKey
			var d []byte
			if err := rows.Scan(&k.kind, &k.id, &d); err != nil {
				rows.Close()
				return err
			}
			stored[k] = d
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range recs {
			if res[i] == storage.Conflict && string(stored[recKey{kinds[i], ids[i]}]) == string(digests[i]) {
				res[i] = storage.Duplicate
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store records: %w", err)
	}
	return res, nil
}

// Records implements storage.Backend.
func (s *Store) Records(ctx context.Context, from, to time.Time, fn func(storage.Record) error) error {
	rows, err := s.pool.Query(ctx, `
		SELECT kind, id, shop, terminal, at, currency, total, tax, body FROM till_records
		WHERE at >= $1 AND at < $2 ORDER BY at, kind, id`, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r storage.Record
		var total, tax int64
		if err := rows.Scan(&r.Kind, &r.ID, &r.Store, &r.Terminal, &r.At, &r.Currency, &total, &tax, &r.Body); err != nil {
			return err
		}
		r.Total, r.Tax = pos.Money(total), pos.Money(tax)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ImportCatalog implements storage.Backend. The store's sequence row is
// locked for the transaction, so imports to one store are serial and a
// terminal never sees a later change before an earlier one commits.
func (s *Store) ImportCatalog(ctx context.Context, store string, imp storage.CatalogImport) (storage.ImportResult, error) {
	var res storage.ImportResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO till_catalog_seq (shop, seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, store); err != nil {
			return err
		}
		var seq int64
		if err := tx.QueryRow(ctx, `SELECT seq FROM till_catalog_seq WHERE shop = $1 FOR UPDATE`, store).Scan(&seq); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT sku, product FROM till_catalog WHERE shop = $1 AND product IS NOT NULL`, store)
		if err != nil {
			return err
		}
		current := map[string]pos.Product{}
		for rows.Next() {
			var sku string
			var data []byte
			if err := rows.Scan(&sku, &data); err != nil {
				rows.Close()
				return err
			}
			var p pos.Product
			if err := json.Unmarshal(data, &p); err != nil {
				rows.Close()
				return fmt.Errorf("sku %s: %w", sku, err)
			}
			current[sku] = p
		}
		if err := rows.Err(); err != nil {
			return err
		}
		edits, r, err := storage.Plan(current, imp)
		if err != nil {
			return err
		}
		res = r
		if len(edits) > 0 {
			skus, seqs, prices, products := make([]string, len(edits)), make([]int64, len(edits)), make([]*int64, len(edits)), make([]*string, len(edits))
			for i, e := range edits {
				seq++
				skus[i], seqs[i] = e.SKU, seq
				if e.Product != nil {
					data, err := json.Marshal(e.Product)
					if err != nil {
						return err
					}
					price, js := int64(e.Product.Price), string(data)
					prices[i], products[i] = &price, &js
				}
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO till_catalog (shop, sku, seq, price, product)
				SELECT $1::text, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::jsonb[])
				ON CONFLICT (shop, sku) DO UPDATE SET seq = EXCLUDED.seq, price = EXCLUDED.price, product = EXCLUDED.product`,
				store, skus, seqs, prices, products); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE till_catalog_seq SET seq = $2 WHERE shop = $1`, store, seq); err != nil {
				return err
			}
		}
		res.Seq = uint64(seq)
		return nil
	})
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			return storage.ImportResult{}, fmt.Errorf("import catalog of %s: %s", store, pgErr.Message)
		}
		return storage.ImportResult{}, fmt.Errorf("import catalog of %s: %w", store, err)
	}
	return res, nil
}

// Changes implements storage.Backend.
func (s *Store) Changes(ctx context.Context, store string, since uint64, limit int) ([]storage.Change, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT seq, sku, product FROM till_catalog WHERE shop = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
		store, int64(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.Change
	for rows.Next() {
		var c storage.Change
		var seq int64
		var data []byte
		if err := rows.Scan(&seq, &c.SKU, &data); err != nil {
			return nil, err
		}
		c.Seq = uint64(seq)
		if data != nil {
			c.Product = new(pos.Product)
			if err := json.Unmarshal(data, c.Product); err != nil {
				return nil, fmt.Errorf("sku %s: %w", c.SKU, err)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
