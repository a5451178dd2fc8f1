package tui

import (
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/printer"
	"github.com/tillpos/till/pos/staff"
)

// The drawer from the counter (issue 10 item 18), on the reports screen:
// open the shift with a counted float, pay in and pay out with a reason,
// open the drawer with no sale (logged), and the Z report's blind count.

// Drawer records what goes in and out of the cash drawer outside sales,
// through the register. *register.Register satisfies it.
type Drawer interface {
	OpenShift(float pos.Money) (pos.DrawerEvent, error)
	PayIn(amount pos.Money, reason string) (pos.DrawerEvent, error)
	PayOut(amount pos.Money, reason string, approvals ...staff.Approval) (pos.DrawerEvent, error)
	NoSale(reason string, approvals ...staff.Approval) (pos.DrawerEvent, error)
	// CheckZ says whether a Z now would close anything; an error
	// wrapping pos.ErrNothingToClose refuses it.
	CheckZ(loc *time.Location) error
}

type (
	drawerMsg struct {
		ev  pos.DrawerEvent
		err error
		// gate retries a no-sale or pay out with an approval.
		gate *gated
	}
	zCheckMsg struct{ err error }
)

// drawerDo runs one drawer event as work the keys wait for.
func (s *reportsScreen) drawerDo(do func(Drawer) (pos.DrawerEvent, error)) tea.Cmd {
	var d Drawer = s.c.deps.Seller
	return s.c.work(func() tea.Msg {
		ev, err := do(d)
		return drawerMsg{ev: ev, err: err}
	})
}

// drawerGated runs a no-sale or pay out that may need a manager's
// approval (perm at value); refused for want of one, it is retried with
// the approval the prompt collects.
func (s *reportsScreen) drawerGated(perm staff.Permission, value pos.Money, what string, do func(Drawer, ...staff.Approval) (pos.DrawerEvent, error)) tea.Cmd {
	var d Drawer = s.c.deps.Seller
	var run func(aps ...staff.Approval) tea.Cmd
	run = func(aps ...staff.Approval) tea.Cmd {
		g := &gated{perm: perm, value: int64(value), what: what, again: func(ap staff.Approval) tea.Cmd { return run(ap) }}
		return s.c.work(func() tea.Msg {
			ev, err := do(d, aps...)
			return drawerMsg{ev: ev, err: err, gate: g}
		})
	}
	return run()
}

// askAmount asks for an amount in the shop's currency, refusing anything
// that is not one (letters, a scan, a third decimal) and zero unless
// zero is allowed, then hands it on.
func (s *reportsScreen) askAmount(label string, zeroOK bool, then func(pos.Money) tea.Cmd) {
	c := s.c
	c.askLine(c.t(label), func(text string) (tea.Cmd, string) {
		v, err := pos.ParseAmount(text, c.deps.Currency)
		switch {
		case err != nil:
			return nil, c.t("%q is not an amount; type it like 100.00.", strings.TrimSpace(text))
		case v < 0:
			return nil, c.t("The amount cannot be negative.")
		case v == 0 && !zeroOK:
			return nil, c.t("The amount must be more than zero.")
		}
		return then(v), ""
	})
}

// askReason asks why, refusing a blank reason.
func (s *reportsScreen) askReason(label string, then func(string) tea.Cmd) {
	s.c.askLine(s.c.t(label), func(text string) (tea.Cmd, string) {
		r, err := pos.CleanReason(text)
		if err != nil {
			return nil, s.c.t("Say why (%s).", s.c.p.ErrorText(err, i18n.DomainErrors))
		}
		return then(r), ""
	})
	if p, ok := s.c.asked.(*prompt); ok {
		p.in.limit = pos.MaxReason // a reason is longer than an amount
	}
}

func (s *reportsScreen) openShift() {
	s.askAmount("Float counted into the drawer to open the shift (like 200.00):", true, func(v pos.Money) tea.Cmd {
		return s.drawerDo(func(d Drawer) (pos.DrawerEvent, error) { return d.OpenShift(v) })
	})
}

