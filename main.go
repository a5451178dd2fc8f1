// Command till is a point-of-sale for a shop counter: a terminal UI to
// sell, commands to import goods, sell from scripts and take reports.
// main.go is wiring only: flags, the store, logging, then the command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `Till: a point-of-sale for the shop counter.

Usage:
  till [--db FILE] [--config FILE]          open the counter screen
  till import FILE.csv                      add or update goods (all or nothing)
  till export goods|sales [--from D --to D] write CSV to standard output
  till sell --item CODE[:QTY]... --cash AMT record a cash sale and print its receipt
  till refund SALE_ID [--line N:QTY]...     refund a sale (all of it without --line)
  till sales [--date D]                     list a day's sales (default today)
  till report x|z [--counted AMT]           X report, or take the Z report
  till shift open --float AMT               open the drawer with a counted float
  till qr decode PAYLOAD                    check an EMV QR payload and print its fields
  till paysim [--addr HOST:PORT]            simulate Alipay and WeChat Pay to try QR payments
  till sync                                 send sales to head office, fetch catalog changes
  till outbox list|show SEQ|retry SEQ...     see and resend records head office set aside
  till hq serve|enrol|revoke|terminals|import|report
                                            head office (see till hq --help)

Every command takes --db and --config. The database is --db, else $TILL_DB,
else $XDG_DATA_HOME/till/till.db (~/.local/share/till/till.db); the config
is --config, else $XDG_CONFIG_HOME/till/till.toml. Run "till COMMAND --help"
for a command's flags.
`

// errUsage marks a mistake in the command line (exit status 2).
var errUsage = errors.New("usage")

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "till:", strings.TrimPrefix(err.Error(), "usage: "))
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "till:", err)
		os.Exit(1)
	}
}

// command is one subcommand: its flags are registered on fs, then run
// gets the remaining arguments.
type command struct {
	summary string
	noStore bool // runs without opening the terminal database
	flags   func(fs *flag.FlagSet) func(env *env, args []string) error
}

var commands = map[string]command{
	"import": importCmd,
	"export": exportCmd,
	"sell":   sellCmd,
	"refund": refundCmd,
	"sales":  salesCmd,
	"report": reportCmd,
	"shift":  shiftCmd,
	"qr":     qrCmd,
	"paysim": paysimCmd,
	"sync":   syncCmd,
	"outbox": outboxCmd,
	"hq":     hqCmd,
	"staff":  staffCmd,
	"verify": verifyCmd,
}

func run(args []string, stdout, stderr io.Writer) error {
	name, args, err := splitCommand(args)
	if err != nil {
		return err
	}
	var fs *flag.FlagSet
	var runCmd func(*env, []string) error
	if name == "" {
		fs = flag.NewFlagSet("till", flag.ContinueOnError)
		fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
		runCmd = runCounter
	} else {
		c := commands[name]
		fs = flag.NewFlagSet("till "+name, flag.ContinueOnError)
		runCmd = c.flags(fs)
		fs.Usage = func() { fmt.Fprintf(stderr, "till %s: %s\n\nFlags:\n", name, c.summary); fs.PrintDefaults() }
	}
	noStore := name != "" && commands[name].noStore
	fs.SetOutput(stderr)
	g := globalFlags(fs)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	e, err := g.env(stdout, stderr, !noStore)
	if err != nil {
		return err
	}
	defer e.close()
	return runCmd(e, positional)
}

// splitCommand finds the command name, allowing the global flags --db
// and --config before it: "till --db x.db report x".
func splitCommand(args []string) (string, []string, error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--db" || a == "-db" || a == "--config" || a == "-config":
			i++ // its value
		case strings.HasPrefix(a, "-"):
		default:
			if _, ok := commands[a]; !ok {
				return "", nil, fmt.Errorf("%w: unknown command %q (see till --help)", errUsage, a)
			}
			rest := append(append([]string{}, args[:i]...), args[i+1:]...)
			return a, rest, nil
		}
	}
	return "", args, nil
}

// parseInterspersed parses flags wherever they appear among the
// positional arguments: "till refund ID --line 2:1".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
