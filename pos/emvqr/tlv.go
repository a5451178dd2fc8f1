package emvqr

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tillpos/till/internal/errmsg"
)

// Field is one data object in ID-length-value form: the generic tree view of a
// payload. A template's sub-fields are in Sub; when Sub is non-empty it takes
// precedence over Value for encoding, and Value holds the raw template value
// as decoded.
type Field struct {
	ID    string
	Value string
	Sub   []Field
}

// maxValueLen is the largest length a two-digit length field can express.
const maxValueLen = 99

// ParseFields parses s as a sequence of data objects, without interpreting
// IDs and without looking into templates. It is useful for scheme-specific
// nested values, such as the beneficiary template inside VietQR's merchant
// account information.
func ParseFields(s string) ([]Field, error) {
	return parseFields(s, 0, "")
}

// FormatFields encodes fields (recursively, using Sub where present) as a
// sequence of data objects.
func FormatFields(fields []Field) (string, error) {
	var b strings.Builder
	for _, f := range fields {
		if err := checkField(f, "", -1); err != nil {
			return "", err
		}
		appendField(&b, f.ID, f.encodedValue())
	}
	return b.String(), nil
}

// parseFields parses s, which starts at byte offset base of the payload and is
// the value of the data object at path parent ("" for the payload itself).
func parseFields(s string, base int, parent string) ([]Field, error) {
	var out []Field
	where := errmsg.Errorf("the payload")
	if parent != "" {
		where = errmsg.Errorf("template %s", parent)
	}
	for i := 0; i < len(s); {
		off := base + i
		if len(s)-i < 4 {
			return nil, newErr(ErrSyntax, parent, off,
				errmsg.Errorf("truncated data object in %s: %q is too short for an id and a length", where, s[i:]))
		}
		id := s[i : i+2]
		if !isDigits(id) {
			return nil, newErr(ErrSyntax, parent, off, errmsg.Errorf("non-numeric data object id %q in %s", id, where))
		}
		path := joinPath(parent, id)
		lenStr := s[i+2 : i+4]
		if !isDigits(lenStr) {
			return nil, newErr(ErrSyntax, path, off, errmsg.Errorf("non-numeric length %q", lenStr))
		}
		n, _ := strconv.Atoi(lenStr)
		if n == 0 {
			return nil, newErr(ErrLength, path, off, errmsg.Errorf("length 00: empty values are not allowed"))
		}
		j := i + 4
		for k := 0; k < n; k++ {
			if j >= len(s) {
				return nil, newErr(ErrLength, path, off,
					errmsg.Errorf("length %02d runs past the end of %s (only %d characters left)", n, where, k))
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError && size == 1 {
				return nil, newErr(ErrCharset, path, base+j, errmsg.Errorf("invalid utf-8"))
			}
			j += size
		}
		out = append(out, Field{ID: id, Value: s[i+4 : j]})
		i = j
	}
	return out, nil
}

// encodedValue returns the value as it is written: the encoded sub-fields for
// a template with Sub, Value otherwise.
func (f Field) encodedValue() string {
	if len(f.Sub) == 0 {
		return f.Value
	}
	var b strings.Builder
	for _, s := range f.Sub {
		appendField(&b, s.ID, s.encodedValue())
	}
	return b.String()
}

// appendField writes one data object. The value must already be checked.
func appendField(b *strings.Builder, id, value string) {
	n := utf8.RuneCountInString(value)
	b.WriteString(id)
	b.WriteByte(byte('0' + n/10))
	b.WriteByte(byte('0' + n%10))
	b.WriteString(value)
}

// checkField checks that f (at path parent.f.ID) can be encoded: a two-digit
// ID and a non-empty, valid UTF-8 value of at most 99 characters, recursively.
func checkField(f Field, parent string, off int) error {
	if len(f.ID) != 2 || !isDigits(f.ID) {
		return newErr(ErrSyntax, parent, off, errmsg.Errorf("data object id %q is not two digits", f.ID))
	}
	path := joinPath(parent, f.ID)
	for _, s := range f.Sub {
		if err := checkField(s, path, -1); err != nil {
			return err
		}
	}
	return checkValue(path, off, f.encodedValue())
}

func checkValue(path string, off int, v string) error {
	if v == "" {
		return newErr(ErrLength, path, off, errmsg.Errorf("empty value"))
	}
	if !utf8.ValidString(v) {
		return newErr(ErrCharset, path, off, errmsg.Errorf("invalid utf-8"))
	}
	if n := utf8.RuneCountInString(v); n > maxValueLen {
		return newErr(ErrTooLong, path, off, errmsg.Errorf("%d characters, the maximum is %d", n, maxValueLen))
	}
	return nil
}

// arrange orders the present data objects: those whose ID is in order (the
// order recorded when decoding) keep that order, and every other one is
// emitted, in ascending ID order, just before the first recorded data object
// with a larger ID (or at the end). present must have unique IDs.
func arrange(present []Field, order []string) []Field {
	if len(order) == 0 {
		out := append(make([]Field, 0, len(present)), present...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return out
	}
	byID := make(map[string]int, len(present))
	for i, f := range present {
		byID[f.ID] = i
	}
	recorded := make(map[string]bool, len(order))
	for _, id := range order {
		if _, ok := byID[id]; ok {
			recorded[id] = true
		}
	}
	var fresh []Field
	for _, f := range present {
		if !recorded[f.ID] {
			fresh = append(fresh, f)
		}
	}
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].ID < fresh[j].ID })
	out := make([]Field, 0, len(present))
	for _, id := range order {
		i, ok := byID[id]
		if !ok || !recorded[id] {
			continue
		}
		for len(fresh) > 0 && fresh[0].ID < id {
			out = append(out, fresh[0])
			fresh = fresh[1:]
		}
		out = append(out, present[i])
		recorded[id] = false // emit once
	}
	return append(out, fresh...)
}

// checkUnique reports the first duplicate ID among fields.
func checkUnique(fields []Field, parent string) error {
	seen := make(map[string]bool, len(fields))
	for _, f := range fields {
		if seen[f.ID] {
			return newErr(ErrDuplicate, joinPath(parent, f.ID), -1, errmsg.Errorf("data object id occurs more than once"))
		}
		seen[f.ID] = true
	}
	return nil
}

func joinPath(parent, id string) string {
	if parent == "" {
		return id
	}
	return parent + "." + id
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// idNum returns the numeric value of a two-digit ID.
func idNum(id string) (int, bool) {
	if len(id) != 2 || !isDigits(id) {
		return 0, false
	}
	return int(id[0]-'0')*10 + int(id[1]-'0'), true
}
