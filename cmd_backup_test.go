package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
)

// counterdb FILE holds the terminal database open and serves its backup
// socket, as a running counter does, until the script ends.
func cmdCounterDB(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: counterdb FILE")
	}
	path := ts.MkAbs(args[0])
	s, err := bolt.Open(path, bolt.Options{})
	ts.Check(err)
	b, err := s.ServeBackups(bolt.BackupSocketFor(path), nil)
	ts.Check(err)
	ts.Defer(func() { b.Close(); s.Close() })
}

var backupLine = regexp.MustCompile(`^backup (\S+) verified by the running counter: terminal T1, last receipt (\d{6}), `)

// TestBackupWhileCounterSells runs the real till backup while this
// process holds the database as the counter does, serving its backup
// socket, and sells without pause: every backup verifies, holds every
// sale made before till backup started, and sales went on meanwhile.
// With the counter gone (its socket left behind, as a kill leaves it),
// till backup opens the file itself.
func TestBackupWhileCounterSells(t *testing.T) {
	if testing.Short() {
		t.Skip("sells for seconds against the real till backup")
	}
	db := newDB(t)
	s, err := bolt.Open(db, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var goods []pos.Product
	for i := range 20000 {
		goods = append(goods, pos.Product{SKU: fmt.Sprintf("BIG%06d", i), Name: strings.Repeat("goods ", 8), Price: 100})
	}
	if _, err := s.PutProducts(goods); err != nil {
		t.Fatal(err)
	}
	srv, err := s.ServeBackups(bolt.BackupSocketFor(db), nil)
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := pos.LookupCurrency("CNY")
	reg := register.New(s, cur, true, "test")
	tea, err := s.Product("SKU1001")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	sold := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			var c pos.Cart
			if _, err := c.Add(tea, 1); err != nil {
				t.Error(err)
				return
			}
			if _, err := reg.Complete(c, time.Time{}, []pos.Tender{{Kind: pos.Cash, Given: 1_000_000}}); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			sold++
			mu.Unlock()
		}
	}()
	bdir := filepath.Join(t.TempDir(), "bk")
	during := 0
	for range 3 {
		before, _ := s.LastReceipt()
		mu.Lock()
		n0 := sold
		mu.Unlock()
		out := mustOK(t, till(t, db, "backup", bdir))
		mu.Lock()
		during += sold - n0
		mu.Unlock()
		m := backupLine.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("till backup said %q", out)
		}
		info, err := bolt.Verify(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if info.LastReceipt < before || fmt.Sprintf("%06d", info.LastReceipt) != m[2] {
			t.Fatalf("backup %s ends at receipt %d (said %s); the counter was at %d before till backup ran", m[1], info.LastReceipt, m[2], before)
		}
	}
	close(stop)
	wg.Wait()
	if during == 0 {
		t.Fatal("no sale completed while till backup ran")
	}
	t.Logf("%d sales while three backups ran", during)

	// The counter is killed: its socket stays, the file is free.
	srv.Close()
	last, _ := s.LastReceipt()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bolt.BackupSocketFor(db), nil, 0o600); err != nil { // something under the socket's name that answers nothing
		t.Fatal(err)
	}
	out := mustOK(t, till(t, db, "backup", bdir))
	if strings.Contains(out, "running counter") || !strings.Contains(out, fmt.Sprintf("last receipt %06d", last)) {
		t.Fatalf("backup with no counter: %q, want last receipt %d from the file", out, last)
	}
}
