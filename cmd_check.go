package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/bolt"
)

// checkCmd verifies the whole database file.
var checkCmd = command{
	name:  "check",
	usage: "[FILE]",
	short: i18n.N("verify the whole database (or a backup)"),
	summary: i18n.N("verify the whole database, or the backup FILE: bbolt's own consistency check of every page,\n" +
		"then every record decoded and checked (a sale's figures must add up, an index must point at a\n" +
		"record that exists); the first bad record is named by bucket and key. Exit status 1 if anything\n" +
		"is wrong. Reads only; needs the counter stopped"),
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			if len(args) > 1 {
				return fmt.Errorf("%w: till check [FILE]", errUsage)
			}
			path := e.dbPath
			if len(args) == 1 {
				path = args[0]
			}
			if _, err := os.Stat(path); err != nil {
				return e.p.Errorf("check: no database at %s", path)
			}
			info, err := bolt.Verify(path)
			if errors.Is(err, bolt.ErrInUse) {
				return e.p.Errorf("check: %w: close the counter first", err)
			}
			if err != nil {
				return e.p.Errorf("check: %s", safe(err.Error()))
			}
			e.p.Fprintf(e.stdout, "%s is whole: terminal %s, last receipt %06d, %d record(s) waiting for head office, %d bytes\n",
				path, safe(info.Identity.Terminal), info.LastReceipt, info.Pending, info.Size)
			return nil
		}
	},
}
