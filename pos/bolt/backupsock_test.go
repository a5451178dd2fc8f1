package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
	"github.com/tillpos/till/pos/register"
)

// serveAndSell is the backup socket crash test's child: a counter that
// serves backups on its socket and sells without pause until killed.
func serveAndSell(path string) error {
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return err
	}
	b, err := s.ServeBackups(bolt.BackupSocketFor(path), nil)
	if err != nil {
		return err
	}
	defer b.Close()
	cur, err := pos.LookupCurrency("CNY")
	if err != nil {
		return err
	}
	r := register.New(s, cur, true, "crash")
	var tea pos.Product
	for _, p := range catalog() {
		if p.SKU == "TEA" {
			tea = p
		}
	}
	fmt.Println("ready")
	for {
		var c pos.Cart
		if _, err := c.Add(tea, 1); err != nil {
			return err
		}
		if _, err := r.Complete(c, time.Time{}, cash()); err != nil {
			return err
		}
	}
}

// TestBackupSocketWhileSelling backs up through the socket while another
// goroutine sells: every backup verifies, holds every sale made before it
// was asked for, and sales went on while it was taken.
func TestBackupSocketWhileSelling(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "till.db")
	s, _ := bigStore(t, path, 20)
	var logb syncBuf
	b, err := s.ServeBackups(bolt.BackupSocketFor(path), slog.New(slog.NewTextHandler(&logb, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	fi, err := os.Stat(b.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode %v, want a socket of mode 0600", fi.Mode())
	}
	r, _ := newRegister(t, s)
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
			sell(t, r, cart(t, "TEA", 1))
			mu.Lock()
			sold++
			mu.Unlock()
		}
	}()
	bdir := filepath.Join(dir, "bk")
	during := 0
	for range 5 {
		before, err := s.LastReceipt()
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		n0 := sold
		mu.Unlock()
		info, err := bolt.BackupVia(context.Background(), b.Path(), path, bdir, 3)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		during += sold - n0
		mu.Unlock()
		after, _ := s.LastReceipt()
		if info.LastReceipt < before || info.LastReceipt > after {
			t.Fatalf("backup ends at receipt %d; the counter was at %d when asked and %d after", info.LastReceipt, before, after)
		}
		got, err := bolt.Verify(info.Path)
		if err != nil || got.LastReceipt != info.LastReceipt {
			t.Fatalf("backup %s: %v, receipt %d", info.Path, err, got.LastReceipt)
		}
	}
	close(stop)
	wg.Wait()
	if during == 0 {
		t.Fatalf("no sale completed while five backups were taken")
	}
	all, _ := bolt.Backups(bdir, testID.Terminal)
	if len(all) != 3 {
		t.Fatalf("%d backups kept, want 3", len(all))
	}
	if !strings.Contains(logb.String(), "backup on request") {
		t.Fatalf("log: %s", logb.String())
	}
	t.Logf("%d sales completed while backing up", during)

	// A relative folder is refused: the counter's working folder is not the caller's.
	if _, err := bolt.BackupVia(context.Background(), b.Path(), path, "rel", 0); err != nil {
		t.Fatalf("relative folder (made absolute by the client): %v", err)
	}
	// A socket that serves another database is not used for this one.
	other := filepath.Join(t.TempDir(), "till.db")
	openAt(t, other)
	if _, err := bolt.BackupVia(context.Background(), b.Path(), other, bdir, 0); err == nil || errors.Is(err, bolt.ErrNoCounter) {
		t.Fatalf("backup of another database through this socket: %v", err)
	}
}

// TestBackupSocketStale: after the server is gone, a socket left behind
// answers nothing (ErrNoCounter, so till backup opens the file), and a
// new server replaces it; one that answers is not replaced.
func TestBackupSocketStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "till.db")
	s := openAt(t, path)
	sock := bolt.BackupSocketFor(path)
	if _, err := bolt.BackupVia(context.Background(), sock, path, dir, 0); !errors.Is(err, bolt.ErrNoCounter) {
		t.Fatalf("no socket: %v", err)
	}
	b, err := s.ServeBackups(sock, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ServeBackups(sock, nil); err == nil || !strings.Contains(err.Error(), "in use by another till") {
		t.Fatalf("second server on a live socket: %v", err)
	}
	b.Close()
	if err := os.WriteFile(sock, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ServeBackups(sock, nil); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("a plain file in the way: %v", err)
	}
	os.Remove(sock)
	// A stale socket (its server killed) is replaced.
	if err := staleSocket(sock); err != nil {
		t.Fatal(err)
	}
	if _, err := bolt.BackupVia(context.Background(), sock, path, dir, 0); !errors.Is(err, bolt.ErrNoCounter) {
		t.Fatalf("stale socket: %v", err)
	}
	b, err = s.ServeBackups(sock, nil)
	if err != nil {
		t.Fatalf("over a stale socket: %v", err)
	}
	defer b.Close()
	if _, err := bolt.BackupVia(context.Background(), sock, path, dir, 0); err != nil {
		t.Fatal(err)
	}
}

