package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/register"
	"github.com/tillpos/till/pos/staff"
)

// A manager's approval at the counter (issue 14). An action refused with
// register.ErrNeedsApproval opens this prompt on the same screen: it says
// what needs approval and why, a manager scans a badge or types a staff
// ID and PIN, and picks or types a reason; then the action is retried
// with that one approval. It covers that one action only.

// approval asks for a manager's approval of one action.
type approval struct {
	c     *common
	perm  staff.Permission
	value int64
	what  string // what needs approval: "Refund of ¥120.00"
	why   string // the role's words (register.Verdict.Why)
	// more, if set, is added to value when the manager approves, read
	// then (a void limit counts the cashier's voids this period too).
	more func() (int64, error)
	then func(staff.Approval) tea.Cmd

	step               int // 0 the ID or badge, 1 the PIN, 2 the reason
	id, pin, reasonBox lineInput
}

// approvedMsg is the manager's answer, checked by the register.
type approvedMsg struct {
	d   *approval
	ap  staff.Approval
	err error
}

// askApproval opens the approval prompt for perm at value over the
// active screen; then retries the action with the approval. On a till
// without staff there is no one to approve: it says why.
func (c *common) askApproval(perm staff.Permission, value int64, what, why string, then func(staff.Approval) tea.Cmd) *approval {
	if c.deps.Staff == nil || !c.people.on {
		c.fail(c.t("%s: %s.", what, why), nil)
		return nil
	}
	d := &approval{c: c, perm: perm, value: value, what: what, why: why, then: then,
		reasonBox: lineInput{limit: pos.MaxReason}}
	c.ask(d)
	c.info("%s needs a manager's approval.", what)
	return d
}

// refusal says what to do with an action the register refused for
// want of a permission: ok is false when err is no such refusal. A
// denial is said in words and nothing happens; a need for approval opens
// the prompt (ask builds it with the words).
func (c *common) refusal(err error, ask func(why string)) bool {
	switch {
	case errors.Is(err, register.ErrNeedsApproval):
		ask(refusalWhy(err, register.ErrNeedsApproval))
		return true
	case errors.Is(err, register.ErrDenied):
		c.fail(c.t("Not allowed: %s. Nothing was done.", refusalWhy(err, register.ErrDenied)), err)
		return true
	case errors.Is(err, register.ErrLoginNeeded):
		c.fail("Log in first (ctrl+l, then a PIN). Nothing was done.", err)
		return true
	}
	return false
}

// refusalWhy is the role's words in a refusal: what follows the
// sentinel's own text ("needs a manager's approval: Refund above a
// cashier's limit needs a manager's approval").
func refusalWhy(err error, sentinel error) string {
	s := err.Error()
	if i := strings.Index(s, sentinel.Error()+": "); i >= 0 {
		return s[i+len(sentinel.Error())+2:]
	}
	return sentinel.Error()
}

// gated is an action the register may refuse for want of a permission,
// with what it takes to ask for an approval and retry it.
type gated struct {
	perm  staff.Permission
	value int64
	what  string
	more  func() (int64, error)
	again func(staff.Approval) tea.Cmd
}

// refused handles the register's refusal of a gated action: true when
// err was one (a denial said, or the approval prompt opened).
func (c *common) refused(g *gated, err error) bool {
	if g == nil || err == nil {
		return false
	}
	return c.refusal(err, func(why string) {
		if d := c.askApproval(g.perm, g.value, g.what, why, g.again); d != nil {
			d.more = g.more
		}
	})
}

