package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The backup socket lets till backup copy a database that a running
// counter holds locked (bbolt's exclusive flock allows no second
// opener). The counter serves a unix socket beside the database
// (BackupSocketFor), mode 0600, that on Linux answers only a peer of the
// same user (SO_PEERCRED). A request names a folder; the counter runs
// CloseOfDayBackup there — one read transaction, which bbolt runs beside
// the counter's writes — and answers with the verified backup's
// BackupInfo or the error. It speaks HTTP with JSON answers, one backup
// at a time.

// BackupSocketFor is where the counter holding dbPath serves backups.
func BackupSocketFor(dbPath string) string { return dbPath + ".sock" }

// ErrNoCounter means no till answers on the backup socket.
var ErrNoCounter = errors.New("no running counter answers on the backup socket")

// maxSocketPath is the longest path a unix socket may have (sun_path
// holds 108 bytes on Linux, 104 elsewhere, with its NUL).
const maxSocketPath = 103

// BackupServer serves backups of one open store on its socket.
type BackupServer struct {
	ln     net.Listener
	srv    *http.Server
	path   string
	mu     sync.Mutex    // one backup at a time
	served chan struct{} // closed when Serve has returned
}

// backupAnswer is the socket's answer to a ping or a backup.
type backupAnswer struct {
	DB     string     `json:"db"` // the database the counter holds
	Backup BackupInfo `json:"backup"`
}

// ServeBackups serves backup requests for s on a unix socket at path
// until Close. A stale socket left by a counter that was killed is
// replaced; one that answers belongs to another till and is an error, as
// is a file in the way that is not a socket. log gets one line per
// backup.
func (s *Store) ServeBackups(path string, log *slog.Logger) (*BackupServer, error) {
	return s.serveBackups(path, log, uint32(os.Getuid()), true)
}

func (s *Store) serveBackups(path string, log *slog.Logger, uid uint32, rootOK bool) (*BackupServer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("backup socket %s: path too long for a unix socket (%d bytes, at most %d)", path, len(path), maxSocketPath)
	}
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return nil, fmt.Errorf("backup socket %s is in use by another till", path)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("backup socket %s: a file that is not a socket is in the way", path)
		}
		if err := os.Remove(path); err != nil { // left by a counter that did not stop cleanly
			return nil, fmt.Errorf("backup socket: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("backup socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("backup socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("backup socket: %w", err)
	}
	b := &BackupServer{ln: &ownerListener{Listener: ln, uid: uid, rootOK: rootOK, log: log}, path: path}
	abs, _ := filepath.Abs(s.path)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ping", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, backupAnswer{DB: abs})
	})
	mux.HandleFunc("POST /backup", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		dir := q.Get("dir")
		keep, err := strconv.Atoi(q.Get("keep"))
		if err != nil || !filepath.IsAbs(dir) {
			http.Error(w, "a backup request names an absolute folder and how many to keep", http.StatusBadRequest)
			return
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		info, err := s.CloseOfDayBackup(dir, keep, time.Now())
		if err != nil {
			log.Error("backup on request failed", "dir", dir, "err", err)
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		log.Info("backup on request", "file", info.Path, "last_receipt", info.LastReceipt, "bytes", info.Size)
		writeJSON(w, backupAnswer{DB: abs, Backup: info})
	})
	b.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	b.served = make(chan struct{})
	go func() {
		defer close(b.served)
		b.srv.Serve(b.ln)
	}()
	return b, nil
}

// Path is the socket's path.
func (b *BackupServer) Path() string { return b.path }

// Close stops serving, waits for a backup under way, and removes the
// socket.
func (b *BackupServer) Close() error {
	if b == nil {
		return nil
	}
	err := b.srv.Close()
	// Serve closes the listener too, which unlinks the socket: wait for
	// it, so nothing is unlinked after Close returns (a file put at the
	// path by then is someone else's).
	<-b.served
	b.mu.Lock() // a backup under way finishes (its file verified or removed)
	b.mu.Unlock()
	os.Remove(b.path)
	return err
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// ownerListener accepts only peers of the user uid (or root), where the
// system says who the peer is; the socket's mode keeps others out
// everywhere.
type ownerListener struct {
	net.Listener
	uid    uint32
	rootOK bool
	log    *slog.Logger
}

func (l *ownerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		peer, ok := peerUID(c)
		if (!ok && !peerKnown) || (ok && (peer == l.uid || (peer == 0 && l.rootOK))) {
			return c, nil
		}
		l.log.Warn("backup socket: refused a connection of another user", "uid", peer, "known", ok)
		c.Close()
	}
}

// BackupVia asks the counter serving the backup socket sock to back up
// its database (which must be the file dbPath) into dir, keeping the
// newest keep backups there (keep <= 0 keeps all). It returns
// ErrNoCounter when nothing answers on sock, so that the caller can open
// the file itself.
func BackupVia(ctx context.Context, sock, dbPath, dir string, keep int) (BackupInfo, error) {
	if _, err := os.Lstat(sock); err != nil {
		return BackupInfo{}, ErrNoCounter
	}
	dir, err := filepath.Abs(dir) // the counter's working folder is not ours
	if err != nil {
		return BackupInfo{}, err
	}
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}}
	defer hc.CloseIdleConnections()
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var ping backupAnswer
	if err := call(pctx, hc, http.MethodGet, "/ping", nil, &ping); err != nil {
		return BackupInfo{}, fmt.Errorf("%w (%v)", ErrNoCounter, err)
	}
	if !sameFile(ping.DB, dbPath) {
		return BackupInfo{}, fmt.Errorf("the counter on %s holds %s, not %s", sock, ping.DB, dbPath)
	}
	var ans backupAnswer
	if err := call(ctx, hc, http.MethodPost, "/backup", url.Values{"dir": {dir}, "keep": {strconv.Itoa(keep)}}, &ans); err != nil {
		return BackupInfo{}, fmt.Errorf("by the running counter: %w (a backup not finished leaves only a temporary file)", err)
	}
	// The counter verified it; verify it again here, as the file this
	// process reports.
	got, err := Verify(ans.Backup.Path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("the counter's backup does not verify: %w", err)
	}
	if got.LastReceipt != ans.Backup.LastReceipt || got.Identity.Terminal != ans.Backup.Identity.Terminal {
		return BackupInfo{}, fmt.Errorf("the counter's backup %s holds receipt %d, the counter said %d", got.Path, got.LastReceipt, ans.Backup.LastReceipt)
	}
	got.Taken = ans.Backup.Taken
	return got, nil
}

func call(ctx context.Context, hc *http.Client, method, path string, q url.Values, v any) error {
	u := "http://counter" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // not the request's URL
		}
		return fmt.Errorf("the counter did not answer: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return errors.New(strings.TrimSpace(string(msg)))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	return nil
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
