package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/hq/storage"
)

// Staff live in till_staff, keyed by (shop, id), each with the change
// sequence it took from till_catalog_seq, so Changes returns goods and
// staff in one sequence. till_chains holds the journal entry head office
// last accepted from each terminal, till_terminal_keys each terminal's
// public signing key.

var (
	_ storage.StaffBackend          = (*Store)(nil)
	_ storage.ChainedRecordsBackend = (*Store)(nil)
	_ storage.KeyBackend            = (*Store)(nil)
)

// PutStaff implements storage.StaffBackend. It locks the store's
// sequence row, as ImportCatalog does, so the store's catalog and staff
// changes are serial and a badge check cannot race another member's.
func (s *Store) PutStaff(ctx context.Context, store string, m staff.Member) (uint64, error) {
	data, err := json.Marshal(m)
	if err != nil {
		return 0, err
	}
	var seq int64
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO till_catalog_seq (shop, seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, store); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT seq FROM till_catalog_seq WHERE shop = $1 FOR UPDATE`, store).Scan(&seq); err != nil {
			return err
		}
		if m.Badge != "" {
			var id, name string
			err := tx.QueryRow(ctx, `SELECT id, name FROM till_staff WHERE shop = $1 AND badge = $2 AND id <> $3 LIMIT 1`,
				store, m.Badge, m.ID).Scan(&id, &name)
			if err == nil {
				return fmt.Errorf("badge %s already belongs to %s (%s)", m.Badge, name, id)
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		seq++
		if _, err := tx.Exec(ctx, `
			INSERT INTO till_staff (shop, id, seq, name, role, badge, active, member) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (shop, id) DO UPDATE SET seq = EXCLUDED.seq, name = EXCLUDED.name, role = EXCLUDED.role,
				badge = EXCLUDED.badge, active = EXCLUDED.active, member = EXCLUDED.member`,
			store, m.ID, seq, m.Name, m.Role, m.Badge, m.Active, string(data)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE till_catalog_seq SET seq = $2 WHERE shop = $1`, store, seq)
		return err
	})
	if err != nil {
		return 0, err
	}
	return uint64(seq), nil
}

// Staff implements storage.StaffBackend.
func (s *Store) Staff(ctx context.Context, store string) ([]staff.Member, error) {
	var out []staff.Member
	err := s.one(ctx, func(tx querier) error {
		out = nil
		rows, err := tx.Query(ctx, `SELECT id, member FROM till_staff WHERE shop = $1`, store)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				return err
			}
			var m staff.Member
			if err := json.Unmarshal(data, &m); err != nil {
				return fmt.Errorf("staff %s: %w", id, err)
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	// By ID as Go compares strings, whatever the database's collation.
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// ChainHead implements storage.ChainBackend.
func (s *Store) ChainHead(ctx context.Context, terminal string) (journal.Entry, bool, error) {
	var e journal.Entry
	var data []byte
	err := s.one(ctx, func(tx querier) error {
		return tx.QueryRow(ctx, `SELECT entry FROM till_chains WHERE terminal = $1`, terminal).Scan(&data)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("chain head of %s: %w", terminal, err)
	}
	if err := e.UnmarshalBinary(data); err != nil {
		return e, false, fmt.Errorf("chain head of %s: %w", terminal, err)
	}
	return e, true, nil
}

// putHead stores e as the terminal's head unless the one held is later,
// and returns the sequence held afterwards.
func putHead(ctx context.Context, tx querier, terminal string, e journal.Entry) (uint64, error) {
	data, err := e.MarshalBinary()
	if err != nil {
		return 0, err
	}
	var seq int64
	err = tx.QueryRow(ctx, `
		WITH up AS (
			INSERT INTO till_chains (terminal, seq, hash, entry, updated_at) VALUES ($1, $2, $3, $4, now())
			ON CONFLICT (terminal) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, entry = EXCLUDED.entry,
				updated_at = EXCLUDED.updated_at
			WHERE till_chains.seq <= EXCLUDED.seq
			RETURNING seq)
		SELECT seq FROM up UNION ALL SELECT seq FROM till_chains WHERE terminal = $1 AND NOT EXISTS (SELECT FROM up)`,
		terminal, int64(e.Seq), e.Hash[:], data).Scan(&seq)
	return uint64(seq), err
}

// PutChainHead implements storage.ChainBackend.
func (s *Store) PutChainHead(ctx context.Context, terminal string, e journal.Entry) error {
	var held uint64
	err := s.one(ctx, func(tx querier) error {
		var err error
		held, err = putHead(ctx, tx, terminal, e)
		return err
	})
	if err != nil {
		return fmt.Errorf("chain head of %s: %w", terminal, err)
	}
	if held > e.Seq {
		return fmt.Errorf("chain head of %s would go back from entry %d to %d", terminal, held, e.Seq)
	}
	return nil
}

// PutRecordsChained implements storage.ChainedRecordsBackend: the
// terminal's chain row is locked first, so two pushes of one terminal
// take turns, and the one that finds the head moved stores nothing.
func (s *Store) PutRecordsChained(ctx context.Context, recs []storage.Record, terminal string, checked *journal.Entry, head journal.Entry) ([]storage.PutResult, uint64, error) {
	res := make([]storage.PutResult, len(recs))
	var held uint64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var seq int64
		var hash []byte
		err := tx.QueryRow(ctx, `SELECT seq, hash FROM till_chains WHERE terminal = $1 FOR UPDATE`, terminal).Scan(&seq, &hash)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if checked != nil {
				return storage.ErrChainMoved
			}
		case err != nil:
			return err
		case checked == nil || uint64(seq) != checked.Seq || string(hash) != string(checked.Hash[:]):
			return storage.ErrChainMoved
		}
		if err := putRecords(ctx, tx, recs, res); err != nil {
			return err
		}
		held, err = putHead(ctx, tx, terminal, head)
		return err
	})
	if errors.Is(err, storage.ErrChainMoved) {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store records and chain head: %w", err)
	}
	return res, held, nil
}

// PutTerminalKey implements storage.KeyBackend.
func (s *Store) PutTerminalKey(ctx context.Context, terminal, key string) error {
	var affected int64
	err := s.one(ctx, func(tx querier) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO till_terminal_keys (terminal, public_key, registered_at)
			SELECT terminal, $2, now() FROM till_terminals WHERE terminal = $1
			ON CONFLICT (terminal) DO UPDATE SET public_key = EXCLUDED.public_key, registered_at = EXCLUDED.registered_at`,
			terminal, key)
		affected = tag.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("key of %s: %w", terminal, err)
	}
	if affected == 0 {
		return fmt.Errorf("terminal %s: %w", terminal, storage.ErrNotFound)
	}
	return nil
}

// TerminalKey implements storage.KeyBackend.
func (s *Store) TerminalKey(ctx context.Context, terminal string) (string, error) {
	var key string
	err := s.one(ctx, func(tx querier) error {
		return tx.QueryRow(ctx, `SELECT public_key FROM till_terminal_keys WHERE terminal = $1`, terminal).Scan(&key)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("key of %s: %w", terminal, err)
	}
	return key, nil
}
