package storagetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/hq/storage"
)

// runPeople is the part of the suite for staff, chain heads and terminal
// keys (see storage.StaffBackend, ChainBackend, KeyBackend). Both real
// storages keep all three, so a backend without them fails; the one
// transaction of ChainedRecordsBackend is optional and skipped without.
func runPeople(t *testing.T, h Harness) {
	t.Run("Staff", func(t *testing.T) { testStaff(t, h) })
	t.Run("StaffBadges", func(t *testing.T) { testStaffBadges(t, h) })
	t.Run("ChainHeads", func(t *testing.T) { testChainHeads(t, h) })
	t.Run("ChainedRecords", func(t *testing.T) { testChainedRecords(t, h) })
	t.Run("TerminalKeys", func(t *testing.T) { testTerminalKeys(t, h) })
}

func staffOf(t *testing.T, b storage.Backend) storage.StaffBackend {
	t.Helper()
	sb, ok := b.(storage.StaffBackend)
	if !ok {
		t.Fatalf("%T does not keep staff (storage.StaffBackend)", b)
	}
	return sb
}

func chainOf(t *testing.T, b storage.Backend) storage.ChainBackend {
	t.Helper()
	cb, ok := b.(storage.ChainBackend)
	if !ok {
		t.Fatalf("%T does not keep chain heads (storage.ChainBackend)", b)
	}
	return cb
}

func keysOf(t *testing.T, b storage.Backend) storage.KeyBackend {
	t.Helper()
	kb, ok := b.(storage.KeyBackend)
	if !ok {
		t.Fatalf("%T does not keep terminal keys (storage.KeyBackend)", b)
	}
	return kb
}

func member(id, name, role, badge string, active bool) staff.Member {
	return staff.Member{ID: id, Name: name, Role: role, PINHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + id,
		Badge: badge, Active: active, Changed: t0.Add(time.Duration(len(id)) * time.Microsecond)}
}

func putStaff(t *testing.T, sb storage.StaffBackend, store string, m staff.Member) uint64 {
	t.Helper()
	seq, err := sb.PutStaff(ctx, store, m)
	must(t, err)
	return seq
}

// staffSummary is changes as seq:SKU or seq:staff ID(state).
func staffSummary(cs []storage.Change) string {
	var b strings.Builder
	for _, c := range cs {
		switch {
		case c.Staff != nil:
			state := "on"
			if !c.Staff.Active {
				state = "off"
			}
			fmt.Fprintf(&b, "%d:staff %s(%s) ", c.Seq, c.Staff.ID, state)
		case c.Product == nil:
			fmt.Fprintf(&b, "%d:%s:deleted ", c.Seq, c.SKU)
		default:
			fmt.Fprintf(&b, "%d:%s ", c.Seq, c.SKU)
		}
	}
	return b.String()
}

