// Package pgstore keeps head office's data in PostgreSQL, for chains that
// want their sales where their accountants' tools already look. It creates
// its tables on start.
//
// Amounts are BIGINT minor units. A record's body is kept byte for byte as
// the terminal sent it (BYTEA; convert_from(body, 'UTF8')::jsonb reads it
// as JSON), beside typed columns for queries: shop, terminal, at,
// currency, total, tax. Times are timestamptz, so microseconds.
//
// The schema is ready for a distributed engine that speaks PostgreSQL's
// protocol (Citus, YugabyteDB): every primary key and index leads with
// the store or the terminal, never with a kind or a time alone, so writes
// spread instead of piling onto one shard; every transaction is retried
// with backoff on a serialization failure or a deadlock (SQLSTATE 40001,
// 40P01), which such engines report far more often; and the tables are
// created without advisory locks, by idempotent DDL in a transaction that
// is retried when another head office creates them at the same moment.
package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/hq/storage"

	"github.com/tillpos/till/internal/errmsg"
)

// Options tune Open.
type Options struct {
	// Schema, if set, is created if missing and used for every table, so
	// several head offices (or tests) can share one database.
	Schema string
	// Isolation is every transaction's isolation level (default: the
	// server's, READ COMMITTED unless configured). Tests run SERIALIZABLE
	// to prove the retries; distributed engines may impose it.
	Isolation pgx.TxIsoLevel
	// Attempts is how often a transaction is tried on serialization
	// failures and deadlocks before the error is returned (default 10).
	Attempts int
}

// Store is head-office storage in a PostgreSQL database.
type Store struct {
	pool     *pgxpool.Pool
	iso      pgx.TxIsoLevel
	attempts int
	retries  atomic.Int64
}

// Retries is how many transactions were retried since Open, after a
// serialization failure or a deadlock.
func (s *Store) Retries() int64 { return s.retries.Load() }

// retryable reports a failure that the same transaction, tried again,
// may not meet: a serialization failure or a deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// tx runs fn in a transaction, again (after a short random wait that
// doubles) when it fails on a serialization failure or a deadlock. fn
// must not have effects outside the transaction that a retry repeats.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.retry(ctx, retryable, func() error {
		return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: s.iso}, fn)
	})
}

// querier is a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// one runs fn, which sends one statement (atomic on its own), with the
// same retries as tx; at the server's default isolation it goes straight
// to the pool, saving the round trips of BEGIN and COMMIT on every
// request's credential check.
func (s *Store) one(ctx context.Context, fn func(querier) error) error {
	if s.iso != "" {
		return s.tx(ctx, func(tx pgx.Tx) error { return fn(tx) })
	}
	return s.retry(ctx, retryable, func() error { return fn(s.pool) })
}

