package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/tillpos/till/internal/table"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

const staffUsage = "till staff add --name N --role R [--badge B] | list | disable ID | pin ID | report"

// staffCmd manages the till's staff locally, for a shop with no head
// office (head office's staff arrive with the catalog on till sync).
var staffCmd = command{
	name:  "staff",
	usage: "add|list|disable|pin|report",
	short: i18n.N("who may work the till: cashiers, supervisors, managers"),
	summary: i18n.N("manage who may work the till (a shop with head office manages staff there)\n\n" +
		"  till staff add --name N --role R [--badge B] [--id ID]   add a member; the PIN is asked twice on stdin\n" +
		"  till staff list                    members, roles, badges, and who is disabled or locked out\n" +
		"  till staff disable ID              a disabled member can no longer log in or approve\n" +
		"  till staff pin ID                  set a new PIN (asked twice on stdin)\n" +
		"  till staff report                  the X report's section per cashier\n\n" +
		"Roles: cashier, supervisor, manager. Until a manager exists the till stays open under the configured cashier name."),
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		name := fs.String("name", "", "add: the member's name")
		role := fs.String("role", "", "add: cashier, supervisor or manager")
		badge := fs.String("badge", "", "add: a badge barcode the scanner reads to log in")
		id := fs.String("id", "", "add: the staff ID (default the next free number)")
		pinFile := fs.String("pin-file", "", "read the PIN from this `file` (first line) instead of asking on stdin")
		return func(e *env, args []string) error {
			if len(args) == 0 {
				return e.p.Errorf("%w: %s", errUsage, staffUsage)
			}
			roles := staff.DefaultRoles(e.cfg.currency.Exponent)
			switch args[0] {
			case "add":
				if len(args) != 1 || *name == "" || *role == "" {
					return fmt.Errorf("%w: till staff add --name N --role R [--badge B]", errUsage)
				}
				return staffAdd(e, roles, *id, *name, *role, *badge, *pinFile)
			case "list":
				if len(args) != 1 {
					return fmt.Errorf("%w: till staff list", errUsage)
				}
				return staffList(e)
			case "disable", "pin":
				if len(args) != 2 {
					return fmt.Errorf("%w: till staff %s ID", errUsage, args[0])
				}
				m, err := e.store.Member(args[1])
				if err != nil {
					return err
				}
				if args[0] == "disable" {
					m.Active = false
				} else {
					pin, err := readPIN(e, *pinFile)
					if err != nil {
						return err
					}
					if m.PINHash, err = staff.HashPIN(pin); err != nil {
						return err
					}
				}
				m.Changed = time.Now().UTC()
				if err := e.store.PutMember(m); err != nil {
					return err
				}
				e.p.Fprintf(e.stdout, "%s %s (%s)\n", map[string]string{"disable": "disabled", "pin": "new PIN for"}[args[0]], m.Name, m.ID)
				return nil
			case "report":
				r, err := e.store.XReport(time.Now(), e.loc)
				if err != nil {
					return err
				}
				printCashiers(e, r)
				return nil
			}
			return e.p.Errorf("%w: %s", errUsage, staffUsage)
		}
	},
}

func staffAdd(e *env, roles staff.Roles, id, name, role, badge, pinFile string) error {
	ms, err := e.store.Members()
	if err != nil {
		return err
	}
	if id == "" {
		n := 0
		for _, m := range ms {
			if v, err := strconv.Atoi(m.ID); err == nil && v > n {
				n = v
			}
		}
		id = strconv.Itoa(n + 1)
	}
	for _, m := range ms {
		if m.ID == id {
			return e.p.Errorf("staff ID %s is %s already; till staff pin %s changes the PIN", id, m.Name, id)
		}
	}
	m := staff.Member{ID: id, Name: strings.TrimSpace(name), Role: role, Badge: strings.TrimSpace(badge), Active: true,
		Changed: time.Now().UTC(), PINHash: "-"}
	if err := m.Check(roles); err != nil { // before asking for the PIN
		return err
	}
	pin, err := readPIN(e, pinFile)
	if err != nil {
		return err
	}
	if m.PINHash, err = staff.HashPIN(pin); err != nil {
		return err
	}
	if err := e.store.PutMember(m); err != nil {
		return err
	}
	e.p.Fprintf(e.stdout, "added %s, %s, staff ID %s\n", m.Name, m.Role, m.ID)
	return nil
}

