// Package bigtext draws text in a 3x5 pixel font with half blocks, three
// terminal rows high, so an amount or a payment's outcome reads from
// across the counter: the counter's pay screen and the customer display
// share it.
package bigtext

import "strings"

// glyphs is the font: digits, currency signs and the capitals a
// payment's outcome needs.
var glyphs = map[rune][5]string{
	'0': {"###", "# #", "# #", "# #", "###"},
	'1': {" # ", "## ", " # ", " # ", "###"},
	'2': {"###", "  #", "###", "#  ", "###"},
	'3': {"###", "  #", "###", "  #", "###"},
	'4': {"# #", "# #", "###", "  #", "  #"},
	'5': {"###", "#  ", "###", "  #", "###"},
	'6': {"###", "#  ", "###", "# #", "###"},
	'7': {"###", "  #", "  #", "  #", "  #"},
	'8': {"###", "# #", "###", "# #", "###"},
	'9': {"###", "# #", "###", "  #", "###"},
	'.': {" ", " ", " ", " ", "#"},
	',': {" ", " ", " ", " ", "#"},
	'-': {"   ", "   ", "###", "   ", "   "},
	'¥': {"# #", " # ", "###", " # ", " # "},
	'$': {" ##", "## ", " # ", " ##", "## "},
	'€': {" ##", "#  ", "## ", "#  ", " ##"},
	'£': {" ##", " # ", "###", " # ", "###"},
	// Letters, for a payment's outcome in big text.
	'A': {" # ", "# #", "###", "# #", "# #"},
	'C': {"###", "#  ", "#  ", "#  ", "###"},
	'D': {"## ", "# #", "# #", "# #", "## "},
	'E': {"###", "#  ", "## ", "#  ", "###"},
	'F': {"###", "#  ", "## ", "#  ", "#  "},
	'G': {"###", "#  ", "# #", "# #", "###"},
	'H': {"# #", "# #", "###", "# #", "# #"},
	'I': {"###", " # ", " # ", " # ", "###"},
	'L': {"#  ", "#  ", "#  ", "#  ", "###"},
	'N': {"## ", "# #", "# #", "# #", "# #"},
	'O': {"###", "# #", "# #", "# #", "###"},
	'P': {"## ", "# #", "## ", "#  ", "#  "},
	'R': {"## ", "# #", "## ", "# #", "# #"},
	'S': {"###", "#  ", "###", "  #", "###"},
	'T': {"###", " # ", " # ", " # ", " # "},
	'V': {"# #", "# #", "# #", "# #", " # "},
	'W': {"# #", "# #", "###", "###", "# #"},
	'X': {"# #", "# #", " # ", "# #", "# #"},
}

// Render draws s in the big font, three rows high. Characters it has no
// glyph for are left out, so the result is for emphasis beside the
// normal-size text, never instead of it.
func Render(s string) []string {
	var px [5]strings.Builder
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			continue
		}
		for i := range px {
			px[i].WriteString(g[i] + " ")
		}
	}
	rows := make([]string, 3)
	for r := range rows {
		top := px[2*r].String()
		bottom := ""
		if 2*r+1 < 5 {
			bottom = px[2*r+1].String()
		}
		var b strings.Builder
		for i := 0; i < len(top); i++ {
			t, u := top[i] == '#', i < len(bottom) && bottom[i] == '#'
			switch {
			case t && u:
				b.WriteRune('█')
			case t:
				b.WriteRune('▀')
			case u:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		rows[r] = strings.TrimRight(b.String(), " ")
	}
	return rows
}
