package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/internal/tilltest"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
	"github.com/tillpos/till/pos/register"
)

// Barcodes and SKUs of the demo catalog used by the tests.
const (
	water = "6900012345004" // Mineral water 550ml, 2.00
	tea_  = "6900012345370" // Green tea 500ml, 3.50
	cola  = "6900012345745" // Cola 330ml can, 3.00
	rice  = "6900012346858" // Rice 5kg, 69.90
)

var (
	testLoc = time.FixedZone("CST", 8*3600)
	testNow = time.Date(2026, 3, 14, 10, 30, 0, 0, testLoc)
	cny     = pos.Currency{Code: "CNY", Numeric: "156", Exponent: 2}
)

// extraGoods adds goods the demo lacks: an accented name and goods that
// run low.
var extraGoods = []pos.Product{
	{SKU: "SKU2001", Barcodes: []string{"4006381333931"}, Name: "Café crème 250ml", AltName: "咖啡奶油", Price: 1590, TaxRate: 1300, TrackStock: true, Stock: 3},
	{SKU: "SKU2002", Name: "豆腐 嫩豆腐 400g", Price: 450, TaxRate: 900, TrackStock: true, Stock: 2},
}

// openStore opens a real store on path (see internal/tilltest).
func openStore(t testing.TB, path string) *tilltest.Store {
	t.Helper()
	return tilltest.Open(t, path)
}

// newStore opens a fresh store in a temp dir with the demo catalog.
func newStore(t testing.TB) *tilltest.Store {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "till.db"))
	f, err := os.Open("../demo/catalog.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := goodscsv.Parse(f, 2)
	if err != nil {
		t.Fatal(err)
	}
	var ps []pos.Product
	for _, r := range res.Rows {
		ps = append(ps, r.Product)
	}
	if _, err := st.PutProducts(append(ps, extraGoods...)); err != nil {
		t.Fatal(err)
	}
	return st
}

// clock is a test clock that moves only when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newModel builds a counter on st with the real register and a pinned
// clock, runs its Init and sizes it to 80x24.
func newModel(t testing.TB, st *tilltest.Store) (*Model, *clock) {
	t.Helper()
	c := &clock{t: testNow}
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now = c.now
	m := New(Deps{Lang: testLang, Store: st, Seller: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc,
		Now: c.now, ReceiptDir: filepath.Join(t.TempDir(), "receipts")})
	start(t, m)
	return m, c
}

// start runs a counter's Init with timers off and sizes it to 80x24.
func start(t testing.TB, m *Model) {
	t.Helper()
	m.c.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	run(t, m, m.Init())
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
}

// run executes a command and every command its messages lead to,
// synchronously, feeding each message back into Update. Batches run
// child by child in order.
func run(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			run(t, m, c)
		}
	case tea.QuitMsg:
	default:
		send(t, m, msg)
	}
}

// send delivers one message and follows the command it returns.
func send(t testing.TB, m *Model, msg tea.Msg) {
	t.Helper()
	_, cmd := m.Update(msg)
	run(t, m, cmd)
}

// keyOf makes the key message a terminal would send for a key name such
// as "enter", "f12", "ctrl+x", "up" or a single printable character.
func keyOf(name string) tea.KeyPressMsg {
	special := map[string]rune{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete, "f1": tea.KeyF1, "f2": tea.KeyF2, "f3": tea.KeyF3,
		"f4": tea.KeyF4, "f5": tea.KeyF5, "f6": tea.KeyF6, "f7": tea.KeyF7, "f8": tea.KeyF8, "f9": tea.KeyF9,
		"f10": tea.KeyF10, "f11": tea.KeyF11, "f12": tea.KeyF12}
	if r, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: r}
	}
	if c, ok := strings.CutPrefix(name, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	r := []rune(name)[0]
	if r == ' ' {
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	return tea.KeyPressMsg{Code: r, Text: name}
}

// press sends named keys, following their commands.
func press(t testing.TB, m *Model, names ...string) {
	t.Helper()
	for _, n := range names {
		send(t, m, keyOf(n))
	}
}

// typ types text character by character.
func typ(t testing.TB, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		press(t, m, string(r))
	}
}

// scan is what a barcode scanner does: the digits, then Enter.
func scan(t testing.TB, m *Model, code string) {
	t.Helper()
	typ(t, m, code)
	press(t, m, "enter")
}

// qtyOf returns the quantity of the SKU in the cart (summed over lines).
func qtyOf(m *Model, sku string) int64 {
	var n int64
	for _, l := range m.c.cart.Lines {
		if l.SKU == sku {
			n += l.Qty
		}
	}
	return n
}

func viewText(m *Model) string { return ansi.Strip(m.View().Content) }

// cur returns the active screen, failing the test unless it is a T.
func cur[T screen](t testing.TB, m *Model) T {
	t.Helper()
	s, ok := m.screen.(T)
	if !ok {
		var want T
		t.Fatalf("screen is %T, want %T; msg %q", m.screen, want, m.c.msg)
	}
	return s
}

// is reports whether the active screen is a T.
func is[T screen](m *Model) bool {
	_, ok := m.screen.(T)
	return ok
}

// asking returns the open yes/no question, or nil.
func asking(m *Model) *confirm {
	d, _ := m.dialog.(*confirm)
	return d
}

// prompting returns the open prompt, or nil.
func prompting(m *Model) *prompt {
	d, _ := m.dialog.(*prompt)
	return d
}

// input is what is typed on the active screen's input line.
func input(t testing.TB, m *Model) string {
	t.Helper()
	switch s := m.screen.(type) {
	case *sellScreen:
		return s.in.value
	case *checkoutScreen:
		return s.in.value
	case *stockScreen:
		return s.in.value
	}
	t.Fatalf("%T has no input", m.screen)
	return ""
}
