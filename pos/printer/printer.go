// Package printer sends ESC/POS documents to a receipt printer over USB
// (the kernel's usblp device), a serial line or the network (raw TCP,
// port 9100), with timeouts so that a printer that is off, out of paper
// or unplugged never holds up the caller, and errors that say so in
// words a cashier understands.
package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/tillpos/till/pos/escpos"
	"go.bug.st/serial"

	"github.com/tillpos/till/internal/errmsg"
)

// Config is the [printer] section of the config file. Exactly one of
// Device, Serial and TCP names the printer; none means no printer.
type Config struct {
	Device string `toml:"device"` // USB printer class device, e.g. /dev/usb/lp0
	Serial string `toml:"serial"` // serial port, e.g. /dev/ttyUSB0
	Baud   int    `toml:"baud"`   // serial speed, default 9600 (8N1)
	TCP    string `toml:"tcp"`    // network printer host:port (port 9100 if omitted)
	// Width is the paper width in mm (58 or 80) and picks the default
	// profile; Columns overrides the profile's (32, 42 or 48).
	Width   int    `toml:"width"`
	Columns int    `toml:"columns"`
	Profile string `toml:"profile"` // see escpos.Profiles
	// Overrides of the profile: Chinese "fs" | "raw" | "none", QR
	// "native" | "raster", Cutter "partial" | "full" | "none".
	Chinese string `toml:"chinese"`
	QR      string `toml:"qr"`
	Cutter  string `toml:"cutter"`
	// QRModule is the QR module size (GS ( k function 167), 1-16.
	QRModule int `toml:"qr_module"`
	// Barcode prints the sale ID as CODE128 where it fits, not as a QR.
	Barcode bool          `toml:"barcode"`
	Drawer  escpos.Drawer `toml:"drawer"`
	// Header lines are printed under the shop's name.
	Header []string `toml:"header"`
	Footer []string `toml:"footer"`
	// Timeout bounds one print job, connecting included ("10s"); default 8s.
	Timeout string `toml:"timeout"`
}

// Enabled reports whether a printer is configured.
func (c Config) Enabled() bool { return c.Device != "" || c.Serial != "" || c.TCP != "" }

// Printer is a configured receipt printer. It holds no connection: each
// job opens the printer and closes it again, so a printer that was
// unplugged and plugged back in just works.
type Printer struct {
	// Log records every job and drawer kick (default: discarded).
	Log     *slog.Logger
	cfg     Config
	profile escpos.Profile
	timeout time.Duration
	// dial opens the transport; tests may replace it.
	dial func(ctx context.Context) (conn, error)
}

// New checks c and returns its printer.
func New(c Config) (*Printer, error) {
	n := 0
	for _, s := range []string{c.Device, c.Serial, c.TCP} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return nil, errmsg.Errorf("printer: set exactly one of device, serial and tcp")
	}
	p, err := escpos.ProfileFor(c.Profile, c.Width)
	if err != nil {
		return nil, fmt.Errorf("printer: %w", err)
	}
	if c.Columns != 0 {
		p.Columns = c.Columns
	}
	if c.Chinese != "" {
		p.Chinese = escpos.Chinese(c.Chinese)
	}
	if c.QR != "" {
		p.QR = escpos.QRMode(c.QR)
	}
	if c.Cutter != "" {
		p.Cutter = escpos.Cutter(c.Cutter)
	}
	if c.QRModule != 0 {
		p.QRModule = c.QRModule
	}
	if err := p.Check(); err != nil {
		return nil, fmt.Errorf("printer: %w", err)
	}
	if _, _, _, err := c.Drawer.Pulse(); err != nil {
		return nil, fmt.Errorf("printer: %w", err)
	}
	pr := &Printer{cfg: c, profile: p, timeout: 8 * time.Second, Log: slog.New(slog.DiscardHandler)}
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		if err != nil || d <= 0 || d > time.Minute {
			return nil, errmsg.Errorf("printer: timeout %q: want a duration such as 8s, at most 1m", c.Timeout)
		}
		pr.timeout = d
	}
	switch {
	case c.TCP != "":
		addr := c.TCP
		if _, _, err := net.SplitHostPort(addr); err != nil {
			addr = net.JoinHostPort(addr, "9100")
		}
		pr.cfg.TCP = addr
		pr.dial = pr.dialTCP
	case c.Serial != "":
		if pr.cfg.Baud == 0 {
			pr.cfg.Baud = 9600
		}
		pr.dial = pr.dialSerial
	default:
		pr.dial = pr.openDevice
	}
	return pr, nil
}

