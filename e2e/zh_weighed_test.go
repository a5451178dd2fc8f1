package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
)

// TestChineseCounterByWeight is issue 13's day for a cashier who reads no
// English, in the real binary at 80x24 with language = "zh": 可口可乐
// found by kl, apples sold by weight, a scale label, paid in cash, 0.5 kg
// of apples refunded, and the day closed with a Z report; every step is
// read off the screen in Chinese and no line is wider than the terminal.
func TestChineseCounterByWeight(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the real binary in tmux for several seconds; skipped under -short")
	}
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "till.db"), filepath.Join(dir, "till.toml")
	if err := os.WriteFile(cfg, []byte("language = \"zh\"\n[[scale]]\nformat = \"21PPPPPWWWWWC\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startCounterEnv(t, db, []string{"TILL_LANGUAGE="}, "--config", cfg)
	fits := func(s string) {
		t.Helper()
		for i, l := range strings.Split(s, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("line %d is %d cells: %q", i+1, w, l)
			}
		}
	}
	c.waitFor("扫码或输入名称")
	c.typeText("kl")
	c.waitFor("可口可乐 330ml")
	c.keys("Enter")
	c.waitFor("已加 可口可乐 330ml")

	c.typeText("6900012354624") // 苹果, 12.00/kg
	c.keys("Enter")
	fits(c.waitFor("的重量，单位 kg"))
	c.typeText("1.25")
	c.keys("Enter")
	fits(c.waitFor("1.250 kg"))

	label := "210102800875" // 香蕉 (PLU 1028), 0.875 kg
	label += string(pos.GTINCheckDigit(label))
	c.typeText(label)
	c.keys("Enter")
	if s := c.waitFor("0.875 kg"); !strings.Contains(s, "¥24.11") { // 3.00 + 15.00 + 6.11
		t.Fatalf("after the label:\n%s", s)
	}
	bad := label[:12] + string('0'+(label[12]-'0'+1)%10)
	c.typeText(bad)
	c.keys("Enter")
	fits(c.waitFor("校验位错误"))
	c.keys("Escape")

	c.keys("F12")
	c.waitFor("收到现金")
	c.typeText("50")
	c.keys("Enter")
	s := c.waitFor("找零 ¥25.89")
	fits(s)
	for _, want := range []string{"1.250 kg x 12.00/kg", "0.875 kg x 6.98/kg", "小票 000001"} {
		if !strings.Contains(s, want) {
			t.Fatalf("receipt lacks %q:\n%s", want, s)
		}
	}
	c.keys("Escape")
	c.waitFor("购物车是空的")

	c.keys("F8")
	c.waitFor("小票号，或扫小票")
	c.typeText("1")
	c.keys("Enter")
	c.waitFor("本次要退")
	c.keys("Down")
	c.keys("F2")
	c.waitFor("退多少（0-1.250 kg）")
	c.typeText("0.5")
	c.keys("Enter")
	c.waitFor("本次要退：1 件，¥6.00")
	c.keys("r")
	c.waitFor("确定吗？")
	c.keys("y")
	fits(c.waitFor("退还现金 ¥6.00"))
	c.keys("Escape")
	c.waitFor("购物车是空的")

	c.keys("F9")
	c.waitFor("X 报表")
	c.keys("z")
	c.waitFor("钱箱里点出的现金（回车跳过）")
	c.keys("Enter")
	c.waitFor("出 Z 报表并日结吗？")
	c.keys("y")
	fits(c.waitFor("Z 报表 1 已保存；当日已结。"))
	c.quit()

	sales := till(t, db, "export", "sales")
	for _, want := range []string{"SKU1027,", "SKU1028,", "1.250,kg", "0.875,kg"} {
		if !strings.Contains(sales, want) {
			t.Fatalf("database lacks %q:\n%s", want, sales)
		}
	}
}
