package printer

import (
	"context"
	"errors"
	"net"
	"os"
	"time"

	"go.bug.st/serial"
)

// conn is an open printer.
type conn interface {
	Write(b []byte) (int, error)
	Close() error
	// canRead says whether the link can carry the printer's answers.
	canRead() bool
	// readByte waits up to d for one byte; got is false on a timeout.
	readByte(d time.Duration) (b byte, got bool, err error)
}

type tcpConn struct{ net.Conn }

func (p *Printer) dialTCP(ctx context.Context) (conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", p.cfg.TCP)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetWriteDeadline(dl)
	}
	return tcpConn{c}, nil
}

func (c tcpConn) canRead() bool { return true }

func (c tcpConn) readByte(d time.Duration) (byte, bool, error) {
	_ = c.SetReadDeadline(time.Now().Add(d))
	var b [1]byte
	_, err := c.Read(b[:])
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return b[0], true, nil
}

type serialConn struct{ serial.Port }

func (p *Printer) dialSerial(ctx context.Context) (conn, error) {
	port, err := serial.Open(p.cfg.Serial, &serial.Mode{BaudRate: p.cfg.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, err
	}
	return serialConn{port}, nil
}

func (c serialConn) canRead() bool { return true }

func (c serialConn) readByte(d time.Duration) (byte, bool, error) {
	if err := c.SetReadTimeout(d); err != nil {
		return 0, false, err
	}
	var b [1]byte
	n, err := c.Read(b[:])
	if err != nil {
		return 0, false, err
	}
	return b[0], n == 1, nil
}

// fileConn is the kernel's USB printer device (usblp). Its reads block
// with no deadline, so Till does not ask it for status.
type fileConn struct{ *os.File }

func (p *Printer) openDevice(ctx context.Context) (conn, error) {
	f, err := os.OpenFile(p.cfg.Device, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsDir() {
		f.Close()
		return nil, &os.PathError{Op: "open", Path: p.cfg.Device, Err: os.ErrNotExist}
	}
	return fileConn{f}, nil
}

func (fileConn) canRead() bool { return false }

func (fileConn) readByte(time.Duration) (byte, bool, error) { return 0, false, nil }
