package bolt_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tillpos/till/pos/bolt"
)

// BenchmarkVerifyMillion checks a journal of 1,000,000 entries in a real
// bbolt file: 999,000 logins (their bytes kept in the journal's events)
// and 1,000 sales, each checked against its stored record. Building the
// file takes a while, so it is skipped under -short; TILL_VERIFY_DB keeps
// the file between runs.
func BenchmarkVerifyMillion(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-entry journal; skipped under -short")
	}
	path := os.Getenv("TILL_VERIFY_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "million.db")
	}
	s, err := bolt.Open(path, bolt.Options{Identity: testID, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h, err := s.JournalHead()
	if err != nil {
		b.Fatal(err)
	}
	if h.Seq < 1_000_000 {
		start := time.Now()
		seed(b, s)
		r, _ := newRegister(b, s)
		for range 1000 {
			sell(b, r, cart(b, "TEA", 1, "RICE", 2))
		}
		h, _ = s.JournalHead()
		if err := bolt.BulkEvents(s, int(1_000_000-h.Seq), 50_000, t0); err != nil {
			b.Fatal(err)
		}
		b.Logf("built a %d-entry journal in %s", 1_000_000, time.Since(start).Round(time.Millisecond))
	}
	b.ResetTimer()
	for range b.N {
		res, err := s.VerifyJournal()
		if err != nil {
			b.Fatal(err)
		}
		if res.Entries != 1_000_000 {
			b.Fatalf("verified %d entries", res.Entries)
		}
	}
	b.StopTimer()
	if fi, err := os.Stat(path); err == nil {
		b.Logf("file %d MB", fi.Size()>>20)
	}
}
