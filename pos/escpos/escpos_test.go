package escpos

import (
	"bytes"
	"errors"
	"testing"
)

func TestDrawerPulse(t *testing.T) {
	cases := []struct {
		d         Drawer
		m, t1, t2 byte
		err       bool
	}{
		{Drawer{}, 0, 50, 250, false},
		{Drawer{Pin: 5}, 1, 50, 250, false},
		{Drawer{Pin: 2, OnMS: 50, OffMS: 200}, 0, 25, 100, false},
		{Drawer{Pin: 3}, 0, 0, 0, true},
		{Drawer{OnMS: 120, OffMS: 200}, 0, 0, 0, true}, // duty cycle over 0.2
		{Drawer{OnMS: 200}, 0, 0, 0, true},             // 800 ms off needed, 510 possible
		{Drawer{OnMS: 1}, 0, 0, 0, true},
	}
	for _, c := range cases {
		m, t1, t2, err := c.d.Pulse()
		if (err != nil) != c.err || !c.err && (m != c.m || t1 != c.t1 || t2 != c.t2) {
			t.Errorf("%+v: %d %d %d %v", c.d, m, t1, t2, err)
		}
	}
	if _, _, _, err := (Drawer{OnMS: 120, OffMS: 200}).Pulse(); !errors.Is(err, ErrDutyCycle) {
		t.Errorf("duty cycle error = %v", err)
	}
	b, err := NewWriter(Profiles["epson-80"]).Kick(Drawer{}).Bytes()
	if err != nil || !bytes.Equal(b, []byte{0x1b, 'p', 0, 50, 250}) {
		t.Errorf("kick bytes % x %v", b, err)
	}
	if _, err := NewWriter(Profiles["epson-80"]).Kick(Drawer{Pin: 9}).Line("x").Bytes(); err == nil {
		t.Error("bad pin accepted")
	}
}

// TestNativeQRCommands checks the GS ( k sequence byte for byte: model 2,
// the module size from the profile in function 167, and the error
// correction level (not the size) in function 169.
func TestNativeQRCommands(t *testing.T) {
	p := Profiles["epson-80"]
	p.QRModule, p.QRLevel = 5, "Q"
	b, err := NewWriter(p).QR("AB").Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x1b, 'a', 1,
		0x1d, '(', 'k', 4, 0, 49, 65, 50, 0,
		0x1d, '(', 'k', 3, 0, 49, 67, 5,
		0x1d, '(', 'k', 3, 0, 49, 69, 50,
		0x1d, '(', 'k', 5, 0, 49, 80, 48, 'A', 'B',
		0x1d, '(', 'k', 3, 0, 49, 81, 48,
		0x0a, 0x1b, 'a', 0,
	}
	if !bytes.Equal(b, want) {
		t.Errorf("got  % x\nwant % x", b, want)
	}
}

func TestStatus(t *testing.T) {
	var s Status
	if err := s.Parse(StatusPaper, 0x12|0x60); err != nil || !s.PaperOut || s.Ready() {
		t.Errorf("paper end: %+v %v", s, err)
	}
	if s.String() != "out of paper" {
		t.Errorf("words %q", s.String())
	}
	s = Status{}
	if err := s.Parse(StatusOffline, 0x12|0x04); err != nil || !s.CoverOpen {
		t.Errorf("cover: %+v %v", s, err)
	}
	if err := s.Parse(StatusPrinter, 0xff); err == nil {
		t.Error("0xff accepted as a status byte")
	}
	for _, st := range []Status{{}, {PaperOut: true}, {CoverOpen: true}, {Offline: true}, {PaperNearEnd: true}} {
		var got Status
		for n := byte(1); n <= 4; n++ {
			if err := got.Parse(n, st.Answer(n)); err != nil {
				t.Fatal(err)
			}
		}
		if got.PaperOut != st.PaperOut || got.CoverOpen != st.CoverOpen || got.PaperNearEnd != st.PaperNearEnd || got.Ready() != st.Ready() {
			t.Errorf("round trip %+v -> %+v", st, got)
		}
	}
}

func TestFitAndWidth(t *testing.T) {
	p := Profiles["zj-58"]
	if w := p.Width("农夫 ab…"); w != 2+2+1+1+1+2 {
		t.Errorf("width %d", w)
	}
	got := p.Fit("Subtotal                           12.50", 32)
	if len(got) != 1 || len(got[0]) != 32 || got[0][len(got[0])-5:] != "12.50" {
		t.Errorf("columns: %q", got)
	}
	got = p.Fit("一二三四五六七八九十一二三四五六  99.00", 32)
	if len(got) != 2 || got[1] != "                           99.00" {
		t.Errorf("left that fills the line: %q", got)
	}
	if got := p.Fit("             Till Demo Shop", 32); got[0] != "         Till Demo Shop" {
		t.Errorf("centre %q", got)
	}
	if got := p.Fit("Rare 𠀀 char", 32); got[0] != "Rare ? char" {
		t.Errorf("four-byte GB18030 char: %q", got)
	}
	l := Profiles["latin-80"]
	if got := l.Fit("Café 苹果 €1", 48); got[0] != "Café ?? €1" {
		t.Errorf("code page: %q", got)
	}
}

func TestBarcodeFits(t *testing.T) {
	p := Profiles["epson-80"]
	if m, err := p.Code128Module("000123"); err != nil || m != 3 {
		t.Errorf("short code: %d %v", m, err)
	}
	if _, err := p.Code128Module("01M8T4PVGN9D258R010BAZ0PH5-T1"); !errors.Is(err, ErrTooWide) {
		t.Errorf("sale ID on 80 mm: %v", err)
	}
	if _, err := p.Code128Module("bad{"); err == nil {
		t.Error("'{' accepted")
	}
}