// staleSocket leaves a socket file nobody listens on, as a killed
// counter does.
func staleSocket(path string) error {
	cmd := exec.Command("python3", "-c", "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("python3: %v: %s", err, out)
	}
	return nil
}

// TestBackupSocketRefusesOtherUser: a server that runs as another user
// closes our connection (the SO_PEERCRED check); and, when the test runs
// as root, a real other user is kept out by the socket's mode and, with
// the mode opened up, by the peer check.
func TestBackupSocketRefusesOtherUser(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "till.db")
	s := openAt(t, path)
	var logb syncBuf
	b, err := bolt.ServeBackupsAs(s, bolt.BackupSocketFor(path), slog.New(slog.NewTextHandler(&logb, nil)), uint32(os.Getuid())+4242)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bolt.BackupVia(context.Background(), b.Path(), path, filepath.Join(dir, "bk"), 0)
	b.Close()
	if !errors.Is(err, bolt.ErrNoCounter) || !strings.Contains(logb.String(), "refused a connection of another user") {
		t.Fatalf("another user's connection: %v; log %s", err, logb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "bk")); err == nil {
		t.Fatal("a refused request made a backup folder")
	}
}

func TestBackupSocketRealOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to connect as another user")
	}
	// Another user cannot run a python3 under root's home (pyenv).
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3 to connect as another user")
	}
	dir, err := os.MkdirTemp("", "till-sock")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "till.db")
	s := openAt(t, path)
	var logb syncBuf
	b, err := s.ServeBackups(bolt.BackupSocketFor(path), slog.New(slog.NewTextHandler(&logb, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// dial connects to the socket as user uid and says what it got.
	dial := func(uid uint32) string {
		cmd := exec.Command(py, "-c", `
import socket,sys
s=socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
except PermissionError:
    print("denied"); sys.exit()
try:
    s.sendall(b"GET /ping HTTP/1.0\r\n\r\n")
    d=s.recv(4096)
except (BrokenPipeError, ConnectionResetError):
    d=b""
print("answer" if d.startswith(b"HTTP/1.0 200") else "closed" if d==b"" else "other")
`, b.Path())
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("python3 as %d: %v: %s", uid, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := dial(0); got != "answer" {
		t.Fatalf("the owner got %q", got)
	}
	if got := dial(65534); got != "denied" {
		t.Fatalf("another user, socket mode 0600: %q, want denied", got)
	}
	if err := os.Chmod(b.Path(), 0o666); err != nil {
		t.Fatal(err)
	}
	if got := dial(65534); got != "closed" {
		t.Fatalf("another user, socket opened up: %q, want the connection closed", got)
	}
	if !strings.Contains(logb.String(), "refused a connection of another user") || !strings.Contains(logb.String(), "uid=65534") {
		t.Fatalf("log: %s", logb.String())
	}
}

// TestKillCounterMidBackup kills a counter that sells and serves its
// backup socket while backups are asked of it: a backup asked for either
// comes back verified or fails; every file under a backup's name
// verifies; the database verifies and holds every sale; and with the
// counter gone the socket answers nothing, so a later backup opens the
// file.
func TestKillCounterMidBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "till.db")
	s, _ := bigStore(t, path, 20)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	bdir := filepath.Join(dir, "backups")
	failed := 0
	for round := range 6 {
		cmd, out, stop := helper(t, "serve", path)
		if !out.Scan() || out.Text() != "ready" {
			stop()
			t.Fatalf("round %d: the child did not start", round)
		}
		type res struct {
			info bolt.BackupInfo
			err  error
		}
		ch := make(chan res, 1)
		go func() {
			var last res
			for range 1 + round%3 {
				last.info, last.err = bolt.BackupVia(context.Background(), bolt.BackupSocketFor(path), path, bdir, 0)
				if last.err != nil {
					break
				}
			}
			ch <- last
		}()
		time.Sleep(time.Duration(20+rand.IntN(200)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		stop()
		r := <-ch
		if r.err != nil {
			failed++
			t.Logf("round %d: the backup under way failed: %v", round, r.err)
		} else if _, err := bolt.Verify(r.info.Path); err != nil {
			t.Fatalf("round %d: a backup reported done does not verify: %v", round, err)
		}
		if _, err := bolt.Verify(path); err != nil {
			t.Fatalf("round %d: database: %v", round, err)
		}
		all, _ := bolt.Backups(bdir, testID.Terminal)
		for _, f := range all {
			if _, err := bolt.Verify(f); err != nil {
				t.Fatalf("round %d: %s has a backup's name but does not verify: %v", round, filepath.Base(f), err)
			}
		}
		// The counter is gone: its socket is stale and the file is free.
		if _, err := bolt.BackupVia(context.Background(), bolt.BackupSocketFor(path), path, bdir, 0); !errors.Is(err, bolt.ErrNoCounter) {
			t.Fatalf("round %d: socket of a killed counter: %v", round, err)
		}
	}
	if failed == 0 {
		t.Logf("no kill landed mid-backup in 6 rounds")
	}
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	info, err := s.Backup(bdir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after the kills: %s, last receipt %d, %d of 6 backups under way failed", filepath.Base(info.Path), info.LastReceipt, failed)
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
