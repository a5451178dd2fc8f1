package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/tui"
)

// backupCmd writes a verified copy of the database. bbolt locks the file
// for the process that has it open, so while the counter runs this
// command asks it, through its backup socket beside the database, to
// take the copy in a read transaction (sales go on meanwhile); with no
// counter running it opens the file itself.
var backupCmd = command{
	name:  "backup",
	usage: "[DIR]",
	short: i18n.N("write a verified copy of the database"),
	summary: i18n.N("write a consistent, verified copy of the database into DIR (default backup_dir in the config,\n" +
		"else backups/ beside the database), named till-TERMINAL-TIME.db; with backup_keep in the config,\n" +
		"only the newest that many are kept in backup_dir. While the counter runs, the counter takes the\n" +
		"copy (through its socket beside the database) and sales go on; it also backs up by itself at each\n" +
		"Z report when backup_dir is set"),
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			if len(args) > 1 {
				return fmt.Errorf("%w: till backup [DIR]", errUsage)
			}
			dir := e.cfg.BackupDir
			if len(args) == 1 {
				dir = args[0]
			}
			if dir == "" {
				dir = filepath.Join(filepath.Dir(e.dbPath), "backups")
			}
			if _, err := os.Stat(e.dbPath); err != nil {
				return e.p.Errorf("backup: no database at %s", e.dbPath)
			}
			keep := 0
			if filepath.Clean(dir) == filepath.Clean(e.cfg.BackupDir) {
				keep = e.cfg.BackupKeep
			}
			by := ""
			// A running counter holds the file: it takes the copy.
			info, err := bolt.BackupVia(e.ctx, bolt.BackupSocketFor(e.dbPath), e.dbPath, dir, keep)
			switch {
			case err == nil:
				by = e.p.T(" by the running counter")
			case !errors.Is(err, bolt.ErrNoCounter):
				return e.p.Errorf("backup: %w", err)
			default:
				s, oerr := bolt.Open(e.dbPath, bolt.Options{})
				if errors.Is(oerr, bolt.ErrInUse) {
					return e.p.Errorf("backup: %w, and it does not answer on %s (%v); close it and run till backup again", oerr, bolt.BackupSocketFor(e.dbPath), err)
				}
				if oerr != nil {
					return e.p.Errorf("backup: %w", oerr)
				}
				defer s.Close()
				if info, err = s.CloseOfDayBackup(dir, keep, time.Now()); err != nil {
					return err
				}
			}
			e.p.Fprintf(e.stdout, "backup %s verified%s: terminal %s, last receipt %06d, %d record(s) waiting for head office, %d bytes\n",
				info.Path, by, safe(info.Identity.Terminal), info.LastReceipt, info.Pending, info.Size)
			return nil
		}
	},
}

// serveBackups starts the counter's backup socket beside the database,
// so that till backup works while the counter runs. A socket that cannot
// start is only logged; stop closes it.
func (e *env) serveBackups() (stop func()) {
	b, err := e.store.ServeBackups(bolt.BackupSocketFor(e.dbPath), e.log)
	if err != nil {
		e.log.Warn("backup socket not started: till backup needs the counter closed", "err", err)
		return func() {}
	}
	return func() { _ = b.Close() }
}

// zBackup is the counter's seller with a backup after each Z report,
// when the config names a backup folder.
type zBackup struct {
	tui.Seller
	e *env
}

// backupAfterZ wraps seller so that a Z report is followed by a backup.
func (e *env) backupAfterZ(seller tui.Seller) tui.Seller {
	if e.cfg.BackupDir == "" {
		return seller
	}
	return zBackup{seller, e}
}

func (z zBackup) TakeZ(loc *time.Location, counted *pos.Money) (pos.Report, error) {
	r, err := z.Seller.TakeZ(loc, counted)
	if err == nil {
		_ = z.e.closeOfDayBackup()
	}
	return r, err
}

// closeOfDayBackup backs up into backup_dir after a Z report. A failure
// does not undo the Z: it is logged and returned for the caller to show.
func (e *env) closeOfDayBackup() error {
	if e.cfg.BackupDir == "" || e.store == nil {
		return nil
	}
	info, err := e.store.CloseOfDayBackup(e.cfg.BackupDir, e.cfg.BackupKeep, time.Now())
	if err != nil {
		e.log.Error("close-of-day backup failed", "dir", e.cfg.BackupDir, "err", err)
		return err
	}
	e.log.Info("close-of-day backup", "file", info.Path, "last_receipt", info.LastReceipt, "bytes", info.Size)
	return nil
}
