package hq

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/table"
	"github.com/tillpos/till/sync/hq/storage"
)

// A terminal's credential is "TERMINAL.SECRET", SECRET being 32 random
// bytes from crypto/rand in unpadded base64url. Head office keeps only
// SHA-256(SECRET): a plain fast hash is enough because the secret has 256
// bits of entropy, so there is nothing to guess and a slow password hash
// would add nothing but CPU per request. Comparison is constant-time.

// secretBytes is the size of a credential's random part.
const secretBytes = 32

// errUnauthorized is any failure to authenticate; the response never says
// which part was wrong.
var errUnauthorized = errors.New("missing, wrong or revoked credential")

// newToken returns a fresh credential for a terminal and the hash to keep.
func newToken(terminal string) (token string, hash []byte, err error) {
	var b [secretBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("credential: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	h := sha256.Sum256([]byte(secret))
	return terminal + "." + secret, h[:], nil
}

// splitToken parses "TERMINAL.SECRET". The secret has no dot, so the last
// dot separates them.
func splitToken(token string) (terminal, secret string, ok bool) {
	i := strings.LastIndexByte(token, '.')
	if i <= 0 || i == len(token)-1 {
		return "", "", false
	}
	return token[:i], token[i+1:], true
}

// dummyHash is compared against when the terminal is unknown, so an
// unknown ID costs the same as a wrong secret.
var dummyHash = make([]byte, sha256.Size)

// authenticate checks the request's bearer credential from its headers
// alone: nothing of the body has been read. It returns errUnauthorized
// for anything the terminal must fix, with the reason for the log in
// ri, and another error when storage failed (the terminal should retry).
func (s *Server) authenticate(r *http.Request, ri *reqInfo) (storage.Terminal, error) {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		ri.reason = "no bearer credential"
		return storage.Terminal{}, errUnauthorized
	}
	id, secret, ok := splitToken(strings.TrimSpace(token))
	if !ok || storage.ValidTerminal(id) != nil {
		ri.reason = "malformed credential"
		return storage.Terminal{}, errUnauthorized
	}
	t, err := s.store.Terminal(r.Context(), id)
	want := t.Hash
	switch {
	case errors.Is(err, storage.ErrNotFound):
		want = dummyHash
	case err != nil:
		return storage.Terminal{}, err
	}
	got := sha256.Sum256([]byte(secret))
	match := subtle.ConstantTimeCompare(got[:], want) == 1
	switch {
	case err != nil:
		ri.reason = "unknown terminal"
	case !match:
		ri.terminal, ri.reason = t.ID, "wrong credential"
	case !t.Active():
		ri.terminal, ri.reason = t.ID, "revoked"
	default:
		ri.terminal = t.ID
		return t, nil
	}
	return storage.Terminal{}, errUnauthorized
}

// Enrol registers terminal at store and writes its new credential to w.
// The credential is shown this once: head office keeps only its hash.
// Enrolling a terminal again replaces its credential (the old one stops
// working) and lifts a revocation; a terminal ID belongs to one store.
// What it did is written in p's language.
func Enrol(ctx context.Context, b storage.Backend, p *i18n.Printer, store, terminal string, w io.Writer) (string, error) {
	if err := storage.ValidStore(store); err != nil {
		return "", err
	}
	if err := storage.ValidTerminal(terminal); err != nil {
		return "", err
	}
	token, hash, err := newToken(terminal)
	if err != nil {
		return "", err
	}
	if err := b.Enrol(ctx, storage.Terminal{ID: terminal, Store: store, Hash: hash, Enrolled: time.Now().UTC()}); err != nil {
		return "", fmt.Errorf("enrol %s: %w", terminal, err)
	}
	_, err = p.Fprintf(w, "Enrolled terminal %s at store %s. Its credential, shown only this once\n"+
		"(head office keeps just a hash; enrol again to replace a lost one):\n\n  %s\n\n", terminal, store, token)
	return token, err
}

// Revoke stops a terminal's credential from working at once. Its records
// already stored stay.
func Revoke(ctx context.Context, b storage.Backend, p *i18n.Printer, terminal string, w io.Writer) error {
	if err := b.Revoke(ctx, terminal, time.Now().UTC()); err != nil {
		return fmt.Errorf("revoke %s: %w", terminal, err)
	}
	_, err := p.Fprintf(w, "Revoked terminal %s: it can no longer sync. Enrol it again to give it a new credential.\n", terminal)
	return err
}

// ListTerminals writes the enrolled terminals, one a line, each with a
// summary of the requests head office refused for it; refused credentials
// naming no enrolled terminal are summed on a last line. The words are
// p's language; the refusals' reasons are as head office recorded them.
func ListTerminals(ctx context.Context, b storage.Backend, p *i18n.Printer, w io.Writer) error {
	ts, err := b.Terminals(ctx)
	if err != nil {
		return err
	}
	rs, err := b.Refusals(ctx)
	if err != nil {
		return err
	}
	byTerm := map[string][]storage.Refusal{}
	for _, r := range rs {
		byTerm[r.Terminal] = append(byTerm[r.Terminal], r)
	}
	for _, t := range ts {
		state := p.T("active")
		if !t.Active() {
			state = p.T("revoked %s", t.Revoked.Format(time.RFC3339))
		}
		if _, err := p.Fprintf(w, "%s %s enrolled %s  %s%s\n", table.Left(t.ID, 16), table.Left(t.Store, 20), t.Enrolled.Format(time.RFC3339), state,
			refusalSummary(p, byTerm[t.ID])); err != nil {
			return err
		}
		delete(byTerm, t.ID)
	}
	var others []storage.Refusal
	for _, r := range rs {
		if _, ok := byTerm[r.Terminal]; ok {
			others = append(others, storage.Refusal{Reason: r.Reason, Count: r.Count, Last: r.Last})
		}
	}
	if len(others) > 0 {
		if _, err := fmt.Fprintf(w, "%s %s%s\n", table.Left(p.T("(no terminal)"), 16), table.Left("", 20), refusalSummary(p, merge(others))); err != nil {
			return err
		}
	}
	return nil
}

// merge sums refusals of the same reason.
func merge(rs []storage.Refusal) []storage.Refusal {
	var out []storage.Refusal
	idx := map[string]int{}
	for _, r := range rs {
		if i, ok := idx[r.Reason]; ok {
			out[i].Count += r.Count
			if r.Last.After(out[i].Last) {
				out[i].Last = r.Last
			}
			continue
		}
		idx[r.Reason] = len(out)
		out = append(out, r)
	}
	return out
}

// refusalSummary is "  refused 8 (wrong credential 3, revoked 5), last
// 2026-12-02T01:00:00Z", or nothing.
func refusalSummary(p *i18n.Printer, rs []storage.Refusal) string {
	if len(rs) == 0 {
		return ""
	}
	var total int64
	var last time.Time
	parts := make([]string, len(rs))
	for i, r := range rs {
		total += r.Count
		if r.Last.After(last) {
			last = r.Last
		}
		parts[i] = fmt.Sprintf("%s %d", r.Reason, r.Count)
	}
	return p.T("  refused %d (%s), last %s", total, strings.Join(parts, ", "), last.Format(time.RFC3339))
}
