package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// searchLimit bounds how many matches a search collects.
const searchLimit = 50

type screen int

const (
	scrSell screen = iota
	scrCheckout
	scrReceipt
	scrHistory
	scrSaleDetail
	scrReports
	scrParked
	scrStock
	scrPay
)

// Model is the counter's root model. It routes keys (global ones first,
// then the active screen), runs all IO in commands, and builds the view.
type Model struct {
	d      Deps
	keys   keyMap
	help   help.Model
	width  int
	height int
	screen screen

	ix      *index
	loaded  bool
	busy    int               // commits and lookups in flight
	queue   []tea.KeyPressMsg // keys that arrived while busy, replayed in order
	msg     string
	msgErr  bool
	unsent  int // unsynced sales
	quit    bool
	confirm *confirm
	prompt  *prompt

	// sell
	cart    pos.Cart
	started time.Time
	line    int // selected cart line
	input   lineInput
	sugg    []int // search matches (index ids)
	sel     int   // highlighted match

	// checkout and receipt
	receiptText string
	receiptName string
	pay         *payState
	sync        syncState

	hist   history
	detail detail
	rep    reports
	parked []pos.Parked
	pSel   int
	stock  stockView

	// tick schedules the pay screen's clock; tests replace it so that
	// running every command synchronously never sleeps.
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// New builds the counter. Its Init loads the catalog; keys typed before
// the catalog is ready are kept and applied once it is.
func New(d Deps) Model {
	d.fill()
	m := Model{d: d, keys: newKeyMap(), help: help.New(), width: 80, height: 24, tick: tea.Tick}
	m.sync.bar = progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))
	m.syncKeys()
	return m
}

// Init starts loading the catalog and the outbox count.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadCatalog(), m.countOutbox(), m.loadOpenPayments(), m.loadSyncStatus(), m.scheduleSync())
}

func (m *Model) shop() receipt.Shop {
	return receipt.Shop{Name: m.d.Shop, Currency: m.d.Currency, Loc: m.d.Loc}
}

func (m *Model) money(v pos.Money) string  { return receipt.Money(v, m.d.Currency) }
func (m *Model) amount(v pos.Money) string { return receipt.Amount(v, m.d.Currency) }

func (m *Model) info(format string, a ...any) {
	m.msg, m.msgErr = fmt.Sprintf(format, a...), false
}

// fail shows the cashier a short message and logs the details.
func (m *Model) fail(what string, err error) {
	m.msg, m.msgErr = what, true
	if err != nil {
		m.d.Log.Error(what, "err", err)
	}
}

// Update routes a message: results of commands to their handlers, keys to
// the confirm or prompt box if one is open, else to the active screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		cmd = m.keyIn(msg)
	case tea.PasteMsg:
		// A scanner in paste mode, or a pasted code: type it key by key.
		var cmds []tea.Cmd
		for _, r := range msg.Content {
			k := tea.KeyPressMsg{Code: r, Text: string(r)}
			if r == '\n' || r == '\r' {
				k = tea.KeyPressMsg{Code: tea.KeyEnter}
			}
			cmds = append(cmds, m.keyIn(k))
			m.syncKeys()
		}
		cmd = tea.Batch(cmds...)
	default:
		cmd = m.result(msg)
		cmd = tea.Batch(cmd, m.drain())
	}
	m.syncKeys()
	return m, cmd
}

// keyIn handles a key now, or queues it while the store is busy so that
// nothing typed is lost or applied out of order.
func (m *Model) keyIn(k tea.KeyPressMsg) tea.Cmd {
	if m.busy > 0 || !m.loaded || len(m.queue) > 0 {
		m.queue = append(m.queue, k)
		return nil
	}
	return m.key(k)
}

// drain replays keys queued while the store was busy, until the queue is
// empty or one of them starts new work.
func (m *Model) drain() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.queue) > 0 && m.busy == 0 && m.loaded {
		k := m.queue[0]
		m.queue = m.queue[1:]
		cmds = append(cmds, m.key(k))
		m.syncKeys()
	}
	return tea.Batch(cmds...)
}

