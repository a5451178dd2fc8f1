package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/tui/receipt"
)

// reports shows the X report (the day so far) or a Z report just taken.
type reports struct {
	r       pos.Report
	text    string
	scroll  int
	counted *pos.Money // cash counted before a Z report
}

func (m *Model) openReports() tea.Cmd {
	m.screen = scrReports
	m.rep = reports{}
	return m.xReport()
}

func (m *Model) reportLoaded(msg reportMsg) tea.Cmd {
	if msg.err != nil {
		if msg.z {
			m.fail("The Z report was NOT taken. "+msg.err.Error(), msg.err)
		} else {
			m.fail("Could not work out the report.", msg.err)
		}
		return nil
	}
	m.rep = reports{r: msg.r, text: receipt.Report(msg.r, m.shop())}
	if msg.z {
		m.info("Z report %d stored; the day is closed.", msg.r.Number)
		return tea.Batch(m.countOutbox(), m.startSync())
	}
	return nil
}

func (m *Model) reportsKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Up):
		m.rep.scroll = max(0, m.rep.scroll-1)
	case key.Matches(k, m.keys.Down):
		m.rep.scroll = min(m.rep.scroll+1, strings.Count(m.rep.text, "\n")+24)
	case key.Matches(k, m.keys.XReport):
		m.msg = ""
		return m.xReport()
	case key.Matches(k, m.keys.ZReport):
		m.ask1(promptCounted, "Cash counted in the drawer (enter to skip):")
	case key.Matches(k, m.keys.SyncNow):
		return m.startSync()
	case key.Matches(k, m.keys.Save):
		name := "x-report-" + m.rep.r.TakenAt.In(m.d.Loc).Format("20060102-1504") + ".txt"
		if m.rep.r.Kind == pos.ZReport {
			name = fmt.Sprintf("z-report-%d.txt", m.rep.r.Number)
		}
		return m.saveText(name, m.rep.text)
	case key.Matches(k, m.keys.Back):
		m.goSell()
	}
	return nil
}

func (m *Model) countedCash(text string, p *prompt) {
	m.rep.counted = nil
	if text != "" {
		c, err := pos.ParseMoney(text, m.d.Currency.Exponent)
		if err != nil {
			m.reopen(p, "Type the cash counted, like 512.50, or leave it empty.")
			return
		}
		m.rep.counted = &c
	}
	q := "Take the Z report and close the day?"
	if m.rep.counted != nil {
		q = fmt.Sprintf("Take the Z report with %s counted and close the day?", m.money(*m.rep.counted))
	}
	m.ask(confirmZ, q)
}

func (m *Model) doZ() tea.Cmd { return m.takeZ(m.rep.counted) }

// bars draws sales by hour as a small chart, one row per hour that had
// takings, the bar scaled to the best hour.
func (m *Model) bars(r pos.Report, w int) []string {
	var top pos.Money
	for _, v := range r.ByHour {
		top = max(top, v)
	}
	out := []string{stHead.Render("Sales by hour")}
	if top <= 0 {
		return append(out, stDim.Render("no sales yet"))
	}
	barW := max(4, w-6-12)
	for h, v := range r.ByHour {
		if v == 0 {
			continue
		}
		n := 0
		if v > 0 {
			n = int(int64(v) * int64(barW) / int64(top))
		}
		out = append(out, fmt.Sprintf("%02d ", h)+fit(strings.Repeat("█", max(n, 1)), barW)+right(m.amount(v), 12))
	}
	return out
}

func (m *Model) reportsView(w, h int) []string {
	if m.rep.text == "" {
		return []string{stDim.Render(" Working out the report…")}
	}
	text := joinLines(m.rep.text)
	chart := m.bars(m.rep.r, min(40, max(20, w-receipt.Width-4)))
	if sv := m.syncView(max(20, w-receipt.Width-4)); len(sv) > 0 {
		chart = append(append(sv, ""), chart...)
	}
	var out []string
	if w >= receipt.Width+4+24 {
		// Side by side: report on the left, chart on the right.
		text = text[min(m.rep.scroll, max(0, len(text)-h)):]
		for i := 0; i < h; i++ {
			l, r := "", ""
			if i < len(text) {
				l = text[i]
			}
			if i < len(chart) {
				r = chart[i]
			}
			out = append(out, " "+fit(l, receipt.Width)+"   "+r)
		}
		return out
	}
	all := append(append(text, ""), chart...)
	return all[min(m.rep.scroll, max(0, len(all)-h)):]
}
