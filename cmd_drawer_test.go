package main

import (
	"strings"
	"testing"
)

// TestDrawerCommands is issue 10 item 18 for the command line: the
// float, a pay-in, a pay-out and a no-sale are stored with their reason,
// queued for head office and in the Z's expected cash; bad input is
// refused with one line and changes nothing; an empty Z is refused.
func TestDrawerCommands(t *testing.T) {
	db := newDB(t)
	out := mustOK(t, till(t, db, "shift", "open", "--float", "200"))
	if !strings.Contains(out, "shift open with a float of ¥200.00") {
		t.Fatalf("shift open: %s", out)
	}
	oneLineError(t, till(t, db, "shift", "open", "--float", "10"), "already open")
	mustOK(t, till(t, db, "sell", "--item", "SKU1006", "--cash", "100")) // 69.90 in cash

	out = mustOK(t, till(t, db, "drawer", "payin", "50", "--reason", "change from the bank"))
	if !strings.Contains(out, "paid in") || !strings.Contains(out, "¥50.00") || !strings.Contains(out, "change from the bank") {
		t.Fatalf("payin: %s", out)
	}
	mustOK(t, till(t, db, "drawer", "payout", "12.50", "--reason", "milk delivery"))
	out = mustOK(t, till(t, db, "drawer", "nosale", "--reason", "customer wanted coins"))
	if !strings.Contains(out, "no sale") || !strings.Contains(out, "customer wanted coins") {
		t.Fatalf("nosale: %s", out)
	}

	before := mustOK(t, till(t, db, "drawer", "list"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"drawer", "payin", "SKU1006", "--reason", "x"}, "letters are not part of an amount"},
		{[]string{"drawer", "payin", "5.001", "--reason", "x"}, "decimal places"},
		{[]string{"drawer", "payin", "0", "--reason", "x"}, "more than zero"},
		{[]string{"drawer", "payin", "5"}, "reason"},
		{[]string{"drawer", "payout", "5", "--reason", "   "}, "reason"},
		{[]string{"drawer", "nosale"}, "reason"},
		{[]string{"drawer", "payout", "10000", "--reason", "x"}, "more cash than the drawer should hold"},
		{[]string{"drawer", "refill", "5"}, "till drawer payin"},
		{[]string{"drawer", "payin"}, "AMOUNT"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) { oneLineError(t, till(t, db, c.args...), c.want) })
	}
	if r := till(t, db, "drawer"); r.code != 2 {
		t.Errorf("till drawer with nothing: exit %d", r.code)
	}
	after := mustOK(t, till(t, db, "drawer", "list"))
	if after != before {
		t.Fatalf("refused commands changed the drawer:\n%s\n---\n%s", before, after)
	}
	for _, want := range []string{"float", "¥200.00", "paid in", "paid out", "¥12.50", "milk delivery", "no sale", "4 drawer events since the last Z report"} {
		if !strings.Contains(after, want) {
			t.Fatalf("drawer list lacks %q:\n%s", want, after)
		}
	}

	// Expected = 200.00 float + 69.90 cash sales + 50.00 in - 12.50 out.
	z := mustOK(t, till(t, db, "report", "z", "--counted", "307.00"))
	if !strings.Contains(z, "¥307.40") || !strings.Contains(z, "-¥0.40") {
		t.Fatalf("Z report:\n%s", z)
	}
	oneLineError(t, till(t, db, "report", "z", "--counted", "0"), "nothing to close")
	if out := mustOK(t, till(t, db, "drawer", "list")); !strings.Contains(out, "0 drawer events") {
		t.Fatalf("drawer list after the Z: %s", out)
	}
	// Float, sale, pay-in, pay-out, no-sale and the Z wait for head office.
	if out := mustOK(t, till(t, db, "outbox", "list")); !strings.HasPrefix(out, "6 waiting") {
		t.Fatalf("outbox: %s", out)
	}
}
