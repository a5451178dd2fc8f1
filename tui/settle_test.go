package tui

import (
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/tillpos/till/pos/register"
)

// A counter given GCPercent sets the collector once its catalog is in;
// one without leaves it alone.
func TestGCPercentAfterLoad(t *testing.T) {
	st := newStore(t)
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, want := range []int{77, 0} {
		debug.SetGCPercent(100)
		reg := register.New(st.Store, cny, false, "alice")
		m := New(Deps{Lang: testLang, Store: st, Seller: reg, Shop: "Corner Shop", Currency: cny, Loc: testLoc,
			Now: func() time.Time { return testNow }, ReceiptDir: filepath.Join(t.TempDir(), "receipts"), GCPercent: want})
		start(t, m)
		if !m.c.loaded {
			t.Fatal("catalog not loaded")
		}
		got := debug.SetGCPercent(100)
		if want == 0 {
			want = 100
		}
		if got != want {
			t.Errorf("collector at %d%% after the load, want %d%%", got, want)
		}
	}
}
