package hq_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/sync/hq"
)

// TestReportTitleZone is issue 10 item 11: the head-office report's title
// names the time zone, never Go's internal "(Local)".
func TestReportTitleZone(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct {
		loc  *time.Location
		want string
	}{
		{time.Local, ""}, // whatever the machine's zone, not "Local"
		{shanghai, "(Asia/Shanghai)"},
		{time.FixedZone("CST", 8*3600), "(CST)"},
		{time.FixedZone("", -5*3600), "(UTC-05:00)"},
		{time.UTC, "(UTC)"},
	} {
		var b bytes.Buffer
		if err := (hq.Report{Day: time.Date(2025, 3, 3, 0, 0, 0, 0, tc.loc)}).WriteText(&b, nil); err != nil {
			t.Fatal(err)
		}
		title, _, _ := strings.Cut(b.String(), "\n")
		if strings.Contains(title, "Local") || !strings.Contains(title, tc.want) || !strings.HasPrefix(title, "Chain report for Mon 3 Mar 2025 (") {
			t.Errorf("%v: title %q, want it to name the zone %s", tc.loc, title, tc.want)
		}
	}
}