func testStaff(t *testing.T, h Harness) {
	b := h.New(t)
	sb := staffOf(t, b)
	if ms, err := sb.Staff(ctx, "S1"); err != nil || len(ms) != 0 {
		t.Fatalf("staff of a new store: %v %v", ms, err)
	}
	// Staff take the catalog's change sequence, between goods.
	ann := member("9", "Ann", "manager", "041001", true)
	if seq := putStaff(t, sb, "S1", ann); seq != 1 {
		t.Fatalf("first member took change %d, want 1", seq)
	}
	res, err := b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("TEA", 350)}})
	must(t, err)
	if res.Seq != 2 || res.Added != 1 {
		t.Fatalf("import after a member: %+v, want change 2", res)
	}
	if seq := putStaff(t, sb, "S1", member("10", "Bob", "cashier", "", true)); seq != 3 {
		t.Fatalf("second member took change %d, want 3", seq)
	}
	putStaff(t, sb, "S1", member("2", "Cy", "supervisor", "041002", true))
	cs := changes(t, b, "S1", 0, 100)
	if got, want := staffSummary(cs), "1:staff 9(on) 2:TEA 3:staff 10(on) 4:staff 2(on) "; got != want {
		t.Fatalf("changes = %q, want %q", got, want)
	}
	if got := *cs[0].Staff; got.Name != ann.Name || got.Role != ann.Role || got.PINHash != ann.PINHash ||
		got.Badge != ann.Badge || !got.Active || !got.Changed.Equal(ann.Changed) || cs[0].SKU != "" || cs[0].Product != nil {
		t.Fatalf("member came back as %+v (change %+v), want %+v", got, cs[0], ann)
	}
	// Paging runs over goods and staff alike.
	if got, want := staffSummary(changes(t, b, "S1", 1, 2)), "2:TEA 3:staff 10(on) "; got != want {
		t.Fatalf("page after 1 = %q, want %q", got, want)
	}
	// A change replaces the member's earlier one; a catalog replace
	// leaves staff alone.
	ann.Active = false
	if seq := putStaff(t, sb, "S1", ann); seq != 5 {
		t.Fatalf("disabling took change %d, want 5", seq)
	}
	res, err = b.ImportCatalog(ctx, "S1", storage.CatalogImport{Put: []pos.Product{product("RICE", 4990)}, Replace: true})
	must(t, err)
	if res.Seq != 7 {
		t.Fatalf("replace import: %+v, want change 7", res)
	}
	if got, want := staffSummary(changes(t, b, "S1", 0, 100)), "3:staff 10(on) 4:staff 2(on) 5:staff 9(off) 6:RICE 7:TEA:deleted "; got != want {
		t.Fatalf("changes = %q, want %q", got, want)
	}
	if got, want := staffSummary(changes(t, b, "S1", 5, 100)), "6:RICE 7:TEA:deleted "; got != want {
		t.Fatalf("changes since 5 = %q, want %q", got, want)
	}
	// Staff lists by ID as strings compare, disabled ones too.
	ms, err := sb.Staff(ctx, "S1")
	must(t, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	if got := strings.Join(ids, ","); got != "10,2,9" || ms[2].Active || ms[2].Name != "Ann" {
		t.Fatalf("staff = %s (%+v), want 10,2,9 with Ann disabled", got, ms)
	}
	// Stores keep their own staff and sequences.
	if ms, _ := sb.Staff(ctx, "S2"); len(ms) != 0 {
		t.Fatalf("S2 has S1's staff: %+v", ms)
	}
	if seq := putStaff(t, sb, "S2", member("9", "Dee", "manager", "041001", true)); seq != 1 {
		t.Fatalf("S2's first member took change %d, want 1", seq)
	}
	// All of it survives a restart.
	b = h.Reopen(t, b)
	sb = staffOf(t, b)
	ms, err = sb.Staff(ctx, "S1")
	must(t, err)
	if len(ms) != 3 || ms[2].PINHash != ann.PINHash {
		t.Fatalf("staff after reopen: %+v", ms)
	}
	if seq := putStaff(t, sb, "S1", member("11", "Eve", "cashier", "", true)); seq != 8 {
		t.Fatalf("member after reopen took change %d, want 8", seq)
	}
}

func testStaffBadges(t *testing.T, h Harness) {
	b := h.New(t)
	sb := staffOf(t, b)
	putStaff(t, sb, "S1", member("1", "Ann", "manager", "041001", true))
	putStaff(t, sb, "S1", member("2", "Bob", "cashier", "041002", true))
	before := staffSummary(changes(t, b, "S1", 0, 100))
	// Another member's badge is refused, for a new member and a change.
	for _, m := range []staff.Member{member("3", "Cy", "cashier", "041001", true), member("2", "Bob", "cashier", "041001", true)} {
		_, err := sb.PutStaff(ctx, "S1", m)
		if err == nil || !strings.Contains(err.Error(), "badge 041001 already belongs to Ann (1)") {
			t.Fatalf("member %s with Ann's badge: %v, want a refusal naming Ann", m.ID, err)
		}
	}
	if after := staffSummary(changes(t, b, "S1", 0, 100)); after != before {
		t.Fatalf("a refused member changed the store: %q -> %q", before, after)
	}
	ms, err := sb.Staff(ctx, "S1")
	must(t, err)
	if len(ms) != 2 || ms[1].Badge != "041002" {
		t.Fatalf("staff after refusals: %+v", ms)
	}
	// A member keeps their own badge; no badge is no clash; a freed
	// badge can be given again; the refusals took no sequence number.
	if seq := putStaff(t, sb, "S1", member("1", "Ann B.", "manager", "041001", true)); seq != 3 {
		t.Fatalf("change after refusals took %d, want 3", seq)
	}
	putStaff(t, sb, "S1", member("4", "Dee", "cashier", "", true))
	putStaff(t, sb, "S1", member("5", "Eve", "cashier", "", true))
	putStaff(t, sb, "S1", member("1", "Ann B.", "manager", "041009", true))
	putStaff(t, sb, "S1", member("3", "Cy", "cashier", "041001", true))
	// Concurrent members with one badge: exactly one gets it.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = sb.PutStaff(ctx, "S1", member(fmt.Sprint(10+i), "Racer", "cashier", "777", true))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !strings.Contains(err.Error(), "badge 777 already belongs to Racer") {
			t.Errorf("racing member: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d racing members got badge 777, want 1", ok)
	}
}

