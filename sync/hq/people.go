package hq

import (
	"context"
	"errors"
	"fmt"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/table"
	"io"
	"strconv"
	"strings"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/hq/storage"
)

// ErrNoStaffStorage says head office's storage does not keep staff.
var ErrNoStaffStorage = errors.New("this head-office storage does not keep staff")

// PutStaff adds or changes a staff member of a store, checked against
// the default roles; terminals of the store pull it with the catalog.
// The member carries a PIN hash (staff.HashPIN), never a PIN.
// What it did is written to w in p's language.
func PutStaff(ctx context.Context, b storage.Backend, p *i18n.Printer, store string, m staff.Member, exponent int, w io.Writer) error {
	sb, ok := b.(storage.StaffBackend)
	if !ok {
		return ErrNoStaffStorage
	}
	if err := storage.ValidStore(store); err != nil {
		return err
	}
	if err := m.Check(staff.DefaultRoles(exponent)); err != nil {
		return err
	}
	seq, err := sb.PutStaff(ctx, store, m)
	if err != nil {
		return fmt.Errorf("staff %s: %w", m.ID, err)
	}
	_, err = p.Fprintf(w, "%s (%s, %s, staff ID %s) at store %s, change %d; terminals get it on their next sync\n", m.Name, m.Role, p.T(memberState(m)), m.ID, store, seq)
	return err
}

// Staff returns a store's staff (nil, ErrNoStaffStorage when the storage
// keeps none).
func Staff(ctx context.Context, b storage.Backend, store string) ([]staff.Member, error) {
	sb, ok := b.(storage.StaffBackend)
	if !ok {
		return nil, ErrNoStaffStorage
	}
	return sb.Staff(ctx, store)
}

// NextStaffID is one more than the largest numeric staff ID of a store.
func NextStaffID(ms []staff.Member) string {
	n := 0
	for _, m := range ms {
		if v, err := strconv.Atoi(m.ID); err == nil && v > n {
			n = v
		}
	}
	return strconv.Itoa(n + 1)
}

// memberState is whether m may work, as a catalog key.
func memberState(m staff.Member) string {
	if !m.Active {
		return i18n.N("disabled")
	}
	return i18n.N("active")
}

// ListStaff writes a store's staff, one a line, without PIN hashes, in
// p's language, the columns aligned in display cells (names are often
// Chinese).
func ListStaff(ctx context.Context, b storage.Backend, p *i18n.Printer, store string, w io.Writer) error {
	ms, err := Staff(ctx, b, store)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		_, err := p.Fprintf(w, "store %s has no staff\n", store)
		return err
	}
	tw := table.NewWriter(w, 2, false)
	p.Fprintf(tw, "ID\tNAME\tROLE\tBADGE\tSTATE\n")
	for _, m := range ms {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, m.Name, m.Role, m.Badge, p.T(memberState(m)))
	}
	return tw.Flush()
}

// KeyBackend keeps each terminal's public signing key, registered at
// enrolment, to check its Z reports' seals.
type KeyBackend = storage.KeyBackend

// RegisterKey stores a terminal's public key as `till verify --public-key`
// prints it.
func RegisterKey(ctx context.Context, b storage.Backend, p *i18n.Printer, terminal, key string, w io.Writer) error {
	kb, ok := b.(KeyBackend)
	if !ok {
		return errors.New("this head-office storage does not keep terminal keys")
	}
	key = strings.TrimSpace(key)
	if _, err := journal.ParsePublicKey(key); err != nil {
		return err
	}
	if err := kb.PutTerminalKey(ctx, terminal, key); err != nil {
		return fmt.Errorf("register key of %s: %w", terminal, err)
	}
	_, err := p.Fprintf(w, "Registered terminal %s's signing key %s\n", terminal, key)
	return err
}
