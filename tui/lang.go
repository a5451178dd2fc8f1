package tui

import (
	"charm.land/bubbles/v2/key"
	"github.com/tillpos/till/i18n"
)

// The counter speaks the shop's language through the message catalog
// (package i18n). Every string the cashier reads is a key there, written
// in English where it is used: c.t("Scan or type"), c.t("%d goods", n);
// a string kept in a table and translated later is marked i18n.N("...").
// i18n's test walks this package for those calls and fails when a key is
// missing from a language. Log lines stay English.

// t translates key into the counter's language and, given arguments,
// formats it as fmt.Sprintf does.
func (c *common) t(key string, args ...any) string { return c.p.T(key, args...) }

// helpIn is bindings with their help text in the counter's language:
// every binding's help (keys.go, named) is a catalog key, translated
// where the help is drawn, so a screen builds its bindings in English.
func (c *common) helpIn(bs []key.Binding) []key.Binding {
	out := make([]key.Binding, len(bs))
	for i, b := range bs {
		h := b.Help()
		b.SetHelp(h.Key, c.t(h.Desc))
		out[i] = b
	}
	return out
}

// fullHelpIn is helpIn for the full help's columns.
func (c *common) fullHelpIn(groups [][]key.Binding) [][]key.Binding {
	out := make([][]key.Binding, len(groups))
	for i, g := range groups {
		out[i] = c.helpIn(g)
	}
	return out
}

// domainWords are words the counter shows as the domain or the receipt
// package writes them, in English, translated with c.t where shown: the
// wallets' and schemes' names (receipt.ProviderName), a wallet refund's
// state, the receipt states of the sales list.
var domainWords = []string{
	i18n.N("Alipay"), i18n.N("WeChat Pay"), i18n.N("QR code"), i18n.N("QR (simulator)"),
	i18n.N("pending"), i18n.N("processing"), i18n.N("refunded"), i18n.N("failed"),
	i18n.N("QR (shop's code)"),
	// pos/printer's problems (printer.ProblemOf).
	i18n.N("printer is off or not reachable"), i18n.N("printer did not answer in time"), i18n.N("printer is unplugged"),
	i18n.N("no permission to use the printer (add the user to the lp or dialout group)"),
	i18n.N("printer stopped in the middle of the receipt"), i18n.N("receipt could not be printed"),
	i18n.N("printer is out of paper"), i18n.N("printer cover is open"), i18n.N("printer is offline"),
	i18n.N("printer reports an error (cutter jammed?)"),
	// sync/client's explanations (Problem.Explain).
	i18n.N("Head office has everything."),
	i18n.N("Head office cannot be reached; the sales are safe here and will be sent later."),
	i18n.N("Head office refused this terminal's credential (revoked or wrong): ask head office to enrol it again. The sales are safe here."),
	i18n.N("Head office's certificate is not the one this terminal trusts: check ca_file in [hq]. The sales are safe here."),
	i18n.N("Head office refused what this terminal sent: call support. The sales are safe here."),
	i18n.N("Sync was stopped; the sales are safe here and will be sent later."),
	i18n.N("Sync did not finish (see the log); the sales are safe here and will be sent later."),
	// staff.Reasons, the approval reasons to pick from.
	i18n.N("damaged goods"), i18n.N("customer complaint"), i18n.N("price match"), i18n.N("staff error"), i18n.N("manager's decision"),
}

// nameOf is goods' name in the counter's language: a Chinese counter
// names the demo shop's goods by their Chinese alt name.
func (c *common) nameOf(sku, name string) string {
	first, _ := i18n.Names(c.p.Lang(), name, c.ix.Alt(sku))
	return first
}
