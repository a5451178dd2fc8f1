// Package register is the till's one path from a cart to a stored sale:
// the counter screen and the `till sell` command both go through it, so a
// scripted sale is recorded exactly like one rung up by hand.
package register

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

// Store is what a register needs of the terminal's database: each write
// is one transaction that also queues the record for head office.
// *bolt.Store satisfies it; tests may use a fake (see fake_test.go).
type Store interface {
	Identity() pos.Identity
	// CompleteSale stores a paid sale and sets its receipt number.
	CompleteSale(*pos.Sale) error
	// Refund reads the sale and what earlier refunds gave back, calls
	// build with them and stores what it returns, in one transaction.
	Refund(saleID string, build func(sale pos.Sale, already map[int]int64) (pos.Refund, error)) (pos.Refund, error)
	Park(pos.Parked) error
	Unpark(id string) (pos.Parked, error)
	TakeZ(now time.Time, loc *time.Location, counted *pos.Money) (pos.Report, error)
	Payments
	Drawer
}

// Payments keeps QR payments, each a state machine (see pos.Payment).
type Payments interface {
	CreatePayment(pos.Payment) error
	UpdatePayment(id string, change func(p *pos.Payment) error) (pos.Payment, error)
	Payment(id string) (pos.Payment, error)
	OpenPayments() ([]pos.Payment, error)
	// Orders closed, cancelled or reversed stay watched for a while, in
	// case the provider reports them paid after all.
	WatchedPayments() ([]pos.Payment, error)
	Unwatch(id string) error
	MarkLatePaid(id, ref string, at time.Time) (pos.Payment, error)
	LatePayments() ([]pos.Payment, error)
	WalletRefunds
}

// WalletRefunds keeps refunds sent back to the customer's wallet, each
// part stored with its request number before the request is made.
type WalletRefunds interface {
	RefundToWallets(saleID string, build func(sale pos.Sale, already map[int]int64) (pos.Refund, []pos.WalletRefund, error)) (pos.Refund, []pos.WalletRefund, error)
	AddWalletRefund(pos.WalletRefund) error
	UpdateWalletRefund(requestNo string, change func(w *pos.WalletRefund) error) (pos.WalletRefund, error)
	WalletRefund(requestNo string) (pos.WalletRefund, error)
	OpenWalletRefunds() ([]pos.WalletRefund, error)
	WalletRefundsOf(refundID string) ([]pos.WalletRefund, error)
}

// Register sells through a store with the shop's settings.
type Register struct {
	Store       Store
	Currency    pos.Currency
	TaxIncluded bool
	Cashier     string
	Now         func() time.Time
	QR          *QR // nil when the shop takes no QR payments
	// Roles are the shop's staff roles; nil means staff.DefaultRoles.
	Roles staff.Roles

	mu      sync.Mutex
	current *staff.Member // logged in, see Login
	entropy io.Reader
}

// New returns a register using the wall clock and crypto randomness.
func New(s Store, cur pos.Currency, taxIncluded bool, cashier string) *Register {
	return &Register{Store: s, Currency: cur, TaxIncluded: taxIncluded, Cashier: cashier, Now: time.Now,
		entropy: ulid.Monotonic(rand.Reader, 0)}
}

// NewID returns a fresh time-ordered ID embedding this terminal.
func (r *Register) NewID() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return pos.NewSaleID(r.Now(), r.Store.Identity().Terminal, r.entropy)
}

// Complete prices and settles a cart and commits it as a sale. The sale
// is returned only after the commit, with its receipt number.
func (r *Register) Complete(c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error) {
	id, err := r.NewID()
	if err != nil {
		return pos.Sale{}, err
	}
	return r.CompleteAs(id, c, started, tenders)
}

// CompleteAs is Complete with a sale ID chosen earlier, as a QR payment
// does: its order refers to the sale before the sale exists.
func (r *Register) CompleteAs(id string, c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error) {
	return r.complete(id, c, started, tenders, nil, r.Store.CompleteSale)
}

// CompleteAsWith is CompleteAs with approvals, see CompleteWith.
func (r *Register) CompleteAsWith(id string, c pos.Cart, started time.Time, tenders []pos.Tender, approvals []staff.Approval) (pos.Sale, error) {
	return r.complete(id, c, started, tenders, approvals, r.Store.CompleteSale)
}

// CompleteKeyed is Complete for a caller-chosen key (till sell --id),
// stored with the sale in its transaction; a key already used stores
// nothing and wraps bolt.ErrKeyUsed.
func (r *Register) CompleteKeyed(key, request string, c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error) {
	id, err := r.NewID()
	if err != nil {
		return pos.Sale{}, err
	}
	ks, ok := any(r.Store).(keyedStore)
	if !ok {
		return pos.Sale{}, errors.New("this store cannot record a sale key")
	}
	return r.complete(id, c, started, tenders, nil, func(s *pos.Sale) error { return ks.CompleteSaleKeyed(s, key, request) })
}