// entries is a journal of n entries.
func entries(n int) []journal.Entry {
	var out []journal.Entry
	var prev journal.Entry
	for i := range n {
		e := journal.Append(prev, "sale", fmt.Sprintf("S%d-T1", i+1), t0.Add(time.Duration(i)*time.Second), []byte(fmt.Sprint(i)))
		out = append(out, e)
		prev = e
	}
	return out
}

func wantHead(t *testing.T, cb storage.ChainBackend, terminal string, want journal.Entry) {
	t.Helper()
	got, ok, err := cb.ChainHead(ctx, terminal)
	must(t, err)
	if !ok || got.Seq != want.Seq || got.Hash != want.Hash || got.Prev != want.Prev || got.Digest != want.Digest ||
		got.Type != want.Type || got.Ref != want.Ref || !got.At.Equal(want.At) {
		t.Fatalf("chain head of %s = %+v (%v), want %+v", terminal, got, ok, want)
	}
}

func testChainHeads(t *testing.T, h Harness) {
	b := h.New(t)
	cb := chainOf(t, b)
	if _, ok, err := cb.ChainHead(ctx, "T1"); ok || err != nil {
		t.Fatalf("chain head of a new terminal: %v %v", ok, err)
	}
	j := entries(6)
	must(t, cb.PutChainHead(ctx, "T1", j[2]))
	wantHead(t, cb, "T1", j[2])
	must(t, cb.PutChainHead(ctx, "T1", j[4]))
	if err := cb.PutChainHead(ctx, "T1", j[3]); err == nil {
		t.Fatal("the chain head went back")
	}
	wantHead(t, cb, "T1", j[4])
	must(t, cb.PutChainHead(ctx, "T1", j[4])) // the same again
	must(t, cb.PutChainHead(ctx, "T2", j[0]))
	wantHead(t, cb, "T2", j[0])
	wantHead(t, cb, "T1", j[4])
	b = h.Reopen(t, b)
	cb = chainOf(t, b)
	wantHead(t, cb, "T1", j[4])
	wantHead(t, cb, "T2", j[0])
}