// gateDiscount checks a discount the cashier typed against their role
// before it goes on the cart: allowed, apply runs now; denied, the words
// come back as retry (the prompt stays for a smaller one); above the
// limit, the approval prompt opens and apply runs once a manager
// approves, the approval kept with the cart for its sale.
func (c *common) gateDiscount(t pos.Totals, line bool, at int, shown string, apply func()) (retry string, asked bool) {
	if !c.people.on || c.deps.Staff == nil {
		return "", false
	}
	perm, value, what := discountNeed(t, line, at)
	if value == 0 {
		return "", false
	}
	v := c.deps.Staff.AuthorizeCurrent(perm, value)
	switch v.Decision {
	case staff.Allow:
		return "", false
	case staff.Deny:
		return c.t("Not allowed: %s. Type a smaller discount, or 0 for none.", v.Why), false
	}
	c.askApproval(perm, value, c.t("%s of %s", c.t(what), shown), v.Why, func(ap staff.Approval) tea.Cmd {
		apply()
		c.people.approvals = append(c.people.approvals, ap)
		return nil
	})
	return "", true
}

// discountNeed is the permission a priced cart's discount needs and its
// value in basis points, rounded up, as the register reckons it: a line's
// discount of its gross, the cart's of the goods after line discounts.
func discountNeed(t pos.Totals, line bool, at int) (staff.Permission, int64, string) {
	if line {
		if at < len(t.Lines) && t.Lines[at].Gross > 0 {
			l := t.Lines[at]
			return staff.LineDiscount, bps(int64(l.LineDiscount), int64(l.Gross)), i18n.N("A line discount")
		}
		return staff.LineDiscount, 0, ""
	}
	var base, cart pos.Money
	for _, l := range t.Lines {
		base += l.Gross - l.LineDiscount
		cart += l.CartDiscount
	}
	if base <= 0 {
		return staff.CartDiscount, 0, ""
	}
	return staff.CartDiscount, bps(int64(cart), int64(base)), i18n.N("A cart discount")
}

func bps(part, whole int64) int64 { return (part*10000 + whole - 1) / whole }

// cartApprovals are the approvals of the cart its sale still needs: each
// discount the cashier's role leaves to a manager, covered by the
// smallest approval of its kind that is enough. An approval for a
// discount since changed is dropped: it covers that one action only.
func (c *common) cartApprovals(cart pos.Cart) []staff.Approval {
	if len(c.people.approvals) == 0 {
		return nil
	}
	t, err := pos.Price(cart, c.deps.TaxIncluded)
	if err != nil {
		return nil
	}
	type need struct {
		perm  staff.Permission
		value int64
	}
	var needs []need
	for i := range t.Lines {
		if p, v, _ := discountNeed(t, true, i); v > 0 {
			needs = append(needs, need{p, v})
		}
	}
	if p, v, _ := discountNeed(t, false, 0); v > 0 {
		needs = append(needs, need{p, v})
	}
	for _, l := range t.Lines {
		if v := overrideBps(l.Line); v > 0 {
			needs = append(needs, need{staff.PriceOverride, v})
		}
	}
	who, _ := c.deps.Staff.Current()
	used := make([]bool, len(c.people.approvals))
	var out []staff.Approval
	for _, n := range needs {
		if c.deps.Staff.AuthorizeCurrent(n.perm, n.value).Decision != staff.Approve {
			continue
		}
		best := -1
		for i, a := range c.people.approvals {
			// Only the cashier's own: after a switch of cashier the new
			// one's role decides afresh.
			if !used[i] && a.Actor == who.ID && a.Permission == n.perm && a.Value >= n.value && (best < 0 || a.Value < c.people.approvals[best].Value) {
				best = i
			}
		}
		if best >= 0 {
			used[best] = true
			out = append(out, c.people.approvals[best])
		}
	}
	// Lines removed or reduced are gone from the cart: each approval
	// for one (the cashier's own) goes with the sale as it was given.
	for _, a := range c.people.approvals {
		if a.Permission == staff.RemoveLine && a.Actor == who.ID {
			out = append(out, a)
		}
	}
	return out
}

