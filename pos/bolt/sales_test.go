package bolt_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

func TestCompleteSale(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)

	var sales []pos.Sale
	for i := range 3 {
		clk.Add(time.Minute)
		sales = append(sales, sell(t, r, cart(t, "TEA", i+1, "APPLE", 2, "STAMP", 1)))
	}
	for i, sale := range sales {
		if sale.Receipt != uint64(i+1) {
			t.Errorf("sale %d got receipt %d, want %d", i, sale.Receipt, i+1)
		}
		stored, err := s.Sale(sale.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(t, stored, sale) {
			t.Errorf("stored sale differs from the one returned:\n%+v\n%+v", stored, sale)
		}
	}
	if n, _ := s.LastReceipt(); n != 3 {
		t.Errorf("last receipt %d, want 3", n)
	}
	if got := stock(t, s, "TEA"); got != 100-6 {
		t.Errorf("tracked stock %d, want %d", got, 94)
	}
	if got := stock(t, s, "APPLE"); got != 7 {
		t.Errorf("untracked stock moved to %d", got)
	}
	if got := stock(t, s, "RICE"); got != 40 {
		t.Errorf("stock of goods not sold moved to %d", got)
	}

	// One outbox entry per sale, in order, carrying the stored sale.
	es := pending(t, s)
	if len(es) != 3 {
		t.Fatalf("%d outbox entries, want 3", len(es))
	}
	for i, e := range es {
		if e.Kind != pos.RecordSale || e.ID != sales[i].ID || e.Seq != uint64(i+1) {
			t.Errorf("outbox entry %d = %s %s seq %d, want sale %s seq %d", i, e.Kind, e.ID, e.Seq, sales[i].ID, i+1)
		}
		var body pos.Sale
		if err := json.Unmarshal(e.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Receipt != sales[i].Receipt || !sameJSON(t, body, sales[i]) {
			t.Errorf("outbox body %d is not the stored sale", i)
		}
	}
}

func TestCompleteSaleDuplicateID(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	first := sell(t, r, cart(t, "TEA", 2))

	clk.Add(time.Minute)
	id := first.ID
	again, err := pos.NewSale(id, terminal, "ann", cny(t), clk.Now(), clk.Now(), cart(t, "TEA", 3, "RICE", 1), true, cash())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteSale(&again); !errors.Is(err, bolt.ErrExists) {
		t.Fatalf("second sale with ID %s: %v, want ErrExists", id, err)
	}
	if again.Receipt != 0 {
		t.Errorf("the refused sale carries receipt %d", again.Receipt)
	}
	// Through the register too, as a QR payment retried after a crash
	// would do it.
	if _, err := r.CompleteAs(id, cart(t, "TEA", 1), time.Time{}, cash()); !errors.Is(err, bolt.ErrExists) {
		t.Fatalf("CompleteAs with a used ID: %v, want ErrExists", err)
	}
	if n, _ := s.LastReceipt(); n != 1 {
		t.Errorf("the refused sale took a receipt number: last is %d", n)
	}
	if got := len(pending(t, s)); got != 1 {
		t.Errorf("%d outbox entries after a refused duplicate, want 1", got)
	}
	if got := stock(t, s, "TEA"); got != 98 {
		t.Errorf("stock %d after a refused duplicate, want 98", got)
	}
	stored, err := s.Sale(id)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, stored, first) {
		t.Error("the refused duplicate changed the stored sale")
	}
	if next := sell(t, r, cart(t, "TEA", 1)); next.Receipt != 2 {
		t.Errorf("next sale got receipt %d, want 2", next.Receipt)
	}
}

