package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// reportsScreen shows the X report (the day so far) or a Z report just
// taken, with sales by hour and head office's state beside it.
type reportsScreen struct {
	c       *common
	r       pos.Report
	text    string
	scroll  int
	counted *pos.Money // cash counted before a Z report
	// blind: a Z is being counted; the report (and its expected cash)
	// is hidden until the Z is taken.
	blind bool
	// wallet is the refunds to customers' wallets not done yet: listed
	// here until the provider confirms them.
	wallet []pos.WalletRefund
}

// WalletRefunds lists and sends refunds to customers' wallets.
// *register.Register satisfies it.
type WalletRefunds interface {
	PendingWalletRefunds() ([]pos.WalletRefund, error)
	SendWalletRefund(ctx context.Context, requestNo string) (pos.WalletRefund, error)
}

// walletMsg is the wallet refunds not done yet.
type walletMsg struct {
	pending []pos.WalletRefund
	err     error
}

// Reports works out the X report from the stored sales.
type Reports interface {
	XReport(now time.Time, loc *time.Location) (pos.Report, error)
}

// ZTaker closes the day. *register.Register satisfies it.
type ZTaker interface {
	TakeZ(loc *time.Location, counted *pos.Money) (pos.Report, error)
}

type reportMsg struct {
	r   pos.Report
	z   bool
	err error
	// gate retries a Z with a manager's approval (a till with staff).
	gate *gated
}

// openReports opens the screen at once and works out the X report.
func openReports(c *common) (screen, tea.Cmd) {
	s := &reportsScreen{c: c}
	return s, tea.Batch(s.xReport(), s.loadWallet())
}

func (s *reportsScreen) loadWallet() tea.Cmd {
	var sl WalletRefunds = s.c.deps.Seller
	return func() tea.Msg {
		p, err := sl.PendingWalletRefunds()
		return walletMsg{pending: p, err: err}
	}
}

// sendWallet sends (or asks after) every wallet refund not done yet, then
// lists what is still not done.
func (s *reportsScreen) sendWallet() tea.Cmd {
	var sl WalletRefunds = s.c.deps.Seller
	ctx := s.c.deps.Ctx
	nos := make([]string, len(s.wallet))
	for i, w := range s.wallet {
		nos[i] = w.RequestNo
	}
	return s.c.work(func() tea.Msg {
		for _, no := range nos {
			// A failure is stored in the refund's Problem, listed below.
			_, _ = sl.SendWalletRefund(ctx, no)
		}
		p, err := sl.PendingWalletRefunds()
		return walletMsg{pending: p, err: err}
	})
}

func (s *reportsScreen) title() string { return s.c.t("Reports") }

func (s *reportsScreen) xReport() tea.Cmd {
	var st Reports = s.c.deps.Store
	now, loc := s.c.deps.Now(), s.c.deps.Loc
	return func() tea.Msg {
		r, err := st.XReport(now, loc)
		return reportMsg{r: r, err: err}
	}
}

func (s *reportsScreen) takeZ(counted *pos.Money) tea.Cmd {
	var sl ZTaker = s.c.deps.Seller
	loc := s.c.deps.Loc
	if s.c.people.on && s.c.deps.Staff != nil {
		return s.closeDay(counted)
	}
	return s.c.work(func() tea.Msg {
		r, err := sl.TakeZ(loc, counted)
		return reportMsg{r: r, z: true, err: err}
	})
}

type reportsKeys struct {
	up, down, x, z, sync, wallet, save, back key.Binding
	shift, payIn, payOut, noSale             key.Binding
}

func (s *reportsScreen) keys() reportsKeys {
	k := &s.c.keys
	return reportsKeys{
		up:     named(k.Up, "↑↓", "scroll"),
		down:   k.Down,
		x:      k.XReport,
		z:      named(k.ZReport, "z", "close the day (Z)"),
		sync:   on(k.SyncNow, s.c.deps.Sync != nil && !s.c.sync.running),
		wallet: on(k.SendWallet, len(s.wallet) > 0),
		shift:  on(k.OpenShift, s.text != "" && (s.r.Shift.OpenedAt.IsZero() || s.r.Kind == pos.ZReport)),
		payIn:  k.PayIn,
		payOut: k.PayOut,
		noSale: k.NoSale,
		save:   on(s.saveKey(), s.text != ""),
		back:   k.Back,
	}
}

