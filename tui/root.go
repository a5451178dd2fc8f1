package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/i18n"
)

// Model is the counter's root. It owns the size, the queue of keys typed
// while work is in flight, the open dialog and the frame (status line,
// message line, help); everything else is a screen's. Keys go to the open
// dialog, else the global keys, else the active screen; results go to
// the shared state, then to the active screen.
type Model struct {
	c      *common
	screen screen
	dialog dialog
	queue  []tea.KeyPressMsg // keys that arrived while busy, replayed in order
	width  int
	height int
	help   help.Model
	quit   bool
}

// New builds the counter. Its Init loads the catalog; keys typed before
// the catalog is ready are kept and applied once it is.
func New(d Deps) *Model {
	d.fill()
	c := newCommon(d)
	k := &c.keys
	// The screens the sell screen opens by function key. A new screen is
	// its own file and one line here.
	c.menu = []menuItem{
		{key: k.Stock, anyCart: true, open: openStock},
		{key: k.Parked, open: openParked},
		{key: k.History, open: openHistory},
		{key: k.Reports, open: openReports},
	}
	h := help.New()
	if c.p.Lang() != i18n.English {
		h.ShortSeparator = " | " // bubbles' • is of ambiguous width (glyphs.go)
	}
	return &Model{c: c, screen: c.firstScreen(), width: 80, height: 24, help: h}
}

// Init starts loading the catalog, the outbox count, a QR payment left
// waiting and head office's status.
func (m *Model) Init() tea.Cmd {
	c := m.c
	return tea.Batch(c.loadCatalog(), c.countOutbox(), loadOpenPayments(c), c.loadSyncStatus(), c.scheduleSync(),
		c.checkClock(), c.checkPayments())
}

// Update routes a message: keys through keyIn, results to the shared
// state and the active screen; then replays keys queued meanwhile. The
// customer display then follows whatever changed.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.route(msg)
	m.c.showCustomer(m.screen)
	return next, cmd
}

func (m *Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.c.w, m.c.h = msg.Width, msg.Height
		return m, nil
	case tea.KeyPressMsg:
		return m, m.keyIn(msg)
	case tea.PasteMsg:
		// A scanner in paste mode, or a pasted code: type it key by key.
		var cmds []tea.Cmd
		for _, r := range msg.Content {
			k := tea.KeyPressMsg{Code: r, Text: string(r)}
			if r == '\n' || r == '\r' {
				k = tea.KeyPressMsg{Code: tea.KeyEnter}
			}
			cmds = append(cmds, m.keyIn(k))
		}
		return m, tea.Batch(cmds...)
	case busyMsg:
		m.c.busy--
		return m, tea.Batch(m.result(msg.msg), m.drain())
	}
	return m, tea.Batch(m.result(msg), m.drain())
}

// keyIn handles a key now, or queues it while work is in flight (or the
// catalog is not in yet) so that nothing typed is lost or applied out of
// order.
func (m *Model) keyIn(k tea.KeyPressMsg) tea.Cmd {
	if m.c.busy > 0 || !m.c.loaded || len(m.queue) > 0 {
		m.queue = append(m.queue, k)
		return nil
	}
	return m.key(k)
}

// drain replays queued keys until the queue is empty or one of them
// starts new work.
func (m *Model) drain() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.queue) > 0 && m.c.busy == 0 && m.c.loaded {
		k := m.queue[0]
		m.queue = m.queue[1:]
		cmds = append(cmds, m.key(k))
	}
	return tea.Batch(cmds...)
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	if m.dialog != nil {
		open, cmd := m.dialog.update(k)
		if !open {
			m.dialog = nil
		}
		m.takeDialog()
		return cmd
	}
	switch {
	case key.Matches(k, m.c.keys.Quit):
		q := m.c.t("Quit and lose the cart? (f6 on the sale screen parks it)")
		if qq, ok := m.screen.(quitQuestioner); ok {
			q = qq.quitQuestion()
		}
		if len(m.c.cart.Lines) > 0 && q != "" {
			m.c.askYes(q, func() tea.Cmd { m.quit = true; return tea.Quit })
			m.takeDialog()
			return nil
		}
		m.quit = true
		return tea.Quit
	case key.Matches(k, m.helpKey()):
		m.help.ShowAll = !m.help.ShowAll
		return nil
	}
	if next, cmd, ok := m.c.staffKey(k, m.screen); ok {
		return m.apply(next, cmd)
	}
	return m.apply(m.screen.update(k))
}

