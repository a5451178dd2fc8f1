// Package staff is who may work the till and what each of them may do:
// members with a role, a PIN kept only as a slow salted hash, and an
// optional badge the scanner reads; roles whose permissions are each
// allowed, denied or allowed with a manager's approval, with limits.
package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/tillpos/till/internal/errmsg"
)

// Member is one person who works the till.
type Member struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	PINHash string    `json:"pin_hash"` // argon2id, see HashPIN; never the PIN
	Badge   string    `json:"badge,omitempty"`
	Active  bool      `json:"active"`
	Changed time.Time `json:"changed,omitzero"`
}

// Errors callers tell apart with errors.Is.
var (
	ErrPIN     = errors.New("a PIN is 4 to 8 digits")
	ErrWrong   = errors.New("wrong PIN")
	ErrLocked  = errors.New("locked after too many wrong PINs")
	ErrUnknown = errors.New("no such staff member")
	ErrOff     = errors.New("staff member is disabled")
)

// CheckPIN refuses a PIN that is not 4 to 8 digits.
func CheckPIN(pin string) error {
	if len(pin) < 4 || len(pin) > 8 {
		return ErrPIN
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return ErrPIN
		}
	}
	return nil
}

// Argon2id parameters: OWASP's minimum for argon2id (19 MiB, 2 passes,
// one lane), some 30 ms on a counter PC. A POS PIN has at most 10^8
// values, so the hash only slows down an attacker who has the file; the
// lock-out after five wrong PINs is what protects the till itself.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPIN returns a salted argon2id hash of pin in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash).
func HashPIN(pin string) (string, error) {
	if err := CheckPIN(pin); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pin), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// MatchPIN reports whether pin is the one hash was made from, comparing
// in constant time. A malformed hash matches nothing.
func MatchPIN(hash, pin string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Check refuses a member that cannot be stored: no ID or name, an
// unknown role, no PIN hash.
func (m Member) Check(roles Roles) error {
	switch {
	case strings.TrimSpace(m.ID) == "":
		return errors.New("staff member has no ID")
	case strings.TrimSpace(m.Name) == "":
		return errmsg.Errorf("staff member %s has no name", m.ID)
	case m.PINHash == "":
		return errmsg.Errorf("staff member %s has no PIN", m.ID)
	}
	if _, ok := roles[m.Role]; !ok {
		return errmsg.Errorf("staff member %s: unknown role %q (known: %s)", m.ID, m.Role, strings.Join(roles.Names(), ", "))
	}
	return nil
}

// Lockout counts wrong PINs of one member: after MaxTries in a row the
// member is locked for LockFor. It is kept in the store, so a restart
// does not reset it.
type Lockout struct {
	Wrong       int       `json:"wrong"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// MaxTries wrong PINs in a row lock a member for LockFor.
const (
	MaxTries = 5
	LockFor  = 5 * time.Minute
)

// Locked reports whether the member is locked at now.
func (l Lockout) Locked(now time.Time) bool { return now.Before(l.LockedUntil) }

// Try records one PIN attempt and returns the new state and the error
// to show: nil for a right PIN (which clears the count), ErrWrong, or
// ErrLocked (also while locked, whatever the PIN).
func (l Lockout) Try(now time.Time, right bool) (Lockout, error) {
	if l.Locked(now) {
		return l, &PINError{Until: l.LockedUntil}
	}
	if right {
		return Lockout{}, nil
	}
	l.Wrong++
	if l.Wrong >= MaxTries {
		l.Wrong = 0
		l.LockedUntil = now.Add(LockFor)
		return l, &PINError{Until: l.LockedUntil}
	}
	return l, &PINError{Left: MaxTries - l.Wrong}
}

// PINError is a refused PIN: wrong, with Left tries before the lock, or
// locked until Until. It wraps ErrWrong or ErrLocked; its fields let a
// screen say it in the cashier's language.
type PINError struct {
	Left  int
	Until time.Time
}

func (e *PINError) Error() string { return e.Message().Error() }

// Message is the error's words as a message a translator says from its
// parts (package errmsg); Error is its English.
func (e *PINError) Message() error {
	if !e.Until.IsZero() {
		return errmsg.Errorf("%v until %s", ErrLocked, e.Until.Format("15:04"))
	}
	return errmsg.Errorf("%v (%d of %d tries left)", ErrWrong, e.Left, MaxTries)
}

func (e *PINError) Unwrap() error {
	if !e.Until.IsZero() {
		return ErrLocked
	}
	return ErrWrong
}