// startBusy marks work in flight; keys queue until it ends.
func (m *Model) startBusy(cmd tea.Cmd) tea.Cmd {
	m.busy++
	return cmd
}

func (m *Model) endBusy() {
	if m.busy > 0 {
		m.busy--
	}
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	if m.confirm != nil {
		return m.confirmKey(k)
	}
	if m.prompt != nil {
		return m.promptKey(k)
	}
	switch {
	case key.Matches(k, m.keys.Quit):
		if len(m.cart.Lines) > 0 {
			m.ask(confirmQuit, "Quit and lose the cart? (f6 parks it)")
			return nil
		}
		m.quit = true
		return tea.Quit
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return nil
	}
	switch m.screen {
	case scrSell:
		return m.sellKey(k)
	case scrCheckout:
		return m.checkoutKey(k)
	case scrReceipt:
		return m.receiptKey(k)
	case scrHistory:
		return m.historyKey(k)
	case scrSaleDetail:
		return m.detailKey(k)
	case scrReports:
		return m.reportsKey(k)
	case scrParked:
		return m.parkedKey(k)
	case scrStock:
		return m.stockKey(k)
	case scrPay:
		return m.payKey(k)
	}
	return nil
}

// goSell returns to the sell screen with the input ready.
func (m *Model) goSell() {
	m.screen = scrSell
	m.input.reset()
	m.sugg = nil
}

// View renders the active screen with the status line on top and the
// message and help lines at the bottom.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "Till"
	return v
}

func (m *Model) render() string {
	w, h := max(m.width, 20), max(m.height, 8)
	if m.screen == scrPay {
		return m.payView(w, h)
	}
	m.help.SetWidth(w)
	hk := m.bindings()
	var helpView string
	if m.help.ShowAll {
		helpView = m.help.FullHelpView(hk.FullHelp())
	} else {
		helpView = m.help.ShortHelpView(hk.ShortHelp())
	}
	helpLines := strings.Split(helpView, "\n")
	bottom := []string{m.messageLine(w)}
	if m.confirm != nil {
		bottom = []string{stWarn.Render(fit("? "+m.confirm.text+"  [y/n]", w))}
	}
	bodyH := h - 2 - len(bottom) - len(helpLines)
	body := box(m.body(w, max(bodyH, 1)), w, max(bodyH, 1))
	lines := []string{m.statusLine(w), stDim.Render(rule(w))}
	lines = append(lines, body...)
	lines = append(lines, bottom...)
	lines = append(lines, helpLines...)
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

func (m *Model) body(w, h int) []string {
	switch m.screen {
	case scrCheckout:
		return m.checkoutView(w, h)
	case scrReceipt:
		return m.receiptView(w, h)
	case scrHistory:
		return m.historyView(w, h)
	case scrSaleDetail:
		return m.detailView(w, h)
	case scrReports:
		return m.reportsView(w, h)
	case scrParked:
		return m.parkedView(w, h)
	case scrStock:
		return m.stockView(w, h)
	}
	return m.sellView(w, h)
}

var screenNames = map[screen]string{scrSell: "Sell", scrCheckout: "Pay", scrReceipt: "Receipt",
	scrHistory: "Today's sales", scrSaleDetail: "Sale", scrReports: "Reports", scrParked: "Parked carts",
	scrStock: "Price check & stock", scrPay: "QR payment"}

func (m *Model) statusLine(w int) string {
	left := fmt.Sprintf(" Till · %s · %s", m.d.Shop, screenNames[m.screen])
	state := ""
	switch {
	case !m.loaded:
		state = "loading goods… · "
	case m.busy > 0:
		state = "saving… · "
	}
	rightText := fmt.Sprintf("%sunsynced %d · %s%s ", state, m.unsent, m.syncLabel(), m.d.Now().In(m.d.Loc).Format("2006-01-02 15:04"))
	return stTitle.Render(fit(left, w-ansi.StringWidth(rightText)) + rightText)
}

func (m *Model) messageLine(w int) string {
	switch {
	case m.msg == "":
		return fit("", w)
	case m.msgErr:
		return stError.Render(fit("! "+m.msg, w))
	}
	return stInfo.Render(fit(m.msg, w))
}
