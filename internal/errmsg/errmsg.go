// Package errmsg is an error whose English text is a format and its
// arguments, kept apart so that a translator can say it in another
// language from the same parts: the format is the message catalog's key
// (package i18n). A domain package writes the errors people read with
// errmsg.Errorf instead of fmt.Errorf and stays free of languages: the
// error prints in English, as fmt.Errorf's would, until i18n renders it.
package errmsg

import "fmt"

// Error is a message: Format (a catalog key) with Args, as fmt formats
// them. An argument that is an error is wrapped, as %w wraps it.
type Error struct {
	Format string
	Args   []any
}

// Errorf is fmt.Errorf whose format and arguments are kept for a
// translator: same text, same wrapping (every error argument, %w or %v).
func Errorf(format string, args ...any) error {
	return &Error{Format: format, Args: args}
}

// Error is the English text.
func (e *Error) Error() string { return fmt.Errorf(e.Format, e.Args...).Error() }

// Unwrap lets errors.Is and errors.As see the error arguments.
func (e *Error) Unwrap() []error {
	var out []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			out = append(out, err)
		}
	}
	return out
}
