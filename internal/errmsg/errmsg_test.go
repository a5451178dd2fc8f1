package errmsg

import (
	"errors"
	"fmt"
	"testing"
)

// A message prints and wraps as fmt.Errorf's would.
func TestErrorIsFmtErrorf(t *testing.T) {
	inner := errors.New("bad check digit")
	e := Errorf("barcode %s: %w (want %c)", "4006381333932", inner, '1')
	if got, want := e.Error(), fmt.Errorf("barcode %s: %w (want %c)", "4006381333932", inner, '1').Error(); got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if !errors.Is(e, inner) {
		t.Fatal("errors.Is does not see the wrapped error")
	}
	if errors.Is(Errorf("missing name"), inner) {
		t.Fatal("a message without error arguments wraps something")
	}
}
