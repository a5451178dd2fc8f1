package bolt

import (
	"os"
	"syscall"
)

// releaseMapped gives back the pages of the file's memory map that this
// process has touched. bbolt reads through a shared, read-only map of the
// file, and every page read stays in the process's resident set: an
// export or an import reading a million goods would count the whole
// catalog's pages (hundreds of MB) as its own. Dropping them is safe at
// any time (a page touched again is mapped again from the page cache,
// with what the file holds now); it only keeps the resident set to what
// the process is using. Best effort: errors are ignored.
func (s *Store) releaseMapped() {
	info := s.db.Info()
	fi, err := os.Stat(s.path)
	if err != nil || info == nil || info.Data == 0 {
		return
	}
	size := uintptr(fi.Size()) &^ uintptr(os.Getpagesize()-1)
	if size == 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, info.Data, size, syscall.MADV_DONTNEED)
}
