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

// authenticate checks the request's bearer credential. It returns
// errUnauthorized for anything the terminal must fix, and another error
// when storage failed (the terminal should retry).
func (s *Server) authenticate(r *http.Request) (storage.Terminal, error) {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return storage.Terminal{}, errUnauthorized
	}
	id, secret, ok := splitToken(strings.TrimSpace(token))
	if !ok {
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
	if subtle.ConstantTimeCompare(got[:], want) != 1 || err != nil || !t.Active() {
		return storage.Terminal{}, errUnauthorized
	}
	return t, nil
}

// Enrol registers terminal at store and writes its new credential to w.
// The credential is shown this once: head office keeps only its hash.
// Enrolling a terminal again replaces its credential (the old one stops
// working) and lifts a revocation; a terminal ID belongs to one store.
func Enrol(ctx context.Context, b storage.Backend, store, terminal string, w io.Writer) (string, error) {
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
	_, err = fmt.Fprintf(w, "Enrolled terminal %s at store %s. Its credential, shown only this once\n"+
		"(head office keeps just a hash; enrol again to replace a lost one):\n\n  %s\n\n", terminal, store, token)
	return token, err
}

// Revoke stops a terminal's credential from working at once. Its records
// already stored stay.
func Revoke(ctx context.Context, b storage.Backend, terminal string, w io.Writer) error {
	if err := b.Revoke(ctx, terminal, time.Now().UTC()); err != nil {
		return fmt.Errorf("revoke %s: %w", terminal, err)
	}
	_, err := fmt.Fprintf(w, "Revoked terminal %s: it can no longer sync. Enrol it again to give it a new credential.\n", terminal)
	return err
}

// ListTerminals writes the enrolled terminals, one a line.
func ListTerminals(ctx context.Context, b storage.Backend, w io.Writer) error {
	ts, err := b.Terminals(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		state := "active"
		if !t.Active() {
			state = "revoked " + t.Revoked.Format(time.RFC3339)
		}
		if _, err := fmt.Fprintf(w, "%-16s %-20s enrolled %s  %s\n", t.ID, t.Store, t.Enrolled.Format(time.RFC3339), state); err != nil {
			return err
		}
	}
	return nil
}
