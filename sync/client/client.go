// Package client is the terminal's side of sync: it pushes the outbox to
// head office in order and in batches, and pulls the store's catalog
// changes. The terminal never needs it to sell; a sync is safe to cut off
// at any point, since the outbox entry of a record goes only once head
// office has acknowledged it and a resend is acknowledged without being
// stored twice.
package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tillpos/till/pos"
)

// Store is what sync needs of the terminal's store (pos/bolt's Store has it).
type Store interface {
	Identity() pos.Identity
	Pending(after uint64, limit int) ([]pos.OutboxEntry, error)
	Ack(seqs ...uint64) error
	SetAside(seq uint64, reason string, at time.Time) error
	CatalogCursor() (uint64, error)
	ApplyCatalog(changes []pos.CatalogChange, cursor uint64) (pos.CatalogApplied, error)
	MarkSynced(at time.Time, failure string) error
	SyncStatus() (pos.SyncStatus, error)
}

// errStalled cancels a sync whose head office has gone quiet.
var errStalled = errors.New("sync stalled")

// Config says where head office is and how to talk to it.
type Config struct {
	// URL of head office, e.g. "https://hq.example.com:8443".
	URL string
	// Token is the credential head office printed when it enrolled the
	// terminal: "TERMINAL.SECRET". It is sent only in the Authorization
	// header and never logged.
	Token string
	// Store, if set, is the store ID head office is expected to have
	// enrolled the terminal at ([hq] store in the config); a pull from
	// another store is logged as a warning. The shop's display name is no
	// store ID and is never compared.
	Store string
	// CAFile, if set, is a PEM file of the certificate(s) to trust for
	// head office, e.g. its own self-signed certificate.
	CAFile string
	// HTTPClient overrides the client built from CAFile.
	HTTPClient *http.Client
	// BatchSize is how many records a push carries (default 200); a batch
	// also stops at BatchBytes of bodies (default 4 MiB).
	BatchSize  int
	BatchBytes int
	// PageSize is how many catalog changes a pull asks for (default 1000).
	PageSize int
	// Attempts is how many times one request is tried before the sync
	// gives up on a transient failure (network, timeout, 5xx); default 8.
	// Backoff doubles from MinBackoff (250ms) up to MaxBackoff (30s),
	// with full jitter.
	Attempts               int
	MinBackoff, MaxBackoff time.Duration
	// RequestTimeout bounds one request, answer included (default 20s):
	// a head office that accepts and never answers costs that much per
	// attempt.
	RequestTimeout time.Duration
	// SyncTimeout is how long a sync goes on without a good answer from
	// head office before it gives up (default 50s): a dead head
	// office ends a sync within a minute, while a long backlog that keeps
	// being acknowledged batch by batch is not cut off.
	SyncTimeout time.Duration
	// Progress, if set, is told after each batch how many outbox records
	// are done out of how many.
	Progress func(done, total int)
	Logger   *slog.Logger
	Now      func() time.Time
}

func (c *Config) defaults() error {
	if c.URL == "" {
		return errors.New("sync: no head-office URL configured")
	}
	if c.Token == "" {
		return errors.New("sync: no head-office credential configured (enrol the terminal at head office)")
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 200
	}
	if c.BatchBytes <= 0 {
		c.BatchBytes = 4 << 20
	}
	if c.PageSize <= 0 {
		c.PageSize = 1000
	}
	if c.Attempts <= 0 {
		c.Attempts = 8
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = 250 * time.Millisecond
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 30 * time.Second
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 20 * time.Second
	}
	if c.SyncTimeout <= 0 {
		c.SyncTimeout = 50 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Progress == nil {
		c.Progress = func(int, int) {}
	}
	c.URL = strings.TrimRight(c.URL, "/")
	if c.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if c.CAFile != "" {
			pem, err := os.ReadFile(c.CAFile)
			if err != nil {
				return fmt.Errorf("sync: head-office certificate: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return fmt.Errorf("sync: head-office certificate %s: no PEM certificate in it", c.CAFile)
			}
			tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		c.HTTPClient = &http.Client{Transport: tr, Timeout: time.Minute}
	}
	return nil
}

// Result is what a sync did. A sync pushes, then pulls even if the push
// failed, so each has its own error.
type Result struct {
	Pushed   int // records head office acknowledged
	Rejected int // records head office refused for good, now set aside
	Pulled   int // catalog changes applied
	Waiting  int // records still in the outbox afterwards
	PushErr  error
	PullErr  error
}

// Err joins the push and pull errors (one of them if they are the same).
func (r Result) Err() error {
	if r.PushErr != nil && r.PullErr == r.PushErr {
		return r.PushErr
	}
	return errors.Join(r.PushErr, r.PullErr)
}

// Summary is one line for a person about a sync that ended with err:
// what went wrong, and that nothing is lost with how many records wait
// for the next sync. It is empty when err is nil. The command line says
// the same in the shop's language, with OneLine.
func Summary(res Result, err error) string {
	if err == nil {
		return ""
	}
	noun := "records"
	if res.Waiting == 1 {
		noun = "record"
	}
	return fmt.Sprintf("sync: %s; nothing lost; %d %s waiting", OneLine(err.Error()), res.Waiting, noun)
}

// OneLine is an error's message made fit for one line of a person's
// terminal, with nothing a hostile answer could use to drive it:
// whitespace runs become a space, control characters "?", and it is cut
// at 240 characters.
func OneLine(msg string) string {
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return '?'
		}
		return r
	}, strings.Join(strings.Fields(msg), " "))
	if r := []rune(msg); len(r) > 240 {
		msg = string(r[:240]) + "…"
	}
	return msg
}

// Sync pushes the whole outbox, then pulls the catalog changes, then
// records the outcome for the status line: the time of the last sync
// that did both, or why this one did not. It returns Result.Err().
func Sync(ctx context.Context, st Store, cfg Config) (Result, error) {
	if err := cfg.defaults(); err != nil {
		return Result{}, err
	}
	// The sync's own deadline: it moves on with each good answer.
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall := time.AfterFunc(cfg.SyncTimeout, func() { cancel(errStalled) })
	defer stall.Stop()
	c := &conn{cfg: cfg, terminal: st.Identity().Terminal, answered: func() { stall.Reset(cfg.SyncTimeout) }}
	var res Result
	res.Pushed, res.Rejected, res.PushErr = c.push(sctx, st)
	if ctx.Err() == nil && errors.Is(context.Cause(sctx), errStalled) {
		res.PushErr = fmt.Errorf("%w in %v", ErrNoAnswer, cfg.SyncTimeout)
		res.PullErr = res.PushErr // no use asking again
	} else {
		res.Pulled, res.PullErr = c.pull(sctx, st)
		if res.PullErr != nil && ctx.Err() == nil && errors.Is(context.Cause(sctx), errStalled) {
			res.PullErr = fmt.Errorf("%w in %v", ErrNoAnswer, cfg.SyncTimeout)
		}
	}
	if status, serr := st.SyncStatus(); serr == nil {
		res.Waiting = status.Unsynced
	}
	err := res.Err()
	failure := ""
	if err != nil {
		failure = err.Error()
	}
	if merr := st.MarkSynced(cfg.Now(), failure); merr != nil && err == nil {
		err = merr
	}
	if err != nil {
		cfg.Logger.Warn("sync", "pushed", res.Pushed, "rejected", res.Rejected, "pulled", res.Pulled, "err", err)
	} else {
		cfg.Logger.Info("sync", "pushed", res.Pushed, "rejected", res.Rejected, "pulled", res.Pulled)
	}
	return res, err
}
