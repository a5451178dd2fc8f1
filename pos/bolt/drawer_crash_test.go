package bolt_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

// payInUntilKilled is the drawer crash test's child: it records pay-ins
// and no-sales with fsync, printing each event's ID only after its commit
// has returned, until it is killed.
func payInUntilKilled(path string) error {
	r, err := crashRegister(path)
	if err != nil {
		return err
	}
	for i := 0; ; i++ {
		var ev pos.DrawerEvent
		if i%2 == 0 {
			ev, err = r.PayIn(pos.Money(100+i), "crash test")
		} else {
			ev, err = r.NoSale("crash test")
		}
		if err != nil {
			return err
		}
		fmt.Printf("D %s\n", ev.ID)
	}
}

// TestCrashMidDrawerEvent kills a process recording drawer events at a
// random moment: every event it reported is stored with exactly one
// outbox entry, and no outbox entry points at an event that is not.
func TestCrashMidDrawerEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	path := filepath.Join(t.TempDir(), "till.db")
	if err := openAt(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	shown := map[string]bool{}
	for round := range 3 {
		cmd, out, stop := helper(t, "drawer", path)
		atLeast, lines, killed := 3+rng.IntN(15), 0, false
		for out.Scan() {
			id, ok := strings.CutPrefix(out.Text(), "D ")
			if !ok {
				t.Fatalf("round %d: child said %q", round, out.Text())
			}
			shown[id] = true
			if lines++; lines == atLeast && !killed {
				time.Sleep(time.Duration(rng.IntN(8000)) * time.Microsecond)
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
		}
		stop()
		if !killed {
			t.Fatalf("round %d: child stopped by itself", round)
		}
		s, err := bolt.Open(path, bolt.Options{})
		if err != nil {
			t.Fatalf("reopen after kill: %v", err)
		}
		evs, err := s.DrawerEvents()
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]bool{}
		for _, ev := range evs {
			stored[ev.ID] = true
		}
		for id := range shown {
			if !stored[id] {
				t.Errorf("round %d: drawer event %s was reported but is not stored", round, id)
			}
		}
		queued := map[string]int{}
		for _, e := range pending(t, s) { // fails if an entry's event is missing
			queued[e.ID]++
		}
		for id := range stored {
			if queued[id] != 1 {
				t.Errorf("round %d: %s has %d outbox entries, want 1", round, id, queued[id])
			}
		}
		if len(queued) != len(stored) {
			t.Errorf("round %d: outbox has %d records, store %d drawer events", round, len(queued), len(stored))
		}
		_ = s.Close()
		t.Logf("round %d: %d events stored", round, len(stored))
	}
}
