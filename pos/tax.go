package pos

import (
	"strings"

	"github.com/tillpos/till/internal/errmsg"
)

// Rate is a tax rate or a percentage in basis points: 1300 is 13%.
type Rate int64

// RateScale is the number of basis points in 100%.
const RateScale = 10000

// ParseRate parses "13%", "13", "9.5%" or "0" into basis points exactly.
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	m, err := ParseMoney(t, 2)
	if err != nil {
		return 0, errmsg.Errorf("invalid rate %q: want a percentage like 13%% or 9.5%%", s)
	}
	if m > 100*100 {
		return 0, errmsg.Errorf("invalid rate %q: over 100%%", s)
	}
	return Rate(m), nil
}

// String renders the rate as a percentage, e.g. "13%" or "9.5%".
func (r Rate) String() string {
	s := Money(r).Format(2)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// Percent returns round(m * r), for percentage discounts.
func (r Rate) Percent(m Money) (Money, error) {
	v, err := MulDivRound(int64(m), int64(r), RateScale)
	return Money(v), err
}

// TaxIncluded returns the tax contained in a tax-inclusive amount:
// round(gross * r / (1 + r)).
func (r Rate) TaxIncluded(gross Money) (Money, error) {
	v, err := MulDivRound(int64(gross), int64(r), RateScale+int64(r))
	return Money(v), err
}

// TaxOn returns the tax to add to a tax-exclusive amount: round(net * r).
func (r Rate) TaxOn(net Money) (Money, error) { return r.Percent(net) }
