package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tillpos/till/sync/client"
)

// syncConfig builds the sync client's config from [hq] and the token
// file (or $TILL_HQ_TOKEN). The token is never printed or logged.
func (e *env) syncConfig() (client.Config, error) {
	h := e.cfg.HQ
	if h.URL == "" {
		return client.Config{}, errors.New("head office is not set up: set url and token_file in [hq] of the config")
	}
	token := os.Getenv("TILL_HQ_TOKEN")
	if token == "" && h.TokenFile != "" {
		b, err := os.ReadFile(h.TokenFile)
		if err != nil {
			return client.Config{}, fmt.Errorf("[hq] token_file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return client.Config{}, errors.New("no head office credential: set token_file in [hq] (what till hq enrol printed)")
	}
	return client.Config{URL: h.URL, Token: token, CAFile: h.CAFile, Logger: e.log}, nil
}

var syncCmd = command{
	name:    "sync",
	usage:   "[-q]",
	short:   "send sales to head office, fetch catalog changes",
	summary: "send unsynced sales, refunds and Z reports to head office and fetch catalog changes",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		quiet := fs.Bool("q", false, "print only the result")
		return func(e *env, args []string) error {
			if len(args) != 0 {
				return fmt.Errorf("%w: till sync", errUsage)
			}
			cfg, err := e.syncConfig()
			if err != nil {
				return err
			}
			if !*quiet {
				cfg.Progress = func(done, total int) { fmt.Fprintf(e.stderr, "\rsent %d of %d", done, total) }
			}
			res, err := client.Sync(e.ctx, e.store, cfg)
			if !*quiet {
				fmt.Fprintln(e.stderr)
			}
			fmt.Fprintf(e.stdout, "sent %d, set aside %d, catalog changes %d\n", res.Pushed, res.Rejected, res.Pulled)
			if aside, aerr := e.store.SetAsideEntries(); aerr == nil && len(aside) > 0 {
				fmt.Fprintf(e.stdout, "%d record(s) head office refused, kept aside:\n", len(aside))
				for _, a := range aside {
					fmt.Fprintf(e.stdout, "  %s %s: %s (%s)\n", a.Kind, a.ID, a.Reason, a.At.In(e.loc).Format(time.DateTime))
				}
			}
			if err != nil {
				return fmt.Errorf("sync: %w (nothing is lost; it will be sent next time)", err)
			}
			return nil
		}
	},
}
