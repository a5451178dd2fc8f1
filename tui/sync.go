package tui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/client"
)

// SyncResult is what one sync with head office did.
type SyncResult struct{ Pushed, Rejected, Pulled int }

// SyncFunc sends the outbox to head office and pulls catalog changes,
// telling progress how many records are done. The caller wires it to
// sync/client; nil means head office is not set up.
type SyncFunc func(ctx context.Context, progress func(done, total int)) (SyncResult, error)

type (
	syncProgressMsg struct{ done, total int }
	syncDoneMsg     struct {
		res SyncResult
		err error
	}
	syncTickMsg   struct{}
	syncStatusMsg struct {
		st  pos.SyncStatus
		err error
	}
)

func newSyncState() syncState {
	return syncState{bar: progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))}
}

// syncState is head office as the counter sees it.
type syncState struct {
	running     bool
	done, total int
	ch          chan tea.Msg
	status      pos.SyncStatus
	note        string // the last sync's outcome, in words
	bar         progress.Model
}

// startSync runs a sync in the background. Its progress comes back
// through a channel, one message at a time, so Update stays free of IO.
func (c *common) startSync() tea.Cmd {
	if c.deps.Sync == nil || c.sync.running {
		return nil
	}
	ch := make(chan tea.Msg, 64)
	c.sync.running, c.sync.done, c.sync.total, c.sync.ch = true, 0, 0, ch
	run, ctx := c.deps.Sync, c.deps.Ctx
	work := func() tea.Msg {
		res, err := run(ctx, func(done, total int) {
			select {
			case ch <- syncProgressMsg{done, total}:
			default: // the screen is behind; the next one will do
			}
		})
		ch <- syncDoneMsg{res, err}
		return nil
	}
	return tea.Batch(work, waitSync(ch))
}

func waitSync(ch chan tea.Msg) tea.Cmd { return func() tea.Msg { return <-ch } }

func (c *common) loadSyncStatus() tea.Cmd {
	var st Outbox = c.deps.Store
	return func() tea.Msg {
		s, err := st.SyncStatus()
		return syncStatusMsg{st: s, err: err}
	}
}

func (c *common) scheduleSync() tea.Cmd {
	if c.deps.Sync == nil || c.deps.SyncEvery <= 0 {
		return nil
	}
	return c.tick(c.deps.SyncEvery, func(time.Time) tea.Msg { return syncTickMsg{} })
}

func (c *common) syncResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case syncProgressMsg:
		c.sync.done, c.sync.total = msg.done, msg.total
		return waitSync(c.sync.ch)
	case syncDoneMsg:
		c.sync.running = false
		cmds := []tea.Cmd{c.loadSyncStatus(), c.countOutbox()}
		if msg.err != nil {
			c.deps.Log.Warn("sync", "err", msg.err)
			// What the failure is, in words: a refused credential or an
			// untrusted certificate is not "cannot be reached".
			c.sync.note = c.t(client.Explain(msg.err))
		} else {
			c.sync.note = c.t("Head office has everything: %d sent, %d catalog changes.", msg.res.Pushed, msg.res.Pulled)
			if msg.res.Rejected > 0 {
				c.sync.note = c.t("%d sent; %d refused by head office and set aside (see till sync).", msg.res.Pushed, msg.res.Rejected)
			}
		}
		if msg.res.Pulled > 0 {
			cmds = append(cmds, c.loadCatalog()) // new prices and goods for search
		}
		return tea.Batch(cmds...)
	case syncTickMsg:
		return tea.Batch(c.startSync(), c.scheduleSync())
	case syncStatusMsg:
		if msg.err != nil {
			c.deps.Log.Error("sync status", "err", msg.err)
			return nil
		}
		c.sync.status = msg.st
	}
	return nil
}

// syncProblem is what kept the last sync from finishing, as recorded
// (it outlives a restart).
func (c *common) syncProblem() client.Problem {
	return client.DiagnoseRecorded(c.sync.status.LastError)
}

// syncLabel is the status line's word on head office.
func (c *common) syncLabel() string {
	s := c.sync.status
	switch {
	case c.deps.Sync == nil:
		return ""
	case c.sync.running:
		return c.t("syncing… · ")
	case s.SetAside > 0:
		return c.t("! %d refused · ", s.SetAside)
	case c.syncProblem() == client.ProblemCredential:
		return c.t("! hq refused key · ")
	case c.syncProblem() == client.ProblemCertificate:
		return c.t("! hq certificate · ")
	case s.LastSync.IsZero():
		return c.t("never synced · ")
	}
	return c.t("synced %s · ", s.LastSync.In(c.deps.Loc).Format("15:04"))
}

// syncView is the reports screen's lines about head office.
func (c *common) syncView(w int) []string {
	if c.deps.Sync == nil {
		return []string{c.st.dim.Render(c.t("No head office set up ([hq])."))}
	}
	if c.sync.running {
		pct := 0.0
		if c.sync.total > 0 {
			pct = float64(c.sync.done) / float64(c.sync.total)
		}
		if c.sync.total == 0 {
			// Nothing counted yet: head office has not answered.
			return []string{c.t("Connecting to head office…")}
		}
		c.sync.bar.SetWidth(min(40, max(10, w-24)))
		return []string{c.t("Sending to head office %d/%d ", c.sync.done, c.sync.total) + c.sync.bar.ViewAs(pct)}
	}
	var out []string
	switch {
	case c.sync.note != "":
		out = append(out, c.sync.note)
	case c.sync.status.LastError != "":
		// After a restart: what the last sync recorded.
		out = append(out, c.t(client.DiagnoseRecorded(c.sync.status.LastError).Explain()))
	}
	if n := c.sync.status.SetAside; n > 0 {
		out = append(out, c.st.warn.Render(c.t("! %d record(s) refused by head office are set aside; run till sync to see why.", n)))
	}
	return wrap(out, w)
}

// wrap breaks each line at spaces to fit w columns, so a sentence the
// cashier must read is never cut.
func wrap(lines []string, w int) []string {
	var out []string
	for _, l := range lines {
		out = append(out, strings.Split(ansi.Wrap(l, max(w, 10), ""), "\n")...)
	}
	return out
}
