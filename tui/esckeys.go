package tui

// Esc followed quickly by another key (issue 10 item 16).
//
// What happens. A terminal without the kitty keyboard protocol sends the
// Esc key as the single byte ESC (0x1b), and Alt+key as ESC followed by
// the key's bytes. Bubble Tea v2 reads input through ultraviolet's
// TerminalReader (charm.land/bubbletea/v2@v2.1.1 tty.go:75,
// uv.NewTerminalReader; github.com/charmbracelet/ultraviolet at
// v0.0.0-20261008173134-6b8d4baf91b4), which cannot tell the two apart
// except by time:
//
//   - ultraviolet terminal_reader.go:27: DefaultEscTimeout is 50ms;
//     Bubble Tea never changes it and offers no option to.
//   - decoder.go:240-272 (EventDecoder.Decode): ESC followed by anything
//     that is not the start of a control sequence (O, P, [, ], _, ^, X)
//     decodes as that key with ModAlt added and its Text cleared
//     (decoder.go:261-266: k.Text = ""; k.Mod |= ModAlt).
//   - terminal_reader.go:369-372 (scanEvents): an ESC event of at most two
//     bytes waits for more input until the timeout; when the next byte
//     comes within 50ms, both become one alt+key event.
//
// So Esc then "a" within 50ms arrives as one KeyPressMsg "alt+a" with no
// Text; Esc then "1" as "alt+1"; Esc then Enter as "alt+enter"; Esc then
// Esc as "alt+esc"; Esc then ctrl+c as "ctrl+alt+c". Till binds no alt
// keys and its input line takes only unmodified text, so both keys were
// lost. Programmable POS keyboards send such pairs (a "back to sale" key
// that types Esc and a digit) in well under 50ms. The test in
// esckeys_test.go feeds these bytes through tea.NewProgram with a pipe as
// input and shows what arrives, with and without the fix below.
//
// The fix. Till has no use for Alt, so an alt+key press is read as Esc
// followed by the key, which is what the bytes were. SplitEsc wraps the
// root model and hands it the two key presses in order, in the same
// Update, so nothing typed after them can overtake the second key (a
// tea.WithFilter filter cannot do this: it returns one message, and a
// tea.Sequence it returned would run on another goroutine, letting the
// next scanned character arrive first).
//
// What it cannot recover: Esc followed within 50ms by "[", "O", "P", "]",
// "_", "^" or "X" and more bytes is read as a control sequence (Esc "O"
// "P" is F1, Esc "[" "A" is the up arrow); and Esc followed by a
// multi-rune grapheme (an emoji with a modifier) loses the grapheme's
// text. Neither comes from a POS keyboard's Esc-prefixed keys in practice.
// A terminal with the kitty keyboard protocol sends Esc as its own
// sequence and has no such ambiguity; the split is then only ever applied
// to a real Alt+key, which Till does not use either.

import (
	"unicode"

	tea "charm.land/bubbletea/v2"
)

// SplitEscKey reports whether k is an alt+key press that the terminal
// sent as ESC and a key, and if so returns the two presses: Esc, then the
// key with its text restored.
func SplitEscKey(k tea.KeyPressMsg) (esc, key tea.KeyPressMsg, ok bool) {
	if k.Mod&tea.ModAlt == 0 {
		return tea.KeyPressMsg{}, tea.KeyPressMsg{}, false
	}
	key = k
	key.Mod &^= tea.ModAlt
	key.Text = ""
	switch {
	case key.Code == tea.KeySpace && key.Mod == 0:
		key.Text = " "
	case key.Code < tea.KeyExtended && unicode.IsPrint(key.Code) && key.Code != ' ':
		switch {
		case key.Mod == 0:
			key.Text = string(key.Code)
		case key.Mod == tea.ModShift && key.ShiftedCode != 0:
			key.Text = string(key.ShiftedCode)
		}
	}
	return tea.KeyPressMsg{Code: tea.KeyEscape}, key, true
}

// SplitEsc wraps a root model so that Esc followed quickly by another key
// reaches it as two key presses, not as one alt+key that nothing handles.
// Run the counter as tea.NewProgram(SplitEsc(&m), ...).
func SplitEsc(m tea.Model) tea.Model { return &escSplitter{inner: m} }

// UnwrapEsc returns the model SplitEsc wrapped (for the final model that
// Program.Run returns), or m itself if it is not wrapped.
func UnwrapEsc(m tea.Model) tea.Model {
	if s, ok := m.(*escSplitter); ok {
		return s.inner
	}
	return m
}

type escSplitter struct{ inner tea.Model }

func (s *escSplitter) Init() tea.Cmd  { return s.inner.Init() }
func (s *escSplitter) View() tea.View { return s.inner.View() }

func (s *escSplitter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, isKey := msg.(tea.KeyPressMsg); isKey {
		if esc, key, ok := SplitEscKey(k); ok {
			var first, second tea.Cmd
			s.inner, first = s.inner.Update(esc)
			s.inner, second = s.inner.Update(key)
			return s, tea.Batch(first, second)
		}
	}
	var cmd tea.Cmd
	s.inner, cmd = s.inner.Update(msg)
	return s, cmd
}