// completer is how the checkout stores a sale: through the register as
// before staff existed, or as the cashier's with the cart's approvals.
func (c *common) completer() func(pos.Cart, time.Time, []pos.Tender) (pos.Sale, error) {
	var sl Seller = c.deps.Seller
	if !c.people.on || c.deps.Staff == nil {
		return sl.Complete
	}
	var st Staff = c.deps.Staff
	aps := c.cartApprovals(c.cart)
	return func(cart pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error) {
		return st.CompleteWith(cart, started, tenders, aps)
	}
}

func (d *approval) update(k tea.KeyPressMsg) (bool, tea.Cmd) {
	c := d.c
	switch {
	case key.Matches(k, c.keys.Quit):
		return false, nil
	case key.Matches(k, c.keys.Back):
		c.info("Not approved: %s was not done.", lowerFirst(d.what))
		return false, nil
	case key.Matches(k, c.keys.Enter):
		return d.enter()
	}
	in := d.input()
	if d.step == 2 {
		if k.Code == tea.KeyUp || k.Code == tea.KeyDown {
			d.pick(k.Code == tea.KeyDown)
			return true, nil
		}
	}
	if in.key(k) {
		c.msg = ""
	}
	return true, nil
}

// pick moves the reason box through the list: ↓ the next, ↑ the one
// before.
func (d *approval) pick(down bool) {
	i := -1
	for j, r := range staff.Reasons {
		if r == d.reasonBox.value {
			i = j
		}
	}
	if down {
		i = min(len(staff.Reasons)-1, i+1)
	} else {
		i = max(0, i-1)
	}
	d.reasonBox.value = staff.Reasons[i]
}

func (d *approval) input() *lineInput {
	switch d.step {
	case 0:
		return &d.id
	case 1:
		return &d.pin
	}
	return &d.reasonBox
}

func (d *approval) enter() (bool, tea.Cmd) {
	c := d.c
	switch d.step {
	case 0:
		if strings.TrimSpace(d.id.value) == "" {
			c.fail("Manager: scan your badge or type your staff ID, then enter.", nil)
			return true, nil
		}
		d.step = 1
		c.msg = ""
		return true, nil
	case 1:
		// An empty PIN: the badge was scanned, which is enough.
		d.step = 2
		c.msg = ""
		return true, nil
	}
	reason := d.reason()
	if reason == "" {
		c.fail(c.t("Pick a reason (1 to %d, or ↑↓) or type one.", len(staff.Reasons)), nil)
		return true, nil
	}
	var st Staff = c.deps.Staff
	id, pin, perm, value, more := strings.TrimSpace(d.id.value), d.pin.value, d.perm, d.value, d.more
	d.pin.reset()
	return false, c.work(func() tea.Msg {
		v := value
		if more != nil {
			extra, err := more()
			if err != nil {
				return approvedMsg{d: d, err: err}
			}
			v += extra
		}
		ap, err := st.Approve(id, pin, perm, v, reason)
		return approvedMsg{d: d, ap: ap, err: err}
	})
}

// reason is the reason chosen: a number picks from staff.Reasons, else
// the text typed.
func (d *approval) reason() string {
	t := strings.TrimSpace(d.reasonBox.value)
	if n, err := strconv.Atoi(t); err == nil {
		if n >= 1 && n <= len(staff.Reasons) {
			return staff.Reasons[n-1]
		}
		return ""
	}
	return t
}

