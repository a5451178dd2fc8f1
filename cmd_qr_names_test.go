package main

import (
	"fmt"
	"testing"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos/emvqr"
)

// Every name the EMV specification gives a data object (emvqr.FieldName,
// every top-level ID and every sub-field of every template) is a catalog
// key till qr decode translates.
func TestQRFieldNamesAreKeys(t *testing.T) {
	zh := i18n.New(i18n.Chinese)
	seen := 0
	for top := 0; top < 100; top++ {
		paths := []string{fmt.Sprintf("%02d", top)}
		for sub := 0; sub < 100; sub++ {
			paths = append(paths, fmt.Sprintf("%02d.%02d", top, sub))
		}
		for _, path := range paths {
			n := emvqr.FieldName(path)
			if n == "" {
				continue
			}
			seen++
			if !qrFieldNames[n] {
				t.Errorf("%s %q is not in qrFieldNames", path, n)
			} else if qrFieldName(zh, n) == n {
				t.Errorf("%s %q has no Chinese", path, n)
			}
		}
	}
	if seen < 30 {
		t.Fatalf("only %d named paths: is FieldName answering?", seen)
	}
	if got := qrFieldName(i18n.New(i18n.English), "merchant account (VietQR NAPAS 247)"); got != "merchant account (VietQR NAPAS 247)" {
		t.Errorf("English %q", got)
	}
	if got := qrFieldName(zh, "merchant account (VietQR NAPAS 247)"); got != "商户账户（VietQR NAPAS 247）" {
		t.Errorf("Chinese %q", got)
	}
}
