package client_test

import (
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

// proxy is a TCP proxy for fault tests: it forwards to a target and, at
// random, cuts a connection part-way through the request or the answer,
// and delays what comes back. It listens on loopback only and stops when
// the test ends.
type proxy struct {
	ln       net.Listener
	target   string
	drop     float64       // chance that a connection is cut inside a chunk
	maxDelay time.Duration // most delay added to each chunk of an answer

	mu    sync.Mutex
	rng   *rand.Rand
	conns map[net.Conn]bool
	wg    sync.WaitGroup
	cuts  int // connections cut, so a test can tell faults happened
}

func startProxy(t *testing.T, target string, seed uint64, drop float64, maxDelay time.Duration) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, drop: drop, maxDelay: maxDelay,
		rng: rand.New(rand.NewPCG(seed, 99)), conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *proxy) serve(c net.Conn) {
	defer p.wg.Done()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	done := make(chan struct{})
	go func() { p.pipe(up, c, false); close(done) }()
	p.pipe(c, up, true)
	<-done
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

// fate decides what happens to a chunk: how much of it to pass before
// cutting the connection (-1: all of it, no cut), and how long to hold it.
func (p *proxy) fate(n int, answer bool) (pass int, delay time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pass = -1
	if p.rng.Float64() < p.drop {
		p.cuts++
		pass = p.rng.IntN(n)
	}
	if answer {
		delay = time.Duration(p.rng.Int64N(int64(p.maxDelay) + 1))
	}
	return pass, delay
}

// pipe copies src to dst chunk by chunk, delaying answers and cutting
// both connections part-way through a chunk when fate says so; when
// either side ends, both connections close.
func (p *proxy) pipe(dst, src net.Conn, answer bool) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		k, err := src.Read(buf)
		if k > 0 {
			pass, delay := p.fate(k, answer)
			time.Sleep(delay)
			if pass >= 0 {
				dst.Write(buf[:pass])
				return
			}
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Cuts returns how many connections the proxy has cut.
func (p *proxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
