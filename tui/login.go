package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/staff"
)

// People at the counter (issue 14): the login screen the counter starts
// on when the till keeps staff, the lock that hides the screen until a
// PIN is typed, and logging out. A till with no staff (a new database)
// never sees any of it.

// Staff is who works the till and the actions that carry a manager's
// approval, through the register. *register.Register satisfies it.
type Staff interface {
	// StaffRequired reports whether the counter needs a login.
	StaffRequired() (bool, error)
	Login(idOrBadge, pin string) (staff.Member, error)
	Lock() error
	Logout() error
	Current() (staff.Member, bool)
	AuthorizeCurrent(perm staff.Permission, value int64) register.Verdict
	Approve(approver, pin string, perm staff.Permission, value int64, reason string) (staff.Approval, error)
	CompleteWith(c pos.Cart, started time.Time, tenders []pos.Tender, approvals []staff.Approval) (pos.Sale, error)
	RefundWith(saleID string, want map[int]int64, kind pos.RefundKind, reason string, approvals []staff.Approval) (pos.Refund, error)
	CloseDay(loc *time.Location, count pos.Count, approvals []staff.Approval) (pos.Report, error)
	// CompleteQRWith and CompleteLateWith are CompleteQR and CompleteLate
	// with the cart's approvals, stored on the sale.
	CompleteQRWith(p pos.Payment, cashGiven pos.Money, approvals []staff.Approval) (pos.Sale, error)
	CompleteLateWith(id string, cashGiven pos.Money, approvals []staff.Approval) (pos.Sale, error)
	// RefundToWalletWith is RefundToWallet with the approvals it needs.
	RefundToWalletWith(ctx context.Context, saleID string, want map[int]int64, kind pos.RefundKind, reason string, approvals []staff.Approval) (pos.Refund, []pos.WalletRefund, error)
	// Reprint checks the reprint permission and journals a copy of a
	// receipt before it is printed or saved.
	Reprint(receipt uint64, approvals []staff.Approval) error
}

// staffState is the counter's people: whether the till keeps staff, who
// is logged in, and the approvals the open cart collected (discounts
// above the cashier's limit), which go with its sale.
type staffState struct {
	on        bool
	who       staff.Member
	approvals []staff.Approval
}

// firstScreen is where the counter starts: the login screen when the
// till keeps staff (or cannot say), else the sell screen as before staff
// existed.
func (c *common) firstScreen() screen {
	if c.deps.Staff == nil {
		return newSell(c)
	}
	req, err := c.deps.Staff.StaffRequired()
	if err != nil {
		c.deps.Log.Error("staff required", "err", err)
	}
	if !req && err == nil {
		return newSell(c)
	}
	c.people.on = true
	return &loginScreen{c: c}
}

// whoLabel is the cashier's name for the status line.
func (c *common) whoLabel() string {
	if !c.people.on || c.people.who.ID == "" {
		return ""
	}
	return c.t(" · %s", c.people.who.Name)
}

// loginScreen asks for a staff ID or badge, then the PIN (masked). As
// the lock it hides the screen it was opened over (back) until a PIN is
// typed, by the same or another member; the cart stays.
type loginScreen struct {
	c    *common
	back screen // the screen to return to; nil: the sell screen
	id   lineInput
	pin  lineInput
	// step: 0 the ID or badge, 1 the PIN.
	step int
	// locked: the screen was locked by who.
	locked bool
	who    string
}

type loginMsg struct {
	m   staff.Member
	err error
}

type lockMsg struct {
	back screen
	err  error
}

func (s *loginScreen) title() string {
	if s.locked {
		return s.c.t("Locked")
	}
	return s.c.t("Log in")
}

// typing: IDs may have letters, so '?' is text and only f1 is help.
func (s *loginScreen) typing() bool { return true }

type loginKeys struct{ enter, back key.Binding }

func (s *loginScreen) keys() loginKeys {
	k := &s.c.keys
	enter := named(k.Enter, "enter", "next")
	if s.step == 1 {
		enter = named(k.Enter, "enter", "log in")
	}
	return loginKeys{enter: enter, back: on(named(k.Back, "esc", "start again"), s.step > 0 || s.id.value != "")}
}

func (s *loginScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.enter, k.back, s.c.keys.HelpF1, s.c.keys.Quit}
}
func (s *loginScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp()) }

func (s *loginScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case loginMsg:
		return s.loggedIn(msg)
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return s, nil
}

func (s *loginScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c, keys := s.c, s.keys()
	switch {
	case key.Matches(k, keys.enter):
		if s.step == 0 {
			if strings.TrimSpace(s.id.value) == "" {
				c.fail("Scan your badge or type your staff ID, then enter.", nil)
				return s, nil
			}
			s.step = 1
			c.msg = ""
			return s, nil
		}
		if s.pin.value == "" {
			c.fail("Type your PIN, then enter.", nil)
			return s, nil
		}
		var st Staff = c.deps.Staff
		id, pin := strings.TrimSpace(s.id.value), s.pin.value
		s.pin.reset()
		return s, c.work(func() tea.Msg {
			m, err := st.Login(id, pin)
			return loginMsg{m: m, err: err}
		})
	case key.Matches(k, keys.back):
		s.id.reset()
		s.pin.reset()
		s.step = 0
		c.msg = ""
		return s, nil
	}
	in := &s.id
	if s.step == 1 {
		in = &s.pin
	}
	if in.key(k) {
		c.msg = ""
	}
	return s, nil
}

