package bolt

import (
	"bytes"
	"testing"
)

// BenchmarkSeal is the checksum's own cost on a record the size of a
// five-line sale (about 2 KB of JSON): sealing on write, checking on read.
func BenchmarkSeal(b *testing.B) {
	data := bytes.Repeat([]byte(`{"sku":"SKU1001","name":"Mineral water 550ml","qty":2,"unit_price":250},`), 28)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := unseal(seal(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSealRoundTrip(t *testing.T) {
	for _, in := range []string{`{}`, `{"a":1}`, `[1,2,3]`, `"x"`} {
		v := seal([]byte(in))
		got, err := unseal(v)
		if err != nil || string(got) != in {
			t.Fatalf("%s: %q %v", in, got, err)
		}
		for i := range v { // any one flipped bit is refused or no longer JSON
			d := bytes.Clone(v)
			d[i] ^= 0x10
			if got, err := unseal(d); err == nil && string(got) == in {
				t.Fatalf("%s: flip at %d passed as the record", in, i)
			}
		}
	}
	if got, err := unseal([]byte(`{"old":true}`)); err != nil || string(got) != `{"old":true}` {
		t.Fatalf("a record without a checksum: %q %v", got, err)
	}
}
