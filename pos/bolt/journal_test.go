package bolt_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/staff"
	bbolt "go.etcd.io/bbolt"
)

// member makes a staff member with a real argon2id hash of pin.
func member(t testing.TB, id, name, role, pin, badge string) staff.Member {
	t.Helper()
	h, err := staff.HashPIN(pin)
	if err != nil {
		t.Fatal(err)
	}
	return staff.Member{ID: id, Name: name, Role: role, PINHash: h, Badge: badge, Active: true, Changed: t0}
}

func TestJournalVerifiesThenNamesTheEditedSale(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	var sales []pos.Sale
	for range 3 {
		clk.Add(time.Minute)
		sales = append(sales, sell(t, r, cart(t, "TEA", 2)))
	}
	if sales[1].Journal.Seq == 0 || len(sales[1].Journal.Excerpt) != 4 {
		t.Fatalf("sale journal mark %+v, want a sequence and a 4-character excerpt", sales[1].Journal)
	}
	again, err := s.SaleByReceipt(sales[1].Receipt)
	if err != nil || again.Journal != sales[1].Journal {
		t.Fatalf("reprint's journal mark %+v (%v), want %+v", again.Journal, err, sales[1].Journal)
	}
	if _, err := r.Refund(sales[0].ID, nil, pos.KindRefund, "damaged"); err != nil {
		t.Fatal(err)
	}
	z1, err := s.TakeZ(clk.Now(), time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	sell(t, r, cart(t, "RICE", 1))
	z2, err := s.TakeZ(clk.Now(), time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := s.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	if z1.Seal == nil || z1.Seal.Verify(pub) != nil || z2.Seal.Verify(pub) != nil {
		t.Fatalf("Z seals do not verify with the terminal's key: %+v", z1.Seal)
	}
	if z1.GrandTotal != z1.Net || z2.GrandTotal != z1.Net+z2.Net || z2.Seal.FirstSeq != z1.Seal.LastSeq+2 {
		t.Fatalf("grand totals %d, %d for nets %d, %d; seal 2 starts at %d", z1.GrandTotal, z2.GrandTotal, z1.Net, z2.Net, z2.Seal.FirstSeq)
	}
	res, err := s.VerifyJournal()
	if err != nil {
		t.Fatalf("verify an untouched journal: %v", err)
	}
	// catalog import, 3 sales, refund, Z, sale, Z
	if res.Entries != 8 || res.ZReports != 2 {
		t.Fatalf("verified %d entries, %d Z reports; want 8 and 2", res.Entries, res.ZReports)
	}

	// Edit the second sale's cashier in the file itself, as someone with
	// the database and a bbolt library would.
	path := s.Path()
	s.Close()
	editRecord(t, path, "sales", sales[1].ID, func(v map[string]any) { v["cashier"] = "mallory" })
	s = openAt(t, path)
	_, err = s.VerifyJournal()
	var bad *journal.BadEntry
	if !errors.As(err, &bad) || !errors.Is(err, journal.ErrBroken) {
		t.Fatalf("verify after an edit: %v, want a BadEntry", err)
	}
	if bad.Seq != sales[1].Journal.Seq || bad.Ref != sales[1].ID || !strings.Contains(err.Error(), "edited") {
		t.Fatalf("verify named %v, want entry %d (%s)", err, sales[1].Journal.Seq, sales[1].ID)
	}
}

// editRecord rewrites one JSON record of a bucket directly in the file,
// dropping its checksum: the journal still names it.
func editRecord(t *testing.T, path, bucket, key string, edit func(map[string]any)) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		var v map[string]any
		stored := b.Get([]byte(key))
		if len(stored) > 5 && stored[0] == 0 {
			stored = stored[5:] // its checksum; the edit is written as plain JSON, as a record from before checksums
		}
		if err := json.Unmarshal(stored, &v); err != nil {
			return err
		}
		edit(v)
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), data)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestJournalNamesADeletedRefundAndABadSeal(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 1))
	clk.Add(time.Minute)
	f, err := r.Refund(sale.ID, nil, pos.KindVoid, "wrong goods")
	if err != nil {
		t.Fatal(err)
	}
	z, err := s.TakeZ(clk.Now(), time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	// Delete the void from the file: its entry names a missing record.
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error { return tx.Bucket([]byte("refunds")).Delete([]byte(f.ID)) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s = openAt(t, path)
	_, err = s.VerifyJournal()
	var bad *journal.BadEntry
	if !errors.As(err, &bad) || bad.Ref != f.ID || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("verify after deleting a refund: %v, want entry %d naming %s", err, f.Journal.Seq, f.ID)
	}
	_ = z
}

