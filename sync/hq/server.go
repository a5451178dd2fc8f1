// Package hq is head office: the HTTP server terminals sync with, terminal
// enrolment, catalog import and the chain's reports. Its storage is a
// storage.Backend: a bbolt file by default, PostgreSQL for chains.
//
// The functions the command line calls take their output as an io.Writer:
// Open (the storage), Serve, Enrol, Revoke, ListTerminals, ImportCSV and
// WriteReport (or BuildReport with Report.WriteText and Report.WriteCSV),
// OpenLog for the server's log. While Serve runs on a bbolt file, the same
// commands reach it through its admin socket (AdminSocketFor, DialAdmin).
// See package wire for the protocol.
package hq

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/wire"
)

// Server answers terminals. It is an http.Handler.
type Server struct {
	store       storage.Backend
	log         *slog.Logger
	maxBody     int64
	bodyTimeout time.Duration
	mux         *http.ServeMux
	tallies     tallies
}

// Options tune NewServer.
type Options struct {
	Logger  *slog.Logger // default: discard
	MaxBody int64        // default wire.MaxBody
	// BodyTimeout bounds the time to read an authenticated request's
	// body (default 30s; 8 MiB at 2.2 Mbit/s).
	BodyTimeout time.Duration
}

// NewServer returns a server over the given storage.
func NewServer(b storage.Backend, opt Options) *Server {
	s := &Server{store: b, log: opt.Logger, maxBody: opt.MaxBody, bodyTimeout: opt.BodyTimeout}
	if s.bodyTimeout <= 0 {
		s.bodyTimeout = 30 * time.Second
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = wire.MaxBody
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+wire.PathPush, s.authed(s.push))
	s.mux.HandleFunc("GET "+wire.PathCatalog, s.authed(s.catalog))
	s.mux.HandleFunc("GET "+wire.PathWhoAmI, s.authed(s.whoami))
	s.mux.HandleFunc("GET "+wire.PathHealth, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	return s
}

// ServeHTTP implements http.Handler. Every request is logged (see
// logRequest). A panic in a handler becomes a 500, which the terminal
// retries; nothing half-done is acknowledged.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ri := &reqInfo{}
	body := &countingBody{ReadCloser: r.Body}
	r.Body = body
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
	lw := &logWriter{ResponseWriter: w, ri: ri}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				s.logRequest(r, lw, body, ri, start)
				panic(v)
			}
			s.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
			writeError(lw, http.StatusInternalServerError, "internal error")
		}
		s.logRequest(r, lw, body, ri, start)
	}()
	s.mux.ServeHTTP(lw, r)
}

type handler func(w http.ResponseWriter, r *http.Request, t storage.Terminal)

// authed runs h for a request with a valid credential, checked from the
// headers before any of the body is read. Anything else is 401 at once,
// and the connection is closed without reading the body (logWriter), so
// a stranger cannot hold it by trickling one. An authenticated request
// has BodyTimeout to send its body, and marks its connection as a
// terminal's, which the connection limit never drops.
func (s *Server) authed(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ri := infoOf(r)
		t, err := s.authenticate(r, ri)
		switch {
		case errors.Is(err, errUnauthorized):
			w.Header().Set("WWW-Authenticate", `Bearer realm="till"`)
			writeError(w, http.StatusUnauthorized, err.Error())
			return
		case err != nil:
			s.log.Error("authenticate", "err", err)
			writeError(w, http.StatusServiceUnavailable, "head office storage unavailable; try again")
			return
		}
		ri.authed = true
		if tc := connOf(r.Context()); tc != nil {
			tc.trusted.Store(true)
		}
		if r.ContentLength != 0 {
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.bodyTimeout))
		}
		h(w, r, t)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	w.Write(data)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, wire.Error{Error: msg})
}

func (s *Server) whoami(w http.ResponseWriter, _ *http.Request, t storage.Terminal) {
	writeJSON(w, http.StatusOK, wire.WhoAmI{Terminal: t.ID, Store: t.Store})
}

