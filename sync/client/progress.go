package client

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/tillpos/till/i18n"
)

// Meter shows a sync's progress on a terminal: one line, rewritten in
// place, with how many records are sent and, while head office is slow
// to answer, how long it has been waited for. Its Progress method is a
// Config.Progress.
type Meter struct {
	w       io.Writer
	mu      sync.Mutex
	done    int
	total   int
	since   time.Time // the last progress
	stop    chan struct{}
	stopped sync.WaitGroup
	now     func() time.Time
	p       *i18n.Printer
}

// NewMeter starts a meter that redraws its line on w every tick (a
// second on a real terminal), in p's language. Stop it before writing
// anything else to w.
func NewMeter(w io.Writer, tick time.Duration, p *i18n.Printer) *Meter {
	m := &Meter{w: w, stop: make(chan struct{}), now: time.Now, p: p}
	m.since = m.now()
	m.draw()
	m.stopped.Add(1)
	go func() {
		defer m.stopped.Done()
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.draw()
			}
		}
	}()
	return m
}

// Progress records that done of total outbox records are through.
func (m *Meter) Progress(done, total int) {
	m.mu.Lock()
	m.done, m.total, m.since = done, total, m.now()
	m.mu.Unlock()
	m.draw()
}

func (m *Meter) draw() {
	m.mu.Lock()
	defer m.mu.Unlock()
	line := m.p.T("syncing with head office")
	if m.total > 0 {
		line = m.p.T("sent %d of %d", m.done, m.total)
	}
	if wait := m.now().Sub(m.since).Truncate(time.Second); wait >= time.Second {
		line += m.p.T(", waiting for head office %s", wait)
	}
	fmt.Fprintf(m.w, "\r\x1b[K%s", line)
}

// Stop stops redrawing and ends the line.
func (m *Meter) Stop() {
	close(m.stop)
	m.stopped.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(m.w)
}
