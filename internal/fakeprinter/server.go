package fakeprinter

import (
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/pos/escpos"
)

// Mode is how the fake printer behaves.
type Mode int

const (
	Normal   Mode = iota
	Refuse        // nothing listens: connections are refused
	HangUp        // close the connection after HangUpAfter bytes
	PaperOut      // answer DLE EOT with paper out (and print nothing)
	Silent        // never answer DLE EOT, like a one-way printer
)

// Printer is a fake network printer on 127.0.0.1.
type Printer struct {
	addr string

	mu          sync.Mutex
	ln          net.Listener
	mode        Mode
	hangUpAfter int
	jobs        []Job
	notify      chan struct{}
	wg          sync.WaitGroup
}

// Start listens on a free loopback port; t.Cleanup stops it.
func Start(t testing.TB) *Printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Printer{addr: ln.Addr().String(), ln: ln, notify: make(chan struct{}, 1)}
	p.serve(ln)
	t.Cleanup(p.Close)
	return p
}

// Addr is host:port to print to.
func (p *Printer) Addr() string { return p.addr }

// SetMode changes the behaviour for the next connections. Refuse closes
// the listener; any other mode listens again on the same address.
func (p *Printer) SetMode(m Mode, hangUpAfter int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode, p.hangUpAfter = m, hangUpAfter
	if m == Refuse {
		if p.ln != nil {
			p.ln.Close()
			p.ln = nil
		}
		return nil
	}
	if p.ln == nil {
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			return err
		}
		p.ln = ln
		p.serve(ln)
	}
	return nil
}

// Close stops listening and waits for open connections to end.
func (p *Printer) Close() {
	p.mu.Lock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *Printer) serve(ln net.Listener) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.handle(c)
			}()
		}
	}()
}

func (p *Printer) handle(c net.Conn) {
	defer c.Close()
	p.mu.Lock()
	mode, after := p.mode, p.hangUpAfter
	p.mu.Unlock()
	status := escpos.Status{}
	if mode == PaperOut {
		status.PaperOut = true
	}
	ps := newParser(func(n byte) {
		if mode != Silent {
			c.Write([]byte{status.Answer(n)})
		}
	})
	var buf []byte
	chunk := make([]byte, 4096)
	total := 0
	for {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := c.Read(chunk)
		if mode == HangUp && total+n >= after {
			n = max(0, after-total)
			err = errors.New("hang up")
		}
		total += n
		buf = append(buf, chunk[:n]...)
		used := ps.feed(buf)
		buf = buf[used:]
		if err != nil {
			break
		}
	}
	ps.flush()
	job := ps.job
	if mode == PaperOut { // a printer out of paper prints nothing
		job = Job{Requests: job.Requests, Bytes: job.Bytes}
	}
	p.mu.Lock()
	p.jobs = append(p.jobs, job)
	p.mu.Unlock()
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

// Jobs returns the jobs received so far, one per connection.
func (p *Printer) Jobs() []Job {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Job(nil), p.jobs...)
}

// Wait waits until at least n jobs have been received, or d has passed.
func (p *Printer) Wait(n int, d time.Duration) ([]Job, bool) {
	deadline := time.After(d)
	for {
		if j := p.Jobs(); len(j) >= n {
			return j, true
		}
		select {
		case <-p.notify:
		case <-deadline:
			return p.Jobs(), false
		}
	}
}
