package tui

import (
	"charm.land/bubbles/v2/key"
)

// keyMap declares every binding once. Screens enable the ones that apply
// (syncKeys), so key.Matches ignores the rest and the help line shows only
// what works now. The sell and checkout screens have a text input, so
// their actions are function keys, ctrl-keys, or keys that only act while
// the input is empty; single letters act only on screens without input.
type keyMap struct {
	Help, Quit, Back                key.Binding
	Enter, Up, Down                 key.Binding
	Qty, Plus, Minus, Remove, Clear key.Binding
	LineDisc, CartDisc              key.Binding
	Park, Parked, History, Reports  key.Binding
	Stock, Pay                      key.Binding
	QR, Save                        key.Binding
	All, Refund, Void               key.Binding
	XReport, ZReport                key.Binding
	Yes, No                         key.Binding
	QRPaid, QRCancel, QRNew         key.Binding
	QROffline                       key.Binding
	SyncNow                         key.Binding
}

func newKeyMap() keyMap {
	b := key.NewBinding
	k, h := key.WithKeys, key.WithHelp
	return keyMap{
		Help:      b(k("f1", "?"), h("?/f1", "help")),
		Quit:      b(k("ctrl+c"), h("ctrl+c", "quit")),
		Back:      b(k("esc"), h("esc", "back")),
		Enter:     b(k("enter"), h("enter", "add")),
		Up:        b(k("up"), h("↑", "up")),
		Down:      b(k("down"), h("↓", "down")),
		Qty:       b(k("f2"), h("f2", "qty")),
		Plus:      b(k("+"), h("+", "one more")),
		Minus:     b(k("-"), h("-", "one less")),
		Remove:    b(k("delete", "ctrl+d"), h("del", "remove line")),
		Clear:     b(k("ctrl+x"), h("ctrl+x", "clear cart")),
		LineDisc:  b(k("f4"), h("f4", "line disc")),
		CartDisc:  b(k("f5"), h("f5", "cart disc")),
		Park:      b(k("f6"), h("f6", "park")),
		Parked:    b(k("f7"), h("f7", "parked")),
		History:   b(k("f8"), h("f8", "sales")),
		Reports:   b(k("f9"), h("f9", "reports")),
		Stock:     b(k("f3"), h("f3", "price/stock")),
		Pay:       b(k("f12"), h("f12", "pay")),
		QR:        b(k("f2"), h("f2", "QR")),
		Save:      b(k("ctrl+s"), h("ctrl+s", "save")),
		All:       b(k("a"), h("a", "all")),
		Refund:    b(k("r"), h("r", "refund")),
		Void:      b(k("v"), h("v", "void")),
		XReport:   b(k("x"), h("x", "X report")),
		ZReport:   b(k("z"), h("z", "take Z")),
		Yes:       b(k("y"), h("y", "yes")),
		No:        b(k("n", "esc"), h("n/esc", "no")),
		QRPaid:    b(k("p"), h("p", "customer paid")),
		QRCancel:  b(k("c"), h("c", "cancel QR")),
		QRNew:     b(k("n"), h("n", "new QR")),
		QROffline: b(k("e"), h("e", "offline QR")),
		SyncNow:   b(k("s"), h("s", "sync now")),
	}
}

func (k *keyMap) all() []*key.Binding {
	return []*key.Binding{&k.Help, &k.Quit, &k.Back, &k.Enter, &k.Up, &k.Down, &k.Qty, &k.Plus, &k.Minus,
		&k.Remove, &k.Clear, &k.LineDisc, &k.CartDisc, &k.Park, &k.Parked, &k.History, &k.Reports,
		&k.Stock, &k.Pay, &k.QR, &k.Save, &k.All, &k.Refund, &k.Void, &k.XReport, &k.ZReport, &k.Yes, &k.No,
		&k.QRPaid, &k.QRCancel, &k.QRNew, &k.QROffline, &k.SyncNow}
}