// result applies the result of a command: first to the shared state,
// then, if it opens a screen, it does; else the active screen has it.
func (m *Model) result(msg tea.Msg) tea.Cmd {
	cmd := m.c.update(msg)
	if o, ok := msg.(opener); ok {
		return tea.Batch(cmd, m.apply(o.open(m.c)))
	}
	return tea.Batch(cmd, m.apply(m.screen.update(msg)))
}

// apply makes next the active screen (nil: stay) and takes a dialog
// opened meanwhile.
func (m *Model) apply(next screen, cmd tea.Cmd) tea.Cmd {
	if next != nil {
		m.screen = next
	}
	m.takeDialog()
	return cmd
}

// quitQuestioner is a screen with its own words for ctrl+c (the pay
// screen: the payment is stored and resumed); "" quits at once.
type quitQuestioner interface{ quitQuestion() string }

func (m *Model) takeDialog() {
	if d := m.c.asked; d != nil {
		m.dialog, m.c.asked = d, nil
	}
}

func (m *Model) helpKey() key.Binding {
	t, ok := m.screen.(typing)
	return m.c.keys.help(ok && t.typing())
}

// View renders the active screen in the frame.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "Till"
	return v
}

func (m *Model) render() string {
	w, h := max(m.width, 20), max(m.height, 8)
	if f, ok := m.screen.(fullScreen); ok {
		return m.c.glyphs(f.full(w, h, m.dialog))
	}
	m.help.SetWidth(w)
	km := m.c.withStaffKeys(m.screen, m.screen)
	if m.dialog != nil {
		km = m.dialog
	}
	var helpView string
	if m.help.ShowAll {
		helpView = m.help.FullHelpView(m.c.fullHelpIn(km.FullHelp()))
	} else {
		helpView = m.shortHelp(m.c.helpIn(km.ShortHelp()), w)
	}
	helpLines := strings.Split(helpView, "\n")
	bodyH := max(h-3-len(helpLines), 1)
	body := box(m.screen.view(w, bodyH), w, bodyH)
	message := m.messageLine(w)
	if m.dialog != nil {
		body, message = m.dialog.frame(body, message, w)
	}
	lines := []string{m.statusLine(w), m.c.st.dim.Render(rule(w))}
	lines = append(lines, body...)
	lines = append(lines, message)
	lines = append(lines, helpLines...)
	return m.c.glyphs(strings.Join(lines[:min(len(lines), h)], "\n"))
}

// shortHelp lays the keys out on as many lines as they need, so that no
// key is hidden behind "…" on a narrow terminal (bubbles/help cuts a
// line that does not fit).
func (m *Model) shortHelp(keys []key.Binding, w int) string {
	var lines []string
	var line []key.Binding
	whole := m.help // measures without cutting
	whole.SetWidth(0)
	for _, b := range keys {
		if !b.Enabled() {
			continue
		}
		try := append(append([]key.Binding(nil), line...), b)
		if len(line) > 0 && ansi.StringWidth(whole.ShortHelpView(try)) > w {
			lines = append(lines, m.help.ShortHelpView(line))
			line = []key.Binding{b}
			continue
		}
		line = try
	}
	if len(line) > 0 || len(lines) == 0 {
		lines = append(lines, m.help.ShortHelpView(line))
	}
	return strings.Join(lines, "\n")
}

func (m *Model) statusLine(w int) string {
	c := m.c
	left := c.t(" Till · %s%s · %s", c.deps.Shop, c.whoLabel(), m.screen.title())
	state := ""
	switch {
	case !c.loaded:
		state = c.t("loading goods… · ")
	case c.busy > 0:
		state = c.t("saving… · ")
	}
	rightText := c.t("%sunsynced %d · %s%s ", state, c.unsent, c.syncLabel(), c.deps.Now().In(c.deps.Loc).Format("2006-01-02 15:04"))
	return c.st.title.Render(fit(left, w-ansi.StringWidth(rightText)) + rightText)
}

func (m *Model) messageLine(w int) string {
	c := m.c
	switch {
	case c.held != "":
		return c.st.err.Render(fit("! "+c.held, w))
	case c.msg == "":
		return fit("", w)
	case c.msgErr:
		return c.st.err.Render(fit("! "+c.msg, w))
	}
	return c.st.info.Render(fit(c.msg, w))
}
