package pos

import (
	"strings"
	"testing"
)

func TestCheckTerminalID(t *testing.T) {
	tests := []struct {
		id   string
		want string // "" for accepted, else part of the error
	}{
		{"T1", ""},
		{"LANE_2", ""},
		{"till.3", ""},
		{"ABCDEFGHIJKLMNOP", ""}, // 16
		{"", "empty"},
		{"收银1", "not ASCII"},
		{"Caisse-é", "not ASCII"},
		{"T1\u00a0", "not ASCII"}, // a no-break space looks like nothing
		{"ABCDEFGHIJKLMNOPQ", "17 characters"},
		{"T 1", "no spaces"},
		{"T\t1", "no spaces"},
		{"T\x1b1", "no spaces"},
		{"T\x7f", "no spaces"},
		{"T-1", "dashes"},
		{"T/1", "slashes"},
	}
	for _, tt := range tests {
		err := CheckTerminalID(tt.id)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q refused: %v", tt.id, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: %v, want an error saying %q", tt.id, err, tt.want)
		}
		// Every terminal ID the rule accepts makes sale IDs head office
		// accepts.
		if err == nil {
			id := "01JNKX0000000000000000000A-" + tt.id
			if err := CheckRecordID(id); err != nil {
				t.Errorf("%q: accepted, but its sale ID %s is not a record ID: %v", tt.id, id, err)
			}
			if err := CheckOwnID(id, tt.id); err != nil {
				t.Errorf("%q: %v", tt.id, err)
			}
		}
	}
}

func TestCheckStoreID(t *testing.T) {
	for id, ok := range map[string]bool{
		"S1": true, "北京-1": true, strings.Repeat("s", 64): true,
		"": false, "S 1": false, "S\n": false, "S\x7f": false, strings.Repeat("s", 65): false,
	} {
		if err := CheckStoreID(id); (err == nil) != ok {
			t.Errorf("%q: %v, want ok=%v", id, err, ok)
		}
	}
}

func TestCheckRecordID(t *testing.T) {
	for id, ok := range map[string]bool{
		"01JNKX0000000000000000000A-T1": true, "Z12-T1": true, strings.Repeat("x", 128): true,
		"": false, "a b": false, "收银": false, "x\x7f": false, strings.Repeat("x", 129): false,
	} {
		if err := CheckRecordID(id); (err == nil) != ok {
			t.Errorf("%q: %v, want ok=%v", id, err, ok)
		}
	}
}

func TestCheckOwnID(t *testing.T) {
	tests := []struct{ id, terminal, want string }{
		{"01JNKX0000000000000000000A-T1", "T1", ""},
		{"01JNKX0000000000000000000A-T2", "T1", "not of terminal T1"},
		{"01JNKX0000000000000000000A-XT1", "T1", "not of terminal T1"},
		{"01JNKX000000000000000000-T1", "T1", "not a ULID"},
		{"X01JNKX0000000000000000000A-T1", "T1", "not a ULID"},
		{"ZZZZZZZZZZZZZZZZZZZZZZZZZZ-T1", "T1", "not a ULID"},
		{"01JNKX0000000000000000000A-收银1", "收银1", "not ASCII"},
	}
	for _, tt := range tests {
		err := CheckOwnID(tt.id, tt.terminal)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s of %s: %v, want %q", tt.id, tt.terminal, err, tt.want)
		}
	}
}

func TestZReportID(t *testing.T) {
	for _, n := range []uint64{1, 42, 1 << 40} {
		id := ZReportID(n, "T1")
		if got, ok := ZReportNumber(id); !ok || got != n {
			t.Errorf("%s reads back as %d %v", id, got, ok)
		}
		if err := CheckRecordID(id); err != nil {
			t.Error(err)
		}
	}
	if id := ZReportID(7, "LANE2"); id != "Z7-LANE2" {
		t.Errorf("id %s", id)
	}
	for _, bad := range []string{"", "Z-T1", "7-T1", "ZX-T1"} {
		if _, ok := ZReportNumber(bad); ok {
			t.Errorf("%q read as a Z report ID", bad)
		}
	}
}