// saveKey is ctrl+s: with a printer it prints the report as well.
func (s *reportsScreen) saveKey() key.Binding {
	if s.c.printing() {
		return named(s.c.keys.Save, "ctrl+s", "save and print")
	}
	return s.c.keys.Save
}

func (s *reportsScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.x, k.z, k.shift, k.payIn, k.payOut, k.noSale, k.sync, k.wallet, k.save, k.up, k.back, s.c.keys.Help}
}
func (s *reportsScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *reportsScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reportMsg:
		return s, s.loaded(msg)
	case drawerMsg:
		return s, s.drawerDone(msg)
	case zCheckMsg:
		s.zChecked(msg)
	case walletMsg:
		if msg.err != nil {
			s.c.fail("Could not read the wallet refunds waiting.", msg.err)
			return s, nil
		}
		s.wallet = msg.pending
	case syncDoneMsg:
		// Right after a counted Z the message line keeps its difference
		// (it would vanish in a second); a sync that went well is beside
		// the report anyway.
		if msg.err != nil || s.r.Kind != pos.ZReport || s.r.Counted == nil {
			s.c.info("%s", s.c.sync.note)
		}
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return s, nil
}

func (s *reportsScreen) loaded(msg reportMsg) tea.Cmd {
	c := s.c
	if msg.z && c.refused(msg.gate, msg.err) {
		// The count stays hidden while a manager approves the Z.
		s.blind = true
		return nil
	}
	if msg.z {
		s.blind = false
	}
	if msg.err != nil {
		if msg.z {
			c.fail("The Z report was NOT taken. %s", msg.err, c.p.ErrorText(msg.err, i18n.DomainErrors))
		} else {
			c.fail("Could not work out the report.", msg.err)
		}
		return nil
	}
	s.r, s.text, s.scroll, s.counted = msg.r, receipt.Report(msg.r, c.shop()), 0, nil
	if msg.z {
		r := msg.r
		c.info("Z report %d stored; the day is closed.", r.Number)
		if r.Counted != nil {
			// Only now, after the count: what was expected, and the
			// difference.
			c.info("Z report %d stored. Counted %s, expected %s: %s.", r.Number,
				c.money(*r.Counted), c.money(r.Expected), differenceWords(c, r.Difference))
			c.msgErr = r.Difference != 0
			// Scroll to the drawer's figures: the count, what was
			// expected and the difference.
			for i, l := range joinLines(s.text) {
				if strings.HasPrefix(l, c.rp.T("Shift opened")) || strings.HasPrefix(l, c.rp.T("No shift opened")) {
					s.scroll = i
					break
				}
			}
		}
		// The Z is stored: print it (never waited for).
		return tea.Batch(c.countOutbox(), c.startSync(), c.printReport(r, s.text))
	}
	return nil
}

