// Package tilltest opens real terminal stores for tests of packages that
// reach the store only through their own interfaces (tui), so those tests
// need not import the storage adapter themselves.
package tilltest

import (
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// Identity is the terminal every store opened by Open is created for.
var Identity = pos.Identity{Terminal: "T1", Shop: "Test", Currency: "CNY", Exponent: 2}

// Store is a real bbolt store on a file. Its methods are the store's.
type Store struct{ *bolt.Store }

// Open opens (creating it if needed) the store at path for terminal T1
// without fsync, which tests do not need; it is closed when tb ends.
func Open(tb testing.TB, path string) *Store {
	tb.Helper()
	st, err := bolt.Open(path, bolt.Options{NoSync: true, Identity: Identity})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return &Store{st}
}

// OpenFile opens an existing store at path as the till does, with fsync;
// it is closed when tb ends.
func OpenFile(tb testing.TB, path string) *Store {
	tb.Helper()
	st, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return &Store{st}
}