// open: the manager approved, and the action is retried with the
// approval; or the register refused the approval, which is said and the
// prompt asks again (a wrong PIN: the PIN again).
func (m approvedMsg) open(c *common) (screen, tea.Cmd) {
	d := m.d
	if m.err != nil {
		words := loginWords(c, m.err)
		if !errors.Is(m.err, staff.ErrWrong) && !errors.Is(m.err, staff.ErrLocked) &&
			!errors.Is(m.err, staff.ErrUnknown) && !errors.Is(m.err, staff.ErrOff) {
			// The register's own words: "someone else must approve your
			// own action", "a cashier cannot approve".
			words = c.t("%s.", capitalFirst(m.err.Error()))
		}
		d.step = 1
		if !errors.Is(m.err, staff.ErrWrong) {
			d.step = 0
			d.id.reset()
		}
		c.ask(d)
		c.fail(c.t("Not approved: %s", words), m.err)
		return nil, nil
	}
	c.msg = ""
	cmd := d.then(m.ap)
	said := c.t("Approved by staff %s (%s).", m.ap.Approver, m.ap.Reason)
	if c.msg != "" && !c.msgErr {
		// What the action said (a discount applied) after who approved it.
		said = c.t("%s %s", said, c.msg)
	}
	c.info("%s", said)
	return nil, cmd
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]-'A'+'a') + s[1:]
}

// lines is the prompt, w columns wide.
func (d *approval) lines(w int) []string {
	st := d.c.st
	out := wrap([]string{
		d.c.t("! Needs approval: %s", d.what),
		d.c.t("  %s", d.why),
		d.c.t("  Manager: scan your badge, or type your staff ID and PIN; then pick a reason."),
	}, w)
	for i := range out {
		out[i] = st.warn.Render(out[i])
	}
	pin := strings.Repeat("•", len([]rune(d.pin.value)))
	cur := func(step int) string {
		if d.step == step {
			return d.c.st.cursor
		}
		return ""
	}
	out = append(out,
		fit(d.id.view(st, d.c.t("  Staff ID or badge: "), d.step == 0), w),
		fit(st.head.Render(d.c.t("  PIN (empty: badge): "))+pin+cur(1), w))
	// The reasons, as many to a line as fit.
	line := d.c.t("  Reasons:")
	for i, r := range staff.Reasons {
		item := fmt.Sprintf(" %d %s", i+1, d.c.t(r)) // shown in the counter's language, recorded as staff.Reasons has it
		if ansi.StringWidth(line+item) > w {
			out = append(out, fit(line, w))
			line = "          "
		}
		line += item
	}
	out = append(out, fit(line, w))
	out = append(out, fit(d.reasonBox.view(st, d.c.t("  Reason (number or words): "), d.step == 2), w))
	return out
}

// frame puts the prompt over the bottom of the body.
func (d *approval) frame(body []string, message string, w int) ([]string, string) {
	ls := d.lines(w)
	if len(ls) >= len(body) {
		return ls[len(ls)-len(body):], message
	}
	out := append([]string(nil), body[:len(body)-len(ls)-1]...)
	out = append(out, d.c.st.dim.Render(rule(w)))
	return append(out, ls...), message
}

func (d *approval) panel(w int) []string {
	return append(d.lines(w), d.c.t("enter next · esc cancel"))
}

func (d *approval) ShortHelp() []key.Binding {
	k := &d.c.keys
	enter := named(k.Enter, "enter", "next")
	if d.step == 2 {
		enter = named(k.Enter, "enter", "approve")
	}
	out := []key.Binding{enter}
	if d.step == 2 {
		out = append(out, named(k.Up, "↑↓", "reason"))
	}
	return append(out, named(k.Back, "esc", "cancel"))
}
func (d *approval) FullHelp() [][]key.Binding { return fullHelp(d.ShortHelp()) }

// refundGate is a refund or void of this sale to retry with an
// approval: its value is what it pays back, and for a void the
// cashier's voids this period too, read when the manager approves.
func (d *detailScreen) refundGate(want map[int]int64, kind pos.RefundKind, reason string) *gated {
	c := d.c
	w := want
	if w == nil {
		w = pos.Remaining(d.sale, d.already)
	}
	var value int64
	if r, err := d.preview(kind, w); err == nil {
		value = int64(r.Total + r.Rounding)
	}
	g := &gated{perm: staff.Refund, value: value, what: c.t("Refund of %s (receipt %06d)", c.money(pos.Money(value)), d.sale.Receipt)}
	if kind == pos.KindVoid {
		g.perm, g.what = staff.Void, c.t("Void of receipt %06d (%s)", d.sale.Receipt, c.money(pos.Money(value)))
		if vs, ok := c.deps.Store.(voidsOf); ok && c.people.who.ID != "" {
			id := c.people.who.ID
			g.more = func() (int64, error) {
				v, err := vs.VoidedThisPeriod(id)
				return int64(v), err
			}
		}
	}
	g.again = func(ap staff.Approval) tea.Cmd { return d.refund(want, kind, reason, ap) }
	return g
}

