package tui

import (
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// Messages carrying the results of commands. Each command copies what it
// needs from the model before it is returned, and never touches the model.
type (
	catalogMsg struct {
		ix  *index
		err error
	}
	outboxMsg struct {
		sales int
		err   error
	}
	lookupMsg struct {
		code string
		p    pos.Product
		err  error
	}
	stockMsg    struct{ goods []pos.Product }
	saleDoneMsg struct {
		sale pos.Sale
		err  error
	}
	parkDoneMsg   struct{ err error }
	parkedListMsg struct {
		carts []pos.Parked
		err   error
	}
	unparkMsg struct {
		p   pos.Parked
		err error
	}
	historyMsg struct {
		sales []pos.Sale
		err   error
	}
	saleDetailMsg struct {
		sale     pos.Sale
		refunded map[int]int64
		err      error
	}
	refundDoneMsg struct {
		r   pos.Refund
		err error
	}
	reportMsg struct {
		r   pos.Report
		z   bool
		err error
	}
	savedMsg struct {
		path string
		err  error
	}
)

func (m *Model) loadCatalog() tea.Cmd {
	st := m.d.Store
	return func() tea.Msg {
		goods, err := st.Products()
		if err != nil {
			return catalogMsg{err: err}
		}
		return catalogMsg{ix: newIndex(goods)}
	}
}

func (m *Model) countOutbox() tea.Cmd {
	st := m.d.Store
	return func() tea.Msg {
		sales, _, err := st.OutboxCounts()
		return outboxMsg{sales: sales, err: err}
	}
}

func (m *Model) lookup(code string) tea.Cmd {
	st := m.d.Store
	return m.startBusy(func() tea.Msg {
		p, err := st.Lookup(code)
		return lookupMsg{code: code, p: p, err: err}
	})
}

// refreshStock rereads the goods a sale or refund touched.
func (m *Model) refreshStock(skus []string) tea.Cmd {
	st := m.d.Store
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

func (m *Model) completeCash(given pos.Money) tea.Cmd {
	sl, cart, started := m.d.Seller, cloneCart(m.cart), m.started
	return m.startBusy(func() tea.Msg {
		s, err := sl.Complete(cart, started, []pos.Tender{{Kind: pos.Cash, Given: given}})
		return saleDoneMsg{sale: s, err: err}
	})
}

func (m *Model) saveText(name, text string) tea.Cmd {
	dir := m.d.ReceiptDir
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

func (m *Model) park() tea.Cmd {
	st, sl, cart, at := m.d.Store, m.d.Seller, cloneCart(m.cart), m.d.Now()
	return m.startBusy(func() tea.Msg {
		id, err := sl.NewID()
		if err != nil {
			return parkDoneMsg{err: err}
		}
		return parkDoneMsg{err: st.Park(pos.Parked{ID: id, At: at, Cart: cart})}
	})
}

func (m *Model) listParked() tea.Cmd {
	st := m.d.Store
	return func() tea.Msg {
		c, err := st.ParkedCarts()
		return parkedListMsg{carts: c, err: err}
	}
}

func (m *Model) unpark(id string) tea.Cmd {
	st := m.d.Store
	return m.startBusy(func() tea.Msg {
		p, err := st.Unpark(id)
		return unparkMsg{p: p, err: err}
	})
}

// today is [midnight, next midnight) in the shop's time zone.
func today(now time.Time, loc *time.Location) (time.Time, time.Time) {
	n := now.In(loc)
	from := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 0, 1)
}

func (m *Model) loadHistory() tea.Cmd {
	st := m.d.Store
	from, to := today(m.d.Now(), m.d.Loc)
	return func() tea.Msg {
		s, err := st.SalesBetween(from, to)
		return historyMsg{sales: s, err: err}
	}
}

func (m *Model) loadSale(id string) tea.Cmd {
	st := m.d.Store
	return func() tea.Msg {
		s, err := st.Sale(id)
		if err != nil {
			return saleDetailMsg{err: err}
		}
		r, err := st.Refunded(id)
		return saleDetailMsg{sale: s, refunded: r, err: err}
	}
}

func (m *Model) refund(saleID string, want map[int]int64, kind pos.RefundKind, reason string) tea.Cmd {
	sl := m.d.Seller
	return m.startBusy(func() tea.Msg {
		r, err := sl.Refund(saleID, want, kind, reason)
		return refundDoneMsg{r: r, err: err}
	})
}

func (m *Model) xReport() tea.Cmd {
	st, now, loc := m.d.Store, m.d.Now(), m.d.Loc
	return func() tea.Msg {
		r, err := st.XReport(now, loc)
		return reportMsg{r: r, err: err}
	}
}

func (m *Model) takeZ(counted *pos.Money) tea.Cmd {
	st, now, loc := m.d.Store, m.d.Now(), m.d.Loc
	return m.startBusy(func() tea.Msg {
		r, err := st.TakeZ(now, loc, counted)
		return reportMsg{r: r, z: true, err: err}
	})
}

func cloneCart(c pos.Cart) pos.Cart {
	c.Lines = append([]pos.Line(nil), c.Lines...)
	return c
}

// result applies the result of a command.
func (m *Model) result(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case catalogMsg:
		m.loaded = true
		if msg.err != nil {
			m.ix = newIndex(nil)
			m.fail("Could not load the goods; scanning still looks them up one by one.", msg.err)
			return nil
		}
		m.ix = msg.ix
	case outboxMsg:
		if msg.err != nil {
			m.d.Log.Error("count outbox", "err", msg.err)
			return nil
		}
		m.unsent = msg.sales
	case lookupMsg:
		m.endBusy()
		return m.looked(msg)
	case stockMsg:
		for _, p := range msg.goods {
			m.ix.update(p)
		}
	case saleDoneMsg:
		m.endBusy()
		return m.saleDone(msg)
	case parkDoneMsg:
		m.endBusy()
		if msg.err != nil {
			m.fail("Could not park the cart; it is still here.", msg.err)
			return nil
		}
		m.newCart()
		m.info("Cart parked. f7 lists parked carts.")
	case parkedListMsg:
		if msg.err != nil {
			m.fail("Could not read parked carts.", msg.err)
			return nil
		}
		m.parked, m.pSel = msg.carts, 0
		m.screen = scrParked
	case unparkMsg:
		m.endBusy()
		if msg.err != nil {
			m.fail("Could not resume that cart.", msg.err)
			return nil
		}
		m.cart, m.started, m.line = msg.p.Cart, m.d.Now(), 0
		m.goSell()
		m.info("Cart resumed (%s).", count(len(m.cart.Lines), "line", "lines"))
	case historyMsg:
		return m.historyLoaded(msg)
	case saleDetailMsg:
		return m.detailLoaded(msg)
	case refundDoneMsg:
		m.endBusy()
		return m.refundDone(msg)
	case reportMsg:
		if msg.z {
			m.endBusy()
		}
		return m.reportLoaded(msg)
	case syncProgressMsg, syncDoneMsg, syncTickMsg, syncStatusMsg:
		return m.syncResult(msg)
	case qrMsg:
		return m.qrResult(msg, true)
	case qrPolledMsg:
		return m.qrPolled(msg)
	case qrTickMsg:
		return m.qrTicked(msg)
	case openPaysMsg:
		return m.openPayments(msg)
	case savedMsg:
		if msg.err != nil {
			m.fail("Could not save the file.", msg.err)
			return nil
		}
		m.info("Saved to %s", msg.path)
	}
	return nil
}