func testChainedRecords(t *testing.T, h Harness) {
	b := h.New(t)
	cr, ok := b.(storage.ChainedRecordsBackend)
	if !ok {
		t.Skipf("%T stores records and the chain head in two transactions", b)
	}
	j := entries(48)
	put := func(checked *journal.Entry, head journal.Entry, recs ...storage.Record) ([]storage.PutResult, uint64, error) {
		for i := range recs {
			recs[i].Terminal = "T1"
		}
		return cr.PutRecordsChained(ctx, recs, "T1", checked, head)
	}
	res, held, err := put(nil, j[1], rec("sale", "A", t0, 100, `{"id":"A"}`))
	must(t, err)
	if held != 2 || len(res) != 1 || res[0] != storage.Stored {
		t.Fatalf("first push: %v held %d", res, held)
	}
	wantHead(t, cr, "T1", j[1])
	// Checked against no head, but there is one now: nothing stored.
	if _, _, err := put(nil, j[3], rec("sale", "B", t0, 100, `{"id":"B"}`)); !errors.Is(err, storage.ErrChainMoved) {
		t.Fatalf("push checked against no head: %v, want ErrChainMoved", err)
	}
	forged := j[1]
	forged.Hash[0] ^= 1
	if _, _, err := put(&forged, j[3], rec("sale", "B", t0, 100, `{"id":"B"}`)); !errors.Is(err, storage.ErrChainMoved) {
		t.Fatalf("push checked against another entry 2: %v, want ErrChainMoved", err)
	}
	if _, _, err := put(&j[0], j[3], rec("sale", "B", t0, 100, `{"id":"B"}`)); !errors.Is(err, storage.ErrChainMoved) {
		t.Fatalf("push checked against entry 1: %v, want ErrChainMoved", err)
	}
	if n := len(all(t, b)); n != 1 {
		t.Fatalf("refused pushes stored records: %d held", n)
	}
	wantHead(t, cr, "T1", j[1])
	// Checked against the head: records and head both stored; a
	// resend is a duplicate; an earlier head keeps the later one.
	res, held, err = put(&j[1], j[3], rec("sale", "B", t0, 100, `{"id":"B"}`), rec("sale", "A", t0, 100, `{"id":"A"}`), rec("sale", "A", t0, 100, `{"id":"A2"}`))
	must(t, err)
	if held != 4 || res[0] != storage.Stored || res[1] != storage.Duplicate || res[2] != storage.Conflict {
		t.Fatalf("push: %v held %d", res, held)
	}
	res, held, err = put(&j[3], j[2], rec("sale", "C", t0, 100, `{"id":"C"}`))
	must(t, err)
	if held != 4 || res[0] != storage.Stored {
		t.Fatalf("push with an earlier head: %v held %d, want the head kept at 4", res, held)
	}
	wantHead(t, cr, "T1", j[3])
	// No records, only a head.
	if _, held, err = put(&j[3], j[4]); err != nil || held != 5 {
		t.Fatalf("push of a head alone: held %d %v", held, err)
	}
	// Pushes racing from one head, round after round: in each, one goes
	// through and the others find the head moved and store nothing.
	head, stored := j[4], 3 // A, B and C
	for round := range 8 {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		start := make(chan struct{})
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				id := fmt.Sprintf("R%d-%d", round, i)
				_, _, errs[i] = put(&head, j[int(head.Seq)+i], rec("sale", id, t0, 100, `{"id":"`+id+`"}`))
			}()
		}
		close(start)
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won < 0:
				won = i
			case err == nil:
				t.Fatalf("round %d: pushes %d and %d both went through from entry %d", round, won, i, head.Seq)
			case !errors.Is(err, storage.ErrChainMoved):
				t.Fatalf("round %d: racing push %d: %v", round, i, err)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: no racing push went through", round)
		}
		head, stored = j[int(head.Seq)+won], stored+1
		wantHead(t, cr, "T1", head)
		if n := len(all(t, b)); n != stored {
			t.Fatalf("round %d: %d records held, want %d (the winners' only)", round, n, stored)
		}
	}
}

func testTerminalKeys(t *testing.T, h Harness) {
	b := h.New(t)
	kb := keysOf(t, b)
	if k, err := kb.TerminalKey(ctx, "T1"); k != "" || err != nil {
		t.Fatalf("key of an unknown terminal: %q %v", k, err)
	}
	if err := kb.PutTerminalKey(ctx, "T1", "ed25519:AAAA"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("key of a terminal not enrolled: %v, want ErrNotFound", err)
	}
	if k, _ := kb.TerminalKey(ctx, "T1"); k != "" {
		t.Fatalf("a refused key was stored: %q", k)
	}
	term := storage.Terminal{ID: "T1", Store: "S1", Hash: storage.Digest([]byte("x")), Enrolled: t0}
	must(t, b.Enrol(ctx, term))
	must(t, b.Enrol(ctx, storage.Terminal{ID: "T2", Store: "S1", Hash: storage.Digest([]byte("y")), Enrolled: t0}))
	must(t, kb.PutTerminalKey(ctx, "T1", "ed25519:AAAA"))
	must(t, kb.PutTerminalKey(ctx, "T1", "ed25519:BBBB"))
	must(t, kb.PutTerminalKey(ctx, "T2", "ed25519:CCCC"))
	// A new credential for the terminal keeps its key.
	term.Hash = storage.Digest([]byte("z"))
	must(t, b.Enrol(ctx, term))
	b = h.Reopen(t, b)
	kb = keysOf(t, b)
	for id, want := range map[string]string{"T1": "ed25519:BBBB", "T2": "ed25519:CCCC", "T3": ""} {
		if k, err := kb.TerminalKey(ctx, id); k != want || err != nil {
			t.Errorf("key of %s = %q (%v), want %q", id, k, err, want)
		}
	}
}
