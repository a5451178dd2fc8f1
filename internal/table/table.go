// Package table lines up columns of text for a terminal, measured in
// display cells: a Chinese character is two cells wide, as the terminal
// draws it, where text/tabwriter counts it as one (it measures runes), so
// a column after a Chinese name came out short.
//
// A Writer takes text as tabwriter does: a cell ends with a tab, a row
// with a newline, and whatever follows a row's last tab is written as it
// is, unaligned. Each column is as wide as its widest cell plus the
// padding, over every row written before Flush.
package table

import (
	"bytes"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Width is how many terminal cells s takes: East Asian wide characters
// count two, combining marks and zero-width characters none, ANSI escape
// sequences nothing.
func Width(s string) int { return ansi.StringWidth(s) }

// Writer buffers rows until Flush, then writes them aligned.
type Writer struct {
	w       io.Writer
	padding int
	right   bool
	buf     bytes.Buffer
}

// NewWriter returns a Writer to w whose columns are padding cells apart,
// each cell left-aligned in its column, or right-aligned when right is
// set (for columns of numbers).
func NewWriter(w io.Writer, padding int, right bool) *Writer {
	return &Writer{w: w, padding: padding, right: right}
}

// Write buffers p; nothing reaches the underlying writer before Flush.
func (t *Writer) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the rows buffered so far, aligned, and empties the buffer.
func (t *Writer) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	if text == "" {
		return nil
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	type row struct {
		cells []string // each ended by a tab
		rest  string   // after the last tab, newline included
	}
	rows := make([]row, len(lines))
	var widths []int
	for i, line := range lines {
		parts := strings.Split(line, "\t")
		r := row{cells: parts[:len(parts)-1], rest: parts[len(parts)-1]}
		for j, c := range r.cells {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], Width(c))
		}
		rows[i] = r
	}
	var out strings.Builder
	for _, r := range rows {
		for j, c := range r.cells {
			pad := strings.Repeat(" ", widths[j]+t.padding-Width(c))
			if t.right {
				out.WriteString(pad + c)
			} else {
				out.WriteString(c + pad)
			}
		}
		out.WriteString(r.rest)
	}
	_, err := io.WriteString(t.w, out.String())
	return err
}

// Left is s followed by spaces to n cells (s itself when wider): fmt's
// %-10s, in cells.
func Left(s string, n int) string { return s + strings.Repeat(" ", max(0, n-Width(s))) }

// Right is s after spaces to n cells (s itself when wider): fmt's %10s,
// in cells.
func Right(s string, n int) string { return strings.Repeat(" ", max(0, n-Width(s))) + s }
