package bolt

import (
	"bytes"
	"testing"
)

// BenchmarkRecordSum is the checksum's own cost on a record the size of
// a five-line sale (about 2 KB of JSON): sealing on write, opening on read.
func BenchmarkRecordSum(b *testing.B) {
	data := bytes.Repeat([]byte(`{"sku":"SKU1001","name":"Mineral water 550ml","qty":2,"unit_price":250},`), 28)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := openRecord(sealRecord(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRecordSumRoundTrip(t *testing.T) {
	for _, in := range []string{`{}`, `{"a":1}`, `[1,2,3]`, `"x"`} {
		v := sealRecord([]byte(in))
		got, err := openRecord(v)
		if err != nil || string(got) != in {
			t.Fatalf("%s: %q %v", in, got, err)
		}
		for i := range len(v) * 8 { // every one flipped bit is refused
			d := bytes.Clone(v)
			d[i/8] ^= 1 << (i % 8)
			if got, err := openRecord(d); err == nil {
				t.Fatalf("%s: bit %d flipped passed as %q", in, i, got)
			}
		}
	}
	for _, old := range []string{`{"old":true}`, `[1]`, `null`, ``} {
		if got, err := openRecord([]byte(old)); err != nil || string(got) != old {
			t.Fatalf("a record without a checksum: %q %v", got, err)
		}
	}
}
