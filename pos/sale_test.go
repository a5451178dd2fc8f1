package pos

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

var cny = Currency{Code: "CNY", Numeric: "156", Exponent: 2}
var chf = Currency{Code: "CHF", Numeric: "756", Exponent: 2, CashStep: 5}

func cash(given Money) Tender { return Tender{Kind: Cash, Given: given} }
func qr(amount Money) Tender {
	return Tender{Kind: QR, Amount: amount, Provider: "emvqr", PaymentID: "P1", ConfirmedBy: "cashier"}
}

func TestSettle(t *testing.T) {
	tests := []struct {
		name     string
		total    Money
		step     Money
		tenders  []Tender
		due      Money
		rounding Money
		change   Money
		out      []Tender
		err      error // ErrUnderpaid, or errAny for any other error
	}{
		{
			name: "cash with change", total: 1250, tenders: []Tender{cash(2000)},
			due: 1250, change: 750,
			out: []Tender{{Kind: Cash, Amount: 1250, Given: 2000, Change: 750}},
		},
		{
			name: "exact cash", total: 1250, tenders: []Tender{cash(1250)},
			due: 1250, change: 0,
			out: []Tender{{Kind: Cash, Amount: 1250, Given: 1250}},
		},
		{
			name: "cash handed over in two goes is one tender", total: 1250, tenders: []Tender{cash(1000), cash(500)},
			due: 1250, change: 250,
			out: []Tender{{Kind: Cash, Amount: 1250, Given: 1500, Change: 250}},
		},
		{name: "underpaid cash", total: 1250, tenders: []Tender{cash(1249)}, err: ErrUnderpaid},
		{name: "no tenders", total: 1250, tenders: nil, err: ErrUnderpaid},
		{
			name: "QR for all", total: 1250, tenders: []Tender{qr(1250)},
			due: 1250,
			out: []Tender{qr(1250)},
		},
		{
			name: "split QR and cash", total: 1250, tenders: []Tender{qr(500), cash(1000)},
			due: 1250, change: 250,
			out: []Tender{qr(500), {Kind: Cash, Amount: 750, Given: 1000, Change: 250}},
		},
		{
			name: "two QR payments stay apart", total: 1250, tenders: []Tender{qr(500), qr(750)},
			due: 1250,
			out: []Tender{qr(500), qr(750)},
		},
		{name: "split underpaid", total: 1250, tenders: []Tender{qr(500), cash(700)}, err: ErrUnderpaid},
		{name: "QR exceeding the total", total: 1250, tenders: []Tender{qr(1251)}, err: errAny},
		{name: "QRs exceeding the total together", total: 1250, tenders: []Tender{qr(1000), qr(251)}, err: errAny},
		{name: "cash given when QR paid everything", total: 1250, tenders: []Tender{qr(1250), cash(100)}, err: errAny},
		{name: "zero QR", total: 1250, tenders: []Tender{{Kind: QR}, cash(2000)}, err: errAny},
		{name: "negative QR", total: 1250, tenders: []Tender{qr(-1), cash(2000)}, err: errAny},
		{name: "negative cash", total: 1250, tenders: []Tender{cash(-1)}, err: errAny},
		{name: "absurd cash", total: 1250, tenders: []Tender{cash(MaxAmount + 1)}, err: errAny},
		{name: "unknown tender", total: 1250, tenders: []Tender{{Kind: "cheque", Amount: 1250}}, err: errAny},
		// Cash rounding to 0.05.
		{
			name: "12.53 in cash rounds up to 12.55", total: 1253, step: 5, tenders: []Tender{cash(2000)},
			due: 1255, rounding: 2, change: 745,
			out: []Tender{{Kind: Cash, Amount: 1255, Given: 2000, Change: 745}},
		},
		{
			name: "12.52 in cash rounds down to 12.50", total: 1252, step: 5, tenders: []Tender{cash(1250)},
			due: 1250, rounding: -2, change: 0,
			out: []Tender{{Kind: Cash, Amount: 1250, Given: 1250}},
		},
		{name: "12.53 exact is underpaid once rounded", total: 1253, step: 5, tenders: []Tender{cash(1253)}, err: ErrUnderpaid},
		{
			name: "QR is not rounded", total: 1253, step: 5, tenders: []Tender{qr(1253)},
			due: 1253,
			out: []Tender{qr(1253)},
		},
		{
			name: "only the cash part is rounded", total: 1253, step: 5, tenders: []Tender{qr(1000), cash(300)},
			due: 1255, rounding: 2, change: 45,
			out: []Tender{qr(1000), {Kind: Cash, Amount: 255, Given: 300, Change: 45}},
		},
		{
			name: "a cash part that rounds to nothing", total: 1252, step: 5, tenders: []Tender{qr(1250)},
			due: 1250, rounding: -2,
			out: []Tender{qr(1250)},
		},
		{name: "cash given for a cash part that rounds to nothing", total: 1252, step: 5, tenders: []Tender{qr(1250), cash(5)}, err: errAny},
		{
			name: "nothing to pay", total: 0, tenders: nil,
			due: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			due, rounding, change, out, err := Settle(Totals{Total: tc.total}, tc.step, tc.tenders)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("Settle = %d, %d, %d, %+v; want an error", due, rounding, change, out)
				}
				if tc.err != errAny && !errors.Is(err, tc.err) {
					t.Fatalf("Settle error %v, want %v", err, tc.err)
				}
				if tc.err == errAny && errors.Is(err, ErrUnderpaid) {
					t.Fatalf("Settle error %v, want one other than ErrUnderpaid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Settle: %v", err)
			}
			if due != tc.due || rounding != tc.rounding || change != tc.change {
				t.Errorf("due %d, rounding %d, change %d; want %d, %d, %d", due, rounding, change, tc.due, tc.rounding, tc.change)
			}
			if !slices.EqualFunc(out, tc.out, func(a, b Tender) bool { return a == b }) {
				t.Errorf("tenders %+v, want %+v", out, tc.out)
			}
			// The tenders cover exactly what is due, and due is total plus rounding.
			var paid Money
			for _, td := range out {
				paid += td.Amount
				if td.Kind == Cash && td.Amount != td.Given-td.Change {
					t.Errorf("cash tender %+v: amount != given - change", td)
				}
			}
			if paid != due || due != tc.total+rounding {
				t.Errorf("tenders add up to %d, due %d, total %d + rounding %d", paid, due, tc.total, rounding)
			}
		})
	}
}

