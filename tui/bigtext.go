package tui

import "github.com/tillpos/till/tui/bigtext"

// bigText renders s in the big font (package bigtext), three rows high.
func bigText(s string) []string { return bigtext.Render(s) }