func TestCompleteSaleChecks(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)

	foreign, err := pos.NewSale("01JNKX0000000000000000000-T77", "T77", "bob", cny(t), clk.Now(), clk.Now(), cart(t, "TEA", 1), true, cash())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteSale(&foreign); err == nil || !strings.Contains(err.Error(), "T77") {
		t.Errorf("sale of another terminal: %v", err)
	}
	if n, _ := s.LastReceipt(); n != 0 {
		t.Errorf("a refused sale took receipt %d", n)
	}

	// A sale refused inside its transaction (here: a QR tender whose
	// payment the store has never seen) gives its receipt number back.
	unpaid, err := pos.NewSale("01JNKX0000000000000000001-T01", terminal, "ann", cny(t), clk.Now(), clk.Now(), cart(t, "TEA", 1), true,
		[]pos.Tender{{Kind: pos.QR, Amount: 350, Provider: "emvqr", PaymentID: "never-created"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteSale(&unpaid); err == nil {
		t.Fatal("stored a sale paid by an unknown QR payment")
	}
	if unpaid.Receipt != 0 {
		t.Errorf("the refused sale carries receipt %d, which the next sale will get", unpaid.Receipt)
	}
	if n, _ := s.LastReceipt(); n != 0 || stock(t, s, "TEA") != 100 || len(pending(t, s)) != 0 {
		t.Errorf("a refused sale left traces: last receipt %d, stock %d", n, stock(t, s, "TEA"))
	}

	// Goods deleted from the catalog since they were scanned still sell.
	gone := pos.Product{SKU: "GONE", Name: "Discontinued", Price: 500, TrackStock: true, Stock: 3}
	var c pos.Cart
	if _, err := c.Add(gone, 2); err != nil {
		t.Fatal(err)
	}
	sale := sell(t, r, c)
	if sale.Receipt != 1 {
		t.Errorf("receipt %d, want 1", sale.Receipt)
	}
	if _, err := s.Product("GONE"); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("selling unknown goods created them: %v", err)
	}
}

func TestOutboxAck(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	var ids []string
	for range 5 {
		clk.Add(time.Minute)
		ids = append(ids, sell(t, r, cart(t, "STAMP", 1)).ID)
	}
	if _, err := r.Refund(ids[0], nil, pos.KindRefund, "wrong stamp"); err != nil {
		t.Fatal(err)
	}
	if sales, total, err := s.OutboxCounts(); err != nil || sales != 5 || total != 6 {
		t.Fatalf("OutboxCounts = %d, %d, %v; want 5, 6", sales, total, err)
	}

	// Paging: after a sequence number, at most limit entries.
	page, err := s.Pending(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].Seq != 3 || page[1].Seq != 4 || page[0].ID != ids[2] {
		t.Fatalf("Pending(2, 2) = %+v", seqs(page))
	}

	if err := s.Ack(1, 2, 3); err != nil {
		t.Fatal(err)
	}
	rest := pending(t, s)
	if got := seqs(rest); !reflect.DeepEqual(got, []uint64{4, 5, 6}) {
		t.Fatalf("after Ack(1,2,3) pending %v, want [4 5 6]", got)
	}
	if rest[2].Kind != pos.RecordRefund {
		t.Errorf("last entry is %s, want the refund", rest[2].Kind)
	}
	if sales, total, _ := s.OutboxCounts(); sales != 2 || total != 3 {
		t.Errorf("OutboxCounts = %d, %d; want 2, 3", sales, total)
	}
	// Acknowledging again (a resent batch) or unknown entries is harmless.
	if err := s.Ack(1, 2, 99); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s)
	if got := seqs(pending(t, s)); !reflect.DeepEqual(got, []uint64{4, 5, 6}) {
		t.Errorf("after reopen pending %v, want [4 5 6]", got)
	}
	// Sequence numbers are never reused, even once the outbox is empty.
	if err := s.Ack(4, 5, 6); err != nil {
		t.Fatal(err)
	}
	r.Store = s
	sell(t, r, cart(t, "STAMP", 1))
	if got := seqs(pending(t, s)); !reflect.DeepEqual(got, []uint64{7}) {
		t.Errorf("after emptying the outbox the next entry is %v, want [7]", got)
	}
}

