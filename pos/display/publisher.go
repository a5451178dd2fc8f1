package display

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SocketPath is where the counter beside database dbPath publishes.
func SocketPath(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "display.sock")
}

// WriteTimeout is how long a reader may take to accept one snapshot
// before it is dropped.
var WriteTimeout = 2 * time.Second

// Publisher hands the latest snapshot to every reader. Publish never
// blocks: each reader has room for one pending snapshot, and a newer one
// replaces it, so a slow reader skips states instead of slowing the
// counter; a reader that stops reading is disconnected.
type Publisher struct {
	Log *slog.Logger

	mu     sync.Mutex
	latest []byte // JSON line of the latest snapshot
	last   Snapshot
	seq    uint64
	subs   map[*sub]struct{}
	ln     net.Listener
	path   string
	closed bool
	wg     sync.WaitGroup
}

type sub struct {
	ch   chan []byte   // socket readers: JSON lines
	snap chan Snapshot // in-process readers
	done chan struct{}
	once sync.Once
}

func (s *sub) stop() { s.once.Do(func() { close(s.done) }) }

// NewPublisher is a publisher with in-process readers only.
func NewPublisher() *Publisher {
	return &Publisher{subs: map[*sub]struct{}{}, Log: slog.New(slog.DiscardHandler)}
}

// Listen publishes on a unix socket at path (mode 0600). A stale socket
// left by a crash is replaced; one that answers belongs to a running
// till and is an error.
func Listen(path string) (*Publisher, error) {
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return nil, fmt.Errorf("customer display socket %s is in use by another till", path)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("customer display socket %s: a file that is not a socket is in the way", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("customer display socket: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("customer display socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("customer display socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("customer display socket: %w", err)
	}
	p := NewPublisher()
	p.ln, p.path = ln, path
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Path is the socket's path ("" without one).
func (p *Publisher) Path() string { return p.path }

func (p *Publisher) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s := &sub{ch: make(chan []byte, 1), done: make(chan struct{})}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			return
		}
		if p.latest != nil {
			s.ch <- p.latest
		}
		p.subs[s] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(c, s)
	}
}

// serve writes snapshots to one reader until it fails or falls behind.
// It never reads: the socket is one-way, and nothing a reader sends can
// change the counter.
func (p *Publisher) serve(c net.Conn, s *sub) {
	defer p.wg.Done()
	defer p.drop(s)
	defer c.Close()
	for {
		select {
		case <-s.done:
			return
		case b := <-s.ch:
			_ = c.SetWriteDeadline(time.Now().Add(WriteTimeout))
			if _, err := c.Write(b); err != nil {
				p.Log.Info("customer display dropped", "err", err)
				return
			}
		}
	}
}

func (p *Publisher) drop(s *sub) {
	p.mu.Lock()
	delete(p.subs, s)
	p.mu.Unlock()
	s.stop()
}

// Readers is the number of connected readers.
func (p *Publisher) Readers() int {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.subs)
}

// Publish sends s to every reader without waiting for any. On a nil
// publisher (no display) it does nothing.
func (p *Publisher) Publish(s Snapshot) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.seq++
	s.Seq = p.seq
	if s.At.IsZero() {
		s.At = time.Now()
	}
	b, err := json.Marshal(s)
	if err != nil {
		p.Log.Warn("customer display snapshot", "err", err)
		return
	}
	b = append(b, '\n')
	p.latest, p.last = b, s
	for r := range p.subs {
		if r.ch != nil {
			replace(r.ch, b)
		} else {
			replace(r.snap, s)
		}
	}
}

// replace puts v in the one-slot channel ch, displacing what was there.
func replace[T any](ch chan T, v T) {
	for {
		select {
		case ch <- v:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// Subscribe is an in-process reader (the pole display): it gets the
// latest snapshot at once and every newer one it has time for. cancel
// ends it.
func (p *Publisher) Subscribe() (snaps <-chan Snapshot, cancel func()) {
	s := &sub{snap: make(chan Snapshot, 1), done: make(chan struct{})}
	p.mu.Lock()
	if p.latest != nil {
		s.snap <- p.last
	}
	p.subs[s] = struct{}{}
	p.mu.Unlock()
	out := make(chan Snapshot)
	go func() {
		defer close(out)
		for {
			select {
			case <-s.done:
				return
			case v := <-s.snap:
				select {
				case out <- v:
				case <-s.done:
					return
				}
			}
		}
	}()
	return out, func() { p.drop(s) }
}

// Close disconnects every reader and removes the socket.
func (p *Publisher) Close() error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	for s := range p.subs {
		s.stop()
	}
	p.mu.Unlock()
	var err error
	if p.ln != nil {
		err = p.ln.Close()
	}
	p.wg.Wait()
	return err
}
