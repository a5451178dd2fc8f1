package hq

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// OpenLog opens head office's log: appended to the file at path (created
// mode 0600), or standard error for "-"; text lines, or JSON lines with
// asJSON. Close the returned closer when done.
func OpenLog(path string, asJSON bool) (*slog.Logger, io.Closer, error) {
	var w io.Writer = os.Stderr
	var c io.Closer = io.NopCloser(nil)
	if path != "-" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, nil, fmt.Errorf("log file: %w", err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("log file: %w", err)
		}
		w, c = f, f
	}
	if asJSON {
		return slog.New(slog.NewJSONHandler(w, nil)), c, nil
	}
	return slog.New(slog.NewTextHandler(w, nil)), c, nil
}
