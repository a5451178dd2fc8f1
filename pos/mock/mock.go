// Package mock holds function-field fakes of the stores the domain's
// users declare, for tests where a real bbolt file is not the point: set
// the functions a test expects to be called, and a call to any other
// panics, naming it.
package mock

import (
	"reflect"
	"time"

	"github.com/tillpos/till/pos"
)

// Store fakes the terminal store a register sells through
// (register.Store).
type Store struct {
	IdentityFn      func() pos.Identity
	CompleteSaleFn  func(*pos.Sale) error
	RefundFn        func(saleID string, build func(pos.Sale, map[int]int64) (pos.Refund, error)) (pos.Refund, error)
	ParkFn          func(pos.Parked) error
	UnparkFn        func(id string) (pos.Parked, error)
	TakeZFn         func(now time.Time, loc *time.Location, counted *pos.Money) (pos.Report, error)
	CreatePaymentFn func(pos.Payment) error
	UpdatePaymentFn func(id string, change func(*pos.Payment) error) (pos.Payment, error)
	PaymentFn       func(id string) (pos.Payment, error)
	RecordDrawerFn  func(pos.DrawerEvent) error
	CheckZFn        func(now time.Time, loc *time.Location) error
}

func must[F any](fn F, name string) F {
	if reflect.ValueOf(fn).IsNil() {
		panic("mock.Store: unexpected call to " + name)
	}
	return fn
}

func (s *Store) Identity() pos.Identity { return must(s.IdentityFn, "Identity")() }

func (s *Store) CompleteSale(sale *pos.Sale) error {
	return must(s.CompleteSaleFn, "CompleteSale")(sale)
}

func (s *Store) Refund(saleID string, build func(pos.Sale, map[int]int64) (pos.Refund, error)) (pos.Refund, error) {
	return must(s.RefundFn, "Refund")(saleID, build)
}

func (s *Store) Park(p pos.Parked) error { return must(s.ParkFn, "Park")(p) }

func (s *Store) Unpark(id string) (pos.Parked, error) { return must(s.UnparkFn, "Unpark")(id) }

func (s *Store) TakeZ(now time.Time, loc *time.Location, counted *pos.Money) (pos.Report, error) {
	return must(s.TakeZFn, "TakeZ")(now, loc, counted)
}

func (s *Store) CreatePayment(p pos.Payment) error {
	return must(s.CreatePaymentFn, "CreatePayment")(p)
}

func (s *Store) UpdatePayment(id string, change func(*pos.Payment) error) (pos.Payment, error) {
	return must(s.UpdatePaymentFn, "UpdatePayment")(id, change)
}

func (s *Store) Payment(id string) (pos.Payment, error) { return must(s.PaymentFn, "Payment")(id) }

func (s *Store) RecordDrawer(ev pos.DrawerEvent) error {
	return must(s.RecordDrawerFn, "RecordDrawer")(ev)
}

func (s *Store) CheckZ(now time.Time, loc *time.Location) error {
	return must(s.CheckZFn, "CheckZ")(now, loc)
}