// Profile is the printer's profile with the config's overrides.
func (p *Printer) Profile() escpos.Profile { return p.profile }

// Config is the printer's config.
func (p *Printer) Config() Config { return p.cfg }

// Where names the printer for messages: its address or device.
func (p *Printer) Where() string {
	return p.cfg.TCP + p.cfg.Serial + p.cfg.Device
}

// Problem is what went wrong with a printer, for the cashier.
type Problem string

const (
	Off        Problem = "printer is off or not reachable"
	Unplugged  Problem = "printer is unplugged"
	NoAccess   Problem = "no permission to use the printer (add the user to the lp or dialout group)"
	NoPaper    Problem = "printer is out of paper"
	CoverOpen  Problem = "printer cover is open"
	Offline    Problem = "printer is offline"
	Broken     Problem = "printer stopped in the middle of the receipt"
	TimedOut   Problem = "printer did not answer in time"
	Unprinted  Problem = "receipt could not be printed"
	PrinterErr Problem = "printer reports an error (cutter jammed?)"
)

// Error is a failed print job.
type Error struct {
	Problem Problem
	Where   string
	Err     error // the system error, for the log
}

func (e *Error) Error() string {
	if e.Where == "" {
		return string(e.Problem)
	}
	return fmt.Sprintf("%s (%s)", e.Problem, e.Where)
}

func (e *Error) Unwrap() error { return e.Err }

// ProblemOf returns the problem of a print error, or "" for nil.
func ProblemOf(err error) Problem {
	if err == nil {
		return ""
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Problem
	}
	return Unprinted
}

func (p *Printer) fail(pr Problem, err error) error {
	return &Error{Problem: pr, Where: p.Where(), Err: err}
}

// classify turns a system error into a problem.
func (p *Printer) classify(err error, connecting bool) error {
	var pe *Error
	switch {
	case errors.As(err, &pe):
		return err
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		if connecting {
			return p.fail(Off, err)
		}
		return p.fail(TimedOut, err)
	case errors.Is(err, os.ErrNotExist), errors.Is(err, syscall.ENODEV), errors.Is(err, syscall.ENXIO):
		return p.fail(Unplugged, err)
	case errors.Is(err, os.ErrPermission):
		return p.fail(NoAccess, err)
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTDOWN):
		return p.fail(Off, err)
	case errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return p.fail(Broken, err)
	}
	var se *serial.PortError
	if errors.As(err, &se) {
		switch se.Code() {
		case serial.PortNotFound:
			return p.fail(Unplugged, err)
		case serial.PermissionDenied:
			return p.fail(NoAccess, err)
		}
	}
	if connecting {
		return p.fail(Off, err)
	}
	return p.fail(Unprinted, err)
}

// problemOf is the problem a status reports, or "".
func problemOf(s escpos.Status) Problem {
	switch {
	case s.PaperOut:
		return NoPaper
	case s.CoverOpen:
		return CoverOpen
	case s.Error:
		return PrinterErr
	case s.Offline:
		return Offline
	}
	return ""
}

// Print renders doc for this printer and sends it. It returns within the
// configured timeout (or ctx's, if sooner) whatever the printer does. On
// links that answer DLE EOT it refuses to print on a printer out of
// paper or with its cover open, and asks again after the job, so that a
// printer that hung up half way is reported rather than assumed done.
func (p *Printer) Print(ctx context.Context, doc escpos.Document) error {
	if len(doc.Header) == 0 {
		doc.Header = p.cfg.Header
	}
	if len(doc.Footer) == 0 {
		doc.Footer = p.cfg.Footer
	}
	if doc.Kick && doc.Drawer == (escpos.Drawer{}) {
		doc.Drawer = p.cfg.Drawer
	}
	if doc.Code != "" && p.cfg.Barcode {
		doc.Barcode = true
	}
	data, err := escpos.Render(p.profile, doc)
	if err != nil {
		return err
	}
	err = p.Send(ctx, data)
	if err != nil {
		p.Log.Warn("print failed", "what", string(doc.Kind), "code", doc.Code, "copy", doc.Copy, "printer", p.Where(), "err", err)
	} else {
		p.Log.Info("printed", "what", string(doc.Kind), "code", doc.Code, "copy", doc.Copy, "printer", p.Where())
	}
	if doc.Kick {
		why := CashSale
		if doc.Kind == escpos.KindRefund {
			why = CashRefund
		}
		p.logKick(why, doc.Cashier, err)
	}
	return err
}

