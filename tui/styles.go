package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// styles add emphasis only: every state they show is also in the text (a
// '>' marks the selected row, '!' an error, "LOW" low stock), so a
// terminal without colour loses nothing. Bubble Tea downgrades colours
// to what the terminal supports.
type styles struct {
	title, head, selected, err, info, dim, total, warn lipgloss.Style
	// cursor ends the text being typed: █, or _ on a Chinese counter
	// (glyphs.go says why).
	cursor string
}

func defaultStyles() styles {
	return styles{
		title:    lipgloss.NewStyle().Bold(true).Reverse(true),
		head:     lipgloss.NewStyle().Bold(true),
		selected: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("12")),
		err:      lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("9")),
		info:     lipgloss.NewStyle().Foreground(lipgloss.Color("10")),
		dim:      lipgloss.NewStyle().Faint(true),
		total:    lipgloss.NewStyle().Bold(true),
		warn:     lipgloss.NewStyle().Foreground(lipgloss.Color("11")),
		cursor:   "█",
	}
}

// fit truncates s to w display columns and pads it to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// right right-aligns s in w display columns.
func right(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// rule is a horizontal line w columns wide.
func rule(w int) string { return strings.Repeat("─", max(0, w)) }

// box pads or cuts lines to exactly h lines of width w.
func box(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

// count says "1 line" or "3 lines".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// wrapText breaks s into lines of at most w columns at spaces.
func wrapText(s string, w int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

func joinLines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }
