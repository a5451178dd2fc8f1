package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

// BenchmarkImportMillion imports a goods file of 1,000,000 lines into a
// new store with the real till (this test binary, as the scripts run it),
// imports it again (every line an update), and exports the catalog,
// reporting each one's wall time and the peak resident memory of its
// process (the kernel's maxrss, so the benchmark's own memory is not
// counted). Target: under 200 MB each. TILL_BENCH_BIN=path runs another
// build of till instead, to compare. The file (about 120 MB) is made once
// in the temp directory. Not under -short.
func BenchmarkImportMillion(b *testing.B) {
	if testing.Short() {
		b.Skip("builds and imports a 1,000,000-line file; not under -short")
	}
	const n = 1_000_000
	file := filepath.Join(os.TempDir(), fmt.Sprintf("till-bench-goods-%d.csv", n))
	if _, err := os.Stat(file); err != nil {
		if err := writeGoodsFile(file, n); err != nil {
			b.Fatal(err)
		}
	}
	bin := tillBin
	if p := os.Getenv("TILL_BENCH_BIN"); p != "" {
		bin = p
	}
	for b.Loop() {
		dir := b.TempDir()
		db := filepath.Join(dir, "till.db")
		run := func(stdout string, args ...string) (time.Duration, float64) {
			cmd := exec.Command(bin, append([]string{"--db", db}, args...)...)
			cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "TILL_DB=", "TILL_CONFIG=")
			var errb bytes.Buffer
			out, err := os.Create(filepath.Join(dir, stdout))
			if err != nil {
				b.Fatal(err)
			}
			defer out.Close()
			cmd.Stdout, cmd.Stderr = out, &errb
			start := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("till %s: %v\n%s", strings.Join(args, " "), err, errb.String())
			}
			took := time.Since(start)
			return took, float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024
		}
		run("sales.out", "sales") // a new store with the demo shop
		imp, impMB := run("import.out", "import", file)
		if out, _ := os.ReadFile(filepath.Join(dir, "import.out")); !bytes.Contains(out, []byte(fmt.Sprintf("%d added, 0 updated", n))) {
			b.Fatalf("import said: %s", out)
		}
		again, againMB := run("import2.out", "import", file)
		if out, _ := os.ReadFile(filepath.Join(dir, "import2.out")); !bytes.Contains(out, []byte(fmt.Sprintf("0 added, %d updated", n))) {
			b.Fatalf("second import said: %s", out)
		}
		exp, expMB := run("goods.csv", "export", "goods")
		lines, err := countLines(filepath.Join(dir, "goods.csv"))
		if err != nil || lines < n+1 {
			b.Fatalf("export wrote %d lines (%v), want at least %d", lines, err, n+1)
		}
		if st, err := os.Stat(db); err == nil {
			b.ReportMetric(float64(st.Size())/1e6, "db-MB")
		}
		b.ReportMetric(imp.Seconds(), "import-s")
		b.ReportMetric(impMB, "import-peak-MB")
		b.ReportMetric(again.Seconds(), "reimport-s")
		b.ReportMetric(againMB, "reimport-peak-MB")
		b.ReportMetric(exp.Seconds(), "export-s")
		b.ReportMetric(expMB, "export-peak-MB")
	}
}

// writeGoodsFile writes n lines of goods like a supermarket's: an EAN-13
// barcode each, Chinese and English names, stock counted.
func writeGoodsFile(path string, n int) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "sku,barcode,name,name_zh,category,price,tax_rate,stock")
	cats := []string{"drinks", "snacks", "household", "dairy", "frozen", "stationery"}
	zh := []string{"矿泉水", "薯片", "洗衣液", "酸奶", "速冻饺子", "圆珠笔"}
	for i := range n {
		body := fmt.Sprintf("690%09d", i)
		code := body + string(pos.GTINCheckDigit(body))
		fmt.Fprintf(w, "G%07d,%s,Goods number %d 500g,%s %d号,%s,%d.%02d,13%%,%d\n",
			i, code, i, zh[i%len(zh)], i, cats[i%len(cats)], 1+i%200, i%100, i%500)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func countLines(path string) (int, error) {
	data, err := os.ReadFile(path)
	return bytes.Count(data, []byte("\n")), err
}
