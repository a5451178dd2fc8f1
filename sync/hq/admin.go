package hq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tillpos/till/i18n"
)

// The admin socket lets `till hq revoke|enrol|terminals|import|report`
// reach a running head office whose bbolt file it holds locked: a unix
// socket beside the file (AdminSocketFor), mode 0600, and on Linux
// answering only a peer of the same user (SO_PEERCRED). It speaks HTTP;
// each call runs the same function the command would run on the storage
// and answers with its output. A revocation through it is in storage when
// the call returns, and every request authenticates against storage, so
// the next request of the revoked terminal is refused, on an open
// keep-alive connection too.

// AdminSocketFor is where the admin socket of a head office with this
// storage lives: beside a bbolt file. PostgreSQL needs none (every
// command opens the database alongside the server), so it is "".
func AdminSocketFor(spec string) string {
	if strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://") || strings.Contains(spec, "=") {
		return ""
	}
	return spec + ".sock"
}

// ErrNoAdmin means no head office answers on the admin socket.
var ErrNoAdmin = errors.New("no running head office on the admin socket")

type adminServer struct {
	ln   net.Listener
	srv  *http.Server
	path string
}

func listenAdmin(path string, s *Server) (*adminServer, error) {
	if len(path) > 100 {
		return nil, fmt.Errorf("admin socket %s: path too long for a unix socket; put the storage in a shorter path", path)
	}
	if _, err := os.Stat(path); err == nil {
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("admin socket %s: another head office is serving this storage", path)
		}
		_ = os.Remove(path) // left by a head office that did not stop cleanly
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	a := &adminServer{ln: &ownerListener{ln}, path: path}
	mux := http.NewServeMux()
	run := func(fn func(r *http.Request, w io.Writer) error) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var out bytes.Buffer
			if err := fn(r, &out); err != nil {
				s.log.Warn("admin", "path", r.URL.Path, "err", err)
				http.Error(w, err.Error(), http.StatusUnprocessableEntity)
				return
			}
			s.log.Info("admin", "path", r.URL.Path, "store", r.URL.Query().Get("store"), "terminal", r.URL.Query().Get("terminal"))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(out.Bytes())
		}
	}
	// Each call's output is in the language the command line asked for.
	lang := func(r *http.Request) *i18n.Printer { return i18n.New(i18n.Lang(r.URL.Query().Get("lang"))) }
	mux.HandleFunc("GET /ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("POST /enrol", run(func(r *http.Request, w io.Writer) error {
		_, err := Enrol(r.Context(), s.store, lang(r), r.URL.Query().Get("store"), r.URL.Query().Get("terminal"), w)
		return err
	}))
	mux.HandleFunc("POST /revoke", run(func(r *http.Request, w io.Writer) error {
		return Revoke(r.Context(), s.store, lang(r), r.URL.Query().Get("terminal"), w)
	}))
	mux.HandleFunc("GET /terminals", run(func(r *http.Request, w io.Writer) error {
		if err := s.FlushRefusals(r.Context()); err != nil {
			return err
		}
		return ListTerminals(r.Context(), s.store, lang(r), w)
	}))
	mux.HandleFunc("POST /import", run(func(r *http.Request, w io.Writer) error {
		q := r.URL.Query()
		exp, err := strconv.Atoi(q.Get("exponent"))
		if err != nil {
			return fmt.Errorf("exponent: %w", err)
		}
		_, err = ImportCSV(r.Context(), s.store, lang(r), q.Get("store"), r.Body, exp, q.Get("replace") == "1", w)
		return err
	}))
	mux.HandleFunc("GET /report", run(func(r *http.Request, w io.Writer) error {
		q := r.URL.Query()
		loc := time.Local
		if z := q.Get("zone"); z != "" && z != "Local" {
			l, err := time.LoadLocation(z)
			if err != nil {
				return fmt.Errorf("zone: %w", err)
			}
			loc = l
		}
		day, err := time.ParseInLocation(time.DateOnly, q.Get("date"), loc)
		if err != nil {
			return fmt.Errorf("date: %w", err)
		}
		return WriteReport(r.Context(), s.store, lang(r), day, q.Get("csv") == "1", w)
	}))
	a.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go a.srv.Serve(a.ln)
	return a, nil
}

func (a *adminServer) close() {
	a.srv.Close()
	os.Remove(a.path)
}

// ownerListener accepts only peers of this process's user, where the
// system says who the peer is.
type ownerListener struct{ net.Listener }

func (l *ownerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if sameUser(c) {
			return c, nil
		}
		c.Close()
	}
}

// Admin runs the admin commands on a running head office through its
// admin socket.
type Admin struct {
	hc *http.Client
}

// DialAdmin connects to the admin socket at path; ErrNoAdmin if no head
// office answers there.
func DialAdmin(ctx context.Context, path string) (*Admin, error) {
	if path == "" {
		return nil, ErrNoAdmin
	}
	if _, err := os.Stat(path); err != nil {
		return nil, ErrNoAdmin
	}
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}}
	a := &Admin{hc: &http.Client{Transport: tr}}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.call(pctx, http.MethodGet, "/ping", nil, nil, io.Discard); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoAdmin, err)
	}
	return a, nil
}

func (a *Admin) call(ctx context.Context, method, path string, q url.Values, body io.Reader, w io.Writer) error {
	u := "http://admin" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return fmt.Errorf("head office admin socket: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return errors.New(strings.TrimSpace(string(msg)))
	}
	_, err = io.Copy(w, resp.Body)
	return err
}

// Enrol is hq.Enrol on the running head office.
func (a *Admin) Enrol(ctx context.Context, p *i18n.Printer, store, terminal string, w io.Writer) error {
	return a.call(ctx, http.MethodPost, "/enrol", url.Values{"store": {store}, "terminal": {terminal}, "lang": {string(p.Lang())}}, nil, w)
}

// Revoke is hq.Revoke on the running head office: the terminal's next
// request is refused.
func (a *Admin) Revoke(ctx context.Context, p *i18n.Printer, terminal string, w io.Writer) error {
	return a.call(ctx, http.MethodPost, "/revoke", url.Values{"terminal": {terminal}, "lang": {string(p.Lang())}}, nil, w)
}

// ListTerminals is hq.ListTerminals on the running head office, with the
// refusals counted up to now.
func (a *Admin) ListTerminals(ctx context.Context, p *i18n.Printer, w io.Writer) error {
	return a.call(ctx, http.MethodGet, "/terminals", url.Values{"lang": {string(p.Lang())}}, nil, w)
}

// ImportCSV is hq.ImportCSV on the running head office.
func (a *Admin) ImportCSV(ctx context.Context, p *i18n.Printer, store string, r io.Reader, exponent int, replace bool, w io.Writer) error {
	q := url.Values{"store": {store}, "exponent": {strconv.Itoa(exponent)}, "lang": {string(p.Lang())}}
	if replace {
		q.Set("replace", "1")
	}
	return a.call(ctx, http.MethodPost, "/import", q, r, w)
}

// WriteReport is hq.WriteReport on the running head office, for the day
// containing day in day's zone, in p's language.
func (a *Admin) WriteReport(ctx context.Context, p *i18n.Printer, day time.Time, asCSV bool, w io.Writer) error {
	q := url.Values{"date": {day.Format(time.DateOnly)}, "zone": {day.Location().String()}, "lang": {string(p.Lang())}}
	if asCSV {
		q.Set("csv", "1")
	}
	return a.call(ctx, http.MethodGet, "/report", q, nil, w)
}
