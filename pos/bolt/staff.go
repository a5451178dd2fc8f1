package bolt

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
	bbolt "go.etcd.io/bbolt"
)

// Staff: bStaff maps a member's ID to staff.Member (PIN hash, never the
// PIN); bLockout maps it to its staff.Lockout, kept apart so that a pull
// from head office never resets a lock-out.
var (
	bStaff   = []byte("staff")
	bLockout = []byte("staff_lockout")
)

// PutMember adds or replaces a staff member and journals the change. The
// caller checks the member against the shop's roles (staff.Member.Check).
// A badge may belong to one member only.
func (s *Store) PutMember(m staff.Member) error {
	return s.update(func(tx *bbolt.Tx) error { return putMember(tx, m) })
}

func putMember(tx *bbolt.Tx, m staff.Member) error {
	if m.ID == "" || m.PINHash == "" {
		return errors.New("a staff member needs an ID and a PIN hash")
	}
	b := tx.Bucket(bStaff)
	if m.Badge != "" {
		var clash error
		_ = b.ForEach(func(k, v []byte) error {
			var o staff.Member
			if decode(k, v, &o) == nil && o.ID != m.ID && o.Badge == m.Badge {
				clash = fmt.Errorf("badge %s already belongs to %s (%s)", m.Badge, o.Name, o.ID)
			}
			return nil
		})
		if clash != nil {
			return clash
		}
	}
	if err := putJSON(b, []byte(m.ID), m); err != nil {
		return err
	}
	at := m.Changed
	if at.IsZero() {
		at = time.Now()
	}
	_, err := journalJSON(tx, JStaff, m.ID, at, m)
	return err
}

// Member returns a staff member by ID.
func (s *Store) Member(id string) (staff.Member, error) {
	var m staff.Member
	err := s.read(func(tx *bbolt.Tx) error { return getJSON(tx.Bucket(bStaff), []byte(id), &m) })
	if err != nil {
		return m, fmt.Errorf("staff member %s: %w", id, staffErr(err))
	}
	return m, nil
}

func staffErr(err error) error {
	if errors.Is(err, ErrNotFound) {
		return staff.ErrUnknown
	}
	return err
}

// Members lists every staff member, disabled ones too, by ID.
func (s *Store) Members() ([]staff.Member, error) {
	var out []staff.Member
	err := s.read(func(tx *bbolt.Tx) error {
		return tx.Bucket(bStaff).ForEach(func(k, v []byte) error {
			var m staff.Member
			if err := decode(k, v, &m); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// findMember finds a member by ID or, failing that, by badge.
func findMember(tx *bbolt.Tx, idOrBadge string) (staff.Member, error) {
	var m staff.Member
	b := tx.Bucket(bStaff)
	if err := getJSON(b, []byte(idOrBadge), &m); err == nil || !errors.Is(err, ErrNotFound) {
		return m, err
	}
	found := false
	err := b.ForEach(func(k, v []byte) error {
		var o staff.Member
		if err := decode(k, v, &o); err != nil {
			return err
		}
		if !found && o.Badge != "" && o.Badge == idOrBadge {
			m, found = o, true
		}
		return nil
	})
	if err == nil && !found {
		err = staff.ErrUnknown
	}
	return m, err
}

// MemberByBadge returns the member a scanned badge belongs to.
func (s *Store) MemberByBadge(badge string) (staff.Member, error) {
	var m staff.Member
	err := s.read(func(tx *bbolt.Tx) error {
		var err error
		m, err = findMember(tx, badge)
		if err == nil && m.Badge != badge {
			err = staff.ErrUnknown
		}
		return err
	})
	return m, err
}

// Lockout returns a member's wrong-PIN state.
func (s *Store) Lockout(id string) (staff.Lockout, error) {
	var l staff.Lockout
	err := s.read(func(tx *bbolt.Tx) error {
		err := getJSON(tx.Bucket(bLockout), []byte(id), &l)
		if errors.Is(err, ErrNotFound) {
			err = nil
		}
		return err
	})
	return l, err
}

// CheckPIN checks a PIN typed for a member (by ID or badge) in one
// transaction: a disabled or locked member is refused whatever the PIN;
// a wrong PIN counts towards the lock-out, which is stored; a right one
// clears the count. Every attempt is journalled under purpose (a login,
// or an approval), without the PIN. It returns the member on success.
func (s *Store) CheckPIN(idOrBadge, pin, purpose string, now time.Time) (staff.Member, error) {
	var m staff.Member
	var result error
	err := s.update(func(tx *bbolt.Tx) error {
		var err error
		if m, err = findMember(tx, idOrBadge); err != nil {
			if errors.Is(err, staff.ErrUnknown) {
				result = err
				_, err = journalJSON(tx, JLoginFailed, "", now, Event{Detail: purpose + ": no such staff member", At: now})
			}
			return err
		}
		if !m.Active {
			result = fmt.Errorf("%s: %w", m.Name, staff.ErrOff)
			_, err := journalJSON(tx, JLoginFailed, m.ID, now, Event{Member: m.ID, Name: m.Name, Detail: purpose + ": disabled", At: now})
			return err
		}
		lb := tx.Bucket(bLockout)
		var l staff.Lockout
		if err := getJSON(lb, []byte(m.ID), &l); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		wasLocked := l.Locked(now)
		right := !wasLocked && staff.MatchPIN(m.PINHash, pin)
		l2, tryErr := l.Try(now, right)
		result = tryErr
		if err := putJSON(lb, []byte(m.ID), l2); err != nil {
			return err
		}
		typ, detail := JLogin, purpose
		switch {
		case tryErr == nil:
		case errors.Is(tryErr, staff.ErrLocked) && !wasLocked:
			typ, detail = JLocked, purpose+": "+tryErr.Error()
		default:
			typ, detail = JLoginFailed, purpose+": "+tryErr.Error()
		}
		_, err = journalJSON(tx, typ, m.ID, now, Event{Member: m.ID, Name: m.Name, Detail: detail, At: now})
		return err
	})
	if err != nil {
		return staff.Member{}, err
	}
	if result != nil {
		return staff.Member{}, result
	}
	return m, nil
}

// applyStaff stores the staff changes of a catalog page newer than the
// cursor and returns the other changes. Local lock-out state is kept.
func applyStaff(tx *bbolt.Tx, changes []pos.CatalogChange, cur uint64) ([]pos.CatalogChange, int, error) {
	rest := changes[:0:0]
	n := 0
	for _, c := range changes {
		if c.Staff == nil {
			rest = append(rest, c)
			continue
		}
		if c.Seq <= cur {
			continue
		}
		if err := putMember(tx, *c.Staff); err != nil {
			return nil, n, fmt.Errorf("staff change %d (%s): %w", c.Seq, c.Staff.ID, err)
		}
		n++
	}
	return rest, n, nil
}
