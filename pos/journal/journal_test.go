package journal

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"
	"time"
)

func chain(n int) ([]Entry, [][]byte) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var es []Entry
	var bodies [][]byte
	var prev Entry
	for i := range n {
		body := []byte(fmt.Sprintf(`{"id":"S%d","total":%d}`, i, 100*i))
		prev = Append(prev, "sale", fmt.Sprintf("S%d", i), t0.Add(time.Duration(i)*time.Second), body)
		es = append(es, prev)
		bodies = append(bodies, body)
	}
	return es, bodies
}

func verify(es []Entry, bodies [][]byte) error {
	var v Verifier
	for i, e := range es {
		if err := v.Next(e, bodies[i]); err != nil {
			return err
		}
	}
	return nil
}

func TestChainVerifies(t *testing.T) {
	es, bodies := chain(10)
	if err := verify(es, bodies); err != nil {
		t.Fatal(err)
	}
	if es[0].Prev != (Hash{}) || es[1].Prev != es[0].Hash || es[9].Seq != 10 {
		t.Fatalf("chain links: %+v", es[:2])
	}
	if len(es[3].Hash.Excerpt()) != 4 {
		t.Fatalf("excerpt %q", es[3].Hash.Excerpt())
	}
	h, err := ParseHash(es[3].Hash.String())
	if err != nil || h != es[3].Hash {
		t.Fatalf("ParseHash: %v", err)
	}
}

// TestTamperingNamesTheEntry edits, removes, reorders and rewrites entries
// and records; the verifier names the first bad entry every time.
func TestTamperingNamesTheEntry(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(es []Entry, bodies [][]byte) ([]Entry, [][]byte)
		seq    uint64
	}{
		{"record edited", func(es []Entry, b [][]byte) ([]Entry, [][]byte) {
			b[4] = []byte(`{"id":"S4","total":1}`)
			return es, b
		}, 5},
		{"entry time edited", func(es []Entry, b [][]byte) ([]Entry, [][]byte) {
			es[6].At = es[6].At.Add(time.Hour)
			return es, b
		}, 7},
		{"entry removed", func(es []Entry, b [][]byte) ([]Entry, [][]byte) {
			return append(es[:3:3], es[4:]...), append(b[:3:3], b[4:]...)
		}, 5},
		{"entries swapped", func(es []Entry, b [][]byte) ([]Entry, [][]byte) {
			es[2], es[3] = es[3], es[2]
			b[2], b[3] = b[3], b[2]
			return es, b
		}, 4},
		{"entry rehashed after an edit", func(es []Entry, b [][]byte) ([]Entry, [][]byte) {
			// A forger recomputes entry 5 for an edited record: entry 6
			// no longer refers to it.
			b[4] = []byte(`{"id":"S4","total":1}`)
			es[4] = Append(es[3], "sale", "S4", es[4].At, b[4])
			return es, b
		}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, bodies := chain(10)
			es, bodies = tc.tamper(es, bodies)
			err := verify(es, bodies)
			var bad *BadEntry
			if !errors.As(err, &bad) || !errors.Is(err, ErrBroken) {
				t.Fatalf("verify = %v, want a bad entry", err)
			}
			if bad.Seq != tc.seq {
				t.Fatalf("named entry %d (%v), want %d", bad.Seq, err, tc.seq)
			}
		})
	}
}

func TestExtends(t *testing.T) {
	es, _ := chain(5)
	if err := Extends(es[2], es[2]); err != nil {
		t.Fatal(err)
	}
	other, _ := chain(5)
	other[2] = Append(other[1], "sale", "X", other[2].At, []byte("x"))
	if err := Extends(es[2], other[2]); !errors.Is(err, ErrBroken) {
		t.Fatalf("fork accepted: %v", err)
	}
}

func TestSeal(t *testing.T) {
	key, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	es, _ := chain(3)
	s := Seal{Terminal: "T1", Z: 7, FirstSeq: 1, LastSeq: 3, Head: es[2].Hash, Net: 12345, GrandTotal: 999999, At: time.Now()}.Sign(key)
	pk, err := ParsePublicKey(PublicKeyText(key.Public().(ed25519.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(pk); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Seal){
		"net":         func(s *Seal) { s.Net++ },
		"grand total": func(s *Seal) { s.GrandTotal-- },
		"head":        func(s *Seal) { s.Head[0] ^= 1 },
		"last seq":    func(s *Seal) { s.LastSeq++ },
	} {
		c := s
		edit(&c)
		if err := c.Verify(pk); !errors.Is(err, ErrSignature) {
			t.Errorf("%s edited: %v", name, err)
		}
	}
	other, _ := NewKey()
	if err := s.Verify(other.Public().(ed25519.PublicKey)); !errors.Is(err, ErrSignature) {
		t.Errorf("another key verified: %v", err)
	}
}

func BenchmarkVerifyMillion(b *testing.B) {
	es, bodies := chain(1000)
	b.ReportAllocs()
	for b.Loop() {
		var v Verifier
		for range 1000 {
			for i := range es {
				// The same 1,000 entries over and over cost what a million
				// distinct ones do: each is hashed twice (entry, record).
				e := es[i]
				v.last = Entry{Seq: e.Seq - 1, Hash: e.Prev}
				if err := v.Next(e, bodies[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

func TestEntryBinaryRoundTrip(t *testing.T) {
	e := Append(Append(Entry{}, "sale", "A", time.Unix(100, 5000), []byte("x")), "refund", "B-T1", time.Unix(200, 0), []byte("y"))
	b, err := e.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Entry
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !got.At.Equal(e.At) || got.Seq != e.Seq || got.Prev != e.Prev || got.Hash != e.Hash || got.Type != e.Type || got.Ref != e.Ref || got.Digest != e.Digest {
		t.Fatalf("round trip: got %+v, want %+v", got, e)
	}
	var v Verifier
	if err := v.Next(Append(Entry{}, "sale", "A", time.Unix(100, 5000), []byte("x")), nil); err != nil {
		t.Fatal(err)
	}
	if err := v.Next(got, []byte("y")); err != nil {
		t.Fatalf("decoded entry does not verify: %v", err)
	}
	if err := got.UnmarshalBinary(b[:len(b)-1]); err == nil {
		t.Fatal("a truncated entry decoded")
	}
	txt, _ := e.Hash.MarshalText()
	var h Hash
	if err := h.UnmarshalText(txt); err != nil || h != e.Hash {
		t.Fatalf("hash text round trip: %v", err)
	}
}
