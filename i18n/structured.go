package i18n

import (
	"errors"
	"strings"

	"github.com/tillpos/till/internal/errmsg"
	"github.com/tillpos/till/pos/emvqr"
	"github.com/tillpos/till/pos/goodscsv"
)

// structured replaces, in msg, the English text of each message in err's
// tree that keeps its parts with its translation. It does not look inside
// one it replaced: its arguments are translated with it.
func (p *Printer) structured(msg string, err error, tables []map[error]string) string {
	if err.Error() == "" {
		return msg // nothing to find, and ReplaceAll of "" would insert everywhere
	}
	switch e := err.(type) {
	case *errmsg.Error:
		return strings.ReplaceAll(msg, e.Error(), p.message(e, tables))
	case *goodscsv.FileError:
		return strings.ReplaceAll(msg, e.Error(), p.goodsFile(e, tables))
	case *emvqr.Error:
		return strings.ReplaceAll(msg, e.Error(), p.emvError(e, tables))
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

// emvError is an EMV payload's problem in p's language, laid out as its
// English (emvqr.Error.Error): the field and its name, the offset, then
// the detail.
func (p *Printer) emvError(e *emvqr.Error, tables []map[error]string) string {
	var where []string
	if e.ID != "" {
		if n := emvqr.FieldName(e.ID); n != "" {
			where = append(where, p.T("field %s (%s)", e.ID, p.T(n)))
		} else {
			where = append(where, p.T("field %s", e.ID))
		}
	}
	if e.Offset >= 0 {
		where = append(where, p.T("at offset %d", e.Offset))
	}
	detail := e.Detail
	switch m, ok := e.Said.(*errmsg.Error); {
	case ok:
		detail = p.message(m, tables)
	case detail == "":
		detail = p.ErrorText(e.Err, tables...)
	}
	out := "emvqr: "
	if len(where) > 0 {
		sep := " "
		if p.Lang() == Chinese {
			sep = "，"
		}
		out += strings.Join(where, sep) + p.colon()
	}
	return out + detail
}

// colon ends a message's lead-in: ": ", or a full-width "：".
func (p *Printer) colon() string {
	if p.Lang() == Chinese {
		return "："
	}
	return ": "
}
