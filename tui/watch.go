package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
)

// The background payment check: every few seconds (and at start-up) the
// till asks the providers about orders it is closing or withdrawing,
// orders closed a short while ago (a payment may land after the close)
// and wallet refunds not confirmed yet. What it finds comes to the
// screens: a payment that landed after its order was closed opens the
// pay screen, once the counter is free, to be finished or refunded; an
// order left with the till says when it is closed.

// checkEvery is how often the background check runs.
const checkEvery = 5 * time.Second

// PaymentCheck is what one background pass found (register.Check in pos
// types).
type PaymentCheck struct {
	// LatePaid landed after their order was closed: resolve each with
	// CompleteLate or RefundLate.
	LatePaid []pos.Payment
	// Unresolved may still charge the customer (closing or reversing).
	Unresolved []pos.Payment
	// Refunds are wallet refunds not final yet.
	Refunds []pos.WalletRefund
	// Clock warns of a till clock off the provider's; empty when fine.
	Clock string
	// Errors are the providers' failures, for the log.
	Errors []error
}

// PaymentWatch is the background check and the resolution of payments
// that landed late. The register, through an adapter in package main,
// satisfies it.
type PaymentWatch interface {
	CheckPayments(ctx context.Context) (PaymentCheck, error)
	CheckClock(ctx context.Context) (string, error)
	CompleteLate(id string, cashGiven pos.Money) (pos.Sale, error)
	RefundLate(ctx context.Context, id, reason string) (pos.WalletRefund, error)
}

type (
	// checkMsg is one background pass, with the payments still open
	// after it.
	checkMsg struct {
		check PaymentCheck
		still []pos.Payment
		err   error
	}
	checkTickMsg struct{}
	clockMsg     struct {
		warning string
		err     error
	}
	// payCodeMsg is a payment code scanned on the sell screen ("scan to
	// pay" in one step): it opens checkout and charges the code for the
	// whole cart. The sell screen sends it for a scan that
	// pos.ClassifyPayCode knows and the catalog does not.
	payCodeMsg struct{ scan string }
)

// checkPayments runs one background pass. It is not work the keys wait
// for: the cashier goes on selling meanwhile.
func (c *common) checkPayments() tea.Cmd {
	w, st, ctx := c.deps.Watch, c.deps.Store, c.deps.Ctx
	if w == nil {
		return nil
	}
	var ops OpenPayments = st
	return func() tea.Msg {
		chk, err := w.CheckPayments(ctx)
		if err != nil {
			return checkMsg{err: err}
		}
		open, err := ops.OpenPayments()
		return checkMsg{check: chk, still: open, err: err}
	}
}

// checkClock asks the providers for their time once, at start-up.
func (c *common) checkClock() tea.Cmd {
	w, ctx := c.deps.Watch, c.deps.Ctx
	if w == nil {
		return nil
	}
	return func() tea.Msg {
		warning, err := w.CheckClock(ctx)
		return clockMsg{warning: warning, err: err}
	}
}

func (c *common) scheduleCheck() tea.Cmd {
	if c.deps.Watch == nil {
		return nil
	}
	return c.tick(checkEvery, func(time.Time) tea.Msg { return checkTickMsg{} })
}

// watchResult applies a background pass to the shared state.
func (c *common) watchResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case checkTickMsg:
		return c.checkPayments()
	case clockMsg:
		if msg.err != nil {
			c.deps.Log.Warn("provider clock", "err", msg.err)
		}
		c.clock = msg.warning
		if c.clock != "" {
			c.fail(c.clock, nil)
		}
	case checkMsg:
		if msg.err != nil {
			c.deps.Log.Error("payment check", "err", msg.err)
			return c.scheduleCheck()
		}
		for _, err := range msg.check.Errors {
			c.deps.Log.Warn("payment check", "err", err)
		}
		c.clock = msg.check.Clock
		c.late = msg.check.LatePaid
		open := map[string]pos.Payment{}
		for _, p := range msg.still {
			open[p.ID] = p
		}
		var still []pos.Payment
		for _, p := range c.left {
			q, ok := open[p.ID]
			switch {
			case !ok:
				c.info("The %s order for %s left with the till is closed: nothing was charged. Take other money for it.",
					c.t(providerName(p.Provider)), c.money(p.Amount))
			default:
				still = append(still, q)
			}
		}
		c.left = still
		return c.scheduleCheck()
	}
	return nil
}

// open shows a payment the check found needing the cashier: a late one,
// or one left with the till that turned out paid. It waits while a sale
// is being rung up (the cart is not empty): the message line says so.
func (msg checkMsg) open(c *common) (screen, tea.Cmd) {
	if msg.err != nil {
		return nil, nil
	}
	var p pos.Payment
	late := false
	if len(msg.check.LatePaid) > 0 {
		p, late = msg.check.LatePaid[0], true
	} else {
		for i, q := range c.left {
			if q.State == pos.PaymentPaid {
				p = q
				c.left = append(c.left[:i:i], c.left[i+1:]...)
				break
			}
		}
	}
	if p.ID == "" {
		return nil, nil
	}
	if len(c.cart.Lines) > 0 || c.busy > 0 {
		if c.lateSaid != p.ID {
			c.lateSaid = p.ID
			c.fail("%s came in by %s for an earlier cart: finish this sale; it opens next.", nil, c.money(p.Amount), c.t(providerName(p.Provider)))
		}
		if !late {
			c.left = append(c.left, p)
		}
		return nil, nil
	}
	return resume(c, p, late)
}

// open starts charging a payment code scanned on the sell screen.
func (msg payCodeMsg) open(c *common) (screen, tea.Cmd) {
	if len(c.cart.Lines) == 0 {
		c.fail("That is a payment code: scan the goods first, then the code.", nil)
		return nil, nil
	}
	t, err := pos.Price(c.cart, c.deps.TaxIncluded)
	if err != nil {
		c.fail("This cart cannot be priced.", err)
		return nil, nil
	}
	code, kind := pos.ClassifyPayCode(msg.scan)
	if kind == pos.CodeNone {
		return nil, nil
	}
	return startCode(c, openCheckout(c), t.Total, code)
}
