package journal

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Seal is what a Z report signs: the period's first and last journal
// entries, the chain head, the period's net and the grand total of every
// period since the terminal began, which never resets.
type Seal struct {
	Terminal string `json:"terminal"`
	Z        int    `json:"z"` // the Z report's number
	FirstSeq uint64 `json:"first_seq"`
	LastSeq  uint64 `json:"last_seq"`
	Head     Hash   `json:"head"`
	// Net and GrandTotal are minor units (pos.Money); plain int64 so that
	// package pos can carry a Seal on its Z report.
	Net        int64     `json:"net"`
	GrandTotal int64     `json:"grand_total"`
	At         time.Time `json:"at"`
	Signature  []byte    `json:"signature"`
}

// bytes is the canonical message a seal's signature covers.
func (s Seal) bytes() []byte {
	b := []byte("till-z-seal-v1\x00")
	b = binary.BigEndian.AppendUint32(b, uint32(len(s.Terminal)))
	b = append(b, s.Terminal...)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Z))
	b = binary.BigEndian.AppendUint64(b, s.FirstSeq)
	b = binary.BigEndian.AppendUint64(b, s.LastSeq)
	b = append(b, s.Head[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Net))
	b = binary.BigEndian.AppendUint64(b, uint64(s.GrandTotal))
	b = binary.BigEndian.AppendUint64(b, uint64(s.At.UTC().UnixMicro()))
	return b
}

// NewKey makes a terminal's signing key, done once when its database is
// created or at enrolment.
func NewKey() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	return priv, err
}

// Sign signs the seal with the terminal's key.
func (s Seal) Sign(key ed25519.PrivateKey) Seal {
	s.At = s.At.UTC().Truncate(time.Microsecond)
	s.Signature = ed25519.Sign(key, s.bytes())
	return s
}

// ErrSignature reports a seal whose signature does not verify.
var ErrSignature = errors.New("z report signature does not verify")

// Verify checks the seal's signature with the terminal's public key.
func (s Seal) Verify(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, s.bytes(), s.Signature) {
		return fmt.Errorf("%w: Z %d of %s", ErrSignature, s.Z, s.Terminal)
	}
	return nil
}

// PublicKeyText is the form a key is printed and registered in.
func PublicKeyText(pub ed25519.PublicKey) string {
	return "ed25519:" + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey reads a key printed by PublicKeyText.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	const prefix = "ed25519:"
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return nil, fmt.Errorf("public key %q: want ed25519:BASE64", s)
	}
	b, err := base64.StdEncoding.DecodeString(s[len(prefix):])
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key %q: not an Ed25519 key", s)
	}
	return ed25519.PublicKey(b), nil
}
