package tui

import (
	"strings"
	"testing"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/register"
)

// A second Z on a Chinese counter is refused in Chinese, naming the Z
// report that was taken (the store's words, through the catalog).
func TestSecondZRefusedInChinese(t *testing.T) {
	st := newStore(t)
	reg := register.New(st.Store, cny, false, "alice")
	reg.Now = (&clock{t: testNow}).now
	if _, err := reg.OpenShift(20000); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.BlindZ(testLoc, 20000); err != nil {
		t.Fatal(err)
	}
	m := newModelIn(t, st, i18n.Chinese)
	press(t, m, "f9", "z")
	if !strings.Contains(m.c.msg, "（Z 报表 1 已于 ") || !strings.Contains(m.c.msg, " 出具）") || strings.Contains(m.c.msg, "was taken") {
		t.Fatalf("second Z: msg %q", m.c.msg)
	}
}
