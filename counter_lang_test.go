package main

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/tui"
)

// On the Linux console a Chinese counter opens in English and says why
// and how to run it in Chinese; anywhere else, and in English, nothing
// changes.
func TestBareConsoleFallsBackToEnglish(t *testing.T) {
	for _, c := range []struct {
		term, ssh string
		lang      i18n.Lang
		want      i18n.Lang
	}{
		{"linux", "", i18n.Chinese, i18n.English},
		{"linux", "10.0.0.2 5000 10.0.0.1 22", i18n.Chinese, i18n.Chinese},
		{"xterm-256color", "", i18n.Chinese, i18n.Chinese},
		{"linux", "", i18n.English, i18n.English},
	} {
		var stderr bytes.Buffer
		e := &env{stderr: &stderr, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		deps := tui.Deps{Lang: c.lang, ReceiptLang: i18n.ReceiptLang{Lang: c.lang}}
		getenv := func(k string) string {
			return map[string]string{"TERM": c.term, "SSH_CONNECTION": c.ssh}[k]
		}
		onBareConsole(e, &deps, getenv)
		if deps.Lang != c.want || deps.ReceiptLang.Lang != c.lang {
			t.Errorf("TERM=%s ssh=%q %s: screen %s receipts %s, want %s and %s", c.term, c.ssh, c.lang, deps.Lang, deps.ReceiptLang.Lang, c.want, c.lang)
		}
		told := stderr.String()
		switched := c.lang != c.want
		if switched != (told != "") || switched != (deps.Notice != "") {
			t.Errorf("TERM=%s ssh=%q %s: notice %q, message line %q", c.term, c.ssh, c.lang, told, deps.Notice)
		}
		if switched && (!strings.Contains(told, "cannot draw Chinese") || !strings.Contains(told, "SSH") || !strings.Contains(told, "CJK font")) {
			t.Errorf("the notice does not say what and how: %q", told)
		}
	}
}