// readPIN reads a PIN from the file's first line, or asks twice on stdin.
func readPIN(e *env, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", e.p.Errorf("--pin-file: %w", err)
		}
		pin, _, _ := strings.Cut(string(b), "\n")
		pin = strings.TrimSpace(pin)
		return pin, staff.CheckPIN(pin)
	}
	in := bufio.NewReader(os.Stdin)
	ask := func(prompt string) (string, error) {
		fmt.Fprint(e.stderr, e.p.T(prompt))
		line, err := in.ReadString('\n')
		if err != nil && (!errors.Is(err, io.EOF) || line == "") {
			return "", e.p.Errorf("no PIN given on stdin (or use --pin-file)")
		}
		return strings.TrimSpace(line), nil
	}
	pin, err := ask(i18n.N("PIN (4 to 8 digits): "))
	if err != nil {
		return "", err
	}
	if err := staff.CheckPIN(pin); err != nil {
		return "", err
	}
	again, err := ask(i18n.N("PIN again: "))
	if err != nil {
		return "", err
	}
	if again != pin {
		return "", e.p.Errorf("the two PINs differ; nothing changed")
	}
	return pin, nil
}

func staffList(e *env) error {
	ms, err := e.store.Members()
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		fmt.Fprintln(e.stdout, e.p.T("no staff: the till is open under the configured cashier name until a manager is added"))
		return nil
	}
	w := table.NewWriter(e.stdout, 2, false)
	e.p.Fprintf(w, "ID\tNAME\tROLE\tBADGE\tSTATE\n")
	now := time.Now()
	for _, m := range ms {
		state := e.p.T("active")
		if !m.Active {
			state = e.p.T("disabled")
		} else if l, err := e.store.Lockout(m.ID); err == nil && l.Locked(now) {
			state = e.p.T("locked until %s", l.LockedUntil.In(e.loc).Format("15:04"))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", m.ID, m.Name, m.Role, m.Badge, state)
	}
	return w.Flush()
}

// printCashiers prints a report's section per cashier.
func printCashiers(e *env, r pos.Report) {
	exp := e.cfg.currency.Exponent
	if len(r.Cashiers) == 0 {
		fmt.Fprintln(e.stdout, e.p.T("no cashier worked this period"))
		return
	}
	w := table.NewWriter(e.stdout, 2, true)
	e.p.Fprintf(w, "CASHIER\tSALES\tAMOUNT\tREFUNDS\tVOIDS\tDISCOUNTS\tNO-SALES\tPAID OUT\tAPPROVALS\tEXPECTED\tCOUNTED\t\n")
	for _, c := range r.Cashiers {
		counted := "-"
		if c.Counted != nil {
			counted = c.Counted.Format(exp)
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%d (%s)\t%d (%s)\t%s\t%d\t%s\t%d/%d\t%s\t%s\t\n", c.Cashier, c.Sales, c.SalesAmount.Format(exp),
			c.Refunds, c.RefundAmount.Format(exp), c.Voids, c.VoidAmount.Format(exp), c.Discounts.Format(exp), c.NoSales,
			c.PaidOut.Format(exp), c.Approvals, c.Approved, c.Expected.Format(exp), counted)
	}
	_ = w.Flush()
}

// initStaff runs when a command opens the database: it journals the
// config when it changed since the last start, and gives the register the
// shop's roles.
func (e *env) initStaff() error {
	c := e.cfg
	// The settings that change what the till records, not secrets or
	// paths; the journal keeps only their digest.
	b, err := json.Marshal(struct {
		Shop, City, Country, Cashier, Currency, CashRounding, HQ string
		TaxIncluded, QR, Alipay, WeChat                          bool
	}{c.Shop, c.City, c.Country, c.Cashier, c.currency.Code, c.CashRounding, c.HQ.URL,
		c.taxIncluded, c.QR != nil, c.Alipay != nil, c.WeChat != nil})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	if changed, err := e.store.NoteConfig(hex.EncodeToString(sum[:]), time.Now().UTC()); err != nil {
		return e.p.Errorf("journal the config: %w", err)
	} else if changed {
		e.log.Info("config changed since the last start; journalled")
	}
	e.reg.Roles = staff.DefaultRoles(e.cfg.currency.Exponent)
	return nil
}