// loggedIn goes back to the screen that was locked (its cart kept), or
// to the sell screen; a refusal says why in words and asks again.
func (s *loginScreen) loggedIn(msg loginMsg) (screen, tea.Cmd) {
	c := s.c
	if msg.err != nil {
		c.fail(loginWords(c, msg.err), msg.err)
		if !errors.Is(msg.err, staff.ErrWrong) {
			s.step = 0
			s.id.reset()
		}
		return s, nil
	}
	prev := c.people.who
	c.people.who = msg.m
	switch {
	case s.locked && prev.ID != "" && prev.ID != msg.m.ID:
		c.info("%s took over from %s; the cart is kept.", msg.m.Name, prev.Name)
	case s.locked:
		c.info("Unlocked. Welcome back, %s.", msg.m.Name)
	default:
		c.info("Logged in: %s (%s).", msg.m.Name, msg.m.Role)
	}
	if s.back != nil {
		return s.back, nil
	}
	return newSell(c), nil
}

// loginWords says why a login or a manager's PIN was refused.
func loginWords(c *common, err error) string {
	switch {
	case errors.Is(err, staff.ErrWrong), errors.Is(err, staff.ErrLocked):
		// The words say how many tries are left, or until when.
		var pe *staff.PINError
		switch {
		case errors.As(err, &pe) && !pe.Until.IsZero():
			return c.t("Locked after too many wrong PINs until %s.", pe.Until.In(c.deps.Loc).Format("15:04"))
		case errors.As(err, &pe):
			return c.t("Wrong PIN (%d of %d tries left).", pe.Left, staff.MaxTries)
		}
		return capitalFirst(err.Error()) + "."
	case errors.Is(err, staff.ErrUnknown):
		return c.t("No staff member has that ID or badge.")
	case errors.Is(err, staff.ErrOff):
		return c.t("That staff member is disabled.")
	case errors.Is(err, staff.ErrPIN):
		return c.t("A PIN is 4 to 8 digits.")
	}
	return c.t("Could not check the PIN; try again.")
}

func capitalFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func (s *loginScreen) view(w, h int) []string {
	c, st := s.c, s.c.st
	var lines []string
	if s.locked {
		lines = append(lines, "", st.head.Render(fit(c.t(" Locked by %s.", s.who), w)),
			c.t(" Type a PIN to unlock: the same cashier, or another one to take over. The cart is kept."))
	} else {
		lines = append(lines, "", st.head.Render(fit(c.t(" %s: log in to sell.", c.deps.Shop), w)))
	}
	lines = append(lines, "", c.t(" Scan your badge, or type your staff ID and enter; then your PIN."), "")
	lines = append(lines, fit(s.id.view(st, c.t(" Staff ID or badge: "), s.step == 0), w))
	pin := strings.Repeat("•", len([]rune(s.pin.value)))
	cur := ""
	if s.step == 1 {
		cur = c.st.cursor
	}
	lines = append(lines, fit(st.head.Render(c.t(" PIN:               "))+pin+cur, w))
	lines = append(lines, "")
	for _, l := range wrap([]string{c.t(" %d wrong PINs in a row lock that member for %d minutes.", staff.MaxTries, int(staff.LockFor/time.Minute))}, w) {
		lines = append(lines, st.dim.Render(l))
	}
	return wrap(lines, w)
}

// staffKey handles the lock and logout keys, on any screen but the pay
// screen (whose payment must stay in view) and the login screen itself.
// ok is false when k is neither.
func (c *common) staffKey(k tea.KeyPressMsg, cur screen) (next screen, cmd tea.Cmd, ok bool) {
	if !c.people.on || c.people.who.ID == "" {
		return nil, nil, false
	}
	if _, login := cur.(*loginScreen); login {
		return nil, nil, false
	}
	if _, full := cur.(fullScreen); full {
		return nil, nil, false
	}
	var st Staff = c.deps.Staff
	switch {
	case key.Matches(k, c.keys.Lock):
		return nil, c.work(func() tea.Msg { return lockMsg{back: cur, err: st.Lock()} }), true
	case key.Matches(k, c.keys.Logout):
		if len(c.cart.Lines) > 0 {
			c.fail("Finish or park the cart before logging out; ctrl+l locks the screen and keeps it.", nil)
			return nil, nil, true
		}
		who := c.people.who.Name
		c.people.who = staff.Member{}
		c.info("%s logged out.", who)
		return &loginScreen{c: c}, func() tea.Msg {
			if err := st.Logout(); err != nil {
				return lockMsg{err: err}
			}
			return nil
		}, true
	}
	return nil, nil, false
}

// open: a lock (stored in the journal) opens the lock screen over the
// screen the cashier was on.
func (m lockMsg) open(c *common) (screen, tea.Cmd) {
	if m.err != nil {
		c.deps.Log.Error("lock or logout", "err", m.err)
	}
	if m.back == nil {
		return nil, nil
	}
	c.msg = ""
	return &loginScreen{c: c, back: m.back, locked: true, who: c.people.who.Name}, nil
}

// staffHelp adds the lock and logout keys to a screen's help while
// someone is logged in.
type staffHelp struct {
	help.KeyMap
	extra []key.Binding
}

func (h staffHelp) ShortHelp() []key.Binding { return append(h.KeyMap.ShortHelp(), h.extra...) }
func (h staffHelp) FullHelp() [][]key.Binding {
	return append(h.KeyMap.FullHelp(), h.extra)
}

// withStaffKeys is km with the lock and logout keys when they work.
func (c *common) withStaffKeys(km help.KeyMap, cur screen) help.KeyMap {
	if !c.people.on || c.people.who.ID == "" {
		return km
	}
	if _, login := cur.(*loginScreen); login {
		return km
	}
	if _, full := cur.(fullScreen); full {
		return km
	}
	return staffHelp{KeyMap: km, extra: []key.Binding{c.keys.Lock, on(c.keys.Logout, len(c.cart.Lines) == 0)}}
}
