package bolt

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/tillpos/till/pos/journal"
)

// TestParseStagedRefusesDamage: a staged record cut short, with a bad
// flag or under a key that is no sequence is malformed, never a panic.
func TestParseStagedRefusesDamage(t *testing.T) {
	e := journal.Append(journal.Entry{}, JSale, "S1", time.Unix(0, 0), []byte(`{}`))
	v, err := stagedSale{Receipt: 1, ID: "S1", Body: []byte(`{}`), Entries: []stagedEntry{{Entry: e}}}.encode()
	if err != nil {
		t.Fatal(err)
	}
	data := v[sumLen:]
	if _, err := parseStaged(u64(e.Seq), data); err != nil {
		t.Fatalf("the good record: %v", err)
	}
	for name, c := range map[string]struct{ k, data []byte }{
		"short key":  {[]byte{1}, data},
		"cut short":  {u64(e.Seq), data[:len(data)-3]},
		"bad flag":   {u64(e.Seq), append(bytes.Clone(data[:len(data)-1]), 7)},
		"other key":  {u64(e.Seq + 1), data},
		"extra byte": {u64(e.Seq), append(bytes.Clone(data), 0)},
	} {
		if _, err := parseStaged(c.k, c.data); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}
