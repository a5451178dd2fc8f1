package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/sync/client"
)

// syncConfig builds the sync client's config from [hq] and the token
// file (or $TILL_HQ_TOKEN). The token is never printed or logged.
func (e *env) syncConfig() (client.Config, error) {
	h := e.cfg.HQ
	if h.URL == "" {
		return client.Config{}, e.p.Errorf("head office is not set up: set url and token_file in [hq] of the config")
	}
	token := os.Getenv("TILL_HQ_TOKEN")
	if token == "" && h.TokenFile != "" {
		b, err := os.ReadFile(h.TokenFile)
		if err != nil {
			return client.Config{}, e.p.Errorf("[hq] token_file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return client.Config{}, e.p.Errorf("no head office credential: set token_file in [hq] (what till hq enrol printed)")
	}
	return client.Config{URL: h.URL, Token: token, CAFile: h.CAFile, Store: h.Store, Logger: e.log}, nil
}

var syncCmd = command{
	name:    "sync",
	usage:   "[-q]",
	short:   i18n.N("send sales to head office, fetch catalog changes"),
	summary: i18n.N("send unsynced sales, refunds and Z reports to head office and fetch catalog changes"),
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
			var meter *client.Meter
			if f, ok := e.stderr.(*os.File); ok && !*quiet {
				if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
					meter = client.NewMeter(f, time.Second, e.p)
					cfg.Progress = meter.Progress
				}
			}
			res, err := client.Sync(e.ctx, e.store, cfg)
			if meter != nil {
				meter.Stop()
			}
			e.p.Fprintf(e.stdout, "sent %d, set aside %d, catalog changes %d\n", res.Pushed, res.Rejected, res.Pulled)
			aside := setAsideError(e) // exits non-zero: those records are not at head office
			if err != nil {
				// One line: what is known, nothing lost, what waits.
				line := e.p.T("sync: %s; nothing lost; %s waiting", client.OneLine(errorText(e.p, err)),
					e.p.Plural(res.Waiting, "1 record", "%d records"))
				if client.Diagnose(err) == client.ProblemCredential {
					line += e.p.T("; enrol this terminal again at head office")
				}
				if aside != nil {
					line += e.p.T("; also %s", aside.Error())
				}
				return errors.New(line)
			}
			return aside
		}
	},
}
