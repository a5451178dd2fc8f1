package customer

import "strings"

// glyphs is a 3x5 pixel font for amounts, drawn with half blocks into
// three text rows so the total reads from across the counter.
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
	'-': {"   ", "   ", "###", "   ", "   "},
	'¥': {"# #", " # ", "###", " # ", " # "},
	'$': {" ##", "## ", " # ", " ##", "## "},
	'€': {" ##", "#  ", "## ", "#  ", " ##"},
	'£': {" ##", " # ", "###", " # ", "###"},
}

// big renders s in the big font, three rows high; characters without a
// glyph are left out, so it only ever repeats text shown normally too.
func big(s string) []string {
	var px [6]strings.Builder
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			continue
		}
		for i := range 5 {
			px[i].WriteString(g[i] + " ")
		}
	}
	rows := make([]string, 3)
	for r := range rows {
		top, bottom := px[2*r].String(), px[2*r+1].String()
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
