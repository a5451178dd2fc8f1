package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/tillpos/till/sync/wire"
)

// conn talks to head office for one sync.
type conn struct {
	cfg      Config
	terminal string
	// answered is called whenever head office answers, to move the
	// sync's deadline on.
	answered func()
}

// statusError is a non-2xx answer.
type statusError struct {
	status int
	msg    string
	// chainSeq is head office's wire.HeaderChainSeq on a 409 to a push.
	chainSeq uint64
}

func (e *statusError) Error() string {
	return fmt.Sprintf("head office answered %d %s: %s", e.status, http.StatusText(e.status), e.msg)
}

// transient reports whether trying again later may succeed: network
// trouble, timeouts, a server error or overload. 4xx answers other than
// 408 and 429 are final.
func transient(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.status >= 500 || se.status == http.StatusTooManyRequests || se.status == http.StatusRequestTimeout
	}
	return errors.Is(err, ErrTransport)
}

// ErrTransport marks failures of the connection rather than answers: a
// refused, dropped or timed-out connection, or a garbled answer.
var ErrTransport = errors.New("connection trouble")

// do sends a request, retrying transient failures with exponential
// backoff and full jitter, and decodes a 200 answer into out. body is
// resent as is on every attempt: pushes are idempotent.
func (c *conn) do(ctx context.Context, method, path string, body []byte, out any) error {
	var err error
	for attempt := 0; ; attempt++ {
		var retryAfter time.Duration
		retryAfter, err = c.once(ctx, method, path, body, out)
		if err == nil || ctx.Err() != nil || !transient(err) {
			break
		}
		if attempt+1 >= c.cfg.Attempts {
			err = fmt.Errorf("gave up after %d attempts: %w", attempt+1, err)
			break
		}
		wait := backoff(attempt, c.cfg.MinBackoff, c.cfg.MaxBackoff)
		wait = max(wait, min(retryAfter, c.cfg.MaxBackoff))
		c.cfg.Logger.Debug("sync retry", "path", path, "attempt", attempt+1, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s %s: %w (last error: %v)", method, path, ctx.Err(), err)
		case <-t.C:
		}
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// backoff is a random wait in [0, min(max, base*2^attempt)].
func backoff(attempt int, base, maxWait time.Duration) time.Duration {
	ceil := maxWait
	if attempt < 30 && base<<attempt < maxWait {
		ceil = base << attempt
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

func (c *conn) once(ctx context.Context, method, path string, body []byte, out any) (time.Duration, error) {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.URL+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		var certErr *tls.CertificateVerificationError
		if errors.As(err, &certErr) {
			// Not the network: head office's certificate is not the one
			// configured. Trying again will not help.
			return 0, fmt.Errorf("head office's TLS certificate is not trusted (configure its CA file): %w", err)
		}
		if parent.Err() == nil {
			// The request's own timeout, a refused or dropped connection:
			// all worth another try.
			if ctx.Err() != nil {
				return 0, fmt.Errorf("%w: no answer in %v", ErrTransport, c.cfg.RequestTimeout)
			}
			return 0, fmt.Errorf("%w: %v", ErrTransport, err)
		}
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return 0, fmt.Errorf("%w: read answer: %v", ErrTransport, err)
	}

	if resp.StatusCode != http.StatusOK {
		var e wire.Error
		msg := string(data)
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		if len(msg) > 300 {
			msg = msg[:300]
		}
		var ra time.Duration
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			ra = time.Duration(s) * time.Second
		}
		se := &statusError{status: resp.StatusCode, msg: msg}
		se.chainSeq, _ = strconv.ParseUint(resp.Header.Get(wire.HeaderChainSeq), 10, 64)
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			return 0, fmt.Errorf("%w: %v", ErrUnauthorized, se)
		case http.StatusBadRequest, http.StatusForbidden:
			return 0, fmt.Errorf("%w: %v", ErrRefused, se)
		}
		return ra, se
	}
	if err := json.Unmarshal(data, out); err != nil {
		// A whole 200 answer that does not decode is head office or
		// something in between misbehaving: worth another try.
		return 0, fmt.Errorf("%w: garbled answer: %v", ErrTransport, err)
	}
	if c.answered != nil {
		c.answered()
	}
	return 0, nil
}
