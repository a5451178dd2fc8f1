package pos

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/pos/staff"
)

// TenderKind is how a customer pays.
type TenderKind string

const (
	Cash TenderKind = "cash"
	QR   TenderKind = "qr"
)

// Tender is one payment towards a sale.
type Tender struct {
	Kind   TenderKind `json:"kind"`
	Amount Money      `json:"amount"` // applied to the sale
	// Given and Change are for cash: what the customer handed over and
	// what went back. Amount = Given - Change.
	Given  Money `json:"given,omitempty"`
	Change Money `json:"change,omitempty"`
	// For QR and other electronic tenders: the provider ("emvqr",
	// "alipay", "wechat"), the payment record and its reference at the
	// provider, and who confirmed it ("provider" or "cashier") when.
	Provider    string    `json:"provider,omitempty"`
	Label       string    `json:"label,omitempty"` // the static code's label, for "static"
	PaymentID   string    `json:"payment_id,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	ConfirmedBy string    `json:"confirmed_by,omitempty"`
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
}

// Sale is a completed, paid sale as stored and synced.
type Sale struct {
	ID       string `json:"id"`
	Receipt  uint64 `json:"receipt"` // gapless per terminal, set by the store
	Terminal string `json:"terminal"`
	Cashier  string `json:"cashier"`
	// CashierID is the logged-in staff member's ID; empty on a till with
	// no staff, where Cashier is the configured name.
	CashierID string    `json:"cashier_id,omitempty"`
	Currency  string    `json:"currency"`
	Started   time.Time `json:"started"`
	At        time.Time `json:"at"` // completed
	Totals
	// Rounding is the cash rounding added to Total (may be negative);
	// Due = Total + Rounding is what the tenders cover.
	Rounding Money    `json:"rounding,omitempty"`
	Due      Money    `json:"due"`
	Tenders  []Tender `json:"tenders"`
	Change   Money    `json:"change,omitempty"`
	// Approvals are the managers' yeses this sale needed (a discount above
	// the cashier's limit, a price override), stored with it.
	Approvals []staff.Approval `json:"approvals,omitempty"`
	// Journal is the sale's journal entry, set by the store; not part of
	// the stored record (the entry's hash covers the record's bytes).
	Journal JournalMark `json:"-"`
}

// JournalMark names a record's journal entry: its sequence and the short
// hash excerpt a receipt prints.
type JournalMark struct {
	Seq     uint64
	Excerpt string
}

// ErrUnderpaid reports tenders that do not cover the sale.
var ErrUnderpaid = errors.New("not enough paid")

// ShortError is an underpaid sale and by how much, so a screen can say
// "¥3.00 short" in the currency rather than a count of minor units. It
// wraps ErrUnderpaid.
type ShortError struct {
	Short    Money // how much more cash is needed, after cash rounding
	Exponent int   // the currency's decimal places, for Error
}

func (e *ShortError) Error() string {
	return fmt.Sprintf("%v: %s short", ErrUnderpaid, e.Short.Format(e.Exponent))
}

func (e *ShortError) Unwrap() error { return ErrUnderpaid }

// NewSaleID returns a globally unique, time-ordered sale ID: a ULID (time
// first, so IDs sort by time) followed by the terminal ID.
func NewSaleID(at time.Time, terminal string, entropy io.Reader) (string, error) {
	id, err := ulid.New(ulid.Timestamp(at), entropy)
	if err != nil {
		return "", fmt.Errorf("sale id: %w", err)
	}
	return id.String() + "-" + terminal, nil
}

// SaleTime returns the time embedded in a sale or refund ID.
func SaleTime(id string) (time.Time, error) {
	if len(id) < ulid.EncodedSize {
		return time.Time{}, fmt.Errorf("bad id %q", id)
	}
	u, err := ulid.ParseStrict(id[:ulid.EncodedSize])
	if err != nil {
		return time.Time{}, fmt.Errorf("bad id %q: %w", id, err)
	}
	return ulid.Time(u.Time()), nil
}

// Settle applies tenders to priced totals. Electronic tenders are applied
// as given and may not exceed the total; what is left must be paid in cash,
// rounded to the currency's cash step, and cash beyond that comes back as
// change. Cash handed over in several goes becomes one cash tender;
// electronic tenders are kept apart, each with its own payment record.
func Settle(t Totals, cashStep Money, tenders []Tender) (due, rounding, change Money, out []Tender, err error) {
	var electronic, given Money
	for _, td := range tenders {
		if td.Amount < 0 || td.Given < 0 || td.Given > MaxAmount || td.Amount > MaxAmount {
			return 0, 0, 0, nil, fmt.Errorf("tender amount out of range")
		}
		switch td.Kind {
		case Cash:
			given += td.Given
		case QR:
			if td.Amount == 0 {
				return 0, 0, 0, nil, errors.New("zero QR payment")
			}
			electronic += td.Amount
			out = append(out, td)
		default:
			return 0, 0, 0, nil, fmt.Errorf("unknown tender %q", td.Kind)
		}
	}
	if electronic > t.Total {
		return 0, 0, 0, nil, fmt.Errorf("electronic payments %d exceed the total %d", electronic, t.Total)
	}
	cashPart := t.Total - electronic
	cashDue := RoundCash(cashPart, cashStep)
	rounding = cashDue - cashPart
	due = t.Total + rounding
	if given < cashDue {
		return 0, 0, 0, nil, &ShortError{Short: cashDue - given}
	}
	if given > 0 {
		if cashDue == 0 {
			return 0, 0, 0, nil, errors.New("cash given but nothing left to pay in cash")
		}
		change = given - cashDue
		out = append(out, Tender{Kind: Cash, Amount: cashDue, Given: given, Change: change})
	}
	return due, rounding, change, out, nil
}

// NewSale prices a cart and settles it with the tenders. The receipt number
// is left for the store to assign when it commits the sale.
func NewSale(id, terminal, cashier string, cur Currency, started, at time.Time, c Cart, taxIncluded bool, tenders []Tender) (Sale, error) {
	if c.Empty() {
		return Sale{}, errors.New("empty cart")
	}
	t, err := Price(c, taxIncluded)
	if err != nil {
		return Sale{}, err
	}
	due, rounding, change, ts, err := Settle(t, cur.CashStep, tenders)
	if se := (*ShortError)(nil); errors.As(err, &se) {
		se.Exponent = cur.Exponent
	}
	if err != nil {
		return Sale{}, err
	}
	return Sale{ID: id, Terminal: terminal, Cashier: cashier, Currency: cur.Code, Started: started, At: at,
		Totals: t, Rounding: rounding, Due: due, Tenders: ts, Change: change}, nil
}
