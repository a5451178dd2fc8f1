package goodscsv

import (
	"fmt"
	"runtime"
	"testing"
)

// strIndex answers as a map does, through many growths, for strings
// that share prefixes, differ in length only, or are empty.
func TestStrIndexIsAMap(t *testing.T) {
	x := newStrIndex()
	want := map[string]int32{}
	for i := range 50_000 {
		for _, k := range []string{fmt.Sprint("S", i), fmt.Sprint("S", i, "0"), fmt.Sprint(i % 7919), ""} {
			added, err := x.Add(k, int32(i))
			if err != nil {
				t.Fatal(err)
			}
			_, had := want[k]
			if added == had {
				t.Fatalf("Add(%q) = %v, had it: %v", k, added, had)
			}
			if !had {
				want[k] = int32(i)
			}
		}
	}
	for k, line := range want {
		if got, ok := x.Get(k); !ok || got != line {
			t.Fatalf("Get(%q) = %d, %v; want %d", k, got, ok, line)
		}
	}
	for _, k := range []string{"S50000x", "S", "x", "S1 "} {
		if _, ok := x.Get(k); ok {
			t.Errorf("Get(%q) found", k)
		}
	}
}

// A million SKUs and a million EAN-13 barcodes, as the import holds them.
func TestStrIndexMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("fills two indexes of a million strings; not under -short")
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	skus, bars := newStrIndex(), newStrIndex()
	for i := range 1_000_000 {
		skus.Add(fmt.Sprintf("G%07d", i), int32(i))
		bars.Add(fmt.Sprintf("690%09d%d", i, i%10), int32(i))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	mb := float64(after.HeapAlloc-before.HeapAlloc) / 1e6
	t.Logf("a million SKUs and a million barcodes: %.1f MB of heap", mb)
	if mb > 80 {
		t.Errorf("%.1f MB, want under 80", mb)
	}
	runtime.KeepAlive(skus)
	runtime.KeepAlive(bars)
}