func (s *reportsScreen) payIn() {
	s.askAmount("Cash paid INTO the drawer, amount:", false, func(v pos.Money) tea.Cmd {
		s.askReason(s.c.t("Why is %s paid in? (like: change from the bank)", s.c.money(v)), func(r string) tea.Cmd {
			return s.drawerDo(func(d Drawer) (pos.DrawerEvent, error) { return d.PayIn(v, r) })
		})
		return nil
	})
}

func (s *reportsScreen) payOut() {
	s.askAmount("Cash paid OUT of the drawer, amount:", false, func(v pos.Money) tea.Cmd {
		s.askReason(s.c.t("Why is %s paid out? (like: milk delivery)", s.c.money(v)), func(r string) tea.Cmd {
			return s.drawerGated(staff.PaidOut, v, s.c.t("Pay out of %s", s.c.money(v)), func(d Drawer, aps ...staff.Approval) (pos.DrawerEvent, error) {
				return d.PayOut(v, r, aps...)
			})
		})
		return nil
	})
}

func (s *reportsScreen) noSale() {
	s.askReason("Open the drawer with no sale: why? (logged)", func(r string) tea.Cmd {
		return s.drawerGated(staff.NoSale, 0, s.c.t("Opening the drawer with no sale"), func(d Drawer, aps ...staff.Approval) (pos.DrawerEvent, error) {
			return d.NoSale(r, aps...)
		})
	})
}

// drawerDone says what was recorded and works the report out again.
func (s *reportsScreen) drawerDone(msg drawerMsg) tea.Cmd {
	c := s.c
	if c.refused(msg.gate, msg.err) {
		return nil
	}
	if msg.err != nil {
		switch {
		case errors.Is(msg.err, pos.ErrDrawerShort):
			c.fail("Nothing was recorded: that is more cash than the drawer should hold.", msg.err)
		default:
			c.fail("Nothing was recorded: %s", msg.err, c.p.ErrorText(msg.err, i18n.DomainErrors))
		}
		return nil
	}
	ev := msg.ev
	var kick tea.Cmd // the drawer opens once the event is recorded
	switch ev.Kind {
	case pos.DrawerFloat:
		c.info("Shift opened with a float of %s.", c.money(ev.Amount))
	case pos.DrawerPayIn:
		c.info("Paid in %s (%s): put it in the drawer.", c.money(ev.Amount), ev.Reason)
		kick = c.kick(printer.PaidIn, ev.Cashier)
	case pos.DrawerPayOut:
		c.info("Paid out %s (%s): take it from the drawer.", c.money(ev.Amount), ev.Reason)
		kick = c.kick(printer.PaidOut, ev.Cashier)
	case pos.DrawerNoSale:
		c.info("No sale logged (%s): open the drawer.", ev.Reason)
		kick = c.kick(printer.NoSale, ev.Cashier)
	}
	return tea.Batch(s.xReport(), c.countOutbox(), kick)
}

// startZ checks that a Z would close something before asking for the
// count: an empty Z (nothing since the last one, no shift open) is
// refused, never numbered.
func (s *reportsScreen) startZ() tea.Cmd {
	var d Drawer = s.c.deps.Seller
	loc := s.c.deps.Loc
	return s.c.work(func() tea.Msg { return zCheckMsg{err: d.CheckZ(loc)} })
}

func (s *reportsScreen) zChecked(msg zCheckMsg) {
	c := s.c
	if msg.err != nil {
		if errors.Is(msg.err, pos.ErrNothingToClose) {
			c.fail("No Z taken: %s.", nil, c.p.ErrorText(msg.err, i18n.DomainErrors))
		} else {
			c.fail("Could not check the day; no Z taken.", msg.err)
		}
		return
	}
	// The blind count: the expected figure is hidden until the count is
	// in and the Z taken.
	s.blind = true
	c.askLine(c.t("Cash counted in the drawer (enter to skip):"), s.countedCash)
}
