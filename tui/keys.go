package tui

import (
	"charm.land/bubbles/v2/key"
	"github.com/tillpos/till/i18n"
)

// keyMap declares every binding once: the counter's key vocabulary. A
// screen takes copies of the ones it uses, enabled for its state (see
// on), so key.Matches ignores the rest and the help line shows only what
// works now. The sell and checkout screens have a text input, so their
// actions are function keys, ctrl-keys, or keys that only act while the
// input is empty; single letters act only on screens without input.
type keyMap struct {
	Help, HelpF1, Quit, Back        key.Binding
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

// newKeyMap declares the bindings with their help in p's language (key
// names such as f2 and ctrl+s stay as the keyboard prints them).
func newKeyMap(p *i18n.Printer) keyMap {
	b := key.NewBinding
	k, h := key.WithKeys, key.WithHelp
	return keyMap{
		Help:      b(k("f1", "?"), h("?/f1", p.T("help"))),
		HelpF1:    b(k("f1"), h("f1", p.T("help"))),
		Quit:      b(k("ctrl+c"), h("ctrl+c", p.T("quit"))),
		Back:      b(k("esc"), h("esc", p.T("back"))),
		Enter:     b(k("enter"), h("enter", p.T("open"))),
		Up:        b(k("up"), h("↑↓", p.T("move"))),
		Down:      b(k("down"), h("↓", p.T("down"))),
		Qty:       b(k("f2"), h("f2", p.T("qty"))),
		Plus:      b(k("+"), h("+", p.T("one more"))),
		Minus:     b(k("-"), h("-", p.T("one less"))),
		Remove:    b(k("delete", "ctrl+d"), h("del", p.T("remove line"))),
		Clear:     b(k("ctrl+x"), h("ctrl+x", p.T("clear cart"))),
		LineDisc:  b(k("f4"), h("f4", p.T("line disc"))),
		CartDisc:  b(k("f5"), h("f5", p.T("cart disc"))),
		Park:      b(k("f6"), h("f6", p.T("park"))),
		Parked:    b(k("f7"), h("f7", p.T("parked"))),
		History:   b(k("f8"), h("f8", p.T("sales"))),
		Reports:   b(k("f9"), h("f9", p.T("reports"))),
		Stock:     b(k("f3"), h("f3", p.T("price/stock"))),
		Pay:       b(k("f12"), h("f12", p.T("pay"))),
		QR:        b(k("f2"), h("f2", p.T("QR"))),
		Save:      b(k("ctrl+s"), h("ctrl+s", p.T("save"))),
		All:       b(k("a"), h("a", p.T("all"))),
		Refund:    b(k("r"), h("r", p.T("refund"))),
		Void:      b(k("v"), h("v", p.T("void"))),
		XReport:   b(k("x"), h("x", p.T("X report"))),
		ZReport:   b(k("z"), h("z", p.T("take Z"))),
		Yes:       b(k("y"), h("y", p.T("yes"))),
		No:        b(k("n", "esc"), h("n/esc", p.T("no"))),
		QRPaid:    b(k("p"), h("p", p.T("customer paid"))),
		QRCancel:  b(k("c"), h("c", p.T("cancel QR"))),
		QRNew:     b(k("n"), h("n", p.T("new QR"))),
		QROffline: b(k("e"), h("e", p.T("offline QR"))),
		SyncNow:   b(k("s"), h("s", p.T("sync now"))),
	}
}

// on returns a copy of b, enabled or not; the declared binding is left
// as it is, so a screen's keys are a function of its state alone.
func on(b key.Binding, enabled bool) key.Binding {
	b.SetEnabled(enabled)
	return b
}

// named returns an enabled copy of b with other help text.
func named(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// help is the help binding of a screen: with text typed, '?' is text
// and only f1 opens the help.
func (k *keyMap) help(typing bool) key.Binding {
	if typing {
		return k.HelpF1
	}
	return k.Help
}

// fullHelp groups a screen's short help and its extra bindings into
// columns of five for the full help. Disabled bindings are left out by
// bubbles/help.
func fullHelp(short []key.Binding, extra ...key.Binding) [][]key.Binding {
	var groups [][]key.Binding
	all := append(append([]key.Binding(nil), short...), extra...)
	for len(all) > 0 {
		n := min(5, len(all))
		groups = append(groups, all[:n])
		all = all[n:]
	}
	return groups
}
