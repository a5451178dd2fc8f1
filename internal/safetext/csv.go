package safetext

import (
	"encoding/csv"
	"errors"
	"io"
	"regexp"
)

// number is a cell that is only a number ("-3", "+12.50", "-9%"): a
// spreadsheet reads it as that number, never as a formula.
var number = regexp.MustCompile(`^[-+]?[0-9]+(\.[0-9]+)?%?$`)

// CSVCell neutralises a cell a spreadsheet would run as a formula
// (OWASP's CSV injection rule): one beginning with =, +, -, @, tab or CR
// gets a single quote in front. Plain numbers are left alone.
func CSVCell(s string) string {
	if s == "" || number.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// NeutralCSV runs write with a writer whose CSV goes on to dst with every
// cell passed through CSVCell, one record at a time (bounded memory).
func NeutralCSV(dst io.Writer, write func(w io.Writer) error) error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := write(pw)
		pw.CloseWithError(err)
		done <- err
	}()
	r := csv.NewReader(pr)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	w := csv.NewWriter(dst)
	var err error
	for {
		var rec []string
		rec, err = r.Read()
		if err != nil {
			break
		}
		for i, c := range rec {
			rec[i] = CSVCell(c)
		}
		if err = w.Write(rec); err != nil {
			break
		}
	}
	pr.CloseWithError(errors.New("stopped"))
	werr := <-done
	if errors.Is(err, io.EOF) || (werr != nil && err == werr) {
		err = nil // the end, or write's own error, returned below
	}
	if werr != nil && err != nil {
		werr = nil // write was stopped because the copy failed: err says why
	}
	w.Flush()
	return errors.Join(werr, err, w.Error())
}
