// Command till is a point-of-sale for a shop counter: a terminal UI to
// sell, commands to import goods, sell from scripts and take reports.
//
// main.go is the table of commands and the wiring: flags, then env.go
// opens what the command needs (config, store, log), then the command
// runs. Each command lives in cmd_NAME.go, with its test in
// testdata/script/NAME*.txtar. A new command is one new file declaring a
// command value plus one line in the commands table below.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/safetext"
)

// commands lists the subcommands in the order till --help shows them.
var commands = []*command{
	&importCmd,
	&exportCmd,
	&sellCmd,
	&refundCmd,
	&salesCmd,
	&reportCmd,
	&shiftCmd,
	&drawerCmd,
	&qrCmd,
	&reconcileCmd,
	&paysimCmd,
	&syncCmd,
	&outboxCmd,
	&backupCmd,
	&restoreCmd,
	&checkCmd,
	&printCmd,
	&displayCmd,
	&staffCmd,
	&verifyCmd,
	&hqCmd,
}

// command is one subcommand: its flags are registered on fs, then the
// function flags returns runs with the remaining arguments.
type command struct {
	name    string
	usage   string // its arguments, for till --help: "import FILE.csv"
	short   string // what it does, in a few words, for till --help (an i18n key)
	summary string // what it does, for till NAME --help (an i18n key)
	more    string // printed after the summary by till NAME --help (an i18n key)
	noStore bool   // runs without opening the terminal database
	pays    bool   // takes payments: the payment clients are built for it
	flags   func(fs *flag.FlagSet) func(env *env, args []string) error
}

// errUsage marks a mistake in the command line (exit status 2).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "till:", strings.TrimPrefix(errorText(printerFor(os.Args[1:]), err), "usage: "))
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "till:", safetext.Lines(errorText(printerFor(os.Args[1:]), err))) // errors quote user data
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	p := printerFor(args)
	c, args, err := splitCommand(p, args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet(strings.TrimSpace("till "+c.name), flag.ContinueOnError)
	fs.SetOutput(stderr)
	runCmd := c.flags(fs)
	// Every flag's usage is a catalog key.
	fs.VisitAll(func(f *flag.Flag) { f.Usage = p.T(f.Usage) })
	if c == &counterCmd {
		fs.Usage = func() { fmt.Fprint(stderr, usage(p)); fs.PrintDefaults() }
	} else {
		fs.Usage = func() {
			fmt.Fprintf(stderr, "till %s: %s\n", c.name, p.T(c.summary))
			if c.more != "" {
				fmt.Fprintf(stderr, "\n%s\n", p.T(c.more))
			}
			p.Fprintf(stderr, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	g := globalFlags(fs, p)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %s", errUsage, flagError(p, err))
	}
	e, err := g.env(ctx, stdout, stderr, c, p)
	if err != nil {
		return err
	}
	defer e.close()
	return runCmd(e, positional)
}

// usage is till --help: every command's line, from the table.
func usage(p *i18n.Printer) string {
	var b strings.Builder
	b.WriteString(p.T("Till: a point-of-sale for the shop counter.\n\nUsage:\n"))
	for _, c := range append([]*command{&counterCmd}, commands...) {
		line := strings.Join(strings.Fields("till "+c.name+" "+c.usage), " ")
		if len(line) > 41 {
			fmt.Fprintf(&b, "  %s\n  %-41s %s\n", line, "", p.T(c.short))
		} else {
			fmt.Fprintf(&b, "  %-41s %s\n", line, p.T(c.short))
		}
	}
	b.WriteString(p.T(`
Every command takes --db and --config. The database is --db, else $TILL_DB,
else db in the config, else $XDG_DATA_HOME/till/till.db
(~/.local/share/till/till.db); the config is --config, else $TILL_CONFIG,
else $XDG_CONFIG_HOME/till/till.toml. The language is $TILL_LANGUAGE,
else language in the config (zh or en), else zh for a shop in CN and en
elsewhere. Run "till COMMAND --help" for a command's flags.
`))
	return b.String()
}

// flagErrors are the flag package's parse errors, to say in the shop's
// language (it prints them itself in English too, above the usage).
var flagErrors = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^flag provided but not defined: (-\S+)$`), i18n.N("flag provided but not defined: %s")},
	{regexp.MustCompile(`^flag needs an argument: (-\S+)$`), i18n.N("flag needs an argument: %s")},
	{regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?(-\S+): (.*)$`), i18n.N("invalid value %s for %s: %s")},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), i18n.N("bad flag syntax: %s")},
}

// flagError is a flag parse error in p's language.
func flagError(p *i18n.Printer, err error) string {
	for _, f := range flagErrors {
		if m := f.re.FindStringSubmatch(err.Error()); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				switch a {
				case "parse error":
					a = p.T("parse error")
				case "value out of range":
					a = p.T("value out of range")
				}
				args[i] = a
			}
			return p.T(f.key, args...)
		}
	}
	return err.Error()
}

// splitCommand finds the command, allowing the global flags --db and
// --config before it: "till --db x.db report x". No name is the counter.
func splitCommand(p *i18n.Printer, args []string) (*command, []string, error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--db" || a == "-db" || a == "--config" || a == "-config":
			i++ // its value
		case strings.HasPrefix(a, "-"):
		default:
			for _, c := range commands {
				if c.name == a {
					rest := append(append([]string{}, args[:i]...), args[i+1:]...)
					return c, rest, nil
				}
			}
			return nil, nil, p.Errorf("%w: unknown command %q (see till --help)", errUsage, a)
		}
	}
	return &counterCmd, args, nil
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
