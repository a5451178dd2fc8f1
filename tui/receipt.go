package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// receiptScreen shows the slip of a sale or refund just saved. Typing or
// scanning starts the next sale at once.
type receiptScreen struct {
	c      *common
	text   string // the slip
	name   string // the file ctrl+s saves it to
	scroll int
	sale   *pos.Sale   // the sale, for the customer display and ctrl+p
	refund *pos.Refund // the refund, for ctrl+p
}

// saleDone shows the receipt of a sale just committed, or says it was
// not, staying on from.
func saleDone(c *common, from screen, msg saleDoneMsg) (screen, tea.Cmd) {
	if msg.err != nil {
		c.fail("The sale was NOT saved; nothing was charged. Try again.", msg.err)
		return from, nil
	}
	s := msg.sale
	r := &receiptScreen{c: c, text: receipt.Sale(s, c.shop()), name: fmt.Sprintf("receipt-%06d.txt", s.Receipt), sale: &s}
	skus := make([]string, len(s.Lines))
	for i, l := range s.Lines {
		skus[i] = l.SKU
	}
	c.newCart()
	if s.Change > 0 {
		c.info("Sale %d saved. CHANGE %s", s.Receipt, c.money(s.Change))
	} else {
		c.info("Sale %d saved.", s.Receipt)
	}
	// Printed only now, after the commit, and never waited for.
	return r, tea.Batch(c.countOutbox(), c.refreshStock(skus), c.printSale(s, r.text))
}

// refundDone shows the slip of a refund or void just committed, or says
// it was not, staying on from.
func refundDone(c *common, from screen, msg refundDoneMsg) (screen, tea.Cmd) {
	if msg.err != nil {
		c.fail("The refund was NOT saved; pay nothing back. %s", msg.err, c.t(shortErr(msg.err)))
		return from, nil
	}
	r := msg.r
	s := &receiptScreen{c: c, text: receipt.Refund(r, c.shop()), name: fmt.Sprintf("refund-%06d.txt", r.Receipt), refund: &r}
	var words []string
	for _, t := range r.Tenders {
		if t.Kind == pos.Cash {
			words = append(words, c.t("PAY BACK %s in cash", c.money(t.Amount)))
		}
	}
	for _, w := range msg.parts {
		words = append(words, c.t("%s to the %s wallet %s", c.money(w.Amount), c.t(receipt.ProviderName(w.Provider, c.shop())), walletStateWords(c, w)))
	}
	c.info("%s %d saved. %s", kindWord(c, r.Kind), r.Receipt, strings.Join(words, c.t("; ")))
	if len(msg.parts) > 0 {
		c.msgErr = !walletAllSent(msg.parts)
	}
	skus := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		skus[i] = l.SKU
	}
	return s, tea.Batch(c.countOutbox(), c.refreshStock(skus), c.printRefund(r, s.text))
}

// walletStateWords says how far a wallet refund has got, for the
// cashier: whether to tell the customer it is done.
func walletStateWords(c *common, w pos.WalletRefund) string {
	switch w.State {
	case pos.WalletRefunded:
		return c.t("done")
	case pos.WalletProcessing:
		return c.t("on its way (the provider accepted it)")
	case pos.WalletFailed:
		return c.t("FAILED: %s Pay it in cash or call the provider", w.Problem)
	}
	// Why is on the reports screen, which lists it until it is done.
	return c.t("NOT SENT YET: see f9 reports")
}

// walletAllSent reports that every wallet part was accepted or done.
func walletAllSent(parts []pos.WalletRefund) bool {
	for _, w := range parts {
		if w.State != pos.WalletProcessing && w.State != pos.WalletRefunded {
			return false
		}
	}
	return true
}

func (s *receiptScreen) title() string { return s.c.t("Receipt") }

// receiptNo is the number of the sale or refund shown.
func (s *receiptScreen) receiptNo() uint64 {
	switch {
	case s.sale != nil:
		return s.sale.Receipt
	case s.refund != nil:
		return s.refund.Receipt
	}
	return 0
}

// typing: any text starts the next sale, so '?' is text here.
func (s *receiptScreen) typing() bool { return true }

type receiptKeys struct{ enter, save, reprint, back, up, down key.Binding }

func (s *receiptScreen) keys() receiptKeys {
	k := &s.c.keys
	return receiptKeys{
		enter:   named(k.Enter, "enter/scan", "next sale"),
		save:    k.Save,
		reprint: on(k.Reprint, s.c.printing()),
		back:    named(k.Back, "esc", "next sale"),
		up:      named(k.Up, "↑↓", "scroll"),
		down:    k.Down,
	}
}

func (s *receiptScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.enter, k.save, k.reprint, k.up, k.back, s.c.keys.HelpF1}
}
func (s *receiptScreen) FullHelp() [][]key.Binding { return fullHelp(s.ShortHelp(), s.c.keys.Quit) }

func (s *receiptScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	keys := s.keys()
	switch {
	case key.Matches(k, keys.up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(k, keys.down):
		s.scroll = min(s.scroll+1, max(0, len(joinLines(s.text))-1))
	case key.Matches(k, keys.save):
		return s, s.c.saveText(s.name, s.text)
	case key.Matches(k, keys.reprint):
		// Printed again as a COPY: the first may have come out in part.
		rec := pos.Receipted{Sale: s.sale, Refund: s.refund, Receipt: s.receiptNo()}
		return s, s.c.reprint(rec.Receipt, func() tea.Cmd {
			s.c.info("Printing a copy…")
			return s.c.printCopy(rec, "ctrl+p")
		})
	case key.Matches(k, keys.enter), key.Matches(k, keys.back):
		return newSell(s.c), nil
	case k.Text != "":
		// Typing or scanning starts the next sale at once.
		return newSell(s.c).update(k)
	}
	return s, nil
}

func (s *receiptScreen) view(w, h int) []string {
	lines := joinLines(s.text)
	pad := max(0, (w-receipt.Width)/2)
	rows := h
	if len(lines) > h {
		rows = h - 1 // the last row says there is more
	}
	s.scroll = min(s.scroll, max(0, len(lines)-rows))
	out := make([]string, 0, h)
	for _, l := range lines[s.scroll:min(len(lines), s.scroll+rows)] {
		out = append(out, strings.Repeat(" ", pad)+l)
	}
	if len(lines) > h {
		out = append(out, s.c.st.dim.Render(fit(strings.Repeat(" ", pad)+s.c.t("── %d more below, %d above: ↑↓ scroll, ctrl+s saves it ──",
			len(lines)-s.scroll-rows, s.scroll), w)))
	}
	return out
}

// shortErr keeps the domain's reason for refusals a cashier can act on.
func shortErr(err error) string {
	if errors.Is(err, pos.ErrOverRefund) {
		return i18n.N("More than was sold would go back.")
	}
	return ""
}