func TestRefund(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 5, "RICE", 2, "APPLE", 1))
	if stock(t, s, "TEA") != 95 || stock(t, s, "RICE") != 38 {
		t.Fatal("sale did not move stock")
	}

	clk.Add(time.Hour)
	r1, err := r.Refund(sale.ID, map[int]int64{0: 2}, pos.KindRefund, "broken seal")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Receipt != 2 {
		t.Errorf("first refund got receipt %d, want 2", r1.Receipt)
	}
	if got := stock(t, s, "TEA"); got != 97 {
		t.Errorf("stock after refunding 2 tea: %d, want 97", got)
	}

	clk.Add(time.Minute)
	r2, err := r.Refund(sale.ID, map[int]int64{0: 3, 1: 1}, pos.KindRefund, "")
	if err != nil {
		t.Fatal(err)
	}
	if r2.Receipt != 3 {
		t.Errorf("second refund got receipt %d, want 3", r2.Receipt)
	}
	if stock(t, s, "TEA") != 100 || stock(t, s, "RICE") != 39 || stock(t, s, "APPLE") != 7 {
		t.Errorf("stock after refunds: tea %d rice %d apple %d, want 100 39 7",
			stock(t, s, "TEA"), stock(t, s, "RICE"), stock(t, s, "APPLE"))
	}
	// Refunding a line in parts gives back exactly what it cost.
	if got, want := r1.Lines[0].Amount+r2.Lines[0].Amount, sale.Lines[0].Net; got != want {
		t.Errorf("tea refunded in parts: %d, sold for %d", got, want)
	}
	already, err := s.Refunded(sale.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(already, map[int]int64{0: 5, 1: 1}) {
		t.Errorf("refunded = %v, want map[0:5 1:1]", already)
	}

	// Asking for more than is left fails and stores nothing.
	before := snapshot(t, s)
	for name, want := range map[string]map[int]int64{
		"tea again":   {0: 1},
		"rice 2 of 1": {1: 2},
		"with a good": {2: 1, 1: 2},
	} {
		if _, err := r.Refund(sale.ID, want, pos.KindRefund, ""); !errors.Is(err, pos.ErrOverRefund) {
			t.Errorf("%s: %v, want ErrOverRefund", name, err)
		}
	}
	// The store checks too, whatever the caller's builder says.
	_, err = s.Refund(sale.ID, func(sold pos.Sale, _ map[int]int64) (pos.Refund, error) {
		return pos.NewRefund("01JNKZ0000000000000000000-T01", "eve", pos.KindRefund, clk.Now(), sold, nil, map[int]int64{1: 2}, 0, "")
	})
	if !errors.Is(err, pos.ErrOverRefund) {
		t.Errorf("builder ignoring earlier refunds: %v, want ErrOverRefund", err)
	}
	// A void of a partly refunded sale is refused.
	if _, err := r.Refund(sale.ID, nil, pos.KindVoid, "changed mind"); err == nil {
		t.Error("voided a partly refunded sale")
	}
	if after := snapshot(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("refused refunds changed the store:\nbefore %+v\nafter  %+v", before, after)
	}

	// A nil want refunds the rest.
	rest, err := r.Refund(sale.ID, nil, pos.KindRefund, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Lines) != 2 || rest.Lines[0].Line != 1 || rest.Lines[0].Qty != 1 || rest.Lines[1].Line != 2 || rest.Receipt != 4 {
		t.Errorf("refund of the rest = %+v", rest)
	}
	if stock(t, s, "RICE") != 40 {
		t.Errorf("rice stock %d, want 40", stock(t, s, "RICE"))
	}

	es := pending(t, s)
	var kinds []string
	for _, e := range es {
		kinds = append(kinds, e.Kind+" "+e.ID)
	}
	want := []string{"sale " + sale.ID, "refund " + r1.ID, "refund " + r2.ID, "refund " + rest.ID}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("outbox %v, want %v", kinds, want)
	}
	if _, err := r.Refund("01JNKZ0000000000000000000-T01", nil, pos.KindRefund, ""); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("refund of an unknown sale: %v, want ErrNotFound", err)
	}
}

func TestVoid(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2, "RICE", 1))
	v, err := r.Refund(sale.ID, nil, pos.KindVoid, "wrong customer")
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != pos.KindVoid || v.Receipt != 2 || v.Total != sale.Total {
		t.Errorf("void = kind %s receipt %d total %d; want void 2 %d", v.Kind, v.Receipt, v.Total, sale.Total)
	}
	if stock(t, s, "TEA") != 100 || stock(t, s, "RICE") != 40 {
		t.Error("void did not put the stock back")
	}
	if _, err := r.Refund(sale.ID, map[int]int64{0: 1}, pos.KindRefund, ""); !errors.Is(err, pos.ErrOverRefund) {
		t.Errorf("refund after a void: %v, want ErrOverRefund", err)
	}
}

