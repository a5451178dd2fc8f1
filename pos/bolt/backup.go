package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// A backup is a whole copy of the terminal database taken in one read
// transaction (bbolt's hot copy), so it is consistent while the store
// stays open and selling. It is written under a temporary name in the
// backup folder, fsynced, checked like till check checks a database, and
// only then renamed to its final name: a file with a backup's name is
// always a complete, verified copy. A process killed mid-backup leaves at
// most a temporary file, which no function here takes for a backup.
//
// bbolt locks the file exclusively for a writer, so only the process
// that has the store open can copy it: the counter takes its own backup
// at the close of day, and serves till backup's requests on its backup
// socket (backupsock.go); with no counter running, till backup opens the
// file itself.

// BackupInfo describes a verified backup (or database).
type BackupInfo struct {
	Path        string
	Identity    pos.Identity
	LastReceipt uint64    // newest receipt number in it, 0 before the first sale
	OutboxSeq   uint64    // sequence of the newest outbox entry ever queued
	Pending     int       // outbox entries not yet acknowledged by head office
	Size        int64     // bytes
	Taken       time.Time // when the copy was taken (from its name; zero if unnamed)
}

const (
	backupPrefix = "till-"
	backupSuffix = ".db"
	backupTemp   = "-tmp-"
	stampLayout  = "20060102T150405.000Z"
)

// BackupName is the file name of a backup of terminal taken at t: names
// of one terminal sort by time.
func BackupName(terminal string, t time.Time) string {
	return backupPrefix + fileSafe(terminal) + "-" + strings.Replace(t.UTC().Format(stampLayout), ".", "", 1) + backupSuffix
}

// fileSafe keeps letters, digits, '-' and '_' of a terminal ID for a
// file name and replaces anything else by '_'.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

// Backup writes a verified copy of the database into dir (created if
// needed) and returns what it holds. now names the file.
func (s *Store) Backup(dir string, now time.Time) (BackupInfo, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return BackupInfo{}, fmt.Errorf("backup folder: %w", err)
	}
	removeStaleTemps(dir, s.id.Terminal)
	final := filepath.Join(dir, BackupName(s.id.Terminal, now))
	tmp, err := os.CreateTemp(dir, tempPrefix(s.id.Terminal)+"*")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	var want BackupInfo
	err = s.view(func(tx *bbolt.Tx) error {
		want = summarize(tx)
		_, err := tx.WriteTo(tmp)
		return err
	})
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: write copy: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	got, err := Verify(tmp.Name())
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: the copy does not verify: %w", err)
	}
	if got.Identity.Terminal != s.id.Terminal || !got.Identity.Created.Equal(s.id.Created) ||
		got.LastReceipt != want.LastReceipt || got.OutboxSeq != want.OutboxSeq {
		return BackupInfo{}, fmt.Errorf("backup: the copy differs from the database (terminal %q receipt %d, want %q receipt %d)",
			got.Identity.Terminal, got.LastReceipt, s.id.Terminal, want.LastReceipt)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	done = true
	if err := syncDir(dir); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	got.Path = final
	got.Taken = now.UTC()
	return got, nil
}

// CloseOfDayBackup is what the counter runs after a Z report when the
// config names a backup folder: a backup, then only the newest keep
// backups of this terminal are kept (keep <= 0 keeps all).
func (s *Store) CloseOfDayBackup(dir string, keep int, now time.Time) (BackupInfo, error) {
	info, err := s.Backup(dir, now)
	if err != nil {
		return info, err
	}
	if _, err := Rotate(dir, s.id.Terminal, keep); err != nil {
		return info, err
	}
	return info, nil
}

// Backups lists the backups of terminal in dir, oldest first. Temporary
// files left by an interrupted backup are not listed.
func Backups(dir, terminal string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	prefix := backupPrefix + fileSafe(terminal) + "-"
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, backupSuffix) &&
			isStamp(strings.TrimSuffix(strings.TrimPrefix(n, prefix), backupSuffix)) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// tempPrefix names the temporary files of terminal's backups.
