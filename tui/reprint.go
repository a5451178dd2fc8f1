package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos/staff"
)

// A copy of a stored receipt (issue 14): on a till with staff, the
// receipt and record screens' print and COPY keys ask the register first
// (Staff.Reprint), which checks the cashier's reprint permission and
// journals the copy; a copy the role leaves to a manager opens the
// approval prompt and is made once one approves. On a till with no staff
// the copy is made at once, as before.

// reprintMsg is the register's answer to a copy: allowed (and
// journalled), then does the copy; else the refusal.
type reprintMsg struct {
	err  error
	gate *gated
	then func() tea.Cmd
}

// reprint makes a copy of receipt no with then, once the register has
// allowed and journalled it.
func (c *common) reprint(no uint64, then func() tea.Cmd, approvals ...staff.Approval) tea.Cmd {
	if !c.people.on || c.deps.Staff == nil {
		return then()
	}
	var st Staff = c.deps.Staff
	g := &gated{perm: staff.Reprint, what: c.t("A copy of receipt %06d", no),
		again: func(ap staff.Approval) tea.Cmd { return c.reprint(no, then, ap) }}
	return c.work(func() tea.Msg {
		return reprintMsg{err: st.Reprint(no, approvals), gate: g, then: then}
	})
}

// open: the copy is made on whichever screen asked for it (it stays).
func (m reprintMsg) open(c *common) (screen, tea.Cmd) {
	if m.err != nil {
		if !c.refused(m.gate, m.err) {
			c.fail("No copy was made: the till could not record it. Try again.", m.err)
		}
		return nil, nil
	}
	return nil, m.then()
}
