package bolt_test

import (
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

// TestUnsyncedCountsEveryRecord is issue 10 item 5: "unsynced N" must
// count refunds and Z reports waiting for head office, not only sales.
func TestUnsyncedCountsEveryRecord(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, clk := newRegister(t, s)
	sale := sell(t, r, cart(t, "TEA", 2))
	sell(t, r, cart(t, "RICE", 1))
	clk.Add(time.Minute)
	if _, err := r.Refund(sale.ID, map[int]int64{0: 1}, pos.KindRefund, "damaged"); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	if _, err := r.TakeZ(time.UTC, nil); err != nil {
		t.Fatal(err)
	}

	want := pos.OutboxCount{Sales: 2, Refunds: 1, ZReports: 1}
	st, err := s.SyncStatus()
	if err != nil {
		t.Fatal(err)
	}
	if st.Waiting != want || st.Unsynced != 4 || want.Total() != 4 {
		t.Fatalf("sync status waiting %+v unsynced %d; want %+v and 4", st.Waiting, st.Unsynced, want)
	}
	sales, total, err := s.OutboxCounts()
	if err != nil || sales != 2 || total != 4 {
		t.Fatalf("OutboxCounts = %d sales, %d total, %v; want 2 and 4", sales, total, err)
	}

	// Acknowledging the sales leaves the refund and the Z unsynced.
	var ack []uint64
	for _, e := range pending(t, s) {
		if e.Kind == pos.RecordSale {
			ack = append(ack, e.Seq)
		}
	}
	if err := s.Ack(ack...); err != nil {
		t.Fatal(err)
	}
	st, _ = s.SyncStatus()
	if st.Unsynced != 2 || st.Waiting != (pos.OutboxCount{Refunds: 1, ZReports: 1}) {
		t.Fatalf("after the sales were sent: %+v; want a refund and a Z still unsynced", st)
	}
}
