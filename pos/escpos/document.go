package escpos

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind names a document for logs and error messages.
type Kind string

const (
	KindReceipt Kind = "receipt"
	KindRefund  Kind = "refund"
	KindX       Kind = "X report"
	KindZ       Kind = "Z report"
	KindTest    Kind = "test page"
)

// Document is one printed slip: the shop's header, the text of the
// receipt or report as the screen renders it (re-laid out for the paper),
// the sale ID as a code to scan back for a refund, an optional payment QR
// for a customer who would rather scan paper, and the cut.
type Document struct {
	Kind Kind
	// Title is printed bold at double size, centred (the shop's name).
	Title string
	// Header lines are printed centred under it (address, phone, tax ID).
	Header []string
	// Lines is the body as rendered for the screen (tui/receipt), laid out
	// again for the paper width.
	Lines []string
	// Copy marks a reprint: "COPY 重打" and CopyAt are printed at the top.
	Copy   bool
	CopyAt time.Time
	// Code is printed as a QR code (or a CODE128 barcode when Barcode is
	// set and it fits) so the slip can be scanned back: the sale ID.
	Code    string
	Barcode bool
	// PayQR is a payment QR code with its caption, for paying from paper.
	PayQR      string
	PayCaption string
	Footer     []string
	// Kick opens the cash drawer before printing (a cash sale).
	Kick   bool
	Drawer Drawer
	// Cashier is who made the sale, for the drawer log (not printed).
	Cashier string
}

// CopyMark is the reprint mark.
const CopyMark = "COPY 重打"

// Lines splits rendered text into lines (for Document.Lines).
func Lines(text string) []string {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// Render encodes d for profile p.
func Render(p Profile, d Document) ([]byte, error) {
	if len(d.Lines) == 0 && d.Kind != KindTest {
		return nil, errors.New("escpos: nothing to print")
	}
	w := NewWriter(p).Init()
	if d.Kick {
		w.Kick(d.Drawer)
	}
	if d.Title != "" {
		w.Align(Left).Bold(true).Size(true, true)
		for _, l := range p.center(p.clean(strings.TrimSpace(d.Title)), w.Columns()) {
			w.Line(l)
		}
		w.Size(false, false).Bold(false)
	}
	for _, h := range d.Header {
		for _, l := range p.center(p.clean(strings.TrimSpace(h)), p.Columns) {
			w.Line(l)
		}
	}
	if d.Copy {
		w.Bold(true).Size(false, true)
		w.Line(p.center(CopyMark, p.Columns)[0]).Size(false, false).Bold(false)
		w.Line(p.center("reprinted "+d.CopyAt.Format("2006-01-02 15:04:05"), p.Columns)[0])
	}
	for _, l := range d.Lines {
		w.Fit(l)
	}
	if d.Code != "" {
		w.Feed(1)
		if _, err := p.Code128Module(d.Code); d.Barcode && p.Barcode && err == nil {
			w.Barcode128(d.Code)
		} else {
			w.QR(d.Code)
			w.Align(Center).Line(d.Code).Align(Left)
		}
	}
	if d.PayQR != "" {
		w.Feed(1)
		if d.PayCaption != "" {
			w.Line(p.center(d.PayCaption, p.Columns)[0])
		}
		w.QR(d.PayQR)
	}
	for _, f := range d.Footer {
		w.Fit(" " + f)
	}
	w.Cut()
	b, err := w.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", orDefault(string(d.Kind), "document"), err)
	}
	return b, nil
}

// TestPage is a page that shows what the printer can do: the profile,
// the columns, Chinese text, a QR code and the cut.
func TestPage(p Profile, shop string, at time.Time) Document {
	ruler := ""
	for i := 1; i <= p.Columns; i++ {
		ruler += fmt.Sprint(i % 10)
	}
	return Document{
		Kind:   KindTest,
		Title:  orDefault(shop, "Till"),
		Header: []string{"printer test 打印测试"},
		Lines: []string{
			"Profile  " + p.Name,
			fmt.Sprintf("Columns  %d", p.Columns),
			fmt.Sprintf("Chinese  %s", p.Chinese),
			fmt.Sprintf("QR  %s", p.QR),
			fmt.Sprintf("Cutter  %s", p.Cutter),
			"Printed  " + at.Format("2006-01-02 15:04:05"),
			"----------",
			ruler,
			"中文：苹果 香蕉 牛奶 面包",
			"双宽字符占两列  12.50",
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789",
			"----------",
		},
		Code:   "TILL-TEST",
		Footer: []string{"scan the code: it reads TILL-TEST"},
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// TextDocument makes a document of text rendered for the screen, with
// title printed as its header; a first line that only repeats the title
// (the screen's centred shop name) is dropped.
func TextDocument(kind Kind, title, text string) Document {
	lines := Lines(text)
	if len(lines) > 0 && title != "" && strings.TrimSpace(lines[0]) == strings.TrimSpace(title) {
		lines = lines[1:]
	}
	return Document{Kind: kind, Title: title, Lines: lines}
}
