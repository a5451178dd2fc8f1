package staff

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPINHash(t *testing.T) {
	h, err := HashPIN("2468")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "2468") || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	h2, _ := HashPIN("2468")
	if h == h2 {
		t.Fatal("two hashes of one PIN are equal: no salt")
	}
	if !MatchPIN(h, "2468") || !MatchPIN(h2, "2468") {
		t.Fatal("right PIN refused")
	}
	for _, wrong := range []string{"2469", "", "24680", "2468 "} {
		if MatchPIN(h, wrong) {
			t.Errorf("PIN %q accepted", wrong)
		}
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=2,p=1$AA$AA", "$argon2i$v=19$m=19456,t=2,p=1$AA$AA", "plain"} {
		if MatchPIN(bad, "2468") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
	for _, pin := range []string{"123", "123456789", "12a4", "１２３４"} {
		if _, err := HashPIN(pin); !errors.Is(err, ErrPIN) {
			t.Errorf("PIN %q: %v, want ErrPIN", pin, err)
		}
	}
}

func TestLockout(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var l Lockout
	var err error
	for i := 1; i < MaxTries; i++ {
		if l, err = l.Try(now, false); !errors.Is(err, ErrWrong) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if l, err = l.Try(now, false); !errors.Is(err, ErrLocked) || !l.Locked(now) {
		t.Fatalf("fifth wrong PIN: %v, locked %v", err, l.Locked(now))
	}
	// Locked: even the right PIN is refused until the time is up.
	if _, err := l.Try(now.Add(LockFor-time.Second), true); !errors.Is(err, ErrLocked) {
		t.Fatalf("right PIN while locked: %v", err)
	}
	if l, err = l.Try(now.Add(LockFor), true); err != nil || l != (Lockout{}) {
		t.Fatalf("after the lock: %v %+v", err, l)
	}
	// A right PIN clears the count.
	l, _ = l.Try(now, false)
	l, _ = l.Try(now, true)
	if l.Wrong != 0 {
		t.Fatalf("count after a right PIN: %d", l.Wrong)
	}
}

func TestDecide(t *testing.T) {
	roles := DefaultRoles(2)
	cashier, super, manager := roles["cashier"], roles["supervisor"], roles["manager"]
	for _, tc := range []struct {
		role  Role
		perm  Permission
		value int64
		want  Decision
	}{
		{cashier, LineDiscount, 1000, Allow},
		{cashier, LineDiscount, 1001, Approve},
		{cashier, Void, 0, Approve},
		{cashier, Refund, 10000, Allow},
		{cashier, Refund, 10001, Approve},
		{cashier, ManageStaff, 0, Deny},
		{cashier, ApproveOverrides, 0, Deny},
		{super, Refund, 50000, Allow},
		{super, Refund, 50001, Approve},
		{super, ApproveOverrides, 0, Allow},
		{manager, LineDiscount, 10000, Allow},
		{manager, Refund, 1 << 40, Allow},
	} {
		if got, why := tc.role.Decide(tc.perm, tc.value); got != tc.want {
			t.Errorf("%s %s %d = %s (%s), want %s", tc.role.Name, tc.perm, tc.value, got, why, tc.want)
		}
	}
	if _, why := cashier.Decide(LineDiscount, 5000); why != "Discount a line above a cashier's limit needs a manager's approval" {
		t.Errorf("reason %q", why)
	}
	if err := CanApprove(cashier, Void, 0); err == nil {
		t.Error("a cashier approved")
	}
	if err := CanApprove(super, Refund, 60000); err == nil {
		t.Error("a supervisor approved a refund above their own limit")
	}
	if err := CanApprove(manager, Refund, 60000); err != nil {
		t.Errorf("manager: %v", err)
	}
	if err := (Member{ID: "7", Name: "Li", Role: "boss", PINHash: "x"}).Check(roles); err == nil || !strings.Contains(err.Error(), "cashier, manager, supervisor") {
		t.Errorf("unknown role: %v", err)
	}
}
