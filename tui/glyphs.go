package tui

import (
	"strings"

	"charm.land/bubbles/v2/progress"
	"github.com/tillpos/till/i18n"
)

// narrowGlyphs replaces, on a Chinese counter, the characters whose
// width East Asian terminals disagree on ("ambiguous": a CJK font or
// locale draws them two cells wide, others one) by ones of the same
// width everywhere, one cell for one cell, so no line of a frame grows
// or shifts: a rule of ─ becomes -, … becomes ⋯ (neutral width), · a
// |. The QR code's block elements are left alone: they must stay solid
// (qrtext says why), and a terminal that widens them cannot show a code
// anyway.
var narrowGlyphs = strings.NewReplacer(
	"─", "-", "…", "⋯", "·", "|", "×", "x", "↑", "^", "↓", "v", "←", "<", "→", ">",
	"—", "-", "–", "-", "•", "*", "°", "o",
)

// glyphs is frame with narrowGlyphs applied on a Chinese counter; an
// English one keeps its box drawing.
func (c *common) glyphs(frame string) string {
	if c.p.Lang() == i18n.English {
		return frame
	}
	return narrowGlyphs.Replace(frame)
}

// narrow sets, on a Chinese counter, the blocks that are not part of a
// QR code to characters of one width everywhere: the typing cursor and
// the sync progress bar.
func (c *common) narrow() {
	if c.p.Lang() == i18n.English {
		return
	}
	c.st.cursor = "_"
	c.sync.bar = progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('#', '.'))
}