func (s *Store) retry(ctx context.Context, again func(error) bool, fn func() error) error {
	wait := 2 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !again(err) || attempt >= s.attempts || ctx.Err() != nil {
			return err
		}
		s.retries.Add(1)
		t := time.NewTimer(time.Duration(rand.Int64N(int64(wait)) + 1))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

var _ storage.Backend = (*Store)(nil)

// ddl creates what is missing; every statement is idempotent, so a head
// office from before a table existed (till_staff, till_chains and
// till_terminal_keys came with the journal) gains it on start. Each key
// leads with the terminal or the store (shop).
const ddl = `
CREATE TABLE IF NOT EXISTS till_terminals (
	terminal    TEXT PRIMARY KEY,
	shop        TEXT NOT NULL,
	token_hash  BYTEA NOT NULL,
	enrolled_at TIMESTAMPTZ NOT NULL,
	revoked_at  TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS till_records (
	terminal    TEXT NOT NULL,
	kind        TEXT NOT NULL,
	id          TEXT NOT NULL,
	shop        TEXT NOT NULL,
	at          TIMESTAMPTZ NOT NULL,
	currency    TEXT NOT NULL,
	total       BIGINT NOT NULL,
	tax         BIGINT NOT NULL,
	digest      BYTEA NOT NULL,
	body        BYTEA NOT NULL,
	received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (terminal, kind, id)
);
CREATE INDEX IF NOT EXISTS till_records_shop_at ON till_records (shop, at);
CREATE TABLE IF NOT EXISTS till_shops (
	shop TEXT PRIMARY KEY
);
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
CREATE TABLE IF NOT EXISTS till_refusals (
	terminal TEXT NOT NULL,
	reason   TEXT NOT NULL,
	count    BIGINT NOT NULL,
	last_at  TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (terminal, reason)
);
CREATE TABLE IF NOT EXISTS till_staff (
	shop   TEXT NOT NULL,
	id     TEXT NOT NULL,
	seq    BIGINT NOT NULL,
	name   TEXT NOT NULL,
	role   TEXT NOT NULL,
	badge  TEXT NOT NULL,
	active BOOLEAN NOT NULL,
	member JSONB NOT NULL,
	PRIMARY KEY (shop, id)
);
CREATE INDEX IF NOT EXISTS till_staff_changes ON till_staff (shop, seq);
CREATE UNIQUE INDEX IF NOT EXISTS till_staff_badge ON till_staff (shop, badge) WHERE badge <> '';
CREATE TABLE IF NOT EXISTS till_chains (
	terminal   TEXT PRIMARY KEY,
	seq        BIGINT NOT NULL,
	hash       BYTEA NOT NULL,
	entry      BYTEA NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS till_terminal_keys (
	terminal      TEXT PRIMARY KEY,
	public_key    TEXT NOT NULL,
	registered_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`

// upgrade moves a head office created before the keys led with the
// terminal: till_records keyed by (kind, id) and indexed by time alone.
// Record IDs end with their terminal, so the new key accepts and refuses
// exactly what the old one did.
const upgrade = `
DO $$
BEGIN
	IF (SELECT array_agg(a.attname::text ORDER BY k.n)
		FROM pg_index i
		CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indrelid = 'till_records'::regclass AND i.indisprimary) = ARRAY['kind', 'id'] THEN
		ALTER TABLE till_records DROP CONSTRAINT till_records_pkey;
		ALTER TABLE till_records ADD PRIMARY KEY (terminal, kind, id);
	END IF;
END
$$;
DROP INDEX IF EXISTS till_records_at;
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM till_shops) THEN
		INSERT INTO till_shops SELECT DISTINCT shop FROM till_records ON CONFLICT DO NOTHING;
	END IF;
END
$$;
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
				return nil, errmsg.Errorf("postgres: cannot parse the connection string (not shown: it may hold a password): %v", cause)
			}
			return nil, errmsg.Errorf("postgres: cannot parse the connection string (not shown: it may hold a password)")
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
	s := &Store{pool: pool, iso: opt.Isolation, attempts: opt.Attempts}
	if s.attempts <= 0 {
		s.attempts = 10
	}
	if err := s.migrate(ctx, opt.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres %s@%s/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	return s, nil
}

// SetupSQL is the SQL Open runs to create and upgrade the schema.
func SetupSQL() []string { return []string{ddl, upgrade} }

// migrate creates what is missing, in one transaction, without advisory
// locks (which distributed engines do not share between nodes): the DDL
// is idempotent, and when head offices start together and one of them
// trips over the other's CREATE (a duplicate type or relation, or a
// serialization failure), it waits a moment and runs it all again, to
// find everything there.
func (s *Store) migrate(ctx context.Context, schema string) error {
	raced := func(err error) bool {
		var pe *pgconn.PgError
		return retryable(err) || errors.As(err, &pe) &&
			(pe.Code == "23505" || pe.Code == "42P07" || pe.Code == "42710" || pe.Code == "42P06")
	}
	return s.retry(ctx, raced, func() error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if schema != "" {
				if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize()); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, ddl); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, upgrade)
			return err
		})
	})
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Enrol implements storage.Backend.
func (s *Store) Enrol(ctx context.Context, t storage.Terminal) error {
	var affected int64
	err := s.one(ctx, func(tx querier) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO till_terminals (terminal, shop, token_hash, enrolled_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (terminal) DO UPDATE SET token_hash = EXCLUDED.token_hash,
				enrolled_at = EXCLUDED.enrolled_at, revoked_at = NULL
			WHERE till_terminals.shop = EXCLUDED.shop`, t.ID, t.Store, t.Hash, t.Enrolled)
		affected = tag.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("enrol %s: %w", t.ID, err)
	}
	if affected == 0 {
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
	var t storage.Terminal
	err := s.one(ctx, func(tx querier) error {
		var err error
		t, err = scanTerminal(tx.QueryRow(ctx,
			`SELECT terminal, shop, token_hash, enrolled_at, revoked_at FROM till_terminals WHERE terminal = $1`, id))
		return err
	})
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
	var out []storage.Terminal
	err := s.one(ctx, func(tx querier) error {
		out = nil
		rows, err := tx.Query(ctx,
			`SELECT terminal, shop, token_hash, enrolled_at, revoked_at FROM till_terminals ORDER BY terminal`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTerminal(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// Revoke implements storage.Backend.
func (s *Store) Revoke(ctx context.Context, id string, at time.Time) error {
	var affected int64
	err := s.one(ctx, func(tx querier) error {
		tag, err := tx.Exec(ctx, `UPDATE till_terminals SET revoked_at = $2 WHERE terminal = $1`, id, at)
		affected = tag.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke %s: %w", id, err)
	}
	if affected == 0 {
		return fmt.Errorf("terminal %s: %w", id, storage.ErrNotFound)
	}
	return nil
}

type recKey struct{ terminal, kind, id string }

// PutRecords implements storage.Backend: one INSERT of the whole batch,
// skipping IDs already stored, then one look-up of the skipped ones'
// digests, in one transaction.
func (s *Store) PutRecords(ctx context.Context, recs []storage.Record) ([]storage.PutResult, error) {
	res := make([]storage.PutResult, len(recs))
	if len(recs) == 0 {
		return res, nil
	}
	err := s.tx(ctx, func(tx pgx.Tx) error { return putRecords(ctx, tx, recs, res) })
	if err != nil {
		return nil, fmt.Errorf("store records: %w", err)
	}
	return res, nil
}

// putRecords is PutRecords' work in the transaction tx: one INSERT of
// the whole batch, skipping IDs already stored, then one look-up of the
// skipped ones' digests; res gets each record's result.
func putRecords(ctx context.Context, tx pgx.Tx, recs []storage.Record, res []storage.PutResult) error {
	n := len(recs)
	if n == 0 {
		return nil
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
	rows, err := tx.Query(ctx, `
		INSERT INTO till_records (kind, id, shop, terminal, at, currency, total, tax, digest, body)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
			$6::text[], $7::bigint[], $8::bigint[], $9::bytea[], $10::bytea[])
		ON CONFLICT (terminal, kind, id) DO NOTHING
		RETURNING terminal, kind, id`, kinds, ids, shops, terms, ats, curs, totals, taxes, digests, bodies)
	if err != nil {
		return err
	}
	defer rows.Close()
	inserted := map[recKey]bool{}
	for rows.Next() {
		var k recKey
		if err := rows.Scan(&k.terminal, &k.kind, &k.id); err != nil {
			rows.Close()
			return err
		}
		inserted[k] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var lookT, lookK, lookI []string
	for i := range recs {
		k := recKey{terms[i], kinds[i], ids[i]}
		if inserted[k] {
			res[i] = storage.Stored
			delete(inserted, k) // a second copy in the same batch is a duplicate
			continue
		}
		res[i] = storage.Conflict
		lookT, lookK, lookI = append(lookT, k.terminal), append(lookK, k.kind), append(lookI, k.id)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO till_shops SELECT DISTINCT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING`, shops); err != nil {
		return err
	}
	if len(lookK) == 0 {
		return nil
	}
	rows, err = tx.Query(ctx, `
		SELECT r.terminal, r.kind, r.id, r.digest FROM till_records r
		JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(terminal, kind, id)
			ON r.terminal = u.terminal AND r.kind = u.kind AND r.id = u.id`, lookT, lookK, lookI)
	if err != nil {
		return err
	}
	stored := map[recKey][]byte{}
	for rows.Next() {
		var k recKey
		var d []byte
		if err := rows.Scan(&k.terminal, &k.kind, &k.id, &d); err != nil {
			rows.Close()
			return err
		}
		stored[k] = d
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range recs {
		if res[i] == storage.Conflict && string(stored[recKey{terms[i], kinds[i], ids[i]}]) == string(digests[i]) {
			res[i] = storage.Duplicate
		}
	}
	return nil
}

// Records implements storage.Backend.
func (s *Store) Records(ctx context.Context, from, to time.Time, fn func(storage.Record) error) error {
	rows, err := s.pool.Query(ctx, `
		SELECT kind, id, shop, terminal, at, currency, total, tax, body FROM till_records
		WHERE shop = ANY(ARRAY(SELECT shop FROM till_shops)) AND at >= $1 AND at < $2
		ORDER BY at, kind, id`, from, to)
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
	err := s.tx(ctx, func(tx pgx.Tx) error {
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

// Changes implements storage.Backend: goods and staff changed since
// since, in one sequence.
func (s *Store) Changes(ctx context.Context, store string, since uint64, limit int) ([]storage.Change, error) {
	var out []storage.Change
	err := s.one(ctx, func(tx querier) error {
		out = nil
		rows, err := tx.Query(ctx, `
			SELECT seq, sku, product, NULL::jsonb FROM till_catalog WHERE shop = $1 AND seq > $2
			UNION ALL
			SELECT seq, '', NULL::jsonb, member FROM till_staff WHERE shop = $1 AND seq > $2
			ORDER BY 1 LIMIT $3`,
			store, int64(since), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c storage.Change
			var seq int64
			var data, member []byte
			if err := rows.Scan(&seq, &c.SKU, &data, &member); err != nil {
				return err
			}
			c.Seq = uint64(seq)
			if member != nil {
				c.Staff = new(staff.Member)
				if err := json.Unmarshal(member, c.Staff); err != nil {
					return fmt.Errorf("staff at change %d: %w", seq, err)
				}
			} else if data != nil {
				c.Product = new(pos.Product)
				if err := json.Unmarshal(data, c.Product); err != nil {
					return fmt.Errorf("sku %s: %w", c.SKU, err)
				}
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// AddRefusals implements storage.Backend.
func (s *Store) AddRefusals(ctx context.Context, rs []storage.Refusal) error {
	if len(rs) == 0 {
		return nil
	}
	terms, reasons, counts, lasts := make([]string, len(rs)), make([]string, len(rs)), make([]int64, len(rs)), make([]time.Time, len(rs))
	for i, r := range rs {
		terms[i], reasons[i], counts[i], lasts[i] = r.Terminal, r.Reason, r.Count, r.Last
	}
	return s.one(ctx, func(tx querier) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO till_refusals (terminal, reason, count, last_at)
			SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[])
			ON CONFLICT (terminal, reason) DO UPDATE SET count = till_refusals.count + EXCLUDED.count,
				last_at = greatest(till_refusals.last_at, EXCLUDED.last_at)`, terms, reasons, counts, lasts)
		return err
	})
}

// Refusals implements storage.Backend.
func (s *Store) Refusals(ctx context.Context) ([]storage.Refusal, error) {
	var out []storage.Refusal
	err := s.one(ctx, func(tx querier) error {
		out = nil
		rows, err := tx.Query(ctx, `SELECT terminal, reason, count, last_at FROM till_refusals ORDER BY terminal, reason`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r storage.Refusal
			if err := rows.Scan(&r.Terminal, &r.Reason, &r.Count, &r.Last); err != nil {
				return err
			}
			r.Last = r.Last.UTC()
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