// voidsOf is a store that says what a cashier voided since the last Z:
// a void limit counts those too. *bolt.Store satisfies it.
type voidsOf interface {
	VoidedThisPeriod(cashierID string) (pos.Money, error)
}

// closeDay takes the Z on a till with staff: the drawer's count, taken
// blind before anything expected was shown, and the report's section
// per cashier; a Z the cashier's role leaves to a manager is retried
// with the approval.
func (s *reportsScreen) closeDay(counted *pos.Money, approvals ...staff.Approval) tea.Cmd {
	var st Staff = s.c.deps.Staff
	loc := s.c.deps.Loc
	count := pos.Count{Drawer: counted}
	g := &gated{perm: staff.ZReport, what: s.c.t("Closing the day (Z report)"),
		again: func(ap staff.Approval) tea.Cmd { return s.closeDay(counted, ap) }}
	return s.c.work(func() tea.Msg {
		r, err := st.CloseDay(loc, count, approvals)
		return reportMsg{r: r, z: true, err: err, gate: g}
	})
}

// saleGate is the cart's first discount the cashier's role leaves to a
// manager and no approval of the cart covers (say the cashier changed
// since it was approved), to ask for if the register refuses the sale;
// again stores the sale with it. nil when there is none.
func (c *common) saleGate(again func() tea.Cmd) *gated {
	return c.saleGateOf(c.cart, c.cartApprovals(c.cart), func(ap staff.Approval) {
		c.people.approvals = append(c.people.approvals, ap)
	}, again)
}

// saleGateOf is saleGate for any cart (a late payment's), with the
// approvals that already cover it and where a new one is kept.
func (c *common) saleGateOf(cart pos.Cart, covered []staff.Approval, keep func(staff.Approval), again func() tea.Cmd) *gated {
	if !c.people.on || c.deps.Staff == nil {
		return nil
	}
	t, err := pos.Price(cart, c.deps.TaxIncluded)
	if err != nil {
		return nil
	}
	for i := 0; i <= len(t.Lines); i++ {
		perm, value, what := discountNeed(t, i < len(t.Lines), i)
		if value == 0 || c.deps.Staff.AuthorizeCurrent(perm, value).Decision != staff.Approve {
			continue
		}
		found := false
		for _, a := range covered {
			found = found || a.Permission == perm && a.Value >= value
		}
		if found {
			continue
		}
		if i < len(t.Lines) {
			what = c.t("%s on %s", what, t.Lines[i].Name)
		}
		return &gated{perm: perm, value: value, what: what, again: func(ap staff.Approval) tea.Cmd {
			keep(ap)
			return again()
		}}
	}
	for _, l := range t.Lines {
		value := overrideBps(l.Line)
		if value == 0 || c.deps.Staff.AuthorizeCurrent(staff.PriceOverride, value).Decision != staff.Approve {
			continue
		}
		found := false
		for _, a := range covered {
			found = found || a.Permission == staff.PriceOverride && a.Value >= value
		}
		if found {
			continue
		}
		return &gated{perm: staff.PriceOverride, value: value,
			what: c.t("A price of %s for %s (list %s)", c.money(l.UnitPrice), c.nameOf(l.SKU, l.Name), c.money(l.ListPrice)),
			again: func(ap staff.Approval) tea.Cmd {
				keep(ap)
				return again()
			}}
	}
	return nil
}
