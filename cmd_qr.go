package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tillpos/till/pos/emvqr"
)

var qrCmd = command{
	name:    "qr",
	usage:   "decode PAYLOAD",
	short:   "check an EMV QR payload and print its fields",
	summary: "decode an EMV QR payload and print its fields, to check a shop's set-up",
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			if len(args) != 2 || args[0] != "decode" {
				return fmt.Errorf("%w: till qr decode PAYLOAD", errUsage)
			}
			p, err := emvqr.Parse(args[1])
			if err != nil {
				return fmt.Errorf("qr payload: %w", err)
			}
			fields, err := p.Fields()
			if err != nil {
				return fmt.Errorf("qr payload: %w", err)
			}
			printFields(e.stdout, fields, "")
			if err := p.Validate(); err != nil {
				return fmt.Errorf("qr payload is readable but not valid EMV: %w", err)
			}
			fmt.Fprintln(e.stdout, "valid EMV merchant-presented QR, CRC correct")
			return nil
		}
	},
}

func printFields(w io.Writer, fields []emvqr.Field, parent string) {
	for _, f := range fields {
		path := f.ID
		if parent != "" {
			path = parent + "." + f.ID
		}
		indent := strings.Repeat("  ", strings.Count(path, "."))
		name := emvqr.FieldName(path)
		if len(f.Sub) > 0 {
			fmt.Fprintf(w, "%s%s %s\n", indent, f.ID, name)
			printFields(w, f.Sub, path)
			continue
		}
		fmt.Fprintf(w, "%s%s %-34s %q\n", indent, f.ID, name, f.Value)
	}
}
