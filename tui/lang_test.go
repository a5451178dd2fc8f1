package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos/register"
	"golang.org/x/text/width"
)

// testLang is the language the counters of the tests speak: English,
// unless TestGoldenChinese runs the golden tests again in Chinese.
var testLang = i18n.Lang(os.Getenv("TILL_TEST_LANG"))

// goldenTests are the tests that draw golden frames.
const goldenTests = "^(TestGolden|TestGoldenScreens|TestGoldenDrawer|TestGoldenRefunds|TestGoldenPayStates|TestGoldenStaff|TestGoldenSellWeighed|TestGoldenOverride)$"

// TestGoldenChinese draws every golden frame again on a counter that
// speaks Chinese, into testdata/zh (go test -update rewrites them too):
// it runs the golden tests in a child test process with TILL_TEST_LANG=zh,
// where golden also checks that no line holds a character of ambiguous
// width.
func TestGoldenChinese(t *testing.T) {
	if testLang != "" {
		t.Skip("already the child")
	}
	args := []string{"-test.run", goldenTests, "-test.count=1"}
	if *update {
		args = append(args, "-update")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "TILL_TEST_LANG=zh")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the golden tests in Chinese: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "PASS") {
		t.Fatalf("the golden tests in Chinese ran nothing:\n%s", out)
	}
}

// newModelLang is newModel for a counter speaking lang, on a new store.
func newModelLang(t testing.TB, lang i18n.Lang) *Model {
	t.Helper()
	return newModelIn(t, newStore(t), lang)
}

// newModelIn is newModel for a counter speaking lang.
func newModelIn(t testing.TB, st *tilltest.Store, lang i18n.Lang) *Model {
	t.Helper()
	reg := register.New(st.Store, cny, false, "alice")
	c := &clock{t: testNow}
	reg.Now = c.now
	m := New(Deps{Store: st, Seller: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc, Lang: lang,
		Now: c.now, ReceiptDir: filepath.Join(t.TempDir(), "receipts")})
	start(t, m)
	return m
}

// ambiguous lists the runes of s whose width East Asian terminals
// disagree on: the counter's own rules, marks and arrows. A QR code's
// block elements are left out (qrtext), and so are letters, which come
// from the goods' names (Café), not from the counter.
func ambiguous(s string) []string {
	var out []string
	qr := strings.ContainsAny(s, "▀▄") || strings.Contains(s, "██") // a row of a QR code
	for _, r := range s {
		if width.LookupRune(r).Kind() == width.EastAsianAmbiguous && !(qr && strings.ContainsRune("█▀▄", r)) && !unicode.IsLetter(r) {
			out = append(out, string(r))
		}
	}
	return out
}

// A Chinese counter's frame speaks Chinese where it has been moved onto
// the catalog and holds no character of ambiguous width; an English one
// keeps its box drawing.
func TestChineseFrame(t *testing.T) {
	zh := newModelLang(t, i18n.Chinese)
	scan(t, zh, water)
	frame := ansi.Strip(zh.View().Content)
	if !strings.Contains(frame, "未同步 0") || !strings.Contains(frame, " Till | Corner Shop") {
		t.Errorf("status line not in Chinese:\n%s", frame)
	}
	if amb := ambiguous(frame); len(amb) > 0 {
		t.Errorf("ambiguous-width characters %q in:\n%s", amb, frame)
	}
	for i, l := range strings.Split(frame, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d cells: %q", i+1, w, l)
		}
	}
	press(t, zh, "?")
	if frame := ansi.Strip(zh.View().Content); !strings.Contains(frame, "帮助") || !strings.Contains(frame, "挂单") {
		t.Errorf("help not in Chinese:\n%s", frame)
	}

	en := newModelLang(t, i18n.English)
	if frame := ansi.Strip(en.View().Content); !strings.Contains(frame, "─") || !strings.Contains(frame, "unsynced 0") {
		t.Errorf("the English frame changed:\n%s", frame)
	}
}

// The notice the caller gives is on the message line when the counter
// opens.
func TestNotice(t *testing.T) {
	st := newStore(t)
	m := New(Deps{Store: st, Seller: register.New(st.Store, cny, false, "a"), Currency: cny, Notice: i18n.BareConsoleLine})
	start(t, m)
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if frame := ansi.Strip(m.View().Content); !strings.Contains(frame, i18n.BareConsoleLine) {
		t.Errorf("no notice:\n%s", frame)
	}
}

func TestNarrowGlyphs(t *testing.T) {
	in := "─ 3 matches (↑↓ pick) · 2 × 可乐…"
	out := narrowGlyphs.Replace(in)
	if ansi.StringWidth(out) != ansi.StringWidth(in) || len(ambiguous(out)) > 0 {
		t.Errorf("%q -> %q", in, out)
	}
}

// The counter finds 可口可乐 by its pinyin initials, without a Chinese
// input method: the catalog index is pos/search's.
func TestPinyinSearchAtTheCounter(t *testing.T) {
	m := newModelLang(t, i18n.Chinese)
	typ(t, m, "kl")
	if frame := ansi.Strip(m.View().Content); !strings.Contains(frame, "可口可乐 330ml") {
		t.Fatalf("kl does not find 可口可乐:\n%s", frame)
	}
	press(t, m, "enter")
	if len(m.c.cart.Lines) != 1 || m.c.cart.Lines[0].SKU != "SKU1003" {
		t.Fatalf("cart %+v, want the cola", m.c.cart.Lines)
	}
}
