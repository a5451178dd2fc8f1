package main

import (
	"io"
	"os"

	"github.com/tillpos/till/internal/safetext"
)

// userOut is where a command writes user data (names, SKUs, receipts):
// standard output, with every character that would act on a terminal
// shown escaped when it is one. Redirected to a file, it is left as is.
func (e *env) userOut() io.Writer {
	if isTerminal(e.stdout) {
		return &safetext.Writer{W: e.stdout}
	}
	return e.stdout
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
