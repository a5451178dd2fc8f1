package i18n

// BareConsole says whether Till runs on the Linux virtual console
// ($TERM is "linux") at the machine itself: its kernel font has no CJK
// glyphs, so Chinese shows as blanks or diamonds. Over SSH the glyphs
// are drawn by the terminal at the other end; fbterm and kmscon, which
// can draw them, set another $TERM. getenv is os.Getenv.
func BareConsole(getenv func(string) string) bool {
	return getenv("TERM") == "linux" && getenv("SSH_CONNECTION") == "" && getenv("SSH_CLIENT") == "" && getenv("SSH_TTY") == ""
}

// BareConsoleNotice is what Till prints, in English, before the counter
// opens on a bare console in Chinese: it runs in English instead.
const BareConsoleNotice = `till: this is the Linux console, which cannot draw Chinese characters, so
the counter screen is in English this time (receipts keep their language).
To run it in Chinese, use a terminal emulator with a CJK font (for example
GNOME Terminal or xterm with Noto Sans CJK, or fbterm on the console), or
connect to this machine over SSH from one. language = "en" in the config
makes English the choice and silences this notice.
`

// BareConsoleLine is the same, short enough for the counter's message
// line at 80 columns.
const BareConsoleLine = "No Chinese on this console: English. Use a CJK terminal or SSH (see stderr)."