// TestRefundBadBuilder: a refund builder that names lines the sale does
// not have, or gives nothing back, is refused with an error, not a panic
// reported as a corrupt database.
func TestRefundBadBuilder(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, _ := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	before := snapshot(t, s)
	for name, lines := range map[string][]pos.RefundLine{
		"line past the end": {{Line: 3, SKU: "TEA", Qty: 1}},
		"negative line":     {{Line: -1, SKU: "TEA", Qty: 1}},
		"negative qty":      {{Line: 0, SKU: "TEA", Qty: -1}},
		"zero qty":          {{Line: 0, SKU: "TEA", Qty: 0}},
		"other goods":       {{Line: 0, SKU: "RICE", Qty: 1}},
		"no lines":          nil,
	} {
		_, err := s.Refund(sale.ID, func(pos.Sale, map[int]int64) (pos.Refund, error) {
			return pos.Refund{ID: "01JNKZ0000000000000000000-T01", SaleID: sale.ID, Kind: pos.KindRefund, Lines: lines}, nil
		})
		if err == nil || errors.Is(err, bolt.ErrCorrupt) {
			t.Errorf("%s: %v, want a plain error", name, err)
		}
	}
	_, err := s.Refund(sale.ID, func(pos.Sale, map[int]int64) (pos.Refund, error) {
		return pos.Refund{ID: "01JNKZ0000000000000000000-T01", SaleID: "someone else's", Kind: pos.KindRefund,
			Lines: []pos.RefundLine{{Line: 0, SKU: "TEA", Qty: 1}}}, nil
	})
	if err == nil {
		t.Error("stored a refund that names another sale")
	}
	if after := snapshot(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("refused refunds changed the store:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestSalesBetween(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	day := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	at := map[string]time.Time{
		"night before": day.Add(-time.Millisecond),
		"opening":      day,
		"noon":         day.Add(12 * time.Hour),
		"last ms":      day.Add(24*time.Hour - time.Millisecond),
		"next day":     day.Add(24 * time.Hour),
	}
	ids := map[string]string{}
	for _, name := range []string{"night before", "opening", "noon", "last ms", "next day"} {
		clk.Set(at[name])
		sale := sell(t, r, cart(t, "STAMP", 1))
		ids[sale.ID] = name
		ref, err := r.Refund(sale.ID, nil, pos.KindRefund, "")
		if err != nil {
			t.Fatal(err)
		}
		ids[ref.ID] = name
	}
	names := func(list []string) []string {
		var out []string
		for _, id := range list {
			out = append(out, ids[id])
		}
		return out
	}

	sales, err := s.SalesBetween(day, day.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sale := range sales {
		got = append(got, sale.ID)
	}
	want := []string{"opening", "noon", "last ms"}
	if !reflect.DeepEqual(names(got), want) {
		t.Errorf("SalesBetween(day) = %v, want %v", names(got), want)
	}

	refunds, err := s.RefundsBetween(day.Add(time.Hour), day.Add(24*time.Hour+time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, ref := range refunds {
		got = append(got, ref.ID)
	}
	if want := []string{"noon", "last ms", "next day"}; !reflect.DeepEqual(names(got), want) {
		t.Errorf("RefundsBetween(01:00, next day 00:00:00.001) = %v, want %v", names(got), want)
	}

	// In another time zone, the same instants.
	shanghai := time.FixedZone("CST", 8*3600)
	local := time.Date(2025, 3, 3, 8, 0, 0, 0, shanghai)
	if sales, _ := s.SalesBetween(local, local.Add(12*time.Hour+time.Millisecond)); len(sales) != 2 {
		t.Errorf("SalesBetween in UTC+8: %d sales, want 2", len(sales))
	}
	if sales, _ := s.SalesBetween(day.Add(time.Hour), day); len(sales) != 0 {
		t.Errorf("an empty range returned %d sales", len(sales))
	}
}

// snapshot is what a refused operation must leave untouched.
type storeState struct {
	Last    uint64
	Outbox  []uint64
	Stock   map[string]int64
	Refunds int
}

func snapshot(t *testing.T, s *bolt.Store) storeState {
	t.Helper()
	st := storeState{Stock: map[string]int64{}}
	st.Last, _ = s.LastReceipt()
	st.Outbox = seqs(pending(t, s))
	ps, err := s.Products()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		st.Stock[p.SKU] = p.Stock
	}
	refunds, err := s.RefundsBetween(time.UnixMilli(0), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	st.Refunds = len(refunds)
	return st
}

func seqs(es []pos.OutboxEntry) []uint64 {
	var out []uint64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(ja) == string(jb)
}
