package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// dialog is a question over the active screen. It carries what it does:
// the screen that opens it hands it the action to run on an answer, and
// the root only gives it the keys, applies the command it returns and
// closes it when it says so. It draws itself on any screen.
type dialog interface {
	// update takes a key; it returns false once the dialog is done, and
	// the command its action started.
	update(k tea.KeyPressMsg) (open bool, cmd tea.Cmd)
	// frame puts the dialog on a framed screen: a question takes the
	// message line, a prompt the body's last line (where the sell
	// screen's input is).
	frame(body []string, message string, w int) ([]string, string)
	// panel is the dialog as lines of at most w columns for a side
	// panel (the pay screen).
	panel(w int) []string
	help.KeyMap
}

// confirm is a yes/no question; yes runs its action.
type confirm struct {
	c    *common
	text string
	yes  func() tea.Cmd
}

// askYes opens a yes/no question that runs yes on y.
func (c *common) askYes(text string, yes func() tea.Cmd) {
	c.ask(&confirm{c: c, text: text, yes: yes})
}

func (d *confirm) update(k tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case key.Matches(k, d.c.keys.Yes):
		return false, d.yes()
	case key.Matches(k, d.c.keys.No):
		d.c.info("Cancelled.")
		return false, nil
	case key.Matches(k, d.c.keys.Quit):
		return false, nil
	}
	return true, nil
}

func (d *confirm) frame(body []string, _ string, w int) ([]string, string) {
	q := "? " + d.text + d.c.t("  [y/n]")
	if ansi.StringWidth(q) <= w {
		return body, d.c.st.warn.Render(fit(q, w))
	}
	// Too long for the message line (a refund's money, say): its first
	// lines take the body's last rows, so the question is never cut.
	lines := wrapText(q, w)
	above := lines[max(0, len(lines)-1-len(body)) : len(lines)-1]
	for i, l := range above {
		body[len(body)-len(above)+i] = d.c.st.warn.Render(fit(l, w))
	}
	return body, d.c.st.warn.Render(fit(lines[len(lines)-1], w))
}

func (d *confirm) panel(w int) []string {
	var out []string
	for _, l := range wrapText(d.text, w) {
		out = append(out, d.c.st.warn.Render(l))
	}
	return append(out, d.c.t("y yes · n no"))
}

func (d *confirm) ShortHelp() []key.Binding  { return []key.Binding{d.c.keys.Yes, d.c.keys.No} }
func (d *confirm) FullHelp() [][]key.Binding { return fullHelp(d.ShortHelp()) }

// prompt asks for one line of text. Enter hands the trimmed text to its
// action, which either accepts it (and may open the next dialog) or
// gives the reason to try again: the prompt then stays, emptied, with
// the reason on the message line.
type prompt struct {
	c     *common
	label string
	in    lineInput
	enter func(text string) (cmd tea.Cmd, retry string)
	// amount: every key is checked as amount typing (cash.go): letters
	// stay on the screen, refused, and Enter refuses them too.
	amount bool
	// left is what esc says; "" means "Cancelled.". A prompt that leaves
	// something standing (money already paid) says so instead.
	left string
}

// askAmount opens a prompt for an amount (cash, a float, a discount, a
// count): what cannot become an amount is refused as it is typed, and
// the action only ever sees a well-formed amount or nothing.
func (c *common) askAmount(label string, enter func(text string) (tea.Cmd, string)) {
	c.ask(&prompt{c: c, label: label, in: lineInput{limit: 20}, enter: enter, amount: true})
}

// askLine opens a one-line prompt.
func (c *common) askLine(label string, enter func(text string) (tea.Cmd, string)) {
	c.ask(&prompt{c: c, label: label, in: lineInput{limit: 20}, enter: enter})
}

func (p *prompt) update(k tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case key.Matches(k, p.c.keys.Quit):
		return false, nil
	case key.Matches(k, p.c.keys.Back):
		if p.left != "" {
			p.c.info("%s", p.left)
		} else {
			p.c.info("Cancelled.")
		}
		return false, nil
	case key.Matches(k, p.c.keys.Enter):
		if p.amount && strings.TrimSpace(p.in.value) != "" {
			if why := p.c.typingWords(p.in.value); why != "" {
				p.in.reset()
				p.c.fail(why, nil)
				return true, nil
			}
		}
		cmd, retry := p.enter(strings.TrimSpace(p.in.value))
		if retry != "" {
			p.in.reset()
			p.c.fail(retry, nil)
			return true, cmd
		}
		return false, cmd
	}
	if p.in.key(k) && p.amount {
		if why := p.c.typingWords(p.in.value); why != "" {
			p.c.fail(why, nil)
		} else {
			p.c.msg = ""
		}
	}
	return true, nil
}

func (p *prompt) frame(body []string, message string, w int) ([]string, string) {
	if len(body) > 0 {
		body[len(body)-1] = fit(p.in.view(p.c.st, p.label+" ", true), w)
	}
	return body, message
}

func (p *prompt) panel(w int) []string {
	return append(wrapText(p.label, w), p.in.view(p.c.st, "> ", true), p.c.t("enter ok · esc cancel"))
}

func (p *prompt) ShortHelp() []key.Binding {
	return []key.Binding{named(p.c.keys.Enter, "enter", "ok"), named(p.c.keys.Back, "esc", "cancel")}
}
func (p *prompt) FullHelp() [][]key.Binding { return fullHelp(p.ShortHelp()) }
