package hq

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/pos/staff"
	"github.com/tillpos/till/sync/hq/storage"
)

// ErrNoStaffStorage says head office's storage does not keep staff.
var ErrNoStaffStorage = errors.New("this head-office storage does not keep staff")

// PutStaff adds or changes a staff member of a store, checked against
// the default roles; terminals of the store pull it with the catalog.
// The member carries a PIN hash (staff.HashPIN), never a PIN.
func PutStaff(ctx context.Context, b storage.Backend, store string, m staff.Member, exponent int, w io.Writer) error {
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
	state := "active"
	if !m.Active {
		state = "disabled"
	}
	_, err = fmt.Fprintf(w, "%s (%s, %s, staff ID %s) at store %s, change %d; terminals get it on their next sync\n", m.Name, m.Role, state, m.ID, store, seq)
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

// ListStaff writes a store's staff, one a line, without PIN hashes.
func ListStaff(ctx context.Context, b storage.Backend, store string, w io.Writer) error {
	ms, err := Staff(ctx, b, store)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		_, err := fmt.Fprintf(w, "store %s has no staff\n", store)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tBADGE\tSTATE")
	for _, m := range ms {
		state := "active"
		if !m.Active {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, m.Name, m.Role, m.Badge, state)
	}
	return tw.Flush()
}

// KeyBackend keeps each terminal's public signing key, registered at
// enrolment, to check its Z reports' seals.
type KeyBackend = storage.KeyBackend

// RegisterKey stores a terminal's public key as `till verify --public-key`
// prints it.
func RegisterKey(ctx context.Context, b storage.Backend, terminal, key string, w io.Writer) error {
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
	_, err := fmt.Fprintf(w, "Registered terminal %s's signing key %s\n", terminal, key)
	return err
}
