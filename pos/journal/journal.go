// Package journal is a terminal's tamper-evident record of everything it
// stored: every sale, refund, payment outcome, Z report, approval, drawer
// event, login and catalog change is appended as an entry whose hash
// covers the previous entry's hash, so editing, removing or reordering any
// entry breaks the chain from there on. Z reports seal the chain: they
// carry its head and a grand total that never resets, signed with the
// terminal's Ed25519 key.
//
// This is evidence of tampering, not a fiscal certification: whoever holds
// the database and the key can rebuild a consistent chain. What they
// cannot do is change what head office (which keeps every chain head it
// was sent) or a printed receipt (which shows a hash excerpt) already saw.
package journal

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Hash is a SHA-256 digest.
type Hash [32]byte

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Excerpt is the short form a receipt prints: characters 3, 7, 13 and 19
// of the hex hash (NF525's positions), so a reprint or a forged receipt
// can be told from the journal's.
func (h Hash) Excerpt() string {
	s := h.String()
	return string([]byte{s[2], s[6], s[12], s[18]})
}

// ParseHash reads a hash written by String.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("not a SHA-256 hash: %q", s)
	}
	copy(h[:], b)
	return h, nil
}

// Entry is one journal entry. Digest is the SHA-256 of the record's
// canonical bytes (the JSON exactly as the store keeps it), so the entry
// proves the record without holding a copy.
type Entry struct {
	Seq    uint64    `json:"seq"` // 1, 2, 3... gapless
	Prev   Hash      `json:"prev"`
	Type   string    `json:"type"` // "sale", "refund", "zreport", "payment", "approval", "drawer", "login"...
	Ref    string    `json:"ref"`  // the record's ID
	At     time.Time `json:"at"`
	Digest Hash      `json:"digest"`
	Hash   Hash      `json:"hash"`
}

// Append returns the entry that follows prev (the zero Entry for the
// first) for a record of the given type and ID whose canonical bytes are
// body.
func Append(prev Entry, typ, ref string, at time.Time, body []byte) Entry {
	e := Entry{Seq: prev.Seq + 1, Type: typ, Ref: ref, At: at.UTC().Truncate(time.Microsecond), Digest: sha256.Sum256(body)}
	if prev.Seq > 0 {
		e.Prev = prev.Hash
	}
	e.Hash = e.compute()
	return e
}

// compute is SHA-256(prev ‖ seq ‖ type ‖ ref ‖ time ‖ digest), with the
// variable-length fields length-prefixed so no two entries share bytes.
func (e Entry) compute() Hash {
	h := sha256.New()
	h.Write(e.Prev[:])
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], e.Seq)
	h.Write(n[:])
	for _, s := range []string{e.Type, e.Ref} {
		binary.BigEndian.PutUint32(n[:4], uint32(len(s)))
		h.Write(n[:4])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], uint64(e.At.UnixMicro()))
	h.Write(n[:])
	h.Write(e.Digest[:])
	var out Hash
	h.Sum(out[:0])
	return out
}

// ErrBroken reports a chain that does not hold.
var ErrBroken = errors.New("journal chain broken")

// BadEntry says which entry breaks the chain and why.
type BadEntry struct {
	Seq    uint64
	Ref    string
	Reason string
}

func (b *BadEntry) Error() string {
	return fmt.Sprintf("journal entry %d (%s): %s", b.Seq, b.Ref, b.Reason)
}

func (b *BadEntry) Unwrap() error { return ErrBroken }

// Verifier checks a chain entry by entry, in order, in constant memory,
// so a million entries are checked in one pass.
type Verifier struct {
	last  Entry
	count uint64
}

// Next checks e against the entries before it, and body (the record's
// canonical bytes; nil when the record is not at hand to check) against
// e's digest. The first error names the first bad entry.
func (v *Verifier) Next(e Entry, body []byte) error {
	bad := func(format string, a ...any) error {
		return &BadEntry{Seq: e.Seq, Ref: e.Ref, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case e.Seq != v.last.Seq+1:
		return bad("follows entry %d: an entry is missing or out of order", v.last.Seq)
	case v.last.Seq > 0 && e.Prev != v.last.Hash:
		return bad("does not refer to entry %d's hash", v.last.Seq)
	case e.compute() != e.Hash:
		return bad("its hash does not match its content: the entry was edited")
	case body != nil && sha256.Sum256(body) != e.Digest:
		return bad("the stored %s differs from what was journalled: the record was edited", e.Type)
	}
	v.last = e
	v.count++
	return nil
}

// Head is the last entry checked.
func (v *Verifier) Head() Entry { return v.last }

// Count is how many entries were checked.
func (v *Verifier) Count() uint64 { return v.count }

// Extends reports whether a chain whose head is head can be the
// continuation of one whose head was known: the same entry, or a later
// one whose chain passes through it. Head office uses it with the entry
// it has at known.Seq, sent by the terminal with each push.
func Extends(known, at Entry) error {
	if at.Seq != known.Seq {
		return fmt.Errorf("%w: compared entries %d and %d", ErrBroken, known.Seq, at.Seq)
	}
	if at.Hash != known.Hash {
		return fmt.Errorf("%w: entry %d is %s here but was %s when head office last saw it: the terminal's history was rewritten or restored from an old copy",
			ErrBroken, at.Seq, at.Hash.String()[:12], known.Hash.String()[:12])
	}
	return nil
}

// MarshalText writes the hash in hex, as String.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads a hash written by MarshalText.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	*h = v
	return err
}

// entryFixed is the size of an encoded entry without its type and ref:
// seq, prev, time, digest, hash and the two lengths.
const entryFixed = 8 + 32 + 8 + 32 + 32 + 2 + 2

// MarshalBinary is the compact form a store keeps an entry in: fixed
// fields first, then the type and the ref, each with a 2-byte length.
func (e Entry) MarshalBinary() ([]byte, error) {
	if len(e.Type) > 0xffff || len(e.Ref) > 0xffff {
		return nil, errors.New("journal entry: type or ref too long")
	}
	b := make([]byte, 0, entryFixed+len(e.Type)+len(e.Ref))
	b = binary.BigEndian.AppendUint64(b, e.Seq)
	b = append(b, e.Prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixMicro()))
	b = append(b, e.Digest[:]...)
	b = append(b, e.Hash[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(e.Type)))
	b = append(b, e.Type...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(e.Ref)))
	b = append(b, e.Ref...)
	return b, nil
}

// UnmarshalBinary reads an entry written by MarshalBinary. It copies
// what it keeps, so b may be a store's memory.
func (e *Entry) UnmarshalBinary(b []byte) error {
	bad := errors.New("journal entry: malformed bytes")
	if len(b) < entryFixed {
		return bad
	}
	e.Seq = binary.BigEndian.Uint64(b)
	copy(e.Prev[:], b[8:40])
	e.At = time.UnixMicro(int64(binary.BigEndian.Uint64(b[40:48]))).UTC()
	copy(e.Digest[:], b[48:80])
	copy(e.Hash[:], b[80:112])
	rest := b[112:]
	n := int(binary.BigEndian.Uint16(rest))
	if len(rest) < 2+n+2 {
		return bad
	}
	e.Type = string(rest[2 : 2+n])
	rest = rest[2+n:]
	m := int(binary.BigEndian.Uint16(rest))
	if len(rest) != 2+m {
		return bad
	}
	e.Ref = string(rest[2 : 2+m])
	return nil
}
