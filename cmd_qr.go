package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos/emvqr"
)

var qrCmd = command{
	name:    "qr",
	usage:   "decode PAYLOAD",
	short:   i18n.N("check an EMV QR payload and print its fields"),
	summary: i18n.N("decode an EMV QR payload and print its fields, to check a shop's set-up"),
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		strictFlag := fs.Bool("strict", false, "also require every data object EMVCo makes mandatory, whatever the scheme allows")
		return func(e *env, args []string) error {
			if len(args) != 2 || args[0] != "decode" {
				return fmt.Errorf("%w: till qr decode PAYLOAD", errUsage)
			}
			p, err := emvqr.Parse(args[1])
			if err != nil {
				return e.p.Errorf("qr payload: %w", err)
			}
			named, err := p.Describe()
			if err != nil {
				return e.p.Errorf("qr payload: %w", err)
			}
			printFields(e.stdout, named)
			v, err := p.Check()
			if err != nil {
				if sc := p.Scheme(); sc != nil {
					return e.p.Errorf("qr payload is readable but not a valid %s code: %w", sc.Name, err)
				}
				return e.p.Errorf("qr payload is readable but not valid EMV: %w", err)
			}
			e.p.Fprintf(e.stdout, "%s, CRC correct\n", v)
			if v.Strict != nil && *strictFlag {
				return e.p.Errorf("qr payload is valid for %s but not strict EMV: %w", v.Scheme.Name, v.Strict)
			}
			return nil
		}
	},
}

func printFields(w io.Writer, named []emvqr.Named) {
	for _, n := range named {
		indent := strings.Repeat("  ", n.Depth)
		id := n.Path[strings.LastIndex(n.Path, ".")+1:]
		if n.Value == "" {
			fmt.Fprintf(w, "%s%s %s\n", indent, id, n.Name)
			continue
		}
		fmt.Fprintf(w, "%s%s %-34s %q\n", indent, id, n.Name, n.Value)
	}
}
