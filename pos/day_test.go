package pos

import (
	"testing"
	"time"
)

func TestDay(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tests := []struct {
		name     string
		t        time.Time
		loc      *time.Location
		from, to time.Time
		hours    float64
	}{
		{"midday", time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC), time.UTC,
			time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), 24},
		{"midnight starts the day", time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.UTC,
			time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), 24},
		{"a nanosecond before midnight", time.Date(2026, 3, 14, 23, 59, 59, 999999999, time.UTC), time.UTC,
			time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), 24},
		// 20:00 UTC is already tomorrow in Shanghai: the shop's day counts.
		{"the shop's zone, not the clock's", time.Date(2026, 3, 14, 20, 0, 0, 0, time.UTC), shanghai,
			time.Date(2026, 3, 15, 0, 0, 0, 0, shanghai), time.Date(2026, 3, 16, 0, 0, 0, 0, shanghai), 24},
		{"nil zone is t's own", time.Date(2026, 3, 14, 3, 0, 0, 0, shanghai), nil,
			time.Date(2026, 3, 14, 0, 0, 0, 0, shanghai), time.Date(2026, 3, 15, 0, 0, 0, 0, shanghai), 24},
		{"spring forward is 23 hours", time.Date(2026, 3, 29, 12, 0, 0, 0, berlin), berlin,
			time.Date(2026, 3, 29, 0, 0, 0, 0, berlin), time.Date(2026, 3, 30, 0, 0, 0, 0, berlin), 23},
		{"fall back is 25 hours", time.Date(2026, 10, 25, 12, 0, 0, 0, berlin), berlin,
			time.Date(2026, 10, 25, 0, 0, 0, 0, berlin), time.Date(2026, 10, 26, 0, 0, 0, 0, berlin), 25},
	}
	for _, tt := range tests {
		from, to := Day(tt.t, tt.loc)
		if !from.Equal(tt.from) || !to.Equal(tt.to) {
			t.Errorf("%s: [%s, %s), want [%s, %s)", tt.name, from, to, tt.from, tt.to)
		}
		if h := to.Sub(from).Hours(); h != tt.hours {
			t.Errorf("%s: %v hours", tt.name, h)
		}
		if tt.t.Before(from) || !tt.t.Before(to) {
			t.Errorf("%s: %s is not in its own day", tt.name, tt.t)
		}
	}
}
