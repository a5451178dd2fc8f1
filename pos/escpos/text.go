package escpos

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var codePages = map[int]*charmap.Charmap{0: charmap.CodePage437, 19: charmap.CodePage858}

// printable maps a rune to what the printer can print: Chinese printers
// have GB2312/GBK fonts, so a rune that needs GB18030's four-byte form
// becomes '?' (the yen sign becomes the full-width ￥ they all have);
// a code-page printer gets '?' for anything its table lacks.
func (p Profile) printable(r rune) rune {
	if r < 0x20 || r == 0x7f {
		return ' '
	}
	if r < 0x80 {
		return r
	}
	if p.Chinese == ChineseNone {
		if _, ok := codePages[p.CodePage].EncodeRune(r); ok {
			return r
		}
		if r == '￥' {
			r = '¥'
			if _, ok := codePages[p.CodePage].EncodeRune(r); ok {
				return r
			}
		}
		return '?'
	}
	if r == '¥' {
		return '￥'
	}
	var buf [8]byte
	n, _, err := gbEncoder.Transform(buf[:], []byte(string(r)), true)
	if err != nil || n != 2 {
		return '?'
	}
	return r
}

var gbEncoder = simplifiedchinese.GB18030.NewEncoder()

// cells is the width of a printable rune on paper: a two-byte GB18030
// character prints as a full-width (two column) glyph in Hanzi mode,
// whatever a terminal makes of it; a code page prints one per byte.
func (p Profile) cells(r rune) int {
	if r >= 0x80 && p.Chinese != ChineseNone {
		return 2
	}
	return 1
}

// clean replaces what the printer cannot print.
func (p Profile) clean(s string) string {
	return strings.Map(p.printable, s)
}

// Width is the width of s in printer columns, after clean.
func (p Profile) Width(s string) int {
	w := 0
	for _, r := range p.clean(s) {
		w += p.cells(r)
	}
	return w
}

// encode turns cleaned text into printer bytes.
func (p Profile) encode(s string) []byte {
	var enc *encoding.Encoder
	if p.Chinese == ChineseNone {
		enc = codePages[p.CodePage].NewEncoder()
	} else {
		enc = simplifiedchinese.GB18030.NewEncoder()
	}
	b, err := enc.Bytes([]byte(s))
	if err != nil { // cannot happen after clean; never print garbage
		return []byte(strings.Repeat("?", utf8.RuneCountInString(s)))
	}
	return b
}

// truncate cuts s to at most w columns.
func (p Profile) truncate(s string, w int) (head, rest string) {
	n := 0
	for i, r := range s {
		c := p.cells(r)
		if n+c > w {
			return s[:i], s[i:]
		}
		n += c
	}
	return s, ""
}

// wrap breaks s into lines of at most w columns, at a space where one is
// near enough, else mid-word.
func (p Profile) wrap(s string, w int) []string {
	var out []string
	for p.Width(s) > w {
		head, rest := p.truncate(s, w)
		if i := strings.LastIndexByte(head, ' '); i > 0 && !strings.HasPrefix(rest, " ") {
			word, _, _ := strings.Cut(head[i+1:]+rest, " ")
			if p.Width(word) <= w {
				head, rest = head[:i], head[i+1:]+rest
			}
		}
		out = append(out, strings.TrimRight(head, " "))
		s = strings.TrimLeft(rest, " ")
		if s == "" {
			return out
		}
	}
	return append(out, s)
}

// Fit lays out one line of text rendered for another width (the screen
// receipt is 40 columns) in w printer columns: a rule of dashes becomes a
// rule of w, a centred line is centred again, a "left   right" line keeps
// its right part flush right (or on a line of its own when both do not
// fit), and anything else wraps.
func (p Profile) Fit(line string, w int) []string {
	line = strings.TrimRight(p.clean(line), " ")
	t := strings.TrimSpace(line)
	switch {
	case t == "":
		return []string{""}
	case len(t) >= 8 && strings.Trim(t, "-") == "":
		return []string{strings.Repeat("-", w)}
	case len(t) >= 8 && strings.Trim(t, "=") == "":
		return []string{strings.Repeat("=", w)}
	}
	if left, right, ok := splitColumns(line); ok {
		return p.columns(left, right, w)
	}
	if strings.HasPrefix(line, " ") {
		return p.center(t, w)
	}
	return p.wrap(line, w)
}

// splitColumns finds the last run of two or more spaces after text.
func splitColumns(line string) (left, right string, ok bool) {
	end := strings.LastIndex(line, "  ")
	if end < 0 {
		return "", "", false
	}
	start := end
	for start > 0 && line[start-1] == ' ' {
		start--
	}
	if strings.TrimSpace(line[:start]) == "" {
		return "", "", false
	}
	return line[:start], line[end+2:], true
}

func (p Profile) columns(left, right string, w int) []string {
	lw, rw := p.Width(left), p.Width(right)
	if lw+1+rw <= w {
		return []string{left + strings.Repeat(" ", w-lw-rw) + right}
	}
	out := p.wrap(left, w)
	if rw > w {
		return append(out, p.wrap(right, w)...)
	}
	return append(out, strings.Repeat(" ", w-rw)+right)
}

func (p Profile) center(s string, w int) []string {
	lines := p.wrap(s, w)
	for i, l := range lines {
		lines[i] = strings.Repeat(" ", (w-p.Width(l))/2) + l
	}
	return lines
}
