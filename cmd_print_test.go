package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/fakeprinter"
)

// TestPrintCommand prints a test page and reprints a sale and a refund,
// by sale ID and by receipt number, to a fake network printer, and reads
// back what it printed.
func TestPrintCommand(t *testing.T) {
	fp := fakeprinter.Start(t)
	db := newDB(t)
	out := mustOK(t, till(t, db, "print", "test", "--tcp", fp.Addr(), "--width", "58"))
	if !strings.Contains(out, "printed test page on "+fp.Addr()+", profile zj-58, 32 columns") {
		t.Fatalf("out: %s", out)
	}
	jobs, _ := fp.Wait(1, 5*time.Second)
	if len(jobs) != 1 || !strings.Contains(jobs[0].Text(), "打印测试") || len(jobs[0].QRs) != 1 || jobs[0].QRs[0].Data != "TILL-TEST" {
		t.Fatalf("test page: %+v", jobs)
	}

	sale := mustOK(t, till(t, db, "sell", "--item", "SKU1001:2", "--cash", "10"))
	id := regexp.MustCompile(`Sale (\S+-T1)`).FindStringSubmatch(sale)[1]
	mustOK(t, till(t, db, "refund", id, "--line", "1:1"))
	mustOK(t, till(t, db, "print", "receipt", id, "--tcp", fp.Addr(), "--profile", "epson-80"))
	mustOK(t, till(t, db, "print", "receipt", "2", "--tcp", fp.Addr()))
	jobs, _ = fp.Wait(3, 5*time.Second)
	if len(jobs) != 3 {
		t.Fatalf("%d jobs", len(jobs))
	}
	r := jobs[1]
	text := r.Text()
	for _, want := range []string{"COPY 重打", "reprinted ", "Receipt 000001", "Mineral water 550ml", "Change", "6.00"} {
		if !strings.Contains(text, want) {
			t.Errorf("reprint lacks %q:\n%s", want, text)
		}
	}
	if len(r.QRs) != 1 || r.QRs[0].Data != id || r.QRs[0].Raster {
		t.Errorf("reprint QR %+v, want native %q", r.QRs, id)
	}
	if len(r.Kicks) != 0 || len(r.Cuts) != 1 {
		t.Errorf("reprint kicked the drawer or did not cut: %+v %+v", r.Kicks, r.Cuts)
	}
	if !strings.Contains(jobs[2].Text(), "REFUND") || !strings.Contains(jobs[2].Text(), "COPY 重打") || len(jobs[2].QRs) != 1 || jobs[2].QRs[0].Data != id {
		t.Errorf("refund reprint:\n%s %+v", jobs[2].Text(), jobs[2].QRs)
	}

	oneLineError(t, till(t, db, "print", "receipt", "99", "--tcp", fp.Addr()), "no receipt number 99")
	oneLineError(t, till(t, db, "print", "test"), "no printer configured")
	fp.SetMode(fakeprinter.PaperOut, 0)
	oneLineError(t, till(t, db, "print", "test", "--tcp", fp.Addr()), "test page not printed: printer is out of paper")
	fp.SetMode(fakeprinter.Refuse, 0)
	oneLineError(t, till(t, db, "print", "receipt", id, "--tcp", fp.Addr()), "receipt 000001 not printed: printer is off or not reachable")
}
