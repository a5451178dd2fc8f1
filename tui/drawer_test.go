package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// Issue 10 item 18: the drawer from the counter's reports screen, through
// the real register and store. A Z with nothing to close is refused
// (before any prompt); the shift opens with a counted float; pay in and
// pay out need an amount and a reason (a pay-out larger than the drawer
// holds is refused); a no-sale is logged with its reason; the Z asks for
// the count with the report hidden (a blind count) and only then shows
// what was expected and the difference; a second Z right after is
// refused, naming the last.
func TestDrawerFromTheCounter(t *testing.T) {
	st := newStore(t)
	m, _ := newModel(t, st)
	press(t, m, "f9", "z")
	if prompting(m) != nil || !strings.Contains(m.c.msg, "No Z taken: nothing to close") {
		t.Fatalf("empty Z: prompt %v msg %q", prompting(m), m.c.msg)
	}

	press(t, m, "o")
	typ(t, m, "SKU1006")
	press(t, m, "enter")
	if prompting(m) == nil || !strings.Contains(m.c.msg, `"SKU1006" is not an amount`) {
		t.Fatalf("a scan as the float: msg %q", m.c.msg)
	}
	typ(t, m, "200")
	press(t, m, "enter")
	if !strings.Contains(m.c.msg, "Shift opened with a float of ¥200.00") || !strings.Contains(viewText(m), "Shift opened") {
		t.Fatalf("float: %q\n%s", m.c.msg, viewText(m))
	}
	if cur[*reportsScreen](t, m).keys().shift.Enabled() {
		t.Fatal("o offered with a shift open")
	}

	press(t, m, "esc")
	sellCash(t, m, water) // 2.26 cash
	press(t, m, "f9", "i")
	typ(t, m, "50")
	press(t, m, "enter", "enter") // no reason
	if prompting(m) == nil || !strings.Contains(m.c.msg, "Say why") {
		t.Fatalf("pay in without a reason: %q", m.c.msg)
	}
	typ(t, m, "change from the bank, 50 in coins")
	press(t, m, "enter")
	if !strings.Contains(m.c.msg, "Paid in ¥50.00 (change from the bank, 50 in coins)") {
		t.Fatalf("pay in: %q", m.c.msg)
	}
	press(t, m, "u")
	typ(t, m, "1000")
	press(t, m, "enter")
	typ(t, m, "rent")
	press(t, m, "enter")
	if !m.c.msgErr || !strings.Contains(m.c.msg, "Nothing was recorded: that is more cash than the drawer should hold") {
		t.Fatalf("pay out too much: %q", m.c.msg)
	}
	press(t, m, "u")
	typ(t, m, "30")
	press(t, m, "enter")
	typ(t, m, "milk delivery")
	press(t, m, "enter", "d", "enter")
	if !strings.Contains(m.c.msg, "Say why") {
		t.Fatalf("no sale without a reason: %q", m.c.msg)
	}
	typ(t, m, "customer needs change")
	press(t, m, "enter")
	if !strings.Contains(m.c.msg, "No sale logged (customer needs change)") {
		t.Fatalf("no sale: %q", m.c.msg)
	}
	send(t, m, tea.WindowSizeMsg{Width: 120, Height: 40}) // the whole report
	x := viewText(m)
	for _, want := range []string{"Paid in (1)", "50.00", "Paid out (1)", "-30.00", "Drawer opened, no sale", "Expected in drawer               ¥222.26"} {
		if !strings.Contains(x, want) {
			t.Errorf("X report lacks %q:\n%s", want, x)
		}
	}

	press(t, m, "z")
	screen := viewText(m)
	if prompting(m) == nil || strings.Contains(screen, "Expected") || strings.Contains(screen, "222.26") ||
		!strings.Contains(screen, "count the cash in the drawer first") {
		t.Fatalf("not a blind count:\n%s", screen)
	}
	typ(t, m, "220")
	press(t, m, "enter")
	if q := asking(m); q == nil || !strings.Contains(q.text, "¥220.00 counted") || strings.Contains(viewText(m), "222.26") {
		t.Fatalf("asked %+v:\n%s", asking(m), viewText(m))
	}
	press(t, m, "y")
	r := cur[*reportsScreen](t, m).r
	if r.Kind != pos.ZReport || r.Number != 1 || r.Counted == nil || *r.Counted != 22000 || r.Expected != 22226 || r.Difference != -226 {
		t.Fatalf("Z %+v", r)
	}
	if !strings.Contains(m.c.msg, "Z report 1 stored. Counted ¥220.00, expected ¥222.26: ¥2.26 SHORT.") || !strings.Contains(viewText(m), "Difference") {
		t.Fatalf("msg %q\n%s", m.c.msg, viewText(m))
	}
	press(t, m, "z")
	if prompting(m) != nil || !strings.Contains(m.c.msg, "No Z taken: nothing to close") {
		t.Fatalf("second Z: prompt %v msg %q", prompting(m), m.c.msg)
	}
	evs, err := st.DrawerEvents()
	if err != nil || len(evs) != 0 {
		t.Fatalf("drawer events after the Z: %v %v", evs, err)
	}
}

// TestGoldenDrawer draws the reports screen with a shift, a pay-in, a
// pay-out and a no-sale, the blind count and the Z with its difference.
func TestGoldenDrawer(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := "-" + itoa(size.w) + "x" + itoa(size.h)
		m, _ := newModel(t, newStore(t))
		send(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		press(t, m, "f9", "o")
		typ(t, m, "200")
		press(t, m, "enter", "esc")
		sellCash(t, m, water)
		press(t, m, "f9", "i")
		typ(t, m, "50")
		press(t, m, "enter")
		typ(t, m, "change from the bank")
		press(t, m, "enter", "u")
		typ(t, m, "30")
		press(t, m, "enter")
		typ(t, m, "milk delivery")
		press(t, m, "enter", "d")
		typ(t, m, "customer needs change")
		press(t, m, "enter")
		golden(t, m, "reports-drawer"+suffix)
		press(t, m, "z")
		typ(t, m, "220")
		golden(t, m, "reports-blind"+suffix)
		press(t, m, "enter", "y")
		golden(t, m, "reports-z-counted"+suffix)
	}
}
