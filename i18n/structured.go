package i18n

import (
	"errors"
	"strings"

	"github.com/tillpos/till/internal/errmsg"
	"github.com/tillpos/till/pos/goodscsv"
)

// structured replaces, in msg, the English text of each message in err's
// tree that keeps its parts with its translation. It does not look inside
// one it replaced: its arguments are translated with it.
func (p *Printer) structured(msg string, err error, tables []map[error]string) string {
	switch e := err.(type) {
	case *errmsg.Error:
		return strings.ReplaceAll(msg, e.Error(), p.message(e, tables))
	case *goodscsv.FileError:
		return strings.ReplaceAll(msg, e.Error(), p.goodsFile(e, tables))
	case interface{ Message() error }:
		// An error type whose words are a message (pos.AmountError).
		if m, ok := e.Message().(*errmsg.Error); ok {
			return strings.ReplaceAll(msg, err.Error(), p.message(m, tables))
		}
	case interface{ Unwrap() error }:
		if w := e.Unwrap(); w != nil {
			msg = p.structured(msg, w, tables)
		}
	case interface{ Unwrap() []error }:
		if list, ok := p.list(e.Unwrap(), err.Error(), tables); ok {
			return strings.ReplaceAll(msg, err.Error(), list)
		}
		for _, w := range e.Unwrap() {
			if w != nil {
				msg = p.structured(msg, w, tables)
			}
		}
	}
	return msg
}

// message is e said in p's language, its error arguments too.
func (p *Printer) message(e *errmsg.Error, tables []map[error]string) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if err, ok := a.(error); ok && err != nil {
			a = errors.New(p.ErrorText(err, tables...))
		}
		args[i] = a
	}
	return p.Errorf(e.Format, args...).Error()
}

// goodsFile is a rejected goods file's report in p's language, laid out
// as its English (goodscsv.FileError.Error): a head line, then a bad line
// a line, the first goodscsv.ShowErrors of them.
func (p *Printer) goodsFile(e *goodscsv.FileError, tables []map[error]string) string {
	var b strings.Builder
	if e.Encoding != "" {
		b.WriteString(p.T("%d bad line(s), nothing imported (file read as %s):", e.Total, e.Encoding))
	} else {
		b.WriteString(p.T("%d bad line(s), nothing imported:", e.Total))
	}
	shown := e.Lines[:min(len(e.Lines), goodscsv.ShowErrors)]
	for _, l := range shown {
		b.WriteString("\n" + p.T("line %d: %s", l.Line, p.ErrorText(l.Err, tables...)))
	}
	if rest := e.Total - len(shown); rest > 0 {
		b.WriteString("\n" + p.T("... and %d more bad line(s)", rest))
	}
	return b.String()
}

// list is a list of problems (a goods line's, a statement's), whose
// English is theirs joined by "; ", said in p's language and joined as
// it joins them; ok is false when text is not such a list.
func (p *Printer) list(parts []error, text string, tables []map[error]string) (string, bool) {
	en := make([]string, len(parts))
	said := make([]string, len(parts))
	for i, e := range parts {
		if e == nil {
			return "", false
		}
		en[i], said[i] = e.Error(), p.ErrorText(e, tables...)
	}
	if len(parts) < 2 || strings.Join(en, "; ") != text {
		return "", false
	}
	return strings.Join(said, p.ListSep()), true
}

// ListSep joins the items of a list in a message (a line's problems, a
// verdict's notes): "; ", or a full-width "；".
func (p *Printer) ListSep() string {
	if p.Lang() == Chinese {
		return "；"
	}
	return "; "
}