func (s *reportsScreen) key(k tea.KeyPressMsg) (screen, tea.Cmd) {
	c, keys := s.c, s.keys()
	// A key here means no count is being asked (it was cancelled).
	s.blind = false
	switch {
	case key.Matches(k, keys.up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(k, keys.down):
		s.scroll = min(s.scroll+1, strings.Count(s.text, "\n")+24)
	case key.Matches(k, keys.x):
		c.msg = ""
		return s, s.xReport()
	case key.Matches(k, keys.z):
		c.msg = ""
		return s, s.startZ()
	case key.Matches(k, keys.shift):
		s.openShift()
	case key.Matches(k, keys.payIn):
		s.payIn()
	case key.Matches(k, keys.payOut):
		s.payOut()
	case key.Matches(k, keys.noSale):
		s.noSale()
	case key.Matches(k, keys.sync):
		return s, c.startSync()
	case key.Matches(k, keys.wallet):
		c.info("Sending the wallet refunds…")
		return s, s.sendWallet()
	case key.Matches(k, keys.save):
		name := "x-report-" + s.r.TakenAt.In(c.deps.Loc).Format("20060102-1504") + ".txt"
		if s.r.Kind == pos.ZReport {
			name = fmt.Sprintf("z-report-%d.txt", s.r.Number)
		}
		return s, tea.Batch(c.saveText(name, s.text), c.printReport(s.r, s.text))
	case key.Matches(k, keys.back):
		return newSell(c), nil
	}
	return s, nil
}

// countedCash takes the cash counted before a Z and asks to take it.
func (s *reportsScreen) countedCash(text string) (tea.Cmd, string) {
	c := s.c
	s.counted = nil
	if strings.TrimSpace(text) != "" {
		n, err := pos.ParseAmount(text, c.deps.Currency)
		if err != nil || pos.CheckCounted(n) != nil {
			return nil, c.t("Type the cash counted, like 512.50, or leave it empty.")
		}
		s.counted = &n
	}
	q := c.t("Take the Z report and close the day?")
	if s.counted != nil {
		q = c.t("Take the Z report with %s counted and close the day?", c.money(*s.counted))
	}
	c.askYes(q, func() tea.Cmd { return s.takeZ(s.counted) })
	return nil, ""
}

// bars draws sales by hour as a small chart, one row per hour that had
// takings, the bar scaled to the best hour.
func (s *reportsScreen) bars(r pos.Report, w int) []string {
	c, st := s.c, s.c.st
	var top pos.Money
	for _, v := range r.ByHour {
		top = max(top, v)
	}
	out := []string{st.head.Render(c.t("Sales by hour"))}
	if top <= 0 {
		return append(out, st.dim.Render(c.t("no sales yet")))
	}
	bar := "█"
	if c.p.Lang() != i18n.English {
		bar = "#" // █ is of ambiguous width: a CJK terminal draws it two cells wide
	}
	barW := max(4, w-6-12)
	for h, v := range r.ByHour {
		if v == 0 {
			continue
		}
		n := 0
		if v > 0 {
			n = int(int64(v) * int64(barW) / int64(top))
		}
		out = append(out, fmt.Sprintf("%02d ", h)+fit(strings.Repeat(bar, max(n, 1)), barW)+right(c.amount(v), 12))
	}
	return out
}

// differenceWords says a Z's counted - expected in words.
func differenceWords(c *common, d pos.Money) string {
	switch {
	case d == 0:
		return c.t("the drawer is right")
	case d < 0:
		return c.t("%s SHORT", c.money(-d))
	}
	return c.t("%s OVER", c.money(d))
}

func (s *reportsScreen) view(w, h int) []string {
	if s.text == "" {
		return []string{s.c.st.dim.Render(s.c.t(" Working out the report…"))}
	}
	if s.blind {
		return wrap([]string{"", s.c.t(" Z report: count the cash in the drawer first."),
			s.c.t(" The cash expected is shown after the count, with the difference.")}, w)
	}
	text := joinLines(s.text)
	chart := s.bars(s.r, min(40, max(20, w-receipt.Width-4)))
	if sv := s.c.syncView(max(20, w-receipt.Width-4)); len(sv) > 0 {
		chart = append(append(sv, ""), chart...)
	}
	if wv := s.walletView(max(20, w-receipt.Width-4)); len(wv) > 0 {
		chart = append(append(wv, ""), chart...)
	}
	var out []string
	if w >= receipt.Width+4+24 {
		// Side by side: report on the left, chart on the right.
		text = text[min(s.scroll, max(0, len(text)-h)):]
		for i := 0; i < h; i++ {
			l, r := "", ""
			if i < len(text) {
				l = text[i]
			}
			if i < len(chart) {
				r = chart[i]
			}
			out = append(out, " "+fit(l, receipt.Width)+"   "+r)
		}
		return out
	}
	all := append(append(text, ""), chart...)
	return all[min(s.scroll, max(0, len(all)-h)):]
}

// walletView lists the wallet refunds not done yet: the customer is
// owed that money until the provider confirms it.
func (s *reportsScreen) walletView(w int) []string {
	c := s.c
	if len(s.wallet) == 0 {
		return nil
	}
	var out []string
	for _, l := range wrap([]string{c.t("! %s to wallets not done (w sends):", c.p.Plural(len(s.wallet), "1 refund", "%d refunds"))}, w) {
		out = append(out, c.st.warn.Render(l))
	}
	for _, r := range s.wallet {
		line := fmt.Sprintf("%s %s %s, %s", r.Created.In(c.deps.Loc).Format("15:04"), c.t(receipt.ProviderName(r.Provider, c.shop())),
			c.money(r.Amount), c.t(string(r.State)))
		if r.Problem != "" {
			line += ": " + r.Problem
		}
		out = append(out, wrap([]string{line}, w)...)
	}
	return out
}
