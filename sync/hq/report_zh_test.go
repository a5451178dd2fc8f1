package hq_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/table"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq"
)

// The chain report in Chinese: its title and headings in Chinese, and its
// right-aligned columns ending at the same display cell on every row,
// though the headings are two cells a character and the numbers one.
func TestReportTextInChinese(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	row := func(store, term string, sales int, net pos.Money) hq.Row {
		return hq.Row{Store: store, Terminal: term, Currency: "CNY", Sales: sales, Net: net, Tax: net / 10,
			Tenders: map[pos.TenderKind]pos.Money{pos.Cash: net, pos.QR: 0}}
	}
	rep := hq.Report{Day: day,
		Terminals: []hq.Row{row("S1", "T1", 3, 12345), row("S1", "T-LONG-NAME", 12, 100)},
		Stores:    []hq.Row{row("S1", "", 15, 12445)},
		Chain:     []hq.Row{row("", "", 15, 12445)},
	}
	var b bytes.Buffer
	if err := rep.WriteText(&b, i18n.New(i18n.Chinese)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if lines[0] != "连锁报表：2026年12月1日 星期二（UTC）" || lines[1] != "" {
		t.Fatalf("title %q", lines[0])
	}
	rows := lines[2:]
	if len(rows) != 5 || !strings.Contains(rows[0], "门店") || !strings.Contains(rows[0], "现金") || !strings.Contains(rows[0], "扫码") ||
		!strings.Contains(rows[4], "连锁合计") || !strings.Contains(rows[3], "全部") {
		t.Fatalf("table:\n%s", b.String())
	}
	// ends lists the cell after each field's last character.
	ends := func(line string) []int {
		var out []int
		cell, prev := 0, ' '
		for _, r := range line {
			if r == ' ' && prev != ' ' {
				out = append(out, cell)
			}
			cell += table.Width(string(r))
			prev = r
		}
		return append(out, cell)
	}
	want := ends(rows[0])
	if len(want) != 14 {
		t.Fatalf("%d headings: %q", len(want), rows[0])
	}
	for _, r := range rows[1:] {
		if got := ends(r); !slices.Equal(got, want) {
			t.Errorf("row %q ends its fields at cells %v, the headings at %v\n%s", r, got, want, b.String())
		}
	}
}