// Config is what Serve needs.
type Config struct {
	// Addr is host:port to listen on, e.g. "127.0.0.1:8443" or ":8443".
	Addr string
	// CertFile and KeyFile, both or neither, turn on TLS.
	CertFile, KeyFile string
	// AllowInsecure permits plain HTTP on an address other than loopback,
	// say behind a TLS-terminating proxy on the same host. Without it,
	// Serve refuses.
	AllowInsecure bool
	Storage       storage.Backend
	// Logger gets a line for every request and every refusal (see
	// NewServer); default: discard.
	Logger *slog.Logger
	// MaxConns and MaxConnsPerAddr cap the connections held (default
	// 1024 and 128): past a cap the oldest connection that has carried no
	// authenticated request is closed, so enrolled terminals are served
	// whatever strangers do. BodyTimeout is Options.BodyTimeout.
	MaxConns, MaxConnsPerAddr int
	BodyTimeout               time.Duration
	// ReadHeaderTimeout bounds the time to send a request's headers
	// (default 10s).
	ReadHeaderTimeout time.Duration
	// AdminSocket, if set, is the path of a unix socket (mode 0600, for
	// this user only) on which the admin commands reach the running head
	// office; see DialAdmin.
	AdminSocket string
	// Listening, if set, is told the address once the server listens.
	Listening func(addr net.Addr)
}

// Serve answers terminals until ctx is done, then stops taking requests
// and gives those in flight up to ten seconds to finish.
func Serve(ctx context.Context, cfg Config) error {
	if cfg.Storage == nil {
		return errors.New("serve: no storage")
	}
	if (cfg.CertFile == "") != (cfg.KeyFile == "") {
		return errors.New("serve: TLS needs both a certificate file and a key file")
	}
	tlsOn := cfg.CertFile != ""
	if !tlsOn && !cfg.AllowInsecure {
		if err := checkLoopback(cfg.Addr); err != nil {
			return err
		}
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 1024
	}
	if cfg.MaxConnsPerAddr <= 0 {
		cfg.MaxConnsPerAddr = 128
	}
	if cfg.ReadHeaderTimeout <= 0 {
		cfg.ReadHeaderTimeout = 10 * time.Second
	}
	hs := NewServer(cfg.Storage, Options{Logger: cfg.Logger, BodyTimeout: cfg.BodyTimeout})
	srv := &http.Server{
		Handler:           hs,
		ConnContext:       withConn,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
	if cfg.Logger != nil {
		srv.ErrorLog = slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn)
	}
	tcp, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln := newLimitListener(tcp, cfg.MaxConns, cfg.MaxConnsPerAddr)
	var admin *adminServer
	if cfg.AdminSocket != "" {
		if admin, err = listenAdmin(cfg.AdminSocket, hs); err != nil {
			ln.Close()
			return fmt.Errorf("serve: %w", err)
		}
		defer admin.close()
	}
	if cfg.Listening != nil {
		cfg.Listening(ln.Addr())
	}
	hs.log.Info("serving", "addr", ln.Addr().String(), "tls", tlsOn, "max_conns", cfg.MaxConns, "max_conns_per_addr", cfg.MaxConnsPerAddr)
	done := make(chan error, 1)
	go func() {
		if tlsOn {
			done <- srv.ServeTLS(ln, cfg.CertFile, cfg.KeyFile)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	flush := time.NewTicker(5 * time.Second)
	defer flush.Stop()
	defer func() {
		if err := hs.FlushRefusals(context.Background()); err != nil {
			hs.log.Error("flush refusal tallies", "err", err)
		}
	}()
loop:
	for {
		select {
		case err := <-done:
			return fmt.Errorf("serve: %w", err)
		case <-ctx.Done():
			break loop
		case <-flush.C:
			if err := hs.FlushRefusals(ctx); err != nil {
				hs.log.Error("flush refusal tallies", "err", err)
			}
		}
	}
	hs.log.Info("stopping", "connections_dropped_at_the_caps", ln.evicted.Load())
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("serve: shut down: %w", err)
	}
	return nil
}

// checkLoopback refuses plain HTTP beyond this machine: credentials and
// sales would cross the network in clear text.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("serve: address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	shown := host
	if shown == "" {
		shown = "every interface"
	}
	return fmt.Errorf("serve: refusing plain HTTP on %s (%q is not a loopback address): credentials and sales "+
		"would cross the network unencrypted; give a TLS certificate and key, listen on 127.0.0.1, "+
		"or allow insecure HTTP explicitly if a TLS proxy on this host fronts it", shown, addr)
}
