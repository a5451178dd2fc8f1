package main

import (
	"flag"
	"fmt"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/bolt"
)

// restoreCmd puts a backup in place of the database.
var restoreCmd = command{
	name:  "restore",
	usage: "FILE [--force]",
	short: i18n.N("put a backup in place of the database"),
	summary: i18n.N("check a backup and put it in place of the database (the counter stopped); the database it\n" +
		"replaces is kept beside it as till.db.replaced-TIME. A backup older than the database is refused,\n" +
		"since the terminal would number again receipts it has printed and perhaps sent to head office; so is\n" +
		"a backup of another terminal, and, with [hq] configured, a restore with no database to compare with.\n" +
		"--force restores anyway"),
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		force := fs.Bool("force", false, "restore even an older backup, or another terminal's")
		return func(e *env, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: till restore FILE [--force]", errUsage)
			}
			res, err := bolt.Restore(args[0], e.dbPath, bolt.RestoreOptions{Force: *force, HeadOffice: e.cfg.HQ.URL != ""})
			if err != nil {
				return err
			}
			e.p.Fprintf(e.stdout, "restored %s to %s: terminal %s, last receipt %06d\n",
				args[0], e.dbPath, safe(res.Backup.Identity.Terminal), res.Backup.LastReceipt)
			if res.Replaced != "" {
				e.p.Fprintf(e.stdout, "the database it replaced is kept as %s\n", res.Replaced)
			}
			if res.Lost > 0 {
				e.p.Fprintf(e.stdout, "forced: %d later receipt(s) are not in the backup (%d already at head office); their numbers will be used again\n", res.Lost, res.Acked)
			}
			return nil
		}
	},
}