func tempPrefix(terminal string) string {
	return "." + backupPrefix + fileSafe(terminal) + backupTemp
}

// removeStaleTemps removes temporary files an interrupted backup of
// terminal left in dir more than an hour ago. Only the process that has
// the database open can back it up, so an old one is nobody's.
func removeStaleTemps(dir, terminal string) { removeStale(dir, tempPrefix(terminal)) }

func isStamp(s string) bool {
	if len(s) != len("20060102T150405000Z") {
		return false
	}
	_, err := time.Parse("20060102T150405.000Z", s[:15]+"."+s[15:])
	return err == nil
}

// Rotate removes all but the newest keep backups of terminal in dir and
// returns the files it removed. keep <= 0 removes nothing.
func Rotate(dir, terminal string, keep int) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	all, err := Backups(dir, terminal)
	if err != nil || len(all) <= keep {
		return nil, err
	}
	old := all[:len(all)-keep]
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return nil, fmt.Errorf("rotate backups: %w", err)
		}
	}
	return old, syncDir(dir)
}

// Verify opens a backup (or any terminal database) read-only, checks it
// completely (see Check) and returns what it holds.
func Verify(path string) (BackupInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, err
	}
	if fi.Size() == 0 {
		return BackupInfo{}, fmt.Errorf("%s: %w", path, ErrEmpty)
	}
	db, err := openDB(path, Options{ReadOnly: true})
	if err != nil {
		return BackupInfo{}, openErr(path, err)
	}
	defer db.Close()
	s := &Store{db: db, path: path, readOnly: true}
	info := BackupInfo{Path: path, Size: fi.Size()}
	if err := s.check(func(tx *bbolt.Tx) { info = summarize(tx); info.Path, info.Size = path, fi.Size() }); err != nil {
		return BackupInfo{}, err
	}
	return info, nil
}

// summarize reads what a backup is compared by.
func summarize(tx *bbolt.Tx) BackupInfo {
	var info BackupInfo
	if meta := tx.Bucket(bMeta); meta != nil {
		_ = getJSON(meta, kIdentity, &info.Identity)
	}
	if b := tx.Bucket(bReceipts); b != nil {
		if k, _ := b.Cursor().Last(); len(k) == 8 {
			info.LastReceipt = binary.BigEndian.Uint64(k)
		}
	}
	if b := tx.Bucket(bOutbox); b != nil {
		info.OutboxSeq = b.Sequence()
		info.Pending = b.Stats().KeyN
	}
	// A copy of a till that lost power may hold staged sales (staged.go):
	// each is a receipt and will be an outbox entry.
	if last, ok, _ := lastStaged(tx); ok {
		info.LastReceipt = max(info.LastReceipt, last.Receipt)
		info.Pending += tx.Bucket(bStaged).Stats().KeyN
	}
	return info
}

// ErrOlder is a restore refused because the backup is older than what
// the terminal has already numbered (and perhaps sent to head office).
var ErrOlder = errors.New("the backup is older than this terminal's database")

// ErrUnknownHQ is a restore refused because there is no database to
// compare with and head office may hold later receipts.
var ErrUnknownHQ = errors.New("cannot tell what head office already holds")

// RestoreOptions say how far Restore may go.
type RestoreOptions struct {
	Force bool // restore even an older backup, or another terminal's
	// HeadOffice says the terminal sends to a head office: without a
	// database to compare with, head office may hold receipts the backup
	// does not have, so Restore refuses unless forced.
	HeadOffice bool
	Now        time.Time
}

// RestoreResult says what Restore did.
type RestoreResult struct {
	Backup BackupInfo
	// Replaced is where the database that was replaced was moved to
	// (empty if there was none).
	Replaced string
	// Lost are the receipts in the replaced database after the backup's
	// last one (only with Force); Acked of them had reached head office.
	Lost, Acked uint64
}

