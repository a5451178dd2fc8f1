package tui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// recordScreen shows any stored sale's receipt or refund slip in full,
// scrolling, and saves a copy of it: a copy is marked COPY with the time
// it was made, so it never passes for the original (or a second sale).
type recordScreen struct {
	c      *common
	back   screen // where esc goes
	rec    pos.Receipted
	text   string // the receipt as shown: the original, or the copy made
	copied bool
	scroll int
	rows   int // body rows at the last view, for page keys
}

// openRecord shows a stored sale or refund, back returning to back.
func openRecord(c *common, back screen, rec pos.Receipted) *recordScreen {
	c.msg = ""
	return &recordScreen{c: c, back: back, rec: rec, text: receipt.Record(rec, c.shop())}
}

func (s *recordScreen) title() string {
	if s.rec.Refund != nil {
		return s.c.t("%s slip %06d", kindWord(s.c, s.rec.Refund.Kind), s.rec.Receipt)
	}
	return s.c.t("Receipt %06d", s.rec.Receipt)
}

func kindWord(c *common, k pos.RefundKind) string {
	if k == pos.KindVoid {
		return c.t("Void")
	}
	return c.t("Refund")
}

type recordKeys struct{ up, down, pgUp, pgDown, save, back key.Binding }

func (s *recordScreen) keys() recordKeys {
	k := &s.c.keys
	more := len(joinLines(s.text)) > s.rows
	return recordKeys{
		up:     on(named(k.Up, "↑↓", "scroll"), more),
		down:   on(k.Down, more),
		pgUp:   on(k.PgUp, more),
		pgDown: on(k.PgDown, more),
		save:   named(k.Save, "ctrl+s", s.saveWords()),
		back:   k.Back,
	}
}

// saveWords says what the COPY key does: with a printer it prints the
// copy too.
func (s *recordScreen) saveWords() string {
	if s.c.printing() {
		return "print a COPY"
	}
	return "save a COPY"
}

func (s *recordScreen) ShortHelp() []key.Binding {
	k := s.keys()
	return []key.Binding{k.up, k.pgDown, k.save, k.back, s.c.keys.Help}
}
func (s *recordScreen) FullHelp() [][]key.Binding {
	return fullHelp(s.ShortHelp(), s.keys().pgUp, s.c.keys.Quit)
}

func (s *recordScreen) update(msg tea.Msg) (screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	c, keys := s.c, s.keys()
	last := max(0, len(joinLines(s.text))-s.rows)
	switch {
	case key.Matches(k, keys.up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(k, keys.down):
		s.scroll = min(last, s.scroll+1)
	case key.Matches(k, keys.pgUp):
		s.scroll = max(0, s.scroll-max(1, s.rows-1))
	case key.Matches(k, keys.pgDown):
		s.scroll = min(last, s.scroll+max(1, s.rows-1))
	case key.Matches(k, keys.save):
		return s, c.reprint(s.rec.Receipt, func() tea.Cmd {
			// The copy is what is shown and saved, under its own file name.
			now := c.deps.Now()
			orig := receipt.Record(s.rec, c.shop())
			s.text, s.copied, s.scroll = receipt.Copy(orig, now, c.shop()), true, 0
			return tea.Batch(c.saveText(receipt.FileName(s.rec.Receipt, now, c.deps.Loc), s.text), c.printCopy(s.rec, "ctrl+s"))
		})
	case key.Matches(k, keys.back):
		return s.back, nil
	}
	return s, nil
}

func (s *recordScreen) view(w, h int) []string {
	lines := joinLines(s.text)
	s.rows = h
	if len(lines) > h {
		s.rows = h - 1 // the last row says there is more
	}
	s.scroll = min(s.scroll, max(0, len(lines)-s.rows))
	pad := strings.Repeat(" ", max(0, (w-receipt.Width)/2))
	var out []string
	for _, l := range lines[s.scroll:min(len(lines), s.scroll+s.rows)] {
		out = append(out, pad+l)
	}
	if len(lines) > h {
		below := len(lines) - s.scroll - s.rows
		out = append(out, s.c.st.dim.Render(fit(pad+s.c.t("── line %d-%d of %d; ↑↓ pgup pgdn scroll, %d more below ──",
			s.scroll+1, s.scroll+s.rows, len(lines), below), w)))
	}
	return out
}

// Finding a stored sale or refund by what the cashier typed or scanned.

// Receipts finds stored sales and refunds by receipt number or ID.
type Receipts interface {
	ByReceipt(n uint64) (pos.Receipted, error)
	Sale(id string) (pos.Sale, error)
	RefundByID(id string) (pos.Refund, error)
	Refunded(saleID string) (map[int]int64, error)
}

// foundMsg is a refund found by receipt number or ID; a sale found comes
// back as a saleDetailMsg.
type foundMsg struct {
	rec pos.Receipted
	ref string
	err error
}

// findReceipt looks up what the cashier typed or scanned: a receipt
// number ("7", "000007", "#7") or a sale or refund ID (a receipt's
// barcode or QR code).
func findReceipt(c *common, text string) tea.Cmd {
	ref, err := pos.ParseReceiptRef(text)
	if err != nil {
		c.fail("%q is not a receipt number (like 7) or a receipt's barcode.", nil, strings.TrimSpace(text))
		return nil
	}
	var st Receipts = c.deps.Store
	return c.work(func() tea.Msg {
		var rec pos.Receipted
		var err error
		if ref.Number != 0 {
			rec, err = st.ByReceipt(ref.Number)
		} else {
			var s pos.Sale
			if s, err = st.Sale(ref.ID); err == nil {
				rec = pos.Receipted{Receipt: s.Receipt, Sale: &s}
			} else if errors.Is(err, pos.ErrNotFound) {
				var r pos.Refund
				if r, err = st.RefundByID(ref.ID); err == nil {
					rec = pos.Receipted{Receipt: r.Receipt, Refund: &r}
				}
			}
		}
		if err != nil {
			return foundMsg{ref: strings.TrimSpace(text), err: err}
		}
		if rec.Sale != nil {
			already, err := st.Refunded(rec.Sale.ID)
			return saleDetailMsg{sale: *rec.Sale, refunded: already, err: err}
		}
		return foundMsg{rec: rec, ref: text}
	})
}

// found opens a refund found, or says why nothing was, staying on from.
func found(c *common, from screen, msg foundMsg) (screen, tea.Cmd) {
	if msg.err != nil {
		if errors.Is(msg.err, pos.ErrNotFound) {
			c.fail("No sale or refund with receipt %s on this till.", nil, msg.ref)
		} else {
			c.fail("Could not read that receipt; try again.", msg.err)
		}
		return from, nil
	}
	return openRecord(c, from, msg.rec), nil
}
