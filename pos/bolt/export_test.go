package bolt

import (
	"log/slog"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// BulkComplete stores sales the way CompleteSale does, but all in one
// transaction, so benchmark fixtures of a million sales build in seconds.
// With synced set, their outbox entries are removed in the same
// transaction, as if head office had acknowledged them.
func BulkComplete(s *Store, sales []pos.Sale, synced bool) error {
	return s.update(func(tx *bbolt.Tx) error {
		ob := tx.Bucket(bOutbox)
		for i := range sales {
			if err := completeSale(tx, &sales[i]); err != nil {
				return err
			}
			if synced {
				if err := ob.Delete(u64(ob.Sequence())); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// BulkEvents journals n login events in transactions of a batch each,
// so a million-entry journal builds in seconds.
func BulkEvents(s *Store, n, batch int, at time.Time) error {
	for done := 0; done < n; {
		err := s.update(func(tx *bbolt.Tx) error {
			for i := 0; i < batch && done < n; i++ {
				if _, err := journalJSON(tx, JLogin, "7", at, Event{Member: "7", Name: "Bea", Detail: "login", At: at}); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// TxStats returns the store's cumulative transaction statistics, so a
// benchmark can count the pages a commit writes.
func TxStats(s *Store) bbolt.TxStats { return s.db.Stats().TxStats }

// ServeBackupsAs serves backups as if this process ran as user uid, root
// not let in, so a test sees its own connection refused as another
// user's.
func ServeBackupsAs(s *Store, path string, log *slog.Logger, uid uint32) (*BackupServer, error) {
	return s.serveBackups(path, log, uid, false)
}

// Fold folds the staged sales now, as the idle timer would.
func Fold(s *Store) error { return s.fold() }

// FreePages is how many free pages the store's file has (bbolt writes
// the list of them with every commit).
func FreePages(s *Store) int { return s.db.Stats().FreePageN }

// Staged counts the staged sales without folding them.
func Staged(s *Store) int {
	n := 0
	_ = s.read(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bStaged); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n
}
