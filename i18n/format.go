package i18n

import (
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
)

// symbols are the signs amounts are shown with; another currency shows
// its code.
var symbols = map[string]string{"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "SGD": "S$"}

// Money formats an amount with its currency's sign: "¥12.50", "-¥0.40",
// "CHF 3.00". Both languages write amounts this way (a Chinese receipt
// says ¥12.50, not 12.50元), so it needs no printer.
func Money(m pos.Money, cur pos.Currency) string {
	sym, ok := symbols[cur.Code]
	if !ok {
		sym = cur.Code + " "
	}
	if m < 0 {
		return "-" + sym + (-m).Format(cur.Exponent)
	}
	return sym + m.Format(cur.Exponent)
}

// Money formats an amount with its currency's sign (see Money).
func (p *Printer) Money(m pos.Money, cur pos.Currency) string { return Money(m, cur) }

// Date is a day as the language writes it on a receipt or a report:
// "2026年12月1日", or "2026-12-01" in English.
func (p *Printer) Date(t time.Time) string {
	if p.Lang() == Chinese {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	return t.Format(time.DateOnly)
}

// DateTime is a day and a time to the minute: "2026年12月1日 14:05", or
// "2026-12-01 14:05".
func (p *Printer) DateTime(t time.Time) string {
	return p.Date(t) + " " + t.Format("15:04")
}

// Weekday is the day of the week: "星期二", or "Tuesday".
func (p *Printer) Weekday(t time.Time) string {
	if p.Lang() == Chinese {
		return "星期" + string([]rune("日一二三四五六")[t.Weekday()])
	}
	return t.Weekday().String()
}

// ShortDay is a day in a screen's heading: "Tue 1 Dec", or "12月1日 周二".
func (p *Printer) ShortDay(t time.Time) string {
	if p.Lang() == Chinese {
		return fmt.Sprintf("%d月%d日 周%s", t.Month(), t.Day(), string([]rune("日一二三四五六")[t.Weekday()]))
	}
	return t.Format("Mon 2 Jan")
}

// LongDay is a day with its weekday in a report's title: "Mon 3 Mar
// 2025", or "2025年3月3日 星期一".
func (p *Printer) LongDay(t time.Time) string {
	if p.Lang() == Chinese {
		return p.Date(t) + " " + p.Weekday(t)
	}
	return t.Format("Mon 2 Jan 2006")
}