// errAny marks a test case that must fail, with any error.
var errAny = errors.New("any error")

func TestNewSale(t *testing.T) {
	started := time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC)
	at := started.Add(53 * time.Second)
	var c Cart
	c.Add(water, 2)
	c.Add(bread, 1)
	c.Lines[1].UnitPrice = 1253 - 400 // total 12.53

	s, err := NewSale("ID1", "T01", "alice", chf, started, at, c, true, []Tender{cash(2000)})
	if err != nil {
		t.Fatalf("NewSale: %v", err)
	}
	if s.ID != "ID1" || s.Terminal != "T01" || s.Cashier != "alice" || s.Currency != "CHF" ||
		!s.Started.Equal(started) || !s.At.Equal(at) || s.Receipt != 0 {
		t.Errorf("sale header %+v", s)
	}
	if s.Total != 1253 || s.Due != 1255 || s.Rounding != 2 || s.Change != 745 {
		t.Errorf("total %d, due %d, rounding %d, change %d; want 1253, 1255, 2, 745", s.Total, s.Due, s.Rounding, s.Change)
	}
	if len(s.Lines) != 2 || !s.TaxIncluded || len(s.Bands) != 2 {
		t.Errorf("priced lines %+v, bands %+v", s.Lines, s.Bands)
	}
	want := []Tender{{Kind: Cash, Amount: 1255, Given: 2000, Change: 745}}
	if !slices.EqualFunc(s.Tenders, want, func(a, b Tender) bool { return a == b }) {
		t.Errorf("tenders %+v, want %+v", s.Tenders, want)
	}

	if _, err := NewSale("ID2", "T01", "alice", cny, started, at, Cart{}, true, []Tender{cash(100)}); err == nil {
		t.Error("empty cart sold")
	}
	if _, err := NewSale("ID3", "T01", "alice", cny, started, at, c, true, []Tender{cash(100)}); !errors.Is(err, ErrUnderpaid) {
		t.Errorf("underpaid sale: %v, want ErrUnderpaid", err)
	}
	bad := Cart{Lines: []Line{line("A", 0, 100, 1300)}}
	if _, err := NewSale("ID4", "T01", "alice", cny, started, at, bad, true, []Tender{cash(100)}); err == nil {
		t.Error("cart with a zero quantity sold")
	}
	// Without cash rounding the same cart is due to the cent.
	s, err = NewSale("ID5", "T01", "alice", cny, started, at, c, true, []Tender{cash(1253)})
	if err != nil || s.Due != 1253 || s.Rounding != 0 || s.Change != 0 {
		t.Errorf("CNY sale: due %d, rounding %d, change %d, %v; want 1253, 0, 0", s.Due, s.Rounding, s.Change, err)
	}
}

