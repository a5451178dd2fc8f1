package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/journal"
)

// verifyCmd checks the terminal's journal: every entry, the records it
// names and the Z reports' signatures. It is evidence of tampering, not a
// fiscal certification (see the README).
var verifyCmd = command{
	name:  "verify",
	usage: "[--public-key]",
	short: i18n.N("check the journal's chain and the Z reports' signatures"),
	summary: i18n.N("check the journal: every entry chained to the one before, every record as journalled, Z reports signed\n\n" +
		"  till verify                 exits 1 naming the first bad entry\n" +
		"  till verify --public-key    print the public half of the terminal's signing key (for till hq enrol --public-key)"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		pub := fs.Bool("public-key", false, "print the terminal's public key and stop")
		return func(e *env, args []string) error {
			if len(args) != 0 {
				return fmt.Errorf("%w: till verify [--public-key]", errUsage)
			}
			if *pub {
				k, err := e.store.PublicKey()
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, journal.PublicKeyText(k))
				return nil
			}
			res, err := e.store.VerifyJournal()
			if err != nil {
				var bad *journal.BadEntry
				if errors.As(err, &bad) {
					e.log.Warn("verify failed", "entry", bad.Seq, "ref", bad.Ref, "reason", bad.Reason)
					return e.p.Errorf("journal does not verify: %w", err)
				}
				return err
			}
			head := e.p.T("empty")
			if res.Entries > 0 {
				head = e.p.T("head entry %d %s", res.Head.Seq, res.Head.Hash)
			}
			e.p.Fprintf(e.stdout, "journal intact: %d entries, %d Z reports signed, %s\n", res.Entries, res.ZReports, head)
			return nil
		}
	},
}
