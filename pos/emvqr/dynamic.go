package emvqr

import (
	"fmt"

	"github.com/tillpos/till/internal/errmsg"
)

// Change is one data object Dynamize set: Was is "" for one it added.
type Change struct {
	Path, Was, Now string
}

func (c Change) String() string {
	name := FieldName(c.Path)
	if name != "" {
		name = " (" + name + ")"
	}
	if c.Was == "" {
		return fmt.Sprintf("%s%s added: %q", c.Path, name, c.Now)
	}
	return fmt.Sprintf("%s%s: %q -> %q", c.Path, name, c.Was, c.Now)
}

// Dynamize makes a shop's static EMV code (the payload of the sticker on
// its counter, as PromptPay, VietQR, QRIS, DuitNow, Pix or PayNow issue it)
// into the dynamic code of one sale, as shops in Thailand, Vietnam and
// Indonesia do: point of initiation "12", the amount (54), the bill number
// (62.01) and terminal label (62.07) where the scheme lets an app read
// them, and the CRC recomputed. Every other data object of the sticker is
// kept byte for byte, in its order, and so is a bill number or label the
// sticker already carries in 62. It returns the payload and what it
// changed.
//
// The sticker must be readable, carry a correct CRC and be valid for its
// scheme (Payload.Check); one that fixes an amount of its own is refused,
// since that amount is what the customer's app would pay.
func Dynamize(static string, s Sale) (string, []Change, error) {
	p, err := Parse(static)
	if err != nil {
		return "", nil, err
	}
	if _, err := p.Check(); err != nil {
		return "", nil, err
	}
	if s.Amount <= 0 {
		return "", nil, newErr(ErrAmount, "54", -1, errmsg.Errorf("amount must be positive, got %d minor units", s.Amount))
	}
	if s.Exponent < 0 || s.Exponent > maxExponent {
		return "", nil, newErr(ErrAmount, "54", -1, errmsg.Errorf("currency exponent %d outside 0-%d", s.Exponent, maxExponent))
	}
	if p.Amount != "" {
		if v, err := ParseAmount(p.Amount, s.Exponent); err != nil || v != 0 {
			return "", nil, newErr(ErrAmount, "54", -1, errmsg.Errorf("the code fixes its own amount (%s): it cannot be used for other amounts", p.Amount))
		}
	}
	var changes []Change
	set := func(path string, field *string, v string) {
		if v == "" || *field == v {
			return
		}
		changes = append(changes, Change{Path: path, Was: *field, Now: v})
		*field = v
	}
	// add fills a sub-field of 62 the sticker leaves empty: one it has is
	// the scheme's or the biller's (Pix's "***", a PromptPay bill
	// reference) and stays as it is.
	add := func(path string, field *string, v string) {
		if *field == "" {
			set(path, field, v)
		}
	}
	set("01", &p.PointOfInitiation, "12")
	set("54", &p.Amount, FormatAmount(s.Amount, s.Exponent))
	if sc := p.Scheme(); sc == nil || sc.Additional {
		if (s.BillNumber != "" || s.TerminalLabel != "") && p.AdditionalData == nil {
			p.AdditionalData = &AdditionalData{}
		}
		if a := p.AdditionalData; a != nil {
			add("62.01", &a.BillNumber, s.BillNumber)
			add("62.05", &a.ReferenceLabel, s.ReferenceLabel)
			add("62.07", &a.TerminalLabel, s.TerminalLabel)
		}
	}
	out, err := p.Encode()
	if err != nil {
		return "", nil, err
	}
	q, err := Parse(out)
	if err == nil {
		_, err = q.Check()
	}
	if err != nil {
		return "", nil, fmt.Errorf("the code made dynamic is not valid: %w", err)
	}
	changes = append(changes, Change{Path: "63", Was: static[len(static)-4:], Now: out[len(out)-4:]})
	return out, changes, nil
}
