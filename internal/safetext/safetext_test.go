package safetext

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestTerminal(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":             "plain text",
		"绿茶 500g":                "绿茶 500g",
		"a\tb":                   "a\tb",
		"\x1b]0;pwned\x07":       `\x1b]0;pwned\x07`,
		"Tea\u202egnp.exe":       `Tea\u202egnp.exe`,
		"a\u200bb\ufeffc\u2060d": `a\u200bb\ufeffc\u2060d`,
		"line\nbreak\r":          `line\x0abreak\x0d`,
		"bad\xffutf8":            `bad\xffutf8`,
		"c1\u009bx":              `c1\u009bx`,
		"tag\U000e0041":          `tag\U000e0041`,
	} {
		if got := Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Lines("a\nb\x1b"); got != "a\nb\\x1b" {
		t.Errorf("Lines kept %q", got)
	}
}

// Writer escapes across writes, even with a character split between two.
func TestWriterSplitRunes(t *testing.T) {
	in := "茶\u202e\x1b[2Jok\n"
	for cut := 0; cut <= len(in); cut++ {
		var b bytes.Buffer
		w := &Writer{W: &b}
		_, _ = io.WriteString(w, in[:cut])
		_, _ = io.WriteString(w, in[cut:])
		if got, want := b.String(), "茶\\u202e\\x1b[2Jok\n"; got != want {
			t.Fatalf("cut at %d: %q, want %q", cut, got, want)
		}
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)": "'=SUM(A1)", "+1+1": "'+1+1", "-2+3": "'-2+3", "@cmd": "'@cmd",
		"\tx": "'\tx", "\rx": "'\rx", "-3": "-3", "+12.50": "+12.50", "-9%": "-9%",
		"13%": "13%", "Tea": "Tea", "": "", "a=b": "a=b",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNeutralCSV(t *testing.T) {
	var b bytes.Buffer
	err := NeutralCSV(&b, func(w io.Writer) error {
		_, err := io.WriteString(w, "sku,name\n=1+1,\"@a, b\"\nX,-5\n")
		return err
	})
	if err != nil || b.String() != "sku,name\n'=1+1,\"'@a, b\"\nX,-5\n" {
		t.Fatalf("%q %v", b.String(), err)
	}
	boom := errors.New("boom")
	err = NeutralCSV(io.Discard, func(w io.Writer) error {
		_, _ = io.WriteString(w, "a,b\n")
		return boom
	})
	if !errors.Is(err, boom) || strings.Count(err.Error(), "boom") != 1 {
		t.Fatalf("write's error: %v", err)
	}
}