// Restore puts a verified backup in place of the database at dbPath. The
// database it replaces, if any, is kept beside it under a .replaced
// name. It refuses (unless forced) a backup of another terminal, and a
// backup whose last receipt is older than the database's: the terminal
// would number receipts again that it has already printed and perhaps
// sent to head office, which keeps the first of two sales with one
// receipt number. The database must not be open (the counter stopped).
func Restore(backup, dbPath string, opt RestoreOptions) (RestoreResult, error) {
	var res RestoreResult
	info, err := Verify(backup)
	if err != nil {
		return res, fmt.Errorf("restore: %w", err)
	}
	res.Backup = info
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	_, statErr := os.Stat(dbPath)
	exists := statErr == nil
	if exists {
		cur, err := Open(dbPath, Options{})
		switch {
		case errors.Is(err, ErrInUse):
			return res, fmt.Errorf("restore: %w: stop the counter first", err)
		case err != nil && !opt.Force:
			return res, fmt.Errorf("restore: the database to replace cannot be read, so it cannot be compared with the backup (%v); use --force to replace it anyway", err)
		case err == nil:
			lost, acked, cerr := cur.compare(info)
			_ = cur.Close()
			if cerr != nil && !opt.Force {
				return res, fmt.Errorf("restore: %w", cerr)
			}
			if cur.id.Terminal != info.Identity.Terminal && !opt.Force {
				return res, fmt.Errorf("restore: the backup is of terminal %q, this database is terminal %q; use --force to replace it", info.Identity.Terminal, cur.id.Terminal)
			}
			if lost > 0 && !opt.Force {
				return res, fmt.Errorf("restore: %w: it ends at receipt %d, the database at %d (%d of the %d later receipts already at head office); restoring would number those receipts again; use --force to restore anyway",
					ErrOlder, info.LastReceipt, info.LastReceipt+lost, acked, lost)
			}
			res.Lost, res.Acked = lost, acked
		}
	} else if opt.HeadOffice && !opt.Force {
		return res, fmt.Errorf("restore: %w: there is no database at %s to compare with, and head office may hold receipts after the backup's last (%d); check with head office, then use --force",
			ErrUnknownHQ, dbPath, info.LastReceipt)
	}

	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, fmt.Errorf("restore: %w", err)
	}
	tmp, err := copyTemp(backup, dir)
	if err != nil {
		return res, fmt.Errorf("restore: %w", err)
	}
	if exists {
		res.Replaced = dbPath + ".replaced-" + strings.Replace(opt.Now.UTC().Format(stampLayout), ".", "", 1)
		if err := os.Rename(dbPath, res.Replaced); err != nil {
			_ = os.Remove(tmp)
			return res, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		_ = os.Remove(tmp)
		return res, fmt.Errorf("restore: %w", err)
	}
	return res, syncDir(dir)
}

// compare returns how many receipts the store has after the backup's
// last one, and how many of those have left the outbox (acknowledged by
// head office, or set aside after reaching it).
func (s *Store) compare(b BackupInfo) (lost, acked uint64, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		queued := map[string]bool{}
		for _, name := range [][]byte{bOutbox, bSetAside} {
			bk := tx.Bucket(name)
			if bk == nil {
				continue
			}
			if err := bk.ForEach(func(k, v []byte) error {
				var e pos.OutboxEntry
				if err := decode(k, v, &e); err != nil {
					return err
				}
				queued[e.ID] = true
				return nil
			}); err != nil {
				return err
			}
		}
		c := tx.Bucket(bReceipts).Cursor()
		for k, v := c.Seek(u64(b.LastReceipt + 1)); k != nil; k, v = c.Next() {
			var r receiptEntry
			if err := decode(k, v, &r); err != nil {
				return err
			}
			lost++
			if !queued[r.ID] {
				acked++
			}
		}
		return nil
	})
	return lost, acked, err
}

// copyTemp copies src to a fsynced temporary file in dir.
func copyTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, backupTemp+"*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
