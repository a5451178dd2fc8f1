// Package safetext makes user data safe to write to a terminal: a SKU or
// a name from an imported file may carry escape sequences that retitle
// or reprogram the terminal, or bidi overrides that make it read
// differently from what it is. Terminal escapes every such character so
// that it shows as a visible escape instead of acting.
package safetext

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Terminal returns s with every character that is not printable text
// written as an escape: \x1b, \u202e, \u200b. Tab stays a tab; newlines
// and carriage returns are escaped, so one value stays on one line.
// Backslashes are left alone: the result is for a human reader.
func Terminal(s string) string { return escape(s, false) }

// Lines is Terminal for text of several lines: newlines are kept.
func Lines(s string) string { return escape(s, true) }

func escape(s string, lines bool) string {
	if clean(s, lines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' || (r == '\n' && lines) || !Hidden(r):
			b.WriteRune(r)
		default:
			b.WriteString(Escape(r))
		}
		i += n
	}
	return b.String()
}

func clean(s string, lines bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && !(c == '\n' && lines)) || c >= 0x7f {
			return false
		}
	}
	return true
}

// Writer escapes, as Lines does, everything written through it to W: for
// a command's output of user data when it goes to a terminal. A
// character split across two writes is held back until it is whole.
type Writer struct {
	W    io.Writer
	part []byte
}

func (w *Writer) Write(p []byte) (int, error) {
	data := p
	if len(w.part) > 0 {
		data = append(w.part, p...)
		w.part = nil
	}
	cut := len(data)
	for back := 1; back <= utf8.UTFMax && back <= len(data); back++ {
		c := data[len(data)-back]
		if c < 0x80 {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(data[len(data)-back:]) {
				cut = len(data) - back
			}
			break
		}
	}
	w.part = append(w.part, data[cut:]...)
	if _, err := io.WriteString(w.W, Lines(string(data[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Hidden reports whether r acts or hides rather than shows: a control
// character (C0, DEL, C1), a bidi control (embedding, override, isolate,
// marks), a zero-width character, a byte-order mark, another format
// character (Unicode's Cf) or a line or paragraph separator, or anything
// else that is not graphic.
func Hidden(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r >= 0x200b && r <= 0x200d, r == 0xfeff, r == 0x2060:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	case unicode.Is(unicode.Cf, r):
		return true
	}
	return !unicode.IsGraphic(r)
}

// Escape writes one character as Go would in a quoted string: \x1b for
// an ASCII control, \u202e or \U000e0001 above.
func Escape(r rune) string {
	switch {
	case r < 0x80:
		return fmt.Sprintf(`\x%02x`, r)
	case r <= 0xffff:
		return fmt.Sprintf(`\u%04x`, r)
	}
	return fmt.Sprintf(`\U%08x`, r)
}
