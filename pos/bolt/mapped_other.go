//go:build !linux

package bolt

// releaseMapped is a no-op where the resident set is not measured.
func (s *Store) releaseMapped()     {}
func (s *Store) releaseMappedInTx() {}
