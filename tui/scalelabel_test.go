package tui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/scale"
)

// withCheck appends the GS1 check digit.
func withCheck(body string) string { return body + string(pos.GTINCheckDigit(body)) }

// newScaleModel is newModel with the shop's scale label layouts.
func newScaleModel(t *testing.T, st *tilltest.Store, formats ...scale.Format) *Model {
	t.Helper()
	sc, err := scale.New(formats, cny.Exponent)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: testNow}
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now = c.now
	m := New(Deps{Store: st, Seller: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc, Scale: sc,
		Now: c.now, ReceiptDir: filepath.Join(t.TempDir(), "receipts")})
	start(t, m)
	return m
}

var labelFormats = []scale.Format{{Format: "21PPPPPWWWWWC"}, {Format: "26PPPPP$$$$$WWWWWC"}}

// Issue 13: a scale label scanned on the sell screen is its own line of
// the weight it carries; a bad check digit or an unknown PLU is refused
// and never a line; a code that is no label goes on to the other routes.
func TestScaleLabelsAtTheCounter(t *testing.T) {
	m := newScaleModel(t, newStore(t), labelFormats...)
	label := withCheck("210102701250") // apples (PLU 1027), 1.250 kg
	scan(t, m, label)
	if prompting(m) != nil {
		t.Fatal("a scale label asked for the weight")
	}
	if len(m.c.cart.Lines) != 1 {
		t.Fatalf("cart %+v", m.c.cart.Lines)
	}
	l := m.c.cart.Lines[0]
	if l.SKU != "SKU1027" || l.Qty != 1250 || l.Label != label || l.LabelAmount != 0 {
		t.Fatalf("line %+v", l)
	}
	// Two identical labels are two parcels.
	scan(t, m, label)
	if len(m.c.cart.Lines) != 2 || m.c.cart.Lines[1].Qty != 1250 {
		t.Fatalf("second label: %+v", m.c.cart.Lines)
	}
	// Its weight cannot be changed, only removed.
	press(t, m, "f2")
	if prompting(m) != nil || !strings.Contains(m.c.msg, "scale label") {
		t.Fatalf("f2 on a label line: prompt %v msg %q", prompting(m), m.c.msg)
	}
	press(t, m, "+")
	if m.c.cart.Lines[1].Qty != 1250 {
		t.Fatal("+ changed a label")
	}

	// A code of another length is no label; the 18-digit label with
	// amount and weight sells at its amount.
	scan(t, m, withCheck("2601028006110087")) // 17 digits: no layout of that length
	if n := len(m.c.cart.Lines); n != 2 {
		t.Fatalf("a 17-digit code became a label: %+v", m.c.cart.Lines)
	}
	press(t, m, "esc")
	price := withCheck("26010280061100875") // bananas, 6.11, 0.875 kg
	scan(t, m, price)
	if len(m.c.cart.Lines) != 3 || m.c.cart.Lines[2].LabelAmount != 611 || m.c.cart.Lines[2].Qty != 875 || m.c.msgErr {
		t.Fatalf("price label: %+v msg %q", m.c.cart.Lines, m.c.msg)
	}
	// A label whose amount is off the catalog price by more than a fen
	// sells at the label's amount, with a warning.
	scan(t, m, withCheck("26010280070000875")) // 7.00 for 0.875 kg at 6.98
	if len(m.c.cart.Lines) != 4 || m.c.cart.Lines[3].LabelAmount != 700 || !m.c.msgErr ||
		!strings.Contains(m.c.msg, "says 7.00") || !strings.Contains(m.c.msg, "0.875 kg x 6.98 is 6.11") {
		t.Fatalf("flagged label: %+v msg %q", m.c.cart.Lines[3:], m.c.msg)
	}
	tot, err := pos.Price(m.c.cart, true)
	if err != nil || tot.Lines[2].Gross != 611 || tot.Lines[3].Gross != 700 {
		t.Fatalf("priced %+v %v", tot.Lines, err)
	}

	// Refused, never a line, and the warning stays until seen.
	bad := label[:12] + string('0'+(label[12]-'0'+1)%10)
	unknown := withCheck("210999901250")
	for code, want := range map[string]string{bad: "bad check digit", unknown: "unknown PLU"} {
		press(t, m, "esc")
		scan(t, m, code)
		if len(m.c.cart.Lines) != 4 || !m.c.msgErr || !strings.Contains(m.c.msg, want) || !strings.Contains(m.c.msg, "NOT added") || m.c.held == "" {
			t.Fatalf("%s: cart %d lines, msg %q", code, len(m.c.cart.Lines), m.c.msg)
		}
	}
	// No label: goods barcodes, SKUs and unknown codes go as before.
	press(t, m, "esc")
	scan(t, m, water)
	if qtyOf(m, "SKU1001") != 1 {
		t.Fatalf("water: %+v", m.c.cart.Lines)
	}
	scan(t, m, "4006381333948")
	if !strings.Contains(m.c.msg, "No goods with barcode") || len(m.c.cart.Lines) != 5 {
		t.Fatalf("unknown barcode: %q", m.c.msg)
	}
}

// Without [[scale]] a label's code is an unknown barcode.
func TestNoScaleFormatsNoLabels(t *testing.T) {
	m, _ := newModel(t, newStore(t))
	scan(t, m, withCheck("210102701250"))
	if len(m.c.cart.Lines) != 0 || !strings.Contains(m.c.msg, "No goods with barcode") {
		t.Fatalf("cart %+v msg %q", m.c.cart.Lines, m.c.msg)
	}
}