// helpKeys is what the help line shows: short is one line, full adds the
// rest by group. Disabled bindings are left out by bubbles/help.
type helpKeys struct{ short, extra []key.Binding }

func (h helpKeys) ShortHelp() []key.Binding { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding {
	var groups [][]key.Binding
	all := append(append([]key.Binding(nil), h.short...), h.extra...)
	for len(all) > 0 {
		n := min(5, len(all))
		groups = append(groups, all[:n])
		all = all[n:]
	}
	return groups
}

// syncKeys enables exactly the bindings that act in the current state.
func (m *Model) syncKeys() {
	k := &m.keys
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	k.Quit.SetEnabled(true)
	if m.confirm != nil {
		k.Yes.SetEnabled(true)
		k.No.SetEnabled(true)
		return
	}
	if m.prompt != nil {
		k.Enter.SetEnabled(true)
		k.Enter.SetHelp("enter", "ok")
		k.Back.SetEnabled(true)
		k.Back.SetHelp("esc", "cancel")
		return
	}
	k.Help.SetEnabled(true)
	k.Help.SetKeys("f1", "?")
	k.Help.SetHelp("?/f1", "help")
	k.Back.SetHelp("esc", "back")
	k.Enter.SetHelp("enter", "open")
	k.Up.SetHelp("↑↓", "move")
	k.Up.SetEnabled(true)
	k.Down.SetEnabled(true)
	switch m.screen {
	case scrSell:
		m.syncSellKeys()
	case scrCheckout:
		if m.input.value != "" {
			k.Help.SetKeys("f1")
			k.Help.SetHelp("f1", "help")
		}
		k.Up.SetEnabled(false)
		k.Down.SetEnabled(false)
		k.Enter.SetEnabled(true)
		k.Enter.SetHelp("enter", "cash (empty = exact)")
		k.QR.SetEnabled(true)
		k.Back.SetEnabled(true)
		k.Back.SetHelp("esc", "back to cart")
	case scrReceipt:
		k.Up.SetEnabled(false)
		k.Down.SetEnabled(false)
		k.Help.SetKeys("f1")
		k.Help.SetHelp("f1", "help")
		k.Enter.SetEnabled(true)
		k.Enter.SetHelp("enter/scan", "next sale")
		k.Save.SetEnabled(true)
		k.Back.SetEnabled(true)
		k.Back.SetHelp("esc", "next sale")
	case scrHistory:
		k.Enter.SetEnabled(len(m.hist.sales) > 0)
		k.Back.SetEnabled(true)
	case scrSaleDetail:
		d := &m.detail
		left := d.remaining()
		k.Plus.SetEnabled(left > 0)
		k.Plus.SetHelp("+", "refund one more")
		k.Minus.SetEnabled(d.chosen() > 0)
		k.Minus.SetHelp("-", "one less")
		k.All.SetEnabled(left > 0)
		k.Refund.SetEnabled(d.chosen() > 0)
		k.Void.SetEnabled(len(d.already) == 0 || d.allLeft())
		k.Back.SetEnabled(true)
	case scrReports:
		k.XReport.SetEnabled(true)
		k.ZReport.SetEnabled(true)
		k.ZReport.SetHelp("z", "close the day (Z)")
		k.SyncNow.SetEnabled(m.d.Sync != nil && !m.sync.running)
		k.Save.SetEnabled(m.rep.text != "")
		k.Back.SetEnabled(true)
		k.Up.SetHelp("↑↓", "scroll")
	case scrPay:
		ps := m.pay
		started := ps != nil && ps.p.ID != ""
		waiting := started && !ps.p.State.Final()
		k.Up.SetEnabled(false)
		k.Down.SetEnabled(false)
		k.QRPaid.SetEnabled(waiting && !ps.online())
		k.QRCancel.SetEnabled(waiting)
		k.QRNew.SetEnabled(started && !waiting)
		k.QROffline.SetEnabled(ps != nil && ps.unreachable)
		k.Back.SetEnabled(ps != nil && !waiting)
		k.Back.SetHelp("esc", "back to take cash")
	case scrParked:
		k.Enter.SetEnabled(len(m.parked) > 0)
		k.Enter.SetHelp("enter", "resume")
		k.Back.SetEnabled(true)
	case scrStock:
		k.Help.SetKeys("f1")
		k.Help.SetHelp("f1", "help")
		k.Back.SetEnabled(true)
		k.Up.SetEnabled(len(m.stock.hits) > 0)
		k.Down.SetEnabled(len(m.stock.hits) > 0)
	}
}

func (m *Model) syncSellKeys() {
	k := &m.keys
	empty := m.input.value == ""
	hasLines := len(m.cart.Lines) > 0
	if !empty {
		k.Help.SetKeys("f1")
		k.Help.SetHelp("f1", "help")
	}
	k.Enter.SetEnabled(!empty)
	k.Enter.SetHelp("enter", "add")
	if len(m.sugg) > 0 {
		k.Up.SetHelp("↑↓", "pick")
	} else {
		k.Up.SetEnabled(hasLines)
		k.Down.SetEnabled(hasLines)
		k.Up.SetHelp("↑↓", "line")
	}
	k.Qty.SetEnabled(hasLines)
	k.Plus.SetEnabled(empty && hasLines)
	k.Plus.SetHelp("+", "one more")
	k.Minus.SetEnabled(empty && hasLines)
	k.Minus.SetHelp("-", "one less")
	k.Remove.SetEnabled(hasLines)
	k.Clear.SetEnabled(hasLines)
	k.LineDisc.SetEnabled(hasLines)
	k.CartDisc.SetEnabled(hasLines)
	k.Park.SetEnabled(hasLines)
	k.Parked.SetEnabled(!hasLines)
	k.History.SetEnabled(!hasLines)
	k.Reports.SetEnabled(!hasLines)
	k.Stock.SetEnabled(true)
	k.Pay.SetEnabled(hasLines)
	k.Back.SetEnabled(!empty)
	k.Back.SetHelp("esc", "clear input")
}

// bindings returns the bindings to show for the current state.
func (m *Model) bindings() helpKeys {
	k := m.keys
	if m.confirm != nil {
		return helpKeys{short: []key.Binding{k.Yes, k.No}}
	}
	if m.prompt != nil {
		return helpKeys{short: []key.Binding{k.Enter, k.Back}}
	}
	switch m.screen {
	case scrSell:
		return helpKeys{short: []key.Binding{k.Pay, k.Qty, k.Plus, k.Minus, k.Remove, k.Stock, k.Park, k.Parked,
			k.History, k.Reports, k.Help},
			extra: []key.Binding{k.Enter, k.Up, k.LineDisc, k.CartDisc, k.Clear, k.Back, k.Quit}}
	case scrCheckout:
		return helpKeys{short: []key.Binding{k.Enter, k.QR, k.Back, k.Help}, extra: []key.Binding{k.Quit}}
	case scrReceipt:
		return helpKeys{short: []key.Binding{k.Enter, k.Save, k.Back, k.Help}, extra: []key.Binding{k.Quit}}
	case scrPay:
		return helpKeys{short: []key.Binding{k.QRPaid, k.QRCancel, k.QRNew, k.QROffline, k.Back}, extra: []key.Binding{k.Quit}}
	case scrSaleDetail:
		return helpKeys{short: []key.Binding{k.Up, k.Plus, k.Minus, k.All, k.Refund, k.Void, k.Back, k.Help},
			extra: []key.Binding{k.Quit}}
	case scrReports:
		return helpKeys{short: []key.Binding{k.XReport, k.ZReport, k.SyncNow, k.Save, k.Up, k.Back, k.Help}, extra: []key.Binding{k.Quit}}
	default:
		return helpKeys{short: []key.Binding{k.Up, k.Enter, k.Back, k.Help}, extra: []key.Binding{k.Quit}}
	}
}
