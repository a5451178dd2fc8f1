package table

import (
	"strings"
	"testing"
	"text/tabwriter"
)

// cellAt is the display cell at which the n-th field (from 0) of line
// starts, the fields being separated by two spaces or more (a name may
// hold one).
func cellAt(t *testing.T, line string, n int) int {
	t.Helper()
	cell, field, spaces := 0, 0, 0
	for i, r := range line {
		if r == ' ' {
			spaces++
		} else {
			if i > 0 && spaces >= 2 {
				field++
			}
			if field == n && (i == 0 || spaces >= 2) {
				return cell
			}
			spaces = 0
		}
		cell += Width(string(r))
	}
	t.Fatalf("line %q has no field %d", line, n)
	return 0
}

// Chinese and English names mixed: every column starts at the same cell
// on every row, the Chinese name's two cells a character counted.
func TestColumnsAlignInCells(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b, 2, false)
	w.Write([]byte("ID\tNAME\tROLE\tSTATE\n"))
	w.Write([]byte("1\t张伟\tmanager\tactive\n"))
	w.Write([]byte("2\tAnn Lee\t收银员\tdisabled\n"))
	w.Write([]byte("10\t欧阳娜娜\tcashier\t已停用\n"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	// ID is 2 cells + 2; 欧阳娜娜 is 8 cells + 2; 收银员 and manager 7 + 2.
	want := []int{0, 4, 14, 23}
	for _, line := range lines {
		for n, at := range want {
			if got := cellAt(t, line, n); got != at {
				t.Errorf("field %d of %q starts at cell %d, want %d\n%s", n, line, got, at, b.String())
			}
		}
	}
	// text/tabwriter, which counts runes, does not line them up.
	var tb strings.Builder
	tw := tabwriter.NewWriter(&tb, 0, 4, 2, ' ', 0)
	tw.Write([]byte("ID\tNAME\tROLE\n1\t张伟\tmanager\n2\tAnn Lee\tcashier\n"))
	tw.Flush()
	tl := strings.Split(tb.String(), "\n")
	if cellAt(t, tl[1], 2) == cellAt(t, tl[2], 2) {
		t.Errorf("tabwriter lined up Chinese names after all; the test shows nothing:\n%s", tb.String())
	}
}

// Right-aligned columns end at the same cell; what follows the last tab
// is written as it is; rows with English only come out as tabwriter's.
func TestRightAlignAndSameAsTabwriter(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b, 2, true)
	w.Write([]byte("店铺\tnet\t\n上海一店\t12.50\t\nS2\t3.00\t\n"))
	w.Flush()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for _, l := range lines {
		if Width(l) != Width(lines[0]) {
			t.Errorf("row %q is %d cells, the header %d:\n%s", l, Width(l), Width(lines[0]), b.String())
		}
	}
	if !strings.HasSuffix(lines[1], "  12.50") || !strings.HasPrefix(lines[1], "  上海一店") {
		t.Errorf("right-aligned row %q", lines[1])
	}
	for _, right := range []bool{false, true} {
		in := "store\tterminal\tsales\t\nS1\tT1\t3\t\nS1-long\tall\t12\ttrailing\nx\n"
		var got, want strings.Builder
		w := NewWriter(&got, 2, right)
		w.Write([]byte(in))
		w.Flush()
		var flags uint
		if right {
			flags = tabwriter.AlignRight
		}
		tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', flags)
		tw.Write([]byte(in))
		tw.Flush()
		if got.String() != want.String() {
			t.Errorf("right=%v:\n%q\nwant tabwriter's\n%q", right, got.String(), want.String())
		}
	}
}
