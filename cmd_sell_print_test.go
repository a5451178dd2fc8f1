package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/fakeprinter"
)

// TestSellPrintsAndKicks: with a [printer] configured, till sell prints
// the committed sale's receipt with a QR of its ID, cuts, and opens the
// drawer for cash; --no-print does neither; a retried --id reprints as a
// COPY without opening the drawer; a dead printer never fails the sale.
func TestSellPrintsAndKicks(t *testing.T) {
	fp := fakeprinter.Start(t)
	db := newDB(t)
	cfg := filepath.Join(t.TempDir(), "till.toml")
	if err := os.WriteFile(cfg, []byte("[printer]\ntcp = \""+fp.Addr()+"\"\nwidth = 80\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustOK(t, till(t, db, "--config", cfg, "sell", "--item", "SKU1001:2", "--cash", "10", "--id", "job-1"))
	id := regexp.MustCompile(`Sale (\S+-T1)`).FindStringSubmatch(out)[1]
	jobs, _ := fp.Wait(1, 5*time.Second)
	if len(jobs) != 1 {
		t.Fatalf("%d jobs", len(jobs))
	}
	j := jobs[0]
	if !strings.Contains(j.Text(), "Receipt 000001") || strings.Contains(j.Text(), "COPY") {
		t.Errorf("receipt:\n%s", j.Text())
	}
	if len(j.QRs) != 1 || j.QRs[0].Data != id || len(j.Cuts) != 1 || len(j.Kicks) != 1 {
		t.Errorf("QR %+v cuts %d kicks %d, want the sale ID, one cut, one kick", j.QRs, len(j.Cuts), len(j.Kicks))
	}

	// The retry of a sale already made: a COPY, no drawer.
	r := till(t, db, "--config", cfg, "sell", "--item", "SKU1001:2", "--cash", "10", "--id", "job-1")
	mustOK(t, r)
	jobs, _ = fp.Wait(2, 5*time.Second)
	if len(jobs) != 2 || !strings.Contains(jobs[1].Text(), "COPY") || len(jobs[1].Kicks) != 0 {
		t.Fatalf("retry printed %d jobs; copy:\n%s kicks %d", len(jobs), jobs[len(jobs)-1].Text(), len(jobs[len(jobs)-1].Kicks))
	}

	mustOK(t, till(t, db, "--config", cfg, "sell", "--item", "SKU1001", "--no-print"))
	if jobs, _ := fp.Wait(3, 500*time.Millisecond); len(jobs) != 2 {
		t.Fatalf("--no-print printed: %d jobs", len(jobs))
	}

	// A printer that is off: the sale is stored, the cashier is told how
	// to reprint, and the command succeeds (a retry would sell again).
	fp.SetMode(fakeprinter.Refuse, 0)
	r = till(t, db, "--config", cfg, "sell", "--item", "SKU1001")
	mustOK(t, r)
	if !strings.Contains(r.err, "sale stored as receipt 000003, but the receipt did not print: printer is off or not reachable; reprint it with: till print receipt 3") {
		t.Fatalf("stderr: %s", r.err)
	}
	if !strings.Contains(mustOK(t, till(t, db, "sales")), "3 sale(s)") {
		t.Fatal("the sale was not stored")
	}
}
