package customer

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/internal/fakeprinter"
	"github.com/tillpos/till/internal/screenqr"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/display"
)

var update = flag.Bool("update", false, "rewrite golden views")

var cny = pos.Currency{Code: "CNY", Exponent: 2}

const payload = "00020101021229300012CN.TILL.TEST0104T15204541153031565406104.505802CN5909TILL DEMO6007BEIJING63041A2B"

func cart(t *testing.T, n int) display.Snapshot {
	t.Helper()
	var c pos.Cart
	names := []string{"农夫山泉 550ml", "Eggs 10 pack", "红烧牛肉面", "Bread toast"}
	for i := range n {
		c.Lines = append(c.Lines, pos.Line{SKU: "S", Name: names[i%4], Qty: int64(1 + i%3), UnitPrice: pos.Money(200 + 150*i), TaxRate: 1300})
	}
	tot, err := pos.Price(c, true)
	if err != nil {
		t.Fatal(err)
	}
	return display.Scanning("Till Demo Shop", cny, tot)
}

func check(t *testing.T, view string, w, h int) []string {
	t.Helper()
	lines := strings.Split(ansi.Strip(view), "\n")
	if len(lines) > h {
		t.Errorf("%d lines on a %d-line screen", len(lines), h)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("line %q is wider than %d", l, w)
		}
	}
	return lines
}

func TestViewsFit(t *testing.T) {
	s := cart(t, 30)
	paid := s
	paid.State, paid.Paid, paid.Change, paid.Due = display.Paid, s.Total+5000, 5000, s.Total
	views := map[string]display.Snapshot{
		"idle": display.Welcome("Till Demo Shop", cny),
		"cart": cart(t, 3), "longcart": s, "paid": paid,
	}
	for name, snap := range views {
		for _, sz := range [][2]int{{80, 24}, {40, 12}, {120, 40}} {
			lines := check(t, Render(snap, true, sz[0], sz[1]), sz[0], sz[1])
			text := strings.Join(lines, "\n")
			switch name {
			case "cart", "longcart":
				if !strings.Contains(text, "TOTAL 合计") || !strings.Contains(text, receiptMoney(snap.Total)) {
					t.Errorf("%s %v: no total:\n%s", name, sz, text)
				}
			case "paid":
				if !strings.Contains(text, "Paid, thank you") || !strings.Contains(text, receiptMoney(paid.Change)) {
					t.Errorf("paid %v:\n%s", sz, text)
				}
			}
			if sz == [2]int{80, 24} {
				golden(t, name, text)
			}
		}
	}
	// the newest line is always on show
	long := check(t, Render(s, true, 80, 24), 80, 24)
	last := s.Lines[len(s.Lines)-1]
	if !strings.Contains(strings.Join(long, "\n"), last.Name+"  ") {
		t.Errorf("newest line %q not shown", last.Name)
	}
	if v := Render(s, false, 80, 24); !strings.Contains(v, "waiting for the counter") {
		t.Error("no word that the counter is gone")
	}
}

func receiptMoney(m pos.Money) string { return "¥" + m.Format(2) }

func golden(t *testing.T, name, text string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != text {
		t.Errorf("%s view changed:\n%s\nwant:\n%s", name, text, want)
	}
}

// qrRows cuts the QR code out of a stripped screen: the run of rows made
// of block characters only, with its common left margin removed.
func qrRows(lines []string) string {
	var rows []string
	margin := -1
	for _, l := range lines {
		t := strings.TrimRight(l, " ")
		if t == "" || strings.Trim(t, "█▀▄ ") != "" || !strings.Contains(t, "█") {
			if len(rows) > 0 {
				break
			}
			continue
		}
		rows = append(rows, t)
		lead := len(t) - len(strings.TrimLeft(t, " "))
		if margin < 0 || lead < margin {
			margin = lead
		}
	}
	for i := range rows {
		rows[i] = rows[i][margin:]
	}
	return strings.Join(rows, "\n")
}

// TestPayQRDecodes reads the QR code back from what was drawn, at the
// smallest usual screen and a big one, and checks that it grows to use
// the room.
func TestPayQRDecodes(t *testing.T) {
	s := display.Paying(cart(t, 2), 450, payload, "EMV QR")
	var widths []int
	for _, sz := range [][2]int{{80, 24}, {160, 60}} {
		lines := check(t, Render(s, true, sz[0], sz[1]), sz[0], sz[1])
		if !strings.Contains(lines[0], "¥4.50") || !strings.Contains(lines[0], "请扫码付款") {
			t.Errorf("header %q", lines[0])
		}
		rows := qrRows(lines)
		img, err := screenqr.Image(rows, 4)
		if err != nil {
			t.Fatalf("%v: %v\n%s", sz, err, strings.Join(lines, "\n"))
		}
		got, err := fakeprinter.DecodeQR(img)
		if err != nil || got != payload {
			t.Fatalf("%v: decoded %q, %v", sz, got, err)
		}
		widths = append(widths, ansi.StringWidth(strings.Split(rows, "\n")[0]))
	}
	if widths[1] <= widths[0] {
		t.Errorf("QR did not grow with the screen: %v", widths)
	}
	small := Render(s, true, 30, 10)
	if !strings.Contains(small, "too small for the QR code") || !strings.Contains(small, "¥4.50") {
		t.Errorf("tiny screen:\n%s", small)
	}
}

// TestFollowsUpdates drives the model through its Cmds like the program
// does, from a channel of updates.
func TestFollowsUpdates(t *testing.T) {
	ch := make(chan display.Update, 1)
	m := New(ch)
	cmd := m.Init()
	ch <- display.Update{Snapshot: cart(t, 2), Connected: true}
	_, cmd = m.Update(cmd())
	if s, ok := m.Snapshot(); !ok || s.State != display.Cart {
		t.Fatalf("%+v %v", s, ok)
	}
	ch <- display.Update{Err: os.ErrNotExist}
	_, cmd = m.Update(cmd())
	if s, ok := m.Snapshot(); ok || s.State != display.Cart {
		t.Errorf("lost the screen on a disconnect: %+v %v", s, ok)
	}
	close(ch)
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if _, c := m.Update(msg); c == nil {
			t.Error("closed feed does not quit")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("cmd blocked")
	}
	if _, c := m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"}); c != nil {
		t.Error("a key other than q did something")
	}
	if _, c := m.Update(tea.KeyPressMsg{Code: 'q', Text: "q"}); c == nil {
		t.Error("q does not quit")
	}
}

// Weighed goods show their weight and price per unit, as the receipt
// does, never the raw thousandths.
func TestWeighedGoodsOnTheDisplay(t *testing.T) {
	c := pos.Cart{Lines: []pos.Line{{SKU: "SKU1027", Name: "Apple per kg", Qty: 1250, Unit: "kg", UnitPrice: 1280, TaxRate: 900}}}
	tot, err := pos.Price(c, true)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(check(t, Render(display.Scanning("Till Demo Shop", cny, tot), true, 80, 24), 80, 24), "\n")
	if !strings.Contains(text, "Apple per kg  1.250 kg x 12.80/kg") || strings.Contains(text, "1250") {
		t.Fatalf("weighed line:\n%s", text)
	}
}
