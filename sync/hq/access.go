package hq

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/wire"
)

// reqInfo is what a request's handlers learn that its log line needs.
type reqInfo struct {
	terminal string // authenticated, or an enrolled terminal a refused credential named
	reason   string // why it was refused, in words for the log (never a secret)
	rejected int    // records of a push refused one by one
	authed   bool   // the credential was good
}

type infoKey struct{}

func infoOf(r *http.Request) *reqInfo {
	if ri, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{}
}

// noteRejected counts the records of a push that were refused one by one.
func noteRejected(r *http.Request, n int) { infoOf(r).rejected += n }

// countingBody counts the bytes a handler read of a request body.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

// logWriter records the status and size of an answer, and the message of
// an error answer (the reason, as the terminal was told it). An answer
// refusing a request that did not authenticate also closes the connection
// and stops reading its body: a stranger gets nothing to hold on to. (An
// enrolled terminal's 400, 403 or 413 keeps its connection.)
type logWriter struct {
	http.ResponseWriter
	ri     *reqInfo
	status int
	n      int64
	errMsg []byte
}

func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *logWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	if status >= 400 && status < 500 && (status == http.StatusUnauthorized || !w.ri.authed) {
		w.Header().Set("Connection", "close")
		_ = http.NewResponseController(w.ResponseWriter).SetReadDeadline(time.Now())
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *logWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.status >= 400 && len(w.errMsg) < 1024 {
		w.errMsg = append(w.errMsg, p[:min(len(p), 1024-len(w.errMsg))]...)
	}
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// logRequest writes the request's line: method, path, terminal, status,
// duration, bytes in and out, and for a refusal its reason. The
// credential and the query's values are never logged.
func (s *Server) logRequest(r *http.Request, w *logWriter, body *countingBody, ri *reqInfo, start time.Time) {
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	reason := ri.reason
	if reason == "" && status >= 400 {
		var e wire.Error
		if json.Unmarshal(w.errMsg, &e) == nil {
			reason = e.Error
		}
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("remote", r.RemoteAddr),
		slog.String("terminal", ri.terminal), slog.Int("status", status),
		slog.Duration("duration", time.Since(start)), slog.Int64("bytes_in", body.n), slog.Int64("bytes_out", w.n),
	}
	if reason != "" {
		attrs = append(attrs, slog.String("reason", reason))
	}
	if ri.rejected > 0 {
		attrs = append(attrs, slog.Int("rejected_records", ri.rejected))
	}
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelWarn
	}
	s.log.LogAttrs(context.Background(), level, "request", attrs...)
	if status >= 400 && status < 500 {
		s.tallies.add(ri.terminal, refusalKind(status, ri.reason), 1)
	}
	if ri.rejected > 0 {
		s.tallies.add(ri.terminal, "record rejected", int64(ri.rejected))
	}
}

// refusalKind is the tally's reason: a few fixed words, so the tallies
// stay small whatever the messages say.
func refusalKind(status int, authReason string) string {
	switch status {
	case http.StatusUnauthorized:
		if authReason != "" {
			return authReason
		}
		return "unauthorized"
	case http.StatusForbidden:
		return "push for another terminal"
	case http.StatusRequestEntityTooLarge:
		return "too large"
	case http.StatusBadRequest:
		return "malformed request"
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return "no such endpoint"
	}
	return http.StatusText(status)
}

// tallies counts refusals in memory until they are flushed to storage.
type tallies struct {
	mu sync.Mutex
	m  map[[2]string]*storage.Refusal
}

func (t *tallies) add(terminal, reason string, n int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[[2]string]*storage.Refusal{}
	}
	k := [2]string{terminal, reason}
	r := t.m[k]
	if r == nil {
		r = &storage.Refusal{Terminal: terminal, Reason: reason}
		t.m[k] = r
	}
	r.Count += n
	r.Last = time.Now().UTC()
}

func (t *tallies) take() []storage.Refusal {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]storage.Refusal, 0, len(t.m))
	for _, r := range t.m {
		out = append(out, *r)
	}
	t.m = nil
	sort.Slice(out, func(i, j int) bool {
		if out[i].Terminal != out[j].Terminal {
			return out[i].Terminal < out[j].Terminal
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// FlushRefusals adds the refusals counted since the last flush to the
// tallies in storage (which `till hq terminals` shows). Serve does it
// every few seconds and when it stops.
func (s *Server) FlushRefusals(ctx context.Context) error {
	rs := s.tallies.take()
	if len(rs) == 0 {
		return nil
	}
	if err := s.store.AddRefusals(ctx, rs); err != nil {
		for _, r := range rs { // keep them for the next flush
			s.tallies.add(r.Terminal, r.Reason, r.Count)
		}
		return err
	}
	return nil
}
