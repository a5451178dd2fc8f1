package client_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

// lockedBuffer is a log sink safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestStoreWarningComparesStoreIDs: the terminal's shop name ("Corner
// Shop", for receipts) is not a store ID, so a sync from a terminal
// enrolled at S1 does not warn; a configured store ID that differs from
// head office's does.
func TestStoreWarningComparesStoreIDs(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	srv := synctest.StartHQ(t, b)
	term := synctest.NewTerminal(t, "T1", "Corner Shop")
	tok := synctest.Enrol(t, b, "S1", "T1")

	sync := func(store string) string {
		var log lockedBuffer
		cfg := config(srv.URL, tok)
		cfg.Store = store
		cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
		if _, err := client.Sync(ctx, term.Store, cfg); err != nil {
			t.Fatal(err)
		}
		return log.String()
	}
	for _, store := range []string{"", "S1"} {
		if log := sync(store); strings.Contains(log, "another store") {
			t.Errorf("store %q configured: warned %s", store, log)
		}
	}
	if log := sync("S2"); !strings.Contains(log, "another store") || !strings.Contains(log, "head_office_store=S1") {
		t.Errorf("store S2 configured, enrolled at S1: no warning in %q", log)
	}
}
