package hq_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/internal/synctest"
)

// TestConcurrentPushesKeepTheChain: syncs of one terminal racing each
// other (the same batches pushed at once, so the chain head moves under
// a push between its check and its storing) all end well, every sale is
// stored once, and head office holds the terminal's journal head, on
// either storage.
func TestConcurrentPushesKeepTheChain(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storage.Backend) {
		srv := synctest.StartHQ(t, b)
		tok := synctest.Enrol(t, b, "S1", "T1")
		term := synctest.NewTerminal(t, "T1", "S1")
		term.MustSell(t, rand.New(rand.NewPCG(7, 8)), 90)
		cfg := client.Config{URL: srv.URL, Token: tok, BatchSize: 10, MinBackoff: time.Millisecond,
			MaxBackoff: 20 * time.Millisecond, HTTPClient: &http.Client{Timeout: 30 * time.Second}}
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := client.Sync(ctx, term.Store, cfg)
				if err == nil {
					err = res.Err()
				}
				if err != nil {
					t.Errorf("racing sync: %v", err)
				}
			}()
		}
		wg.Wait()
		// One more, alone, pushes whatever the racers left.
		if _, err := client.Sync(ctx, term.Store, cfg); err != nil {
			t.Fatal(err)
		}
		synctest.CheckExactlyOnce(t, b, term.Store)
		head, err := term.Store.JournalHead()
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := b.(storage.ChainBackend).ChainHead(ctx, "T1")
		if err != nil || !ok || got.Seq != head.Seq || got.Hash != head.Hash {
			t.Fatalf("head office holds entry %d (%v %v), want the terminal's head %d", got.Seq, ok, err, head.Seq)
		}
	})
}

type chainedStore interface {
	storage.Backend
	storage.ChainedRecordsBackend
}

// movingHead runs move once, just before the first push's transaction.
type movingHead struct {
	chainedStore
	once sync.Once
	move func()
}

func (m *movingHead) PutRecordsChained(ctx context.Context, recs []storage.Record, terminal string, checked *journal.Entry, head journal.Entry) ([]storage.PutResult, uint64, error) {
	m.once.Do(m.move)
	return m.chainedStore.PutRecordsChained(ctx, recs, terminal, checked, head)
}

// TestChainCheckedAgainWhenTheHeadMoves: when the terminal's chain head
// changes between a push's check and its transaction (here to an entry
// of another history), the one-transaction storage stores nothing and
// head office checks again, refusing the push against the new head
// instead of storing its sales under a head it never checked. Both
// storages keep a push's records and its head in one transaction.
func TestChainCheckedAgainWhenTheHeadMoves(t *testing.T) {
	eachBackend(t, testChainCheckedAgain)
}

func testChainCheckedAgain(t *testing.T, sb storage.Backend) {
	pg, ok := sb.(chainedStore)
	if !ok {
		t.Fatalf("%T stores records and the chain head apart", sb)
	}
	term := synctest.NewTerminal(t, "T1", "S1")
	rng := rand.New(rand.NewPCG(9, 10))
	term.MustSell(t, rng, 3)
	var forged journal.Entry
	b := &movingHead{chainedStore: pg}
	b.move = func() {} // the first push goes through
	srv := synctest.StartHQ(t, b)
	tok := synctest.Enrol(t, b, "S1", "T1")
	cfg := client.Config{URL: srv.URL, Token: tok, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		HTTPClient: &http.Client{Timeout: 30 * time.Second}}
	if _, err := client.Sync(ctx, term.Store, cfg); err != nil {
		t.Fatal(err)
	}
	held := len(synctest.HQRecords(t, b, "sale", "T1"))
	head, _ := term.Store.JournalHead()
	moved := false
	b.once = sync.Once{}
	b.move = func() {
		forged = journal.Append(head, "sale", "X-T1", time.Now(), []byte("another history"))
		if err := pg.PutChainHead(ctx, "T1", forged); err != nil {
			t.Error(err)
		}
		moved = true
	}
	term.MustSell(t, rng, 2)
	res, err := client.Sync(ctx, term.Store, cfg)
	if err == nil {
		err = res.Err()
	}
	if !moved {
		t.Fatal("the head never moved under the push")
	}
	if err == nil || !strings.Contains(err.Error(), "rewritten or restored") {
		t.Fatalf("sync after the head moved: %v, want a refusal against the new head", err)
	}
	if n := len(synctest.HQRecords(t, b, "sale", "T1")); n != held {
		t.Fatalf("head office stored %d sales of the push checked against the old head", n-held)
	}
	if got, _, _ := pg.ChainHead(ctx, "T1"); got.Hash != forged.Hash {
		t.Fatalf("head office's chain head is entry %d, want the one it moved to", got.Seq)
	}
}
