package main

import (
	"strings"
	"testing"
)

// TestAmountFlagsAreStrict is issue 10 item 2 for the command line: a
// scanned code in --cash is refused, not read as its digits, and every
// refusal says what is wrong.
func TestAmountFlagsAreStrict(t *testing.T) {
	db := newDB(t)
	before := mustOK(t, till(t, db, "sales"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sell", "--item", "SKU1001", "--cash", "SKU1006"}, "letters are not part of an amount"},
		{[]string{"sell", "--item", "SKU1001", "--cash", "10.005"}, "more than 2 decimal places"},
		{[]string{"sell", "--item", "SKU1001", "--discount", "1a"}, "letters"},
		{[]string{"shift", "open", "--float", "2OO"}, "letters"},
		{[]string{"report", "z", "--counted", "1,000"}, "separators"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) { oneLineError(t, till(t, db, c.args...), c.want) })
	}
	if after := mustOK(t, till(t, db, "sales")); after != before {
		t.Fatalf("refused amounts changed the sales:\n%s\n---\n%s", before, after)
	}
}

// TestCLIWords is issue 10 item 11 for the command line: money in the
// currency, items counted as goods.
func TestCLIWords(t *testing.T) {
	db := newDB(t)
	// Mineral water is 2.00 in the demo shop: 2 x 2.00 = 4.00, given 1.00.
	oneLineError(t, till(t, db, "sell", "--item", "SKU1001:2", "--cash", "1.00"), "¥1.00 given, ¥3.00 short")
	mustOK(t, till(t, db, "sell", "--item", "SKU1001:2", "--item", "SKU1021"))
	mustOK(t, till(t, db, "sell", "--item", "SKU1021"))
	list := mustOK(t, till(t, db, "sales"))
	if !strings.Contains(list, "3 items") || !strings.Contains(list, " 1 item ") || strings.Contains(list, "item(s)") {
		t.Fatalf("sales list counts lines, not goods:\n%s", list)
	}
}

// TestRefundByReceiptNumber is issue 10 item 8 for the command line.
func TestRefundByReceiptNumber(t *testing.T) {
	db := newDB(t)
	mustOK(t, till(t, db, "sell", "--item", "SKU1001:2"))
	mustOK(t, till(t, db, "sell", "--item", "SKU1021"))
	out := mustOK(t, till(t, db, "refund", "000001", "--line", "1:1", "--reason", "leaking"))
	if !strings.Contains(out, "Receipt 000003") || !strings.Contains(out, "Mineral water 550ml x1") || !strings.Contains(out, "Tax 13% incl.") {
		t.Fatalf("refund of receipt 1:\n%s", out)
	}
	oneLineError(t, till(t, db, "refund", "3"), "a refund, not a sale")
	oneLineError(t, till(t, db, "refund", "9"), "not found")
	oneLineError(t, till(t, db, "refund", "SKU1006"), "neither a receipt number")
	out = mustOK(t, till(t, db, "refund", "#2", "--void"))
	if !strings.Contains(out, "VOID") || !strings.Contains(out, "Beer 500ml x1") {
		t.Fatalf("void of receipt 2:\n%s", out)
	}
}
