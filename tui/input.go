package tui

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// lineInput is the one-line input of the sell, checkout and prompt
// screens. The cursor stays at the end: scanners and cashiers type, erase
// and press Enter, nothing else, so every character lands in order.
type lineInput struct {
	value string
	limit int // in runes; 0 means 120
}

// key applies an editing key and reports whether it was one.
func (in *lineInput) key(k tea.KeyPressMsg) bool {
	switch k.String() {
	case "backspace":
		if in.value != "" {
			_, n := utf8.DecodeLastRuneInString(in.value)
			in.value = in.value[:len(in.value)-n]
		}
		return true
	case "ctrl+u", "ctrl+w":
		in.value = ""
		return true
	}
	if k.Text != "" && k.Mod&^tea.ModShift == 0 {
		in.insert(k.Text)
		return true
	}
	return false
}

// insert adds typed or pasted text, dropping control characters.
func (in *lineInput) insert(s string) {
	limit := in.limit
	if limit == 0 {
		limit = 120
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	for _, r := range s {
		if utf8.RuneCountInString(in.value) >= limit {
			return
		}
		in.value += string(r)
	}
}

func (in *lineInput) reset() { in.value = "" }

func (in lineInput) view(st styles, prompt string, focused bool) string {
	cur := ""
	if focused {
		cur = st.cursor
	}
	return st.head.Render(prompt) + in.value + cur
}
