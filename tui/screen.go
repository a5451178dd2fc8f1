package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// screen is one page of the counter: it holds its own state, keys,
// commands and view, and shares the rest through *common. Only the
// active screen gets keys and results. It navigates by returning the
// next screen from update (itself to stay); it never reaches into
// another screen.
type screen interface {
	// update handles a key or a result of a command. It does no IO:
	// that runs in the commands it returns.
	update(msg tea.Msg) (screen, tea.Cmd)
	// view draws the screen's body, w columns by at most h lines; the
	// root draws the status line above it and the message and help
	// lines below.
	view(w, h int) []string
	// title names the screen in the status line.
	title() string
	// ShortHelp and FullHelp list the screen's bindings, the ones that
	// do not act now disabled.
	help.KeyMap
}

// typing is a screen with a text input: with text typed, '?' is text and
// only f1 opens the help.
type typing interface{ typing() bool }

// fullScreen is a screen that draws the whole terminal itself, with the
// open dialog where it fits (the pay screen: at 80x24 the QR code needs
// the height).
type fullScreen interface {
	full(w, h int, d dialog) string
}

// opener is a result that opens a screen when it arrives (a list that
// was loaded, a payment found waiting at start-up), whatever screen is
// active. It returns nil to stay where the counter is.
type opener interface {
	open(c *common) (screen, tea.Cmd)
}

// menuItem is a screen the sell screen opens with a function key.
type menuItem struct {
	key key.Binding
	// anyCart: the key works with goods in the cart; else only with an
	// empty cart.
	anyCart bool
	open    func(c *common) (screen, tea.Cmd)
}
