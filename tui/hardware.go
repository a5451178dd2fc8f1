package tui

import (
	"context"
	"reflect"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/display"
	"github.com/tillpos/till/pos/escpos"
	"github.com/tillpos/till/pos/printer"
	"github.com/tillpos/till/tui/receipt"
)

// The counter's hardware: the receipt printer (which also opens the cash
// drawer) and the display facing the customer. Both are optional.
//
// A receipt is printed only after its sale is committed, in a command
// that is never work the keys wait for: a printer that is off, out of
// paper or unplugged is named on the message line, and the receipt can
// be printed again as a COPY from the sale (f8, ctrl+s).

// Printer prints slips and opens the cash drawer. *printer.Printer
// satisfies it. Print kicks the drawer when the document says so
// (printer.Receipt sets it on a cash tender); Kick opens it alone.
type Printer interface {
	Print(ctx context.Context, doc escpos.Document) error
	Kick(ctx context.Context, why printer.Reason, who string) error
}

// Display shows the customer what the counter is doing. Publish must
// never block: *display.Publisher satisfies it.
type Display interface {
	Publish(s display.Snapshot)
}

// printedMsg is the result of a print job: what it was and the key that
// prints it again, for the message line, and, for a sale or refund just
// saved, what the message line said then (a failure is added to that
// rather than wiping it, so CHANGE stays in view).
type printedMsg struct {
	what, again string
	said        string
	confirm     bool // say it printed (a copy asked for)
	err         error
}

// kickedMsg is the result of opening the drawer alone.
type kickedMsg struct {
	why printer.Reason
	err error
}

// printing reports whether a printer is configured.
func (c *common) printing() bool { return c.deps.Printer != nil }

// print sends doc to the printer in the background. For a failure, what
// names it ("Receipt 000012"), again is the key that prints it again
// there, and said, if set, is the message it joins. Nil without a
// printer.
func (c *common) print(doc escpos.Document, what, again, said string) tea.Cmd {
	p := c.deps.Printer
	if p == nil {
		return nil
	}
	ctx := c.deps.Ctx
	return func() tea.Msg {
		return printedMsg{what: what, again: again, said: said, confirm: doc.Copy, err: p.Print(ctx, doc)}
	}
}

// kick opens the cash drawer alone (paid in, paid out, no sale). Nil
// without a printer.
func (c *common) kick(why printer.Reason, who string) tea.Cmd {
	p := c.deps.Printer
	if p == nil {
		return nil
	}
	ctx := c.deps.Ctx
	return func() tea.Msg { return kickedMsg{why: why, err: p.Kick(ctx, why, who)} }
}

// printSale prints a committed sale's receipt, kicking the drawer on a
// cash tender.
func (c *common) printSale(s pos.Sale, text string) tea.Cmd {
	return c.print(printer.Receipt(s, text, c.deps.Shop), c.t("Receipt %06d", s.Receipt), "ctrl+p", c.msg)
}

// printRefund prints a committed refund's slip, kicking the drawer when
// money goes back in cash.
func (c *common) printRefund(r pos.Refund, text string) tea.Cmd {
	return c.print(printer.Refund(r, text, c.deps.Shop), c.t("%s slip %06d", kindWord(c, r.Kind), r.Receipt), "ctrl+p", c.msg)
}

// printReport prints an X or Z report; ctrl+s on the reports screen
// prints it again.
func (c *common) printReport(r pos.Report, text string) tea.Cmd {
	what := c.t("X report")
	if r.Kind == pos.ZReport {
		what = c.t("Z report %d", r.Number)
	}
	return c.print(printer.Report(r, text, c.deps.Shop), what, "ctrl+s", "")
}

// printCopy prints a stored sale or refund again, marked COPY 重打 with
// the time; a copy never opens the drawer. again is the key that does it.
func (c *common) printCopy(rec pos.Receipted, again string) tea.Cmd {
	shop := c.shop()
	var doc escpos.Document
	switch {
	case rec.Sale != nil:
		doc = printer.Receipt(*rec.Sale, receipt.Sale(*rec.Sale, shop), c.deps.Shop)
	case rec.Refund != nil:
		doc = printer.Refund(*rec.Refund, receipt.Refund(*rec.Refund, shop), c.deps.Shop)
	default:
		return nil
	}
	return c.print(printer.Reprint(doc, c.deps.Now()), c.t("Copy of %06d", rec.Receipt), again, "")
}

// hardwareResult says what became of a print job or a drawer kick. The
// details are in the log (the printer logs every job and kick).
func (c *common) hardwareResult(msg tea.Msg) {
	switch msg := msg.(type) {
	case printedMsg:
		if msg.err == nil {
			if msg.confirm {
				c.info("%s printed.", msg.what)
			}
			return
		}
		// What the cashier saw when it was sent (the change) stays first.
		if c.msg == msg.said && msg.said != "" && !c.msgErr {
			c.fail("%s NOT PRINTED: %s (%s prints it again).", msg.err, msg.said, c.t(string(printer.ProblemOf(msg.err))), msg.again)
			return
		}
		c.fail("%s NOT printed: %s (%s prints it again).", msg.err, msg.what, c.t(string(printer.ProblemOf(msg.err))), msg.again)
	case kickedMsg:
		if msg.err == nil {
			return
		}
		c.fail("The drawer did not open: %s. Open it with its key.", msg.err, c.t(string(printer.ProblemOf(msg.err))))
	}
}

// customerShower is a screen with its own view for the customer (the
// pay screen's QR code, the receipt's "paid, thank you"). Other screens
// show the cart.
type customerShower interface {
	customer(cart display.Snapshot) (display.Snapshot, bool)
}

// showCustomer publishes what the customer should see now, if it changed.
// The root calls it after every update, so every change of the cart, of
// the payment and of the sale reaches the display, whichever screen or
// result made it.
func (c *common) showCustomer(active screen) {
	d := c.deps.Display
	if d == nil {
		return
	}
	shop, cur := c.deps.Shop, c.deps.Currency
	snap := display.Welcome(shop, cur)
	if len(c.cart.Lines) > 0 {
		t, err := pos.Price(c.cart, c.deps.TaxIncluded)
		if err != nil {
			return // the sell screen says so; the display keeps the last good state
		}
		snap = display.Scanning(shop, cur, t)
		snap.Due = pos.RoundCash(snap.Due, cur.CashStep)
	}
	if cs, ok := active.(customerShower); ok {
		if s, ok := cs.customer(snap); ok {
			snap = s
		}
	}
	if c.shown != nil && reflect.DeepEqual(*c.shown, snap) {
		return
	}
	c.shown = &snap
	d.Publish(snap)
}

// customer: while the QR code can be paid, the customer sees it too.
func (s *payScreen) customer(cart display.Snapshot) (display.Snapshot, bool) {
	if s.code || s.late || s.unconfirmed() || s.p.State.Final() || s.p.Payload == "" {
		return cart, false
	}
	return display.Paying(cart, s.p.Amount, s.p.Payload, providerName(s.p.Provider)), true
}

// customer: a sale just saved shows "paid, thank you" and the change.
func (s *receiptScreen) customer(display.Snapshot) (display.Snapshot, bool) {
	if s.sale == nil {
		return display.Snapshot{}, false
	}
	return display.Done(s.c.deps.Shop, s.c.deps.Currency, *s.sale), true
}
