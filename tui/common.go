package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/display"
	"github.com/tillpos/till/pos/search"
	"github.com/tillpos/till/tui/receipt"
)

// searchLimit bounds how many matches a search collects.
const searchLimit = 50

// common is what every screen shares, by pointer: the caller's
// dependencies, the styles and key vocabulary, the counter state (the
// cart and the catalog), the message line, head office and the work in
// flight. A screen keeps its own state to itself; what two screens (or
// a customer display) need lives here.
type common struct {
	deps Deps
	p    *i18n.Printer // speaks deps.Lang: c.t("...") in lang.go
	rp   *i18n.Printer // speaks deps.ReceiptLang.Lang: receipts and reports
	keys keyMap
	st   styles
	counter
	sync syncState
	// people is who works the till and the cart's approvals (login.go).
	people staffState
	// menu is what the sell screen opens by function key; the root fills
	// it.
	menu []menuItem

	msg    string
	msgErr bool
	// held is a warning that stays on the message line, whatever is
	// said after it, until the cashier acts on it (see hold).
	held   string
	unsent int // records head office has not had: sales, refunds, Z reports

	// busy counts work in flight that the keys wait for (see work).
	busy int
	// asked is a dialog a screen opened during this update; the root
	// takes it and from then on gives it the keys until it closes.
	asked dialog

	// w, h are the terminal's size (the root keeps them here), so a
	// payment is not started on a screen too small for its code.
	w, h int
	// left are payments the cashier left with the till while it closes
	// or withdraws them; late, payments that landed after their order was
	// closed; clock, a warning that the till's clock is off the
	// provider's. The background check (watch.go) keeps them.
	left  []pos.Payment
	late  []pos.Payment
	clock string
	// lateSaid is the payment the message line last said is waiting.
	lateSaid string

	// shown is what the customer display shows (hardware.go).
	shown *display.Snapshot

	// tick schedules timers; tests replace it so that running every
	// command synchronously never sleeps.
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// counter is the sale being rung up and the goods it is rung up from.
type counter struct {
	cart    pos.Cart
	started time.Time
	line    int           // the selected cart line
	ix      *search.Index // the catalog in memory
	loaded  bool          // ix is in; keys typed before wait for it
}

func newCommon(d Deps) *common {
	p := i18n.New(d.Lang)
	c := &common{deps: d, p: p, rp: i18n.New(d.ReceiptLang.Lang), keys: newKeyMap(), st: defaultStyles(), tick: tea.Tick, w: 80, h: 24}
	c.msg = d.Notice
	c.sync = newSyncState()
	c.narrow()
	return c
}

// newCart starts an empty cart.
func (c *common) newCart() {
	c.cart, c.line = pos.Cart{}, 0
	c.people.approvals = nil
	c.started = c.deps.Now()
}

// busyMsg is the result of work the keys waited for.
type busyMsg struct{ msg tea.Msg }

// work runs cmd as work the keyboard waits for (a sale, a park, a
// lookup): keys typed meanwhile queue in the root and are replayed in
// order once its result is in. The count goes up here and down in the
// root when the wrapped result arrives, never by hand.
func (c *common) work(cmd tea.Cmd) tea.Cmd {
	c.busy++
	return func() tea.Msg { return busyMsg{cmd()} }
}

// ask opens a dialog over the active screen.
func (c *common) ask(d dialog) { c.asked = d }

func (c *common) shop() receipt.Shop {
	return receipt.Shop{Name: c.deps.Shop, Currency: c.deps.Currency, Loc: c.deps.Loc,
		P: c.rp, Second: c.deps.ReceiptLang.Second, Alt: c.ix.Alt}
}

func (c *common) money(v pos.Money) string  { return receipt.Money(v, c.deps.Currency) }
func (c *common) amount(v pos.Money) string { return receipt.Amount(v, c.deps.Currency) }

// info shows the cashier a message: format is a catalog key, translated
// and formatted with a.
func (c *common) info(format string, a ...any) {
	c.msg, c.msgErr = c.t(format, a...), false
}

// fail shows the cashier a short message, the catalog key what
// translated and formatted with a, and logs it in English with the
// details.
func (c *common) fail(what string, err error, a ...any) {
	c.msg, c.msgErr = c.t(what, a...), true
	if err != nil {
		if len(a) > 0 {
			what = fmt.Sprintf(what, a...)
		}
		c.deps.Log.Error(what, "err", err)
	}
}

// hold rings the terminal bell and shows what as a warning that stays
// until the cashier acts (the sell screen's esc, or any key other than
// typing): the next scan must not wipe it away unseen. format is a
// catalog key, translated and formatted with a.
func (c *common) hold(format string, a ...any) tea.Cmd {
	what := c.t(format, a...)
	c.held = what
	c.msg, c.msgErr = what, true
	return tea.Raw("\a")
}

// Results every screen shares.
type (
	catalogMsg struct {
		ix  *search.Index
		err error
	}
	outboxMsg struct {
		total int // every record waiting: sales, refunds, Z reports
		err   error
	}
	stockMsg struct{ goods []pos.Product }
	savedMsg struct {
		path string
		err  error
	}
)

// Catalog is the goods in the terminal's database.
type Catalog interface {
	Products() ([]pos.Product, error)
	Lookup(code string) (pos.Product, error)
}

// Outbox counts what head office has not had yet.
type Outbox interface {
	OutboxCounts() (sales, total int, err error)
	SyncStatus() (pos.SyncStatus, error)
}

// loadGCPercent is the collector's percentage while the catalog loads in
// a counter given Deps.GCPercent: the load makes little garbage (the goods
// and their index are kept), and at Go's default the collector ran five
// or six times over the growing catalog, 10% of the load's CPU
// (BenchmarkFirstFrame with GOGC=400 vs 100). The peak stays under
// 150 MB with 100,000 goods (BenchmarkMemory100kGoods).
const loadGCPercent = 400

func (c *common) loadCatalog() tea.Cmd {
	var st Catalog = c.deps.Store
	counter := c.deps.GCPercent > 0
	return func() tea.Msg {
		if counter {
			debug.SetGCPercent(loadGCPercent) // settleHeap sets the day's
		}
		goods, err := st.Products()
		if err != nil {
			return catalogMsg{err: err}
		}
		return catalogMsg{ix: search.New(goods)}
	}
}

// settleHeap sets the collector for the counter's day once the catalog
// is in (see Deps.GCPercent) and gives the load's garbage back.
func settleHeap(gcPercent int) tea.Cmd {
	if gcPercent <= 0 {
		return nil
	}
	return func() tea.Msg {
		debug.SetGCPercent(gcPercent)
		debug.FreeOSMemory()
		return nil
	}
}

func (c *common) countOutbox() tea.Cmd {
	var st Outbox = c.deps.Store
	return func() tea.Msg {
		_, total, err := st.OutboxCounts()
		return outboxMsg{total: total, err: err}
	}
}

// refreshStock rereads the goods a sale or refund touched.
func (c *common) refreshStock(skus []string) tea.Cmd {
	var st Catalog = c.deps.Store
	return func() tea.Msg {
		var out []pos.Product
		for _, s := range skus {
			if p, err := st.Lookup(s); err == nil {
				out = append(out, p)
			}
		}
		return stockMsg{goods: out}
	}
}

// saveText writes a receipt or report into the receipts directory.
func (c *common) saveText(name, text string) tea.Cmd {
	dir := c.deps.ReceiptDir
	return func() tea.Msg {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return savedMsg{err: err}
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return savedMsg{err: err}
		}
		return savedMsg{path: path}
	}
}

// update applies the results that belong to no one screen. The active
// screen sees every result afterwards too.
func (c *common) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case catalogMsg:
		c.loaded = true
		if msg.err != nil {
			c.ix = search.New(nil)
			c.fail("Could not load the goods; scanning still looks them up one by one.", msg.err)
			return nil
		}
		c.ix = msg.ix
		return settleHeap(c.deps.GCPercent)
	case outboxMsg:
		if msg.err != nil {
			c.deps.Log.Error("count outbox", "err", msg.err)
			return nil
		}
		c.unsent = msg.total
	case stockMsg:
		for _, p := range msg.goods {
			c.ix.Update(p)
		}
	case savedMsg:
		if msg.err != nil {
			c.fail("Could not save the file.", msg.err)
			return nil
		}
		c.info("Saved to %s", msg.path)
	case syncProgressMsg, syncDoneMsg, syncTickMsg, syncStatusMsg:
		return c.syncResult(msg)
	case checkTickMsg, checkMsg, clockMsg:
		return c.watchResult(msg)
	case printedMsg, kickedMsg:
		c.hardwareResult(msg)
	}
	return nil
}

func cloneCart(c pos.Cart) pos.Cart {
	c.Lines = append([]pos.Line(nil), c.Lines...)
	return c
}