func TestNewSaleID(t *testing.T) {
	entropy := ulid.Monotonic(rand.NewChaCha8([32]byte{1, 2, 3}), 0)
	base := time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.UTC)
	// Increasing times, some within the same millisecond.
	offsets := []time.Duration{0, 0, 100 * time.Microsecond, time.Millisecond, time.Second, time.Second, time.Hour, 24 * time.Hour, 400 * 24 * time.Hour}
	var ids []string
	for _, off := range offsets {
		at := base.Add(off)
		id, err := NewSaleID(at, "T01", entropy)
		if err != nil {
			t.Fatalf("NewSaleID(%v): %v", at, err)
		}
		if !strings.HasSuffix(id, "-T01") || len(id) != ulid.EncodedSize+len("-T01") {
			t.Errorf("id %q: want a ULID and the terminal suffix -T01", id)
		}
		got, err := SaleTime(id)
		if err != nil {
			t.Fatalf("SaleTime(%q): %v", id, err)
		}
		if want := at.Truncate(time.Millisecond); !got.Equal(want) {
			t.Errorf("SaleTime(%q) = %v, want %v", id, got, want)
		}
		ids = append(ids, id)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("IDs from increasing times do not sort: %q", ids)
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("duplicate IDs: %q", ids)
	}

	// Different terminals at the same instant get different IDs.
	a, _ := NewSaleID(base, "T01", bytes.NewReader(make([]byte, 10)))
	b, _ := NewSaleID(base, "T02", bytes.NewReader(make([]byte, 10)))
	if a == b || a[:ulid.EncodedSize] != b[:ulid.EncodedSize] {
		t.Errorf("same time and entropy on two terminals: %q and %q", a, b)
	}
	// A time zone does not change the ID.
	c, _ := NewSaleID(base.In(time.FixedZone("CST", 8*3600)), "T01", bytes.NewReader(make([]byte, 10)))
	if c != a {
		t.Errorf("ID depends on the time zone: %q vs %q", c, a)
	}

	// Failures: no entropy left, a time before 1970.
	if id, err := NewSaleID(base, "T01", bytes.NewReader(nil)); err == nil {
		t.Errorf("NewSaleID with exhausted entropy = %q, want an error", id)
	}
	if id, err := NewSaleID(time.Unix(-1, 0), "T01", bytes.NewReader(make([]byte, 10))); err == nil {
		t.Errorf("NewSaleID before 1970 = %q, want an error", id)
	}
}

func TestSaleTimeRejects(t *testing.T) {
	for _, id := range []string{
		"",
		"01HQ",
		"01HQZX3J2E0000000000000000"[:25],
		"ZZZZZZZZZZZZZZZZZZZZZZZZZZ-T01", // beyond the largest ULID
		"01HQZX3J2EIIIIIIIIIIIIIIII-T01", // I is not Crockford base32
		"01HQZX3J2E-000000000000000-T01",
	} {
		if got, err := SaleTime(id); err == nil {
			t.Errorf("SaleTime(%q) = %v, want an error", id, got)
		}
	}
	// A bare ULID (no terminal) still parses.
	if _, err := SaleTime("01HQZX3J2E0000000000000000"); err != nil {
		t.Errorf("SaleTime of a bare ULID: %v", err)
	}
}

// TestShortErrorInCurrency is issue 10 item 11: underpaid says how much
// short in the currency ("3.00"), not in fen ("300").
func TestShortErrorInCurrency(t *testing.T) {
	c := Cart{Lines: []Line{{SKU: "A", Name: "Tea", Qty: 1, UnitPrice: 650, TaxRate: 1300}}}
	at := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	_, err := NewSale("ID", "T01", "ann", cny, at, at, c, true, []Tender{cash(350)})
	var se *ShortError
	if !errors.As(err, &se) || se.Short != 300 || !errors.Is(err, ErrUnderpaid) {
		t.Fatalf("underpaid: %v; want a ShortError of 300 wrapping ErrUnderpaid", err)
	}
	if got := err.Error(); got != "not enough paid: 3.00 short" {
		t.Fatalf("error says %q", got)
	}
	_, err = NewSale("ID", "T01", "ann", chf, at, at, c, true, []Tender{cash(640)})
	if !errors.As(err, &se) || se.Short != 10 || err.Error() != "not enough paid: 0.10 short" {
		t.Fatalf("rounded to 0.05: %v", err)
	}
}
