// Package escpos encodes receipts as ESC/POS printer commands: text laid
// out in printer columns (a Chinese character takes two), GB18030 for
// Chinese, bold and double-size headers, QR codes natively (GS ( k) or as
// raster images (GS v 0), CODE128 barcodes, the cutter, the cash drawer
// pulse and the real-time status request. It only builds bytes; sending
// them is package printer's job. Nothing here panics or exits on bad
// input: a bad argument is an error returned from Bytes or Render.
package escpos

import (
	"fmt"
	"strings"
)

// Chinese says how a printer takes Chinese text.
type Chinese string

const (
	// ChineseFS: GB18030 two-byte codes inside FS & ... FS . (Hanzi mode
	// entered explicitly). Epson's Chinese models and most clones.
	ChineseFS Chinese = "fs"
	// ChineseRaw: GB18030 sent as is, no mode change; for printers whose
	// DIP switch already selects the two-byte character code.
	ChineseRaw Chinese = "raw"
	// ChineseNone: a single-byte code page (ESC t n); characters it lacks
	// print as '?'. For Latin-only printers.
	ChineseNone Chinese = "none"
)

// QRMode says how a printer draws QR codes.
type QRMode string

const (
	QRNative QRMode = "native" // GS ( k, function 165-181 (cn 49)
	QRRaster QRMode = "raster" // GS v 0 bit image, for printers without GS ( k
)

// Cutter says what cut, if any, ends a document.
type Cutter string

const (
	CutPartial Cutter = "partial" // GS V 66 n: feed n, partial cut
	CutFull    Cutter = "full"    // GS V 65 n: feed n, full cut
	CutNone    Cutter = "none"    // feed past the tear bar
)

// Profile is what a printer model can do. The field names follow
// receipt-print-hq/escpos-printer-db where it has them.
type Profile struct {
	Name    string  `toml:"name"`
	Columns int     `toml:"columns"` // Font A columns: 32 (58 mm), 42 or 48 (80 mm)
	Dots    int     `toml:"dots"`    // printable width in dots: 384, 512, 576
	Chinese Chinese `toml:"chinese"`
	// CodePage is the ESC t n table for ChineseNone: 0 = CP437, 19 = CP858.
	CodePage int    `toml:"code_page"`
	QR       QRMode `toml:"qr"`
	// QRModule is the module size: 1-16 for GS ( k (function 167); dots
	// per module for a raster QR. Zero means 6 (native) or the largest
	// that fits (raster, at most 8).
	QRModule int `toml:"qr_module"`
	// QRLevel is the error correction: L, M, Q or H (default M).
	QRLevel string `toml:"qr_level"`
	Cutter  Cutter `toml:"cutter"`
	// Barcode is false for printers without GS k function B (CODE128).
	Barcode bool `toml:"barcode"`
}

// Profiles are the built-in printer profiles by name.
var Profiles = map[string]Profile{
	// Epson TM-T88/TM-T20/TM-T70 class, 80 mm, 576 dots.
	"epson-80": {Name: "epson-80", Columns: 48, Dots: 576, Chinese: ChineseFS, QR: QRNative, Cutter: CutPartial, Barcode: true},
	// 80 mm printers with a 512-dot head (TM-T88V at 42 columns).
	"epson-80-42": {Name: "epson-80-42", Columns: 42, Dots: 512, Chinese: ChineseFS, QR: QRNative, Cutter: CutPartial, Barcode: true},
	// Epson 58 mm (TM-T20 58, TM-P60): native QR and a cutter.
	"epson-58": {Name: "epson-58", Columns: 32, Dots: 384, Chinese: ChineseFS, QR: QRNative, Cutter: CutPartial, Barcode: true},
	// Cheap 58 mm Chinese printers (ZJ-5870, POS-5890): GB18030 by DIP
	// switch, no GS ( k, no cutter.
	"zj-58": {Name: "zj-58", Columns: 32, Dots: 384, Chinese: ChineseRaw, QR: QRRaster, Cutter: CutNone, Barcode: true},
	// Generic 80 mm Chinese clone (XP-80, GP-80): Hanzi mode, raster QR
	// is the safe choice.
	"generic-80": {Name: "generic-80", Columns: 48, Dots: 576, Chinese: ChineseFS, QR: QRRaster, Cutter: CutPartial, Barcode: true},
	// A Latin-only printer on code page 858 (with €).
	"latin-80": {Name: "latin-80", Columns: 48, Dots: 576, Chinese: ChineseNone, CodePage: 19, QR: QRNative, Cutter: CutPartial, Barcode: true},
}

// ProfileFor returns the named profile, or the default for a paper width
// (58 or 80 mm) when name is empty.
func ProfileFor(name string, widthMM int) (Profile, error) {
	if name == "" {
		switch widthMM {
		case 58:
			name = "zj-58"
		case 80, 0:
			name = "epson-80"
		default:
			return Profile{}, fmt.Errorf("paper width %d mm: want 58 or 80", widthMM)
		}
	}
	p, ok := Profiles[strings.ToLower(name)]
	if !ok {
		names := make([]string, 0, len(Profiles))
		for n := range Profiles {
			names = append(names, n)
		}
		return Profile{}, fmt.Errorf("unknown printer profile %q (known: %s)", name, strings.Join(sorted(names), ", "))
	}
	return p, nil
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// Check reports a profile that cannot print.
func (p Profile) Check() error {
	switch {
	case p.Columns < 16 || p.Columns > 64:
		return fmt.Errorf("printer columns %d: want 32, 42 or 48", p.Columns)
	case p.Dots < 128 || p.Dots > 2048 || p.Dots%8 != 0:
		return fmt.Errorf("printer width %d dots: want 384, 512 or 576", p.Dots)
	}
	switch p.Chinese {
	case ChineseFS, ChineseRaw, ChineseNone:
	default:
		return fmt.Errorf("printer chinese mode %q: want fs, raw or none", p.Chinese)
	}
	if p.Chinese == ChineseNone && codePages[p.CodePage] == nil {
		return fmt.Errorf("printer code page %d: want 0 (CP437) or 19 (CP858)", p.CodePage)
	}
	switch p.QR {
	case QRNative, QRRaster:
	default:
		return fmt.Errorf("printer qr %q: want native or raster", p.QR)
	}
	if p.QRModule < 0 || p.QRModule > 16 {
		return fmt.Errorf("printer qr module size %d: want 1-16", p.QRModule)
	}
	if _, err := qrLevel(p.QRLevel); err != nil {
		return err
	}
	switch p.Cutter {
	case CutPartial, CutFull, CutNone:
	default:
		return fmt.Errorf("printer cutter %q: want partial, full or none", p.Cutter)
	}
	return nil
}
