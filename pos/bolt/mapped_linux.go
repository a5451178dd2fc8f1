package bolt

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	bbolt "go.etcd.io/bbolt"
)

// releaseMapped gives back the pages of the file's memory map that this
// process has touched. bbolt reads through a shared, read-only map of the
// file, and every page read stays in the process's resident set: an
// export or an import reading a million goods would count the whole
// catalog's pages (hundreds of MB) as its own. Dropping them is safe (a
// page touched again is mapped again from the page cache, with what the
// file holds now) as long as the map cannot move meanwhile: so it is done
// in a read transaction, which keeps bbolt from remapping, and only over
// the map's own extent as /proc/self/maps gives it, never past it (where
// MADV_DONTNEED would zero whatever else is mapped). Best effort.
func (s *Store) releaseMapped() {
	_ = s.db.View(func(*bbolt.Tx) error {
		s.releaseMappedInTx()
		return nil
	})
}

// releaseMappedInTx is releaseMapped for a caller in a transaction.
func (s *Store) releaseMappedInTx() {
	info := s.db.Info()
	if info == nil || info.Data == 0 {
		return
	}
	if size := mappingSize(info.Data, s.path); size > 0 {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, info.Data, size, syscall.MADV_DONTNEED)
	}
}

// mappingSize is the length of the mapping of file that starts at addr
// (0 if there is none).
func mappingSize(addr uintptr, file string) uintptr {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0
	}
	defer f.Close()
	want := fmt.Sprintf("%x-", addr)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, want) {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 6 || !strings.HasPrefix(fields[1], "r") || !strings.HasSuffix(fields[1], "s") {
			return 0 // not a shared map of a file
		}
		if st1, err1 := os.Stat(strings.Join(fields[5:], " ")); err1 != nil {
			return 0
		} else if st2, err2 := os.Stat(file); err2 != nil || !os.SameFile(st1, st2) {
			return 0
		}
		span := strings.SplitN(fields[0], "-", 2)
		start, err1 := strconv.ParseUint(span[0], 16, 64)
		end, err2 := strconv.ParseUint(span[1], 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			return 0
		}
		return uintptr(end - start)
	}
	return 0
}