// keyedStore is a store that records a caller's key with a sale in the
// sale's transaction (bolt.Store does).
type keyedStore interface {
	CompleteSaleKeyed(sale *pos.Sale, key, request string) error
}

func (r *Register) complete(id string, c pos.Cart, started time.Time, tenders []pos.Tender, approvals []staff.Approval, store func(*pos.Sale) error) (pos.Sale, error) {
	name, cid, err := r.cashier()
	if err != nil {
		return pos.Sale{}, err
	}
	if started.IsZero() {
		started = r.Now()
	}
	s, err := pos.NewSale(id, r.Store.Identity().Terminal, name, r.Currency, started, r.Now(), c, r.TaxIncluded, tenders)
	if err != nil {
		return pos.Sale{}, err
	}
	if err := r.gate(append(discountNeeds(s.Totals), overrideNeeds(s.Totals)...), approvals, staff.PriceOverride, staff.RemoveLine); err != nil {
		return pos.Sale{}, fmt.Errorf("sale %s: %w", s.ID, err)
	}
	s.CashierID, s.Approvals = cid, approvals
	// Head office runs the same check on receipt: what fails it is never
	// stored, rather than set aside later.
	if err := s.Check(); err != nil {
		return pos.Sale{}, fmt.Errorf("sale %s: %w", s.ID, err)
	}
	if err := store(&s); err != nil {
		return pos.Sale{}, fmt.Errorf("store sale: %w", err)
	}
	return s, nil
}

// Refund gives back the wanted quantities (sale line index -> qty) of a
// sale; a nil want refunds everything not yet refunded.
func (r *Register) Refund(saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, error) {
	return r.refund(saleID, want, kind, reason, nil)
}

func (r *Register) refund(saleID string, want map[int]int64, kind pos.RefundKind, reason string, approvals []staff.Approval) (pos.Refund, error) {
	name, cid, err := r.cashier()
	if err != nil {
		return pos.Refund{}, err
	}
	voided, err := r.voidedThisPeriod(cid, kind)
	if err != nil {
		return pos.Refund{}, err
	}
	id, err := r.NewID()
	if err != nil {
		return pos.Refund{}, err
	}
	return r.Store.Refund(saleID, func(s pos.Sale, already map[int]int64) (pos.Refund, error) {
		if kind == pos.KindVoid && len(already) > 0 {
			return pos.Refund{}, fmt.Errorf("sale %s is already partly refunded; refund the rest instead of voiding", saleID)
		}
		w := want
		if w == nil {
			w = pos.Remaining(s, already)
		}
		f, err := pos.NewRefund(id, name, kind, r.Now(), s, already, w, r.Currency.CashStep, reason)
		if err != nil {
			return pos.Refund{}, err
		}
		perm := staff.Refund
		if kind == pos.KindVoid {
			perm = staff.Void
		}
		if err := r.gate([]need{{perm, int64(voided + f.Total + f.Rounding)}}, approvals); err != nil {
			return pos.Refund{}, fmt.Errorf("refund of sale %s: %w", saleID, err)
		}
		f.CashierID, f.Approvals = cid, approvals
		if err := f.Check(); err != nil {
			return pos.Refund{}, fmt.Errorf("refund %s: %w", f.ID, err)
		}
		return f, nil
	})
}

// Park puts a cart aside under a fresh time-ordered ID and returns it as
// stored.
func (r *Register) Park(c pos.Cart, note string) (pos.Parked, error) {
	id, err := r.NewID()
	if err != nil {
		return pos.Parked{}, err
	}
	p := pos.Parked{ID: id, At: r.Now(), Note: note, Cart: c}
	if err := r.Store.Park(p); err != nil {
		return pos.Parked{}, fmt.Errorf("park cart: %w", err)
	}
	return p, nil
}

// Unpark takes a parked cart back for selling; it is no longer parked.
func (r *Register) Unpark(id string) (pos.Parked, error) { return r.Store.Unpark(id) }

// TakeZ closes the business period with the cash counted in the drawer
// (nil when it was not counted) and returns the numbered Z report.
func (r *Register) TakeZ(loc *time.Location, counted *pos.Money) (pos.Report, error) {
	if counted != nil {
		if err := pos.CheckCounted(*counted); err != nil {
			return pos.Report{}, err
		}
	}
	return r.Store.TakeZ(r.Now(), loc, counted)
}
