package boltstore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/tillpos/till/i18n"
)

// A file another head-office process holds is refused in words, in
// English and in the shop's Chinese.
func TestOpenInUseSaidInChinese(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hq.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(path, Options{LockTimeout: 50 * time.Millisecond})
	if err == nil {
		t.Fatal("a second open of a held file succeeded")
	}
	if got, want := i18n.New(i18n.English).ErrorText(err), "open "+path+": in use by another head-office process"; got != want {
		t.Errorf("English %q, want %q", got, want)
	}
	if got, want := i18n.New(i18n.Chinese).ErrorText(err), "打开 "+path+"：另一个总部进程正在使用"; got != want {
		t.Errorf("Chinese %q, want %q", got, want)
	}
}
