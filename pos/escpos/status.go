package escpos

import (
	"fmt"
	"strings"
)

// The DLE EOT n real-time status requests.
const (
	StatusPrinter = 1 // bit 3: offline
	StatusOffline = 2 // bit 2: cover open; bit 5: stopped, paper end; bit 6: error
	StatusError   = 3 // bit 3: auto-cutter error; bit 5: unrecoverable; bit 6: auto-recoverable
	StatusPaper   = 4 // bits 2,3: paper near end; bits 5,6: paper end
)

// StatusRequest returns DLE EOT n. The printer answers one byte at once,
// even while busy, on a two-way link (serial, network, USB).
func StatusRequest(n byte) []byte { return []byte{DLE, EOT, n} }

// Status is what a printer says about itself.
type Status struct {
	Offline      bool
	CoverOpen    bool
	PaperOut     bool
	PaperNearEnd bool
	Error        bool // a cutter or other error
}

// ValidStatus reports whether b is shaped like a DLE EOT answer (bits 1
// and 4 set, bits 0 and 7 clear).
func ValidStatus(b byte) bool { return b&0x93 == 0x12 }

// Parse adds the answer b to request n into s.
func (s *Status) Parse(n, b byte) error {
	if !ValidStatus(b) {
		return fmt.Errorf("printer status: %#02x is not a DLE EOT answer", b)
	}
	switch n {
	case StatusPrinter:
		s.Offline = s.Offline || b&0x08 != 0
	case StatusOffline:
		s.CoverOpen = s.CoverOpen || b&0x04 != 0
		s.PaperOut = s.PaperOut || b&0x20 != 0
		s.Error = s.Error || b&0x40 != 0
	case StatusError:
		s.Error = s.Error || b&0x68 != 0
	case StatusPaper:
		s.PaperNearEnd = s.PaperNearEnd || b&0x0c != 0
		s.PaperOut = s.PaperOut || b&0x60 != 0
	default:
		return fmt.Errorf("printer status: request %d: want 1-4", n)
	}
	return nil
}

// Answer is the byte a printer in state s gives to request n (for fakes
// and tests).
func (s Status) Answer(n byte) byte {
	b := byte(0x12)
	switch n {
	case StatusPrinter:
		if s.Offline || s.CoverOpen || s.PaperOut || s.Error {
			b |= 0x08
		}
	case StatusOffline:
		if s.CoverOpen {
			b |= 0x04
		}
		if s.PaperOut {
			b |= 0x20
		}
		if s.Error {
			b |= 0x40
		}
	case StatusError:
		if s.Error {
			b |= 0x40
		}
	case StatusPaper:
		if s.PaperNearEnd {
			b |= 0x0c
		}
		if s.PaperOut {
			b |= 0x60
		}
	}
	return b
}

// Ready reports whether the printer can print.
func (s Status) Ready() bool { return !s.Offline && !s.CoverOpen && !s.PaperOut && !s.Error }

// String says the status in words.
func (s Status) String() string {
	var w []string
	if s.PaperOut {
		w = append(w, "out of paper")
	} else if s.PaperNearEnd {
		w = append(w, "paper nearly out")
	}
	if s.CoverOpen {
		w = append(w, "cover open")
	}
	if s.Error {
		w = append(w, "in error (cutter jammed?)")
	}
	if s.Offline && len(w) == 0 {
		w = append(w, "offline")
	}
	if len(w) == 0 {
		return "ready"
	}
	return strings.Join(w, ", ")
}
