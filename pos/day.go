package pos

import "time"

// Day is the business day containing t: [midnight, next midnight) in the
// shop's time zone loc (t's own zone when loc is nil). A day of a
// daylight-saving change is 23 or 25 hours long.
func Day(t time.Time, loc *time.Location) (from, to time.Time) {
	if loc == nil {
		loc = t.Location()
	}
	n := t.In(loc)
	from = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 0, 1)
}
