package client

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/sync/wire"
)

// TestEncode: the hand-written push request decodes to exactly what
// encoding/json would have sent, whatever the IDs hold.
func TestEncode(t *testing.T) {
	c := &conn{terminal: `T"1\`}
	batch := []bolt.Envelope{
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
	batch := []bolt.Envelope{{Seq: 3}, {Seq: 4}, {Seq: 7}}
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
