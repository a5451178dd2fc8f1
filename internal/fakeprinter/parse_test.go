package fakeprinter

import (
	"reflect"
	"testing"
	"time"

	"github.com/tillpos/till/pos/escpos"
)

// TestChunked: a job read in pieces of any size parses as read whole,
// which is what the TCP listener relies on.
func TestChunked(t *testing.T) {
	for _, pn := range []string{"zj-58", "epson-80", "latin-80"} {
		p := escpos.Profiles[pn]
		d := escpos.TestPage(p, "店", zero)
		d.Kick = true
		b, err := escpos.Render(p, d)
		if err != nil {
			t.Fatal(err)
		}
		whole := Parse(b)
		for _, size := range []int{1, 3, 7, 100} {
			ps := newParser(nil)
			var buf []byte
			for i := 0; i < len(b); i += size {
				buf = append(buf, b[i:min(len(b), i+size)]...)
				buf = buf[ps.feed(buf):]
			}
			ps.flush()
			if !reflect.DeepEqual(ps.job, whole) {
				t.Errorf("%s in chunks of %d: %+v\nwhole: %+v", pn, size, ps.job, whole)
			}
		}
		if len(whole.QRs) != 1 || whole.QRs[0].Data != "TILL-TEST" || len(whole.Kicks) != 1 || len(whole.Unknown) != 0 {
			t.Errorf("%s: %+v", pn, whole)
		}
	}
}

var zero time.Time
