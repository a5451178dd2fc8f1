package client

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/wire"
)

// TestEncode: the hand-written push request decodes to exactly what
// encoding/json would have sent, whatever the IDs hold.
func TestEncode(t *testing.T) {
	c := &conn{terminal: `T"1\`}
	batch := []pos.OutboxEntry{
		{Seq: 1, Kind: "sale", ID: "01J-T1", Body: json.RawMessage(`{"id":"01J-T1","name":"绿茶 \"special\"","total":1050}`)},
		{Seq: 18446744073709551615, Kind: "zreport", ID: "Z1-<T1>&\u2028", Body: json.RawMessage(`[1, 2]`)},
	}
	var got wire.PushRequest
	if err := json.Unmarshal(c.encode("CNY", batch), &got); err != nil {
		t.Fatal(err)
	}
	if got.Terminal != c.terminal || got.Currency != "CNY" || len(got.Records) != 2 {
		t.Fatalf("decoded %+v", got)
	}
	for i, r := range got.Records {
		e := batch[i]
		if r.Seq != e.Seq || r.Kind != e.Kind || r.ID != e.ID || string(r.Body) != string(e.Body) {
			t.Errorf("record %d: %+v, want %+v", i, r, e)
		}
	}
}

func TestBackoff(t *testing.T) {
	for attempt := range 40 {
		ceil := min(250*time.Millisecond<<min(attempt, 30), 30*time.Second)
		for range 100 {
			if d := backoff(attempt, 250*time.Millisecond, 30*time.Second); d < 0 || d > ceil {
				t.Fatalf("attempt %d: wait %v outside [0, %v]", attempt, d, ceil)
			}
		}
	}
}

func TestCheckAnswer(t *testing.T) {
	batch := []pos.OutboxEntry{{Seq: 3}, {Seq: 4}, {Seq: 7}}
	acked, rej, err := check(batch, wire.PushResponse{Acked: []uint64{3, 7}, Rejected: []wire.Rejection{{Seq: 4, Reason: "bad"}}})
	if err != nil || !slices.Equal(acked, []uint64{3, 7}) || len(rej) != 1 {
		t.Fatalf("good answer: %v %v %v", acked, rej, err)
	}
	for name, resp := range map[string]wire.PushResponse{
		"missing one":   {Acked: []uint64{3, 7}},
		"not sent":      {Acked: []uint64{3, 4, 7, 8}},
		"twice":         {Acked: []uint64{3, 4, 7}, Rejected: []wire.Rejection{{Seq: 4}}},
		"acked nothing": {},
	} {
		if _, _, err := check(batch, resp); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestFit: a batch stops before the body that would take it over
// BatchBytes; entries that can never be sent before that point come out
// as unsendable, and those after it wait for the next batch.
func TestFit(t *testing.T) {
	c := &conn{cfg: Config{BatchBytes: 10}}
	body := func(n int) json.RawMessage { return json.RawMessage(strings.Repeat("1", n)) }
	batch := []pos.OutboxEntry{{Seq: 1, ID: "R1", Body: body(4)}, {Seq: 2, ID: "R2"}, {Seq: 3, ID: "R3", Body: body(5)}, {Seq: 4, ID: "R4", Body: body(4)}, {Seq: 5, ID: "R5"}}
	ok, bad := c.fit(batch)
	var okSeqs, badSeqs []uint64
	for _, e := range ok {
		okSeqs = append(okSeqs, e.Seq)
	}
	for _, b := range bad {
		badSeqs = append(badSeqs, b.env.Seq)
	}
	if !slices.Equal(okSeqs, []uint64{1, 3}) || !slices.Equal(badSeqs, []uint64{2}) {
		t.Fatalf("fit: ok %v, unsendable %v; want [1 3] and [2]", okSeqs, badSeqs)
	}
	// One body over the limit alone still goes, as a batch of one.
	if ok, bad := c.fit([]pos.OutboxEntry{{Seq: 7, ID: "R7", Body: body(50)}, {Seq: 8, ID: "R8", Body: body(1)}}); len(ok) != 1 || ok[0].Seq != 7 || len(bad) != 0 {
		t.Fatalf("large first body: ok %v, unsendable %v", ok, bad)
	}
	// An ID head office would refuse (here, of a terminal named before the
	// rule was ASCII) is set aside here, with head office's reason.
	ok, bad = c.fit([]pos.OutboxEntry{{Seq: 9, ID: "01JNKX0000000000000000000A-收银1", Body: body(1)}, {Seq: 10, ID: "R10", Body: body(1)}})
	if len(ok) != 1 || ok[0].Seq != 10 || len(bad) != 1 || bad[0].env.Seq != 9 || !strings.Contains(bad[0].reason, "bad record id") {
		t.Fatalf("non-ASCII id: ok %v, unsendable %+v", ok, bad)
	}
}
