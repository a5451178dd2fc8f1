package main

import (
	"strings"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
)

// Argument helpers shared by several commands.

// multi collects a repeated flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// dayRange reads --from/--to dates (YYYY-MM-DD, local time) into [from, to).
func dayRange(p *i18n.Printer, from, to string, loc *time.Location) (time.Time, time.Time, error) {
	f, t := pos.Day(time.Now(), loc)
	var err error
	if from != "" {
		if f, err = time.ParseInLocation(time.DateOnly, from, loc); err != nil {
			return f, t, p.Errorf("%w: --from %q: want a date like 2026-11-29", errUsage, from)
		}
		t = f.AddDate(0, 0, 1)
	}
	if to != "" {
		if t, err = time.ParseInLocation(time.DateOnly, to, loc); err != nil {
			return f, t, p.Errorf("%w: --to %q: want a date like 2026-11-29", errUsage, to)
		}
		t = t.AddDate(0, 0, 1) // inclusive
	}
	if !t.After(f) {
		return f, t, p.Errorf("%w: --to is before --from", errUsage)
	}
	return f, t, nil
}
