package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestChineseCounter is a day at a Chinese counter in the real binary at
// 80x24, with language = "zh" in the config: 可口可乐 found by typing kl
// (no input method), sold, paid in cash, and the day closed with a Z
// report, every step read off the screen in Chinese, no line wider than
// the terminal.
func TestChineseCounter(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary in tmux for several seconds; skipped under -short")
	}
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "till.db"), filepath.Join(dir, "till.toml")
	if err := os.WriteFile(cfg, []byte("language = \"zh\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startCounterEnv(t, db, []string{"TILL_LANGUAGE="}, "--config", cfg)
	c.waitFor("扫码或输入名称")
	c.typeText("kl")
	s := c.waitFor("可口可乐 330ml")
	if !strings.Contains(s, "个结果") {
		t.Fatalf("no search matches listed for kl:\n%s", s)
	}
	c.keys("Enter")
	c.waitFor("已加 可口可乐 330ml")
	c.keys("F12")
	c.waitFor("收到现金")
	c.keys("F10")
	s = c.waitFor("小票 1 已保存")
	for _, want := range []string{"小票 000001", "合计", "¥3.00"} {
		if !strings.Contains(s, want) {
			t.Fatalf("receipt screen lacks %q:\n%s", want, s)
		}
	}
	c.keys("Escape")
	c.waitFor("扫码或输入名称")
	c.keys("F9")
	c.waitFor("X 报表（当日至今，未日结）")
	c.keys("z")
	c.waitFor("钱箱里点出的现金（回车跳过）")
	c.keys("Enter")
	c.waitFor("出 Z 报表并日结吗？")
	c.keys("y")
	s = c.waitFor("Z 报表 1 已保存；当日已结。")
	if !strings.Contains(s, "Z 报表 1（已日结）") {
		t.Fatalf("Z report screen:\n%s", s)
	}
	for i, l := range strings.Split(s, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d cells: %q", i+1, w, l)
		}
	}
	c.quit()

	// The command line speaks the config's language too.
	out := tillEnv(t, db, []string{"TILL_LANGUAGE="}, "--config", cfg, "sales")
	if !strings.Contains(out, "共 1 笔销售") || !strings.Contains(out, "1 件") {
		t.Errorf("till sales:\n%s", out)
	}
}

// TestLinuxConsoleFallsBackToEnglish: on the bare Linux console, whose
// font has no Chinese, a Chinese counter opens in English and says why,
// in English, on the message line and on standard error.
func TestLinuxConsoleFallsBackToEnglish(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary in tmux; skipped under -short")
	}
	db := filepath.Join(t.TempDir(), "till.db")
	c := startCounterEnv(t, db, []string{"TILL_LANGUAGE=zh", "TERM=linux", "SSH_CONNECTION=", "SSH_CLIENT=", "SSH_TTY="})
	s := c.waitFor("No Chinese on this console")
	if !strings.Contains(s, "Scan or type a name") || strings.Contains(s, "扫码") {
		t.Fatalf("the console counter is not in English:\n%s", s)
	}
	c.quit()
	if b, _ := os.ReadFile(c.stderr); !strings.Contains(string(b), "cannot draw Chinese characters") || !strings.Contains(string(b), "SSH") {
		t.Fatalf("stderr does not say why and how:\n%s", b)
	}
}
