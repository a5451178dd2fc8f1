package tui

import (
	"charm.land/bubbles/v2/key"
)

// keyMap declares every binding once: the counter's key vocabulary. A
// screen takes copies of the ones it uses, enabled for its state (see
// on), so key.Matches ignores the rest and the help line shows only what
// works now. The sell and checkout screens have a text input, so their
// actions are function keys, ctrl-keys, or keys that only act while the
// input is empty; single letters act only on screens without input.
type keyMap struct {
	Help, HelpF1, Quit, Back        key.Binding
	Enter, Up, Down, PgUp, PgDown   key.Binding
	Qty, Plus, Minus, Remove, Clear key.Binding
	LineDisc, CartDisc, Price       key.Binding
	Park, Parked, History, Reports  key.Binding
	Stock, Pay                      key.Binding
	QR, Save                        key.Binding
	All, Refund, Void               key.Binding
	CashBack, Receipt               key.Binding
	XReport, ZReport                key.Binding
	OpenShift, PayIn, PayOut        key.Binding
	NoSale                          key.Binding
	Yes, No                         key.Binding
	QRPaid, QRCancel, QRNew         key.Binding
	QROffline, Exact, Leave         key.Binding
	Refund2Wallet                   key.Binding
	SyncNow, SendWallet             key.Binding
	Reprint                         key.Binding
	Lock, Logout                    key.Binding
}

func newKeyMap() keyMap {
	b := key.NewBinding
	k, h := key.WithKeys, key.WithHelp
	return keyMap{
		Help:       b(k("f1", "?"), h("?/f1", "help")),
		HelpF1:     b(k("f1"), h("f1", "help")),
		Quit:       b(k("ctrl+c"), h("ctrl+c", "quit")),
		Back:       b(k("esc"), h("esc", "back")),
		Enter:      b(k("enter"), h("enter", "open")),
		Up:         b(k("up"), h("↑↓", "move")),
		Down:       b(k("down"), h("↓", "down")),
		PgUp:       b(k("pgup"), h("pgup", "page up")),
		PgDown:     b(k("pgdown"), h("pgdn", "page down")),
		Qty:        b(k("f2"), h("f2", "qty")),
		Plus:       b(k("+"), h("+", "one more")),
		Minus:      b(k("-"), h("-", "one less")),
		Remove:     b(k("delete", "ctrl+d"), h("del", "remove line")),
		Clear:      b(k("ctrl+x"), h("ctrl+x", "clear cart")),
		LineDisc:   b(k("f4"), h("f4", "line disc")),
		CartDisc:   b(k("f5"), h("f5", "cart disc")),
		Price:      b(k("ctrl+r"), h("ctrl+r", "set price")),
		Park:       b(k("f6"), h("f6", "park")),
		Parked:     b(k("f7"), h("f7", "parked")),
		History:    b(k("f8"), h("f8", "sales")),
		Reports:    b(k("f9"), h("f9", "reports")),
		Stock:      b(k("f3"), h("f3", "price/stock")),
		Pay:        b(k("f12"), h("f12", "pay")),
		QR:         b(k("f2"), h("f2", "QR")),
		Save:       b(k("ctrl+s"), h("ctrl+s", "save")),
		All:        b(k("a"), h("a", "all")),
		Refund:     b(k("r"), h("r", "refund")),
		Void:       b(k("v"), h("v", "void")),
		CashBack:   b(k("c"), h("c", "pay back in cash")),
		Receipt:    b(k("p"), h("p", "receipt")),
		XReport:    b(k("x"), h("x", "X report")),
		ZReport:    b(k("z"), h("z", "take Z")),
		OpenShift:  b(k("o"), h("o", "open shift")),
		PayIn:      b(k("i"), h("i", "pay in")),
		PayOut:     b(k("u"), h("u", "pay out")),
		NoSale:     b(k("d"), h("d", "no sale (drawer)")),
		Yes:        b(k("y"), h("y", "yes")),
		No:         b(k("n", "esc"), h("n/esc", "no")),
		QRPaid:     b(k("p"), h("p", "customer paid")),
		QRCancel:   b(k("c"), h("c", "cancel QR")),
		QRNew:      b(k("n"), h("n", "new QR")),
		QROffline:  b(k("e"), h("e", "offline QR")),
		SyncNow:    b(k("s"), h("s", "sync now")),
		SendWallet: b(k("w"), h("w", "send wallet refunds")),
		Reprint:    b(k("ctrl+p"), h("ctrl+p", "print again")),
		// Exact money is a deliberate key: an empty Enter never books cash.
		Exact:         b(k("f10", "ctrl+e"), h("f10", "exact money")),
		Leave:         b(k("l"), h("l", "leave it to the till")),
		Refund2Wallet: b(k("w"), h("w", "refund to wallet")),
		Lock:          b(k("ctrl+l"), h("ctrl+l", "lock")),
		Logout:        b(k("ctrl+o"), h("ctrl+o", "log out")),
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
