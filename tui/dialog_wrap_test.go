package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A question longer than the message line (a wallet refund's money at
// 80 columns) is wrapped onto the body's last rows, never cut with "…".
func TestLongQuestionIsWrappedNotCut(t *testing.T) {
	h := newHarness(t, Deps{})
	text := "Refund 1 item(s) of receipt 000001: ¥12.90 back to the WeChat Pay wallet + ¥3.00 back in cash. Go ahead?"
	d := &confirm{c: h.c, text: text}
	body, msg := d.frame([]string{"first", "second", "", ""}, "", 80)
	var words []string
	for i, l := range append(body, msg) {
		l = ansi.Strip(l)
		if ansi.StringWidth(l) > 80 || strings.Contains(l, "…") {
			t.Fatalf("line %d is cut or too wide: %q", i, l)
		}
		words = append(words, strings.Fields(l)...)
	}
	if ansi.Strip(body[0]) != "first" || ansi.Strip(body[1]) != "second" {
		t.Fatalf("the question took more rows than it needs: %q", body)
	}
	if got := strings.Join(words, " "); got != "first second ? "+text+" [y/n]" {
		t.Fatalf("the question on screen: %q", got)
	}
	// One that fits stays on the message line alone.
	short := &confirm{c: h.c, text: "Clear the whole cart (2 lines)?"}
	body, msg = short.frame([]string{"", ""}, "", 80)
	if strings.TrimSpace(ansi.Strip(body[1])) != "" || !strings.HasPrefix(ansi.Strip(msg), "? Clear the whole cart (2 lines)?  [y/n]") {
		t.Fatalf("short question: %q %q", body, msg)
	}
}