func TestPINLockoutSurvivesARestartAndIsJournalled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	if err := s.PutMember(member(t, "7", "Bea", "cashier", "2468", "0417")); err != nil {
		t.Fatal(err)
	}
	now := t0
	for i := range staff.MaxTries {
		_, err := s.CheckPIN("7", "1111", "login", now)
		want := staff.ErrWrong
		if i == staff.MaxTries-1 {
			want = staff.ErrLocked
		}
		if !errors.Is(err, want) {
			t.Fatalf("wrong PIN %d: %v, want %v", i+1, err, want)
		}
	}
	s = reopen(t, s)
	if _, err := s.CheckPIN("0417", "2468", "login", now.Add(time.Minute)); !errors.Is(err, staff.ErrLocked) {
		t.Fatalf("right PIN by badge while locked, after a restart: %v, want ErrLocked", err)
	}
	m, err := s.CheckPIN("0417", "2468", "login", now.Add(staff.LockFor+time.Second))
	if err != nil || m.ID != "7" {
		t.Fatalf("right PIN after the lock-out: %v %+v", err, m)
	}
	if _, err := s.CheckPIN("nobody", "2468", "login", now); !errors.Is(err, staff.ErrUnknown) {
		t.Fatalf("unknown member: %v", err)
	}
	var types []string
	if err := s.JournalEntries(0, func(e journal.Entry) error { types = append(types, e.Type); return nil }); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(types, " ")
	want := "staff login_failed login_failed login_failed login_failed locked login_failed login login_failed"
	if got != want {
		t.Fatalf("journal types:\n got %s\nwant %s", got, want)
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Fatal(err)
	}
	if err := s.PutMember(member(t, "8", "Cy", "cashier", "1357", "0417")); err == nil {
		t.Fatal("a second member took badge 0417")
	}
}