// Reason is why the drawer was opened, for the log.
type Reason string

const (
	CashSale   Reason = "cash sale"
	CashRefund Reason = "cash refund"
	PaidIn     Reason = "paid in"
	PaidOut    Reason = "paid out"
	NoSale     Reason = "no sale"
)

// Kick opens the cash drawer, and nothing else, and logs why and who.
// A sale's own kick goes with its receipt (Document.Kick) and is logged
// by Print.
func (p *Printer) Kick(ctx context.Context, why Reason, who string) error {
	data, err := escpos.NewWriter(p.profile).Kick(p.cfg.Drawer).Bytes()
	if err != nil {
		return err
	}
	err = p.Send(ctx, data)
	p.logKick(why, who, err)
	return err
}

func (p *Printer) logKick(why Reason, who string, err error) {
	if err != nil {
		p.Log.Warn("drawer kick failed", "reason", string(why), "cashier", who, "printer", p.Where(), "err", err)
		return
	}
	p.Log.Info("drawer kick", "reason", string(why), "cashier", who, "printer", p.Where())
}

// Send writes a finished job to the printer.
func (p *Printer) Send(ctx context.Context, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	c, err := p.dial(ctx)
	if err != nil {
		return p.classify(err, true)
	}
	defer c.Close()
	return p.guard(ctx, c, func() error {
		st, answered, err := status(c, 1500*time.Millisecond)
		if err != nil {
			return p.classify(err, false)
		}
		if answered {
			if pr := problemOf(st); pr != "" {
				return p.fail(pr, nil)
			}
		}
		if _, err := c.Write(data); err != nil {
			return p.classify(err, false)
		}
		if answered { // the printer answers: make sure it took it all
			st, ok, err := status(c, 3*time.Second)
			if err != nil || !ok {
				if err == nil {
					err = errors.New("no status answer after the job")
				}
				return p.fail(Broken, err)
			}
			if pr := problemOf(st); pr != "" {
				return p.fail(pr, nil)
			}
		}
		return nil
	})
}

// Status asks the printer how it is. ok is false when it does not answer
// status requests (one-way links, some USB printers).
func (p *Printer) Status(ctx context.Context) (s escpos.Status, ok bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	c, err := p.dial(ctx)
	if err != nil {
		return s, false, p.classify(err, true)
	}
	defer c.Close()
	err = p.guard(ctx, c, func() error {
		var e error
		s, ok, e = status(c, 1500*time.Millisecond)
		if e != nil {
			return p.classify(e, false)
		}
		return nil
	})
	return s, ok, err
}

// guard runs fn, closing c and returning when ctx ends first: a write to
// a printer that has stopped taking paper can block for ever.
func (p *Printer) guard(ctx context.Context, c conn, fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		c.Close()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return p.fail(TimedOut, ctx.Err())
		}
		return p.fail(Unprinted, ctx.Err())
	}
}

// status sends the DLE EOT requests and reads the answers. A link that
// cannot read, or a printer silent for d, gives ok = false.
func status(c conn, d time.Duration) (s escpos.Status, ok bool, err error) {
	if !c.canRead() {
		return s, false, nil
	}
	for _, n := range []byte{escpos.StatusPrinter, escpos.StatusOffline, escpos.StatusPaper} {
		if _, err := c.Write(escpos.StatusRequest(n)); err != nil {
			return s, false, err
		}
		b, got, err := c.readByte(d)
		if err != nil {
			return s, false, err
		}
		if !got {
			return s, false, nil
		}
		if err := s.Parse(n, b); err != nil {
			return s, false, nil // not a status answer: treat as silent
		}
	}
	return s, true, nil
}

// Describe is the printer for `till print` and logs.
func (p *Printer) Describe() string {
	pr := p.profile
	return strings.TrimSpace(fmt.Sprintf("%s, profile %s, %d columns, chinese %s, QR %s, cutter %s",
		p.Where(), pr.Name, pr.Columns, pr.Chinese, pr.QR, pr.Cutter))
}
