package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/internal/safetext"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

const outboxUsage = "till outbox list | show SEQ | retry SEQ...|--all"

// outboxCmd shows what waits for head office and what it refused (set
// aside), and puts set-aside records back once the cause is fixed.
var outboxCmd = command{
	name:  "outbox",
	usage: "list|show SEQ|retry SEQ...|--all",
	short: i18n.N("see what waits or was set aside; send set-aside records again"),
	summary: i18n.N("see records waiting for head office or set aside by it, and send set-aside ones again\n\n" +
		"  till outbox list            count waiting records, list set-aside ones with head office's reason\n" +
		"  till outbox show SEQ        one record: kind, ID, reason and its JSON\n" +
		"  till outbox retry SEQ...    put set-aside records back; the next till sync sends them\n" +
		"  till outbox retry --all     put every set-aside record back"),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		all := fs.Bool("all", false, "retry: every set-aside record")
		return func(e *env, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("%w: %s", errUsage, outboxUsage)
			}
			switch args[0] {
			case "list":
				if len(args) != 1 || *all {
					return fmt.Errorf("%w: till outbox list", errUsage)
				}
				return outboxList(e)
			case "show":
				seqs, err := parseSeqs(e, args[1:])
				if err != nil || len(seqs) != 1 || *all {
					return fmt.Errorf("%w: till outbox show SEQ", errUsage)
				}
				return outboxShow(e, seqs[0])
			case "retry":
				seqs, err := parseSeqs(e, args[1:])
				if err != nil || (len(seqs) == 0) == !*all {
					return fmt.Errorf("%w: till outbox retry SEQ... or till outbox retry --all", errUsage)
				}
				return outboxRetry(e, seqs)
			}
			return fmt.Errorf("%w: %s", errUsage, outboxUsage)
		}
	},
}

func parseSeqs(e *env, args []string) ([]uint64, error) {
	var seqs []uint64
	for _, a := range args {
		n, err := strconv.ParseUint(a, 10, 64)
		if err != nil || n == 0 {
			return nil, e.p.Errorf("record %q: want its number (SEQ) from till outbox list", a)
		}
		seqs = append(seqs, n)
	}
	return seqs, nil
}

func outboxList(e *env) error {
	st, err := e.store.SyncStatus()
	if err != nil {
		return err
	}
	aside, err := e.store.SetAsideEntries()
	if err != nil {
		return err
	}
	e.p.Fprintf(e.stdout, "%d waiting to be sent, %d set aside by head office\n", st.Unsynced, len(aside))
	if len(aside) == 0 {
		return nil
	}
	fmt.Fprintln(e.stdout, e.p.T("SEQ\tKIND\tID\tSET ASIDE\tREASON"))
	for _, a := range aside {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", a.Seq, safe(a.Kind), safe(a.ID), a.At.In(e.loc).Format(time.DateTime), safe(a.Reason))
	}
	fmt.Fprintln(e.stdout, e.p.T("after fixing the cause: till outbox retry SEQ... (or --all), then till sync"))
	return nil
}

func outboxShow(e *env, seq uint64) error {
	a, err := e.store.SetAsideEntry(seq)
	state := e.p.T("set aside %s: %s", a.At.In(e.loc).Format(time.DateTime), safe(a.Reason))
	if errors.Is(err, pos.ErrNotFound) {
		// Not set aside: perhaps still waiting.
		es, perr := e.store.Pending(seq-1, 1)
		if perr != nil {
			return perr
		}
		if len(es) == 0 || es[0].Seq != seq {
			return e.p.Errorf("outbox has no record %d (sent records leave it; see till outbox list)", seq)
		}
		a, err, state = bolt.SetAsideEntry{OutboxEntry: es[0]}, nil, e.p.T("waiting to be sent")
	}
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := json.Indent(&body, a.Body, "", "  "); err != nil {
		return e.p.Errorf("record %d: %w", seq, err)
	}
	e.p.Fprintf(e.stdout, "record %d: %s %s, %s\n%s\n", a.Seq, safe(a.Kind), safe(a.ID), state, safe(body.String()))
	return nil
}

func outboxRetry(e *env, seqs []uint64) error {
	n := 0
	if len(seqs) == 0 {
		var err error
		if n, err = e.store.RequeueAll(); err != nil {
			return err
		}
	}
	for _, q := range seqs {
		if err := e.store.Requeue(q); err != nil {
			if errors.Is(err, pos.ErrNotFound) {
				return e.p.Errorf("record %d is not set aside (see till outbox list); %d put back before it", q, n)
			}
			return err
		}
		n++
	}
	e.log.Info("outbox retry", "records", n)
	e.p.Fprintf(e.stdout, "%d record(s) put back in the outbox; till sync sends them\n", n)
	return nil
}

// safe makes text from a record or from head office fit to print on a
// terminal: control and other invisible characters are shown escaped,
// line breaks and tabs of JSON kept.
func safe(s string) string { return safetext.Lines(s) }

// setAsideError is what till sync returns when records are set aside:
// one line, how many and why (the oldest one's reason).
func setAsideError(e *env) error {
	aside, err := e.store.SetAsideEntries()
	if err != nil || len(aside) == 0 {
		return err
	}
	why := safe(aside[0].Reason)
	if len(aside) > 1 {
		why = e.p.T("the first: %s", why)
	}
	return e.p.Errorf("%d record(s) set aside, not at head office (%s); see till outbox list, fix the cause, then till outbox retry --all", len(aside), why)
}
