package hq

import (
	"container/list"
	"context"
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"
)

// limitListener caps the connections head office holds, in total and
// per remote address. When a new connection would pass a cap, the oldest
// connection that has not yet carried an authenticated request is closed
// to make room (a stranger's, or one still sending its first headers);
// a terminal's connection is never dropped for a stranger's. If every
// connection is a terminal's, the new one is refused instead.
type limitListener struct {
	net.Listener
	max, perAddr int

	mu      sync.Mutex
	order   *list.List // of *trackedConn, oldest first
	byAddr  map[string]int
	evicted atomic.Int64
}

func newLimitListener(ln net.Listener, max, perAddr int) *limitListener {
	return &limitListener{Listener: ln, max: max, perAddr: perAddr, order: list.New(), byAddr: map[string]int{}}
}

type trackedConn struct {
	net.Conn
	l       *limitListener
	host    string
	el      *list.Element
	trusted atomic.Bool // carried an authenticated request
	once    sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.order.Remove(c.el)
		if c.l.byAddr[c.host]--; c.l.byAddr[c.host] <= 0 {
			delete(c.l.byAddr, c.host)
		}
		c.l.mu.Unlock()
	})
	return err
}

func hostOf(a net.Addr) string {
	if h, _, err := net.SplitHostPort(a.String()); err == nil {
		return h
	}
	return a.String()
}

// oldestUntrusted is the oldest connection not known to be a terminal's,
// from host if host is given. l.mu is held.
func (l *limitListener) oldestUntrusted(host string) *trackedConn {
	for e := l.order.Front(); e != nil; e = e.Next() {
		c := e.Value.(*trackedConn)
		if !c.trusted.Load() && (host == "" || c.host == host) {
			return c
		}
	}
	return nil
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := hostOf(c.RemoteAddr())
		l.mu.Lock()
		var victim *trackedConn
		refuse := false
		switch {
		case l.perAddr > 0 && l.byAddr[host] >= l.perAddr:
			victim = l.oldestUntrusted(host)
			refuse = victim == nil
		case l.max > 0 && l.order.Len() >= l.max:
			victim = l.oldestUntrusted("")
			refuse = victim == nil
		}
		if refuse {
			l.mu.Unlock()
			c.Close()
			l.evicted.Add(1)
			continue
		}
		tc := &trackedConn{Conn: c, l: l, host: host}
		tc.el = l.order.PushBack(tc)
		l.byAddr[host]++
		l.mu.Unlock()
		if victim != nil {
			victim.Close()
			l.evicted.Add(1)
		}
		return tc, nil
	}
}

// open is how many connections are held.
func (l *limitListener) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

type connKey struct{}

// withConn is the server's ConnContext: it lets a handler find its
// connection, to mark it a terminal's.
func withConn(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tc, ok := c.(*trackedConn); ok {
		return context.WithValue(ctx, connKey{}, tc)
	}
	return ctx
}

func connOf(ctx context.Context) *trackedConn {
	tc, _ := ctx.Value(connKey{}).(*trackedConn)
	return tc
}
