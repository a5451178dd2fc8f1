package escpos_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/internal/fakeprinter"
	"github.com/tillpos/till/pos/escpos"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var at = time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "in", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// saleID is the ID in the receipt fixture.
func saleID(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if id, ok := strings.CutPrefix(l, "Sale "); ok {
			return id
		}
		if id, ok := strings.CutPrefix(l, "Of sale "); ok {
			return id
		}
	}
	return ""
}

func documents(t *testing.T) map[string]escpos.Document {
	const shop = "Till Demo Shop"
	r := escpos.TextDocument(escpos.KindReceipt, shop, fixture(t, "receipt.txt"))
	r.Header = []string{"1 Example Road 示例路1号", "Tel 010-12345678"}
	r.Code = saleID(fixture(t, "receipt.txt"))
	r.Kick = true
	r.Footer = []string{"Thank you 谢谢惠顾"}
	copyR := r
	copyR.Copy, copyR.CopyAt, copyR.Kick = true, at, false
	copyR.PayQR, copyR.PayCaption = "00020101021229300012CN.TILL.TEST0104T1", "scan to pay 扫码付款"
	ref := escpos.TextDocument(escpos.KindRefund, shop, fixture(t, "refund.txt"))
	ref.Code = saleID(fixture(t, "refund.txt"))
	bc := r
	bc.Code, bc.Barcode, bc.Kick = "R000001", true, false
	return map[string]escpos.Document{
		"barcode": bc,
		"receipt": r,
		"reprint": copyR,
		"refund":  ref,
		"x":       escpos.TextDocument(escpos.KindX, shop, fixture(t, "x.txt")),
		"z":       escpos.TextDocument(escpos.KindZ, shop, fixture(t, "z.txt")),
	}
}

var goldenProfiles = []string{"zj-58", "epson-80-42", "epson-80"}

// TestGolden renders every document type for each paper width, compares
// the bytes with testdata/golden (-update rewrites them), and reads them
// back through the fake printer's parser.
func TestGolden(t *testing.T) {
	docs := documents(t)
	for _, pn := range goldenProfiles {
		p := escpos.Profiles[pn]
		docs["test"] = escpos.TestPage(p, "Till Demo Shop", at)
		for name, d := range docs {
			t.Run(name+"-"+pn, func(t *testing.T) {
				b, err := escpos.Render(p, d)
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", name+"-"+pn+".bin")
				if *update {
					os.MkdirAll(filepath.Dir(golden), 0o755)
					if err := os.WriteFile(golden, b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update)", err)
				}
				if !bytes.Equal(b, want) {
					t.Errorf("bytes differ from %s (%d vs %d bytes); run with -update if intended", golden, len(b), len(want))
				}
				checkParsed(t, p, d, b)
			})
		}
	}
}

func checkParsed(t *testing.T, p escpos.Profile, d escpos.Document, b []byte) {
	t.Helper()
	job := fakeprinter.Parse(b)
	if len(job.Unknown) > 0 {
		t.Errorf("unknown commands: %v", job.Unknown)
	}
	for _, l := range job.Lines {
		if w := p.Width(l); w > p.Columns {
			t.Errorf("line %q is %d columns, paper has %d", l, w, p.Columns)
		}
	}
	text := job.Text()
	if d.Title != "" && !strings.Contains(text, d.Title) {
		t.Errorf("no title %q in\n%s", d.Title, text)
	}
	if len(job.Cuts) != 1 && p.Cutter != escpos.CutNone {
		t.Errorf("%d cuts, want 1", len(job.Cuts))
	}
	if p.Cutter == escpos.CutNone && len(job.Cuts) != 0 {
		t.Errorf("cut on a printer without a cutter")
	}
	if d.Kick != (len(job.Kicks) == 1) {
		t.Errorf("kicks %v, want kick=%v", job.Kicks, d.Kick)
	}
	if d.Kick && job.Kicks[0] != (fakeprinter.Kick{Pin: 2, OnMS: 100, OffMS: 500}) {
		t.Errorf("kick %+v", job.Kicks[0])
	}
	var want []string
	if _, err := p.Code128Module(d.Code); d.Barcode && err == nil {
		if len(job.Barcodes) != 1 || job.Barcodes[0] != d.Code {
			t.Errorf("barcodes %q, want %q", job.Barcodes, d.Code)
		}
	} else if d.Code != "" {
		want = append(want, d.Code)
	}
	if d.PayQR != "" {
		want = append(want, d.PayQR)
	}
	if len(job.QRs) != len(want) {
		t.Fatalf("QR codes %+v, want %q", job.QRs, want)
	}
	for i, q := range job.QRs {
		if q.Data != want[i] || q.Raster != (p.QR == escpos.QRRaster) {
			t.Errorf("QR %d = %+v, want %q (raster %v)", i, q, want[i], p.QR == escpos.QRRaster)
		}
		if !q.Raster && (q.Model != 50 || q.Level != 49 || q.Module != 6) {
			t.Errorf("native QR model %d level %d module %d, want 50/49/6", q.Model, q.Level, q.Module)
		}
	}
	if d.Copy && !strings.Contains(text, escpos.CopyMark) {
		t.Errorf("reprint without %q", escpos.CopyMark)
	}
	for _, l := range d.Lines {
		// every word of the body survives the layout
		for _, word := range strings.Fields(l) {
			if strings.Trim(word, "-") == "" {
				continue
			}
			if p.Chinese != escpos.ChineseNone {
				word = strings.ReplaceAll(word, "¥", "￥")
			}
			if !strings.Contains(strings.ReplaceAll(text, "\n", " "), word) && !strings.Contains(strings.ReplaceAll(text, "\n", ""), word) {
				t.Errorf("word %q of %q lost in\n%s", word, l, text)
			}
		}
	}
}
