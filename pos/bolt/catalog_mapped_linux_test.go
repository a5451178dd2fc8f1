package bolt_test

import (
	"bufio"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// Products gives back the pages of the file it read: the catalog read at
// start-up would otherwise leave every goods page (40 MB for 100,000
// goods) in the counter's resident set. The goods it returns are those
// stored, across the reads between two releases.
func TestProductsLeavesNoMappedPages(t *testing.T) {
	s := openNew(t)
	ps := manyGoods("P", 20_000) // over two releases' worth
	if _, err := s.PutProducts(ps); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s)
	got, err := s.Products()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ps) {
		t.Fatalf("Products gave %d goods, not the 20,000 stored", len(got))
	}
	st, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	rss, ok := mappedRSS(t, s.Path())
	if !ok {
		t.Skip("no memory map of the file in /proc/self/smaps")
	}
	if rss > 256<<10 {
		t.Errorf("%d kB of the %d kB file still resident after Products", rss>>10, st.Size()>>10)
	}
}

// mappedRSS is the resident size of the process's maps of file, from
// /proc/self/smaps.
func mappedRSS(t *testing.T, file string) (int64, bool) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	want, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	found, in := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"): // a map's first line
			in = false
			if len(fields) >= 6 {
				st, err := os.Stat(strings.Join(fields[5:], " "))
				in = err == nil && os.SameFile(st, want)
			}
			found = found || in
		case in && len(fields) == 3 && fields[0] == "Rss:":
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			total += kb << 10
		}
	}
	return total, found
}
