package main

import (
	"context"
	"flag"
	"strings"
	"time"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage"
)

const hqStaffUsage = "till hq staff add --store S --name N --role R [--badge B] [--id ID] [--pin-file F] | list --store S | disable ID --store S"

// hqPeople are the flags of till hq staff and of till hq enrol
// --public-key, registered on till hq's flag set.
type hqPeople struct {
	name, role, badge, id, pinFile, publicKey *string
}

func hqPeopleFlags(fs *flag.FlagSet) hqPeople {
	return hqPeople{
		name:      fs.String("name", "", "staff add: the member's name"),
		role:      fs.String("role", "", "staff add: cashier, supervisor or manager"),
		badge:     fs.String("badge", "", "staff add: a badge barcode"),
		id:        fs.String("id", "", "staff add: the staff ID (default the store's next free number)"),
		pinFile:   fs.String("pin-file", "", "staff add: read the PIN from this `file` instead of stdin"),
		publicKey: fs.String("public-key", "", "enrol: the terminal's signing `key`, as till verify --public-key prints it"),
	}
}

// staff runs till hq staff add|list|disable.
func (p hqPeople) staff(ctx context.Context, e *env, open func() (storage.Backend, error), store string, args []string) error {
	if len(args) == 0 || store == "" {
		return e.p.Errorf("%w: %s", errUsage, hqStaffUsage)
	}
	switch {
	case args[0] == "add" && len(args) == 1 && *p.name != "" && *p.role != "":
	case args[0] == "list" && len(args) == 1:
	case args[0] == "disable" && len(args) == 2:
	default:
		return e.p.Errorf("%w: %s", errUsage, hqStaffUsage)
	}
	var m staff.Member
	if args[0] == "add" {
		m = staff.Member{ID: *p.id, Name: strings.TrimSpace(*p.name), Role: *p.role, Badge: strings.TrimSpace(*p.badge),
			Active: true, Changed: time.Now().UTC(), PINHash: "-"}
		check := m
		if check.ID == "" {
			check.ID = "0"
		}
		if err := check.Check(staff.DefaultRoles(e.cfg.currency.Exponent)); err != nil { // before asking for the PIN
			return err
		}
		pin, err := readPIN(e, *p.pinFile)
		if err != nil {
			return err
		}
		if m.PINHash, err = staff.HashPIN(pin); err != nil {
			return err
		}
	}
	b, err := open()
	if err != nil {
		return err
	}
	defer b.Close()
	ms, err := hq.Staff(ctx, b, store)
	if err != nil {
		return err
	}
	switch args[0] {
	case "list":
		return hq.ListStaff(ctx, b, e.p, store, e.stdout)
	case "disable":
		for _, x := range ms {
			if x.ID == args[1] {
				x.Active, x.Changed = false, time.Now().UTC()
				return hq.PutStaff(ctx, b, e.p, store, x, e.cfg.currency.Exponent, e.stdout)
			}
		}
		return e.p.Errorf("store %s has no staff member %s", store, args[1])
	}
	if m.ID == "" {
		m.ID = hq.NextStaffID(ms)
	}
	for _, x := range ms {
		if x.ID == m.ID {
			return e.p.Errorf("staff ID %s is %s already at store %s", m.ID, x.Name, store)
		}
	}
	return hq.PutStaff(ctx, b, e.p, store, m, e.cfg.currency.Exponent, e.stdout)
}

// enrolKey registers the terminal's key after till hq enrol, when given.
func (p hqPeople) enrolKey(ctx context.Context, e *env, b storage.Backend, terminal string) error {
	if *p.publicKey == "" {
		return nil
	}
	return hq.RegisterKey(ctx, b, e.p, terminal, *p.publicKey, e.stdout)
}

// checkKey refuses a malformed --public-key before anything is enrolled.
func (p hqPeople) checkKey() error {
	if *p.publicKey == "" {
		return nil
	}
	_, err := journal.ParsePublicKey(strings.TrimSpace(*p.publicKey))
	return err
}
