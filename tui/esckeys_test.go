package tui

import (
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// keyRecorder is a tiny root model that records the key presses it gets,
// as "keystroke|text".
type keyRecorder struct {
	mu   sync.Mutex
	keys []string
}

func (r *keyRecorder) Init() tea.Cmd { return nil }
func (r *keyRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		r.mu.Lock()
		r.keys = append(r.keys, k.Keystroke()+"|"+k.Text)
		r.mu.Unlock()
	}
	return r, nil
}
func (r *keyRecorder) View() tea.View { return tea.NewView("") }

func (r *keyRecorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.keys)
}

// feed runs a real Program reading a pipe, writes the chunks with gap
// between them, waits until want key presses arrived (or a second went
// by) and returns what the model received.
func feed(t *testing.T, wrap bool, gap time.Duration, want int, chunks ...string) []string {
	t.Helper()
	pr, pw := io.Pipe()
	rec := &keyRecorder{}
	var root tea.Model = rec
	if wrap {
		root = SplitEsc(rec)
	}
	p := tea.NewProgram(root, tea.WithInput(pr), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	for i, c := range chunks {
		if i > 0 {
			time.Sleep(gap)
		}
		if _, err := pw.Write([]byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(time.Second); len(rec.got()) < want && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(60 * time.Millisecond) // anything more: past the 50ms Esc timeout
	p.Quit()
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return rec.got()
}

// TestEscThenKeyThroughRealInput is issue 10 item 16: Esc followed within
// 50ms by another key, as a POS keyboard sends it, through Bubble Tea's
// real input path.
func TestEscThenKeyThroughRealInput(t *testing.T) {
	cases := []struct {
		name   string
		chunks []string // written with gap between them
		gap    time.Duration
		bare   []string // what Bubble Tea delivers on its own
		split  []string // what the counter gets through SplitEsc
	}{
		{"esc a, one write", []string{"\x1ba"}, 0, []string{"alt+a|"}, []string{"esc|", "a|a"}},
		{"esc then a 5ms later", []string{"\x1b", "a"}, 5 * time.Millisecond, []string{"alt+a|"}, []string{"esc|", "a|a"}},
		{"esc digits", []string{"\x1b123"}, 0, []string{"alt+1|", "2|2", "3|3"}, []string{"esc|", "1|1", "2|2", "3|3"}},
		{"esc enter", []string{"\x1b\r"}, 0, []string{"alt+enter|"}, []string{"esc|", "enter|"}},
		{"esc capital", []string{"\x1bS"}, 0, []string{"alt+shift+s|"}, []string{"esc|", "shift+s|S"}},
		{"esc esc", []string{"\x1b\x1b"}, 0, []string{"alt+esc|"}, []string{"esc|", "esc|"}},
		{"esc ctrl+c", []string{"\x1b\x03"}, 0, []string{"ctrl+alt+c|"}, []string{"esc|", "ctrl+c|"}},
		{"esc space", []string{"\x1b "}, 0, []string{"alt+space|"}, []string{"esc|", "space| "}},
		{"esc 汉", []string{"\x1b汉"}, 0, []string{"alt+汉|"}, []string{"esc|", "汉|汉"}},
		// A slow Esc was always fine and stays fine.
		{"esc, 100ms, a", []string{"\x1b", "a"}, 100 * time.Millisecond, []string{"esc|", "a|a"}, []string{"esc|", "a|a"}},
		// Keys without Esc pass through untouched.
		{"scan", []string{"6901234567892\r"}, 0, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "scan" {
				want := []string{}
				for _, c := range "6901234567892" {
					want = append(want, string(c)+"|"+string(c))
				}
				want = append(want, "enter|")
				tc.bare, tc.split = want, want
			}
			// With a gap under 50ms the bare result depends on the
			// scheduler (a loaded machine may deliver the halves apart),
			// so only the split result, right either way, is checked.
			timed := tc.gap > 0 && tc.gap < 50*time.Millisecond
			if got := feed(t, false, tc.gap, len(tc.bare), tc.chunks...); !timed && !slices.Equal(got, tc.bare) {
				t.Errorf("bare Bubble Tea delivered %q, the comment in esckeys.go says %q: the library changed, review the workaround", got, tc.bare)
			}
			if got := feed(t, true, tc.gap, len(tc.split), tc.chunks...); !slices.Equal(got, tc.split) {
				t.Errorf("through SplitEsc: %q, want %q", got, tc.split)
			}
		})
	}
}

// TestSplitEscKeepsOrder: the two halves reach the model before anything
// typed after them, and a real (unmodified) key is never split.
func TestSplitEscKeepsOrder(t *testing.T) {
	got := feed(t, true, 0, 5, "\x1b1", "23\r")
	if strings.Join(got, " ") != "esc| 1|1 2|2 3|3 enter|" {
		t.Fatalf("got %q", got)
	}
	if _, _, ok := SplitEscKey(tea.KeyPressMsg{Code: 'a', Text: "a"}); ok {
		t.Fatal("a plain key was split")
	}
	rec := &keyRecorder{}
	if UnwrapEsc(SplitEsc(rec)) != tea.Model(rec) || UnwrapEsc(rec) != tea.Model(rec) {
		t.Fatal("UnwrapEsc does not give back the model")
	}
}
