package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
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
func (m *Model) startSync() tea.Cmd {
	if m.d.Sync == nil || m.sync.running {
		return nil
	}
	ch := make(chan tea.Msg, 64)
	m.sync.running, m.sync.done, m.sync.total, m.sync.ch = true, 0, 0, ch
	run, ctx := m.d.Sync, m.d.Ctx
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

func (m *Model) loadSyncStatus() tea.Cmd {
	st := m.d.Store
	return func() tea.Msg {
		s, err := st.SyncStatus()
		return syncStatusMsg{st: s, err: err}
	}
}

func (m *Model) scheduleSync() tea.Cmd {
	if m.d.Sync == nil || m.d.SyncEvery <= 0 {
		return nil
	}
	return m.tick(m.d.SyncEvery, func(time.Time) tea.Msg { return syncTickMsg{} })
}

func (m *Model) syncResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case syncProgressMsg:
		m.sync.done, m.sync.total = msg.done, msg.total
		return waitSync(m.sync.ch)
	case syncDoneMsg:
		m.sync.running = false
		cmds := []tea.Cmd{m.loadSyncStatus(), m.countOutbox()}
		if msg.err != nil {
			m.d.Log.Warn("sync", "err", msg.err)
			m.sync.note = "Head office cannot be reached; the sales are safe here and will be sent later."
		} else {
			m.sync.note = fmt.Sprintf("Head office has everything: %d sent, %d catalog changes.", msg.res.Pushed, msg.res.Pulled)
			if msg.res.Rejected > 0 {
				m.sync.note = fmt.Sprintf("%d sent; %d refused by head office and set aside (see till sync).", msg.res.Pushed, msg.res.Rejected)
			}
		}
		if msg.res.Pulled > 0 {
			cmds = append(cmds, m.loadCatalog()) // new prices and goods for search
		}
		if m.screen == scrReports {
			m.info("%s", m.sync.note)
		}
		return tea.Batch(cmds...)
	case syncTickMsg:
		return tea.Batch(m.startSync(), m.scheduleSync())
	case syncStatusMsg:
		if msg.err != nil {
			m.d.Log.Error("sync status", "err", msg.err)
			return nil
		}
		m.sync.status = msg.st
	}
	return nil
}

// syncLabel is the status line's word on head office.
func (m *Model) syncLabel() string {
	s := m.sync.status
	switch {
	case m.d.Sync == nil:
		return ""
	case m.sync.running:
		return "syncing… · "
	case s.SetAside > 0:
		return fmt.Sprintf("! %d refused · ", s.SetAside)
	case s.LastSync.IsZero():
		return "never synced · "
	}
	return "synced " + s.LastSync.In(m.d.Loc).Format("15:04") + " · "
}

// syncView is the reports screen's lines about head office.
func (m *Model) syncView(w int) []string {
	if m.d.Sync == nil {
		return []string{stDim.Render("No head office set up ([hq]).")}
	}
	if m.sync.running {
		pct := 0.0
		if m.sync.total > 0 {
			pct = float64(m.sync.done) / float64(m.sync.total)
		}
		m.sync.bar.SetWidth(min(40, max(10, w-24)))
		return []string{fmt.Sprintf("Sending to head office %d/%d ", m.sync.done, m.sync.total) + m.sync.bar.ViewAs(pct)}
	}
	var out []string
	if m.sync.note != "" {
		out = append(out, m.sync.note)
	}
	if n := m.sync.status.SetAside; n > 0 {
		out = append(out, stWarn.Render(fmt.Sprintf("! %d record(s) refused by head office are set aside; run till sync to see why.", n)))
	}
	return out
}