// A day with three staff: a discount above the cashier's limit approved by
// a manager's PIN, a refund refused to the cashier then approved, a
// no-sale, and a per-cashier Z with a blind count.
func TestStaffDay(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	if req, err := r.StaffRequired(); err != nil || req {
		t.Fatalf("a new till needs a login (%v)", err)
	}
	if _, err := r.Complete(cart(t, "TEA", 1), time.Time{}, cash()); err != nil {
		t.Fatalf("a till with no staff sells at once: %v", err)
	}
	for _, m := range []staff.Member{member(t, "1", "Ann", "manager", "1111", "041001"), member(t, "2", "Bob", "cashier", "2222", ""), member(t, "3", "Sue", "supervisor", "3333", "")} {
		if err := s.PutMember(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Complete(cart(t, "TEA", 1), time.Time{}, cash()); !errors.Is(err, register.ErrLoginNeeded) {
		t.Fatalf("sale with staff and no login: %v, want ErrLoginNeeded", err)
	}
	if _, err := r.Login("2", "9999"); !errors.Is(err, staff.ErrWrong) {
		t.Fatalf("wrong PIN: %v", err)
	}
	if _, err := r.Login("2", "2222"); err != nil {
		t.Fatal(err)
	}
	c := cart(t, "RICE", 2)
	c.Lines[0].Discount = pos.Discount{Kind: pos.PercentDiscount, Percent: 2000}
	_, err := r.CompleteWith(c, time.Time{}, cash(), nil)
	if !errors.Is(err, register.ErrNeedsApproval) || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("20%% discount by a cashier: %v, want ErrNeedsApproval", err)
	}
	if _, err := r.Approve("1", "0000", staff.LineDiscount, 2000, "price match"); !errors.Is(err, staff.ErrWrong) {
		t.Fatalf("approval with a wrong PIN: %v", err)
	}
	if _, err := r.Approve("3", "3333", staff.LineDiscount, 4000, "price match"); err == nil {
		t.Fatal("a supervisor approved a discount above their own limit")
	}
	small, err := r.Approve("1", "1111", staff.LineDiscount, 1500, "price match")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.CompleteWith(c, time.Time{}, cash(), []staff.Approval{small}); !errors.Is(err, register.ErrNeedsApproval) {
		t.Fatalf("an approval for 15%% covered 20%%: %v", err)
	}
	ok, err := r.Approve("1", "1111", staff.LineDiscount, 2000, "price match")
	if err != nil {
		t.Fatal(err)
	}
	sale, err := r.CompleteWith(c, time.Time{}, cash(), []staff.Approval{ok})
	if err != nil {
		t.Fatal(err)
	}
	if sale.Cashier != "Bob" || sale.CashierID != "2" || len(sale.Approvals) != 1 || sale.Approvals[0].Approver != "1" {
		t.Fatalf("sale by %s/%s with approvals %+v", sale.Cashier, sale.CashierID, sale.Approvals)
	}
	if _, err := r.CompleteWith(cart(t, "TEA", 1), time.Time{}, cash(), []staff.Approval{ok}); err == nil {
		t.Fatal("an approval was used for a second sale that did not need it")
	}
	// Refund of 2x49.90 = 99.80 less 20% is within the cashier's 100.00;
	// a void needs approval.
	clk.Add(time.Minute)
	if _, err := r.RefundWith(sale.ID, nil, pos.KindVoid, "wrong goods", nil); !errors.Is(err, register.ErrNeedsApproval) {
		t.Fatalf("void by a cashier: %v, want ErrNeedsApproval", err)
	}
	v, err := r.Approve("041001", "", staff.Void, int64(sale.Due), "customer complaint")
	if err != nil {
		t.Fatalf("approval by a scanned manager badge: %v", err)
	}
	f, err := r.RefundWith(sale.ID, nil, pos.KindVoid, "wrong goods", []staff.Approval{v})
	if err != nil {
		t.Fatal(err)
	}
	if f.CashierID != "2" || len(f.Approvals) != 1 {
		t.Fatalf("void %+v", f)
	}
	if _, err := r.NoSale("change for the till"); !errors.Is(err, register.ErrNeedsApproval) {
		t.Fatalf("no-sale by a cashier: %v", err)
	}
	ns, err := r.Approve("3", "3333", staff.NoSale, 0, "manager's decision")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.NoSale("change for the till", ns); err != nil {
		t.Fatal(err)
	}
	// Sue takes over; Bob's cart would stay on the screen.
	if _, err := r.Login("3", "3333"); err != nil {
		t.Fatal(err)
	}
	sueSale := sell(t, r, cart(t, "TEA", 4))
	if _, err := r.PayOut(500, "window cleaner"); err != nil {
		t.Fatal(err)
	}
	// Blind count: counted cash first, the report with differences back.
	counted := pos.Money(1400 - 500 + 350)
	z, err := r.CloseDay(time.UTC, pos.Count{Drawer: &counted, ByCashier: map[string]pos.Money{"3": 1400 - 500}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]pos.CashierTotal{}
	for _, c := range z.Cashiers {
		by[c.Cashier] = c
	}
	bob, sue, ann, anyone := by["Bob"], by["Sue"], by["Ann"], by["ann"]
	if bob.Sales != 1 || bob.Voids != 1 || bob.VoidAmount != sale.Due || bob.Discounts != sale.Discounts || bob.Approvals != 3 || bob.NoSales != 1 || bob.Expected != 0 {
		t.Errorf("Bob's section %+v", bob)
	}
	if sue.Sales != 1 || sue.SalesAmount != sueSale.Due || sue.PaidOut != 500 || sue.Approved != 1 || sue.Expected != sueSale.Due-500 || sue.Counted == nil || sue.Difference != 0 {
		t.Errorf("Sue's section %+v", sue)
	}
	if ann.Approved != 2 || ann.Sales != 0 {
		t.Errorf("Ann's section %+v", ann)
	}
	if anyone.Sales != 1 || anyone.CashierID != "" {
		t.Errorf("the sale before staff existed: %+v", anyone)
	}
	if z.Expected != 350+sueSale.Due-500 || z.Difference != counted-z.Expected || z.NoSales != 1 || z.PaidOut != 500 {
		t.Errorf("drawer: expected %d counted %v difference %d", z.Expected, z.Counted, z.Difference)
	}
	if _, err := s.VerifyJournal(); err != nil {
		t.Fatal(err)
	}
	var types = map[string]int{}
	_ = s.JournalEntries(0, func(e journal.Entry) error { types[e.Type]++; return nil })
	if types["approval"] != 3 || types["drawer"] != 2 || types["login"] != 6 || types["login_failed"] != 2 {
		t.Errorf("journal holds %v", types)
	}
	_ = bolt.JApproval
}

func TestConfigJournalledOnlyWhenChanged(t *testing.T) {
	s := openNew(t)
	for i, c := range []struct {
		digest string
		want   bool
	}{{"aaa", true}, {"aaa", false}, {"bbb", true}} {
		got, err := s.NoteConfig(c.digest, t0)
		if err != nil || got != c.want {
			t.Fatalf("start %d with config %s: journalled %v (%v), want %v", i+1, c.digest, got, err, c.want)
		}
	}
	h, err := s.JournalHead()
	if err != nil || h.Seq != 2 || h.Type != bolt.JConfig || h.Ref != "bbb" {
		t.Fatalf("journal head %+v (%v)", h, err)
	}
}

// A supervisor's void limit counts the voids they made this period.
func TestVoidLimitIsCumulative(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	for _, m := range []staff.Member{member(t, "1", "Ann", "manager", "1111", ""), member(t, "3", "Sue", "supervisor", "3333", "")} {
		if err := s.PutMember(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Login("3", "3333"); err != nil {
		t.Fatal(err)
	}
	var sales []pos.Sale
	for range 3 {
		clk.Add(time.Minute)
		sales = append(sales, sell(t, r, cart(t, "RICE", 4))) // 199.60 each, limit 500.00
	}
	for _, sl := range sales[:2] {
		if _, err := r.RefundWith(sl.ID, nil, pos.KindVoid, "wrong goods", nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err := r.RefundWith(sales[2].ID, nil, pos.KindVoid, "wrong goods", nil)
	if !errors.Is(err, register.ErrNeedsApproval) {
		t.Fatalf("third void, 598.80 in all: %v, want ErrNeedsApproval", err)
	}
	if _, err := s.TakeZ(clk.Now(), time.UTC, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RefundWith(sales[2].ID, nil, pos.KindVoid, "wrong goods", nil); err != nil {
		t.Fatalf("the first void of a new period: %v", err)
	}
}
