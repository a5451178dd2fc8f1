package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/tillpos/till/i18n"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos/display"
	"github.com/tillpos/till/tui/customer"
)

var displayCmd = command{
	name:    "display",
	usage:   "[--vfd PORT]",
	short:   i18n.N("the customer-facing screen (or pole display)"),
	summary: i18n.N("show the customer the counter's cart, total, payment QR and change, on this screen or a pole display (read-only)"),
	noStore: true, // the counter has the database open; the display only reads its socket
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		socket := fs.String("socket", "", "the counter's display `socket` (default display.sock beside the database)")
		vfd := fs.String("vfd", "", "drive a 2x20 pole display on this serial `port` instead of the screen")
		baud := fs.Int("baud", 9600, "pole display serial speed")
		charset := fs.String("charset", "ascii", "pole display characters: ascii or gb18030")
		return func(e *env, args []string) error {
			if len(args) != 0 {
				return fmt.Errorf("%w: till display [--socket PATH] [--vfd PORT]", errUsage)
			}
			if *charset != "ascii" && *charset != "gb18030" {
				return e.p.Errorf("%w: --charset %q: want ascii or gb18030", errUsage, *charset)
			}
			path := *socket
			if path == "" {
				path = display.SocketPath(e.dbPath)
			}
			ctx := e.ctx
			updates := display.Follow(ctx, path, time.Second)
			if *vfd != "" {
				snaps := make(chan display.Snapshot)
				go func() {
					defer close(snaps)
					for u := range updates {
						if u.Connected {
							snaps <- u.Snapshot
						}
					}
				}()
				e.p.Fprintf(e.stdout, "pole display on %s follows %s (Ctrl-C stops)\n", *vfd, path)
				display.RunVFD(ctx, display.VFDConfig{Serial: *vfd, Baud: *baud, Charset: *charset}, snaps, nil)
				return nil
			}
			_, err := tea.NewProgram(customer.New(updates), tea.WithContext(ctx)).Run()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	},
}
