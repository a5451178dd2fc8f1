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

	OpenPaymentsFn       func() ([]pos.Payment, error)
	WatchedPaymentsFn    func() ([]pos.Payment, error)
	UnwatchFn            func(id string) error
	MarkLatePaidFn       func(id, ref string, at time.Time) (pos.Payment, error)
	LatePaymentsFn       func() ([]pos.Payment, error)
	RefundToWalletsFn    func(saleID string, build func(pos.Sale, map[int]int64) (pos.Refund, []pos.WalletRefund, error)) (pos.Refund, []pos.WalletRefund, error)
	AddWalletRefundFn    func(pos.WalletRefund) error
	UpdateWalletRefundFn func(requestNo string, change func(*pos.WalletRefund) error) (pos.WalletRefund, error)
	WalletRefundFn       func(requestNo string) (pos.WalletRefund, error)
	OpenWalletRefundsFn  func() ([]pos.WalletRefund, error)
	WalletRefundsOfFn    func(refundID string) ([]pos.WalletRefund, error)
	RecordDrawerFn       func(pos.DrawerEvent) error
	CheckZFn             func(now time.Time, loc *time.Location) error
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

func (s *Store) OpenPayments() ([]pos.Payment, error) {
	return must(s.OpenPaymentsFn, "OpenPayments")()
}

func (s *Store) WatchedPayments() ([]pos.Payment, error) {
	return must(s.WatchedPaymentsFn, "WatchedPayments")()
}

func (s *Store) Unwatch(id string) error { return must(s.UnwatchFn, "Unwatch")(id) }

func (s *Store) MarkLatePaid(id, ref string, at time.Time) (pos.Payment, error) {
	return must(s.MarkLatePaidFn, "MarkLatePaid")(id, ref, at)
}

func (s *Store) LatePayments() ([]pos.Payment, error) {
	return must(s.LatePaymentsFn, "LatePayments")()
}

func (s *Store) RefundToWallets(saleID string, build func(pos.Sale, map[int]int64) (pos.Refund, []pos.WalletRefund, error)) (pos.Refund, []pos.WalletRefund, error) {
	return must(s.RefundToWalletsFn, "RefundToWallets")(saleID, build)
}

func (s *Store) AddWalletRefund(w pos.WalletRefund) error {
	return must(s.AddWalletRefundFn, "AddWalletRefund")(w)
}

func (s *Store) UpdateWalletRefund(requestNo string, change func(*pos.WalletRefund) error) (pos.WalletRefund, error) {
	return must(s.UpdateWalletRefundFn, "UpdateWalletRefund")(requestNo, change)
}

func (s *Store) WalletRefund(requestNo string) (pos.WalletRefund, error) {
	return must(s.WalletRefundFn, "WalletRefund")(requestNo)
}

func (s *Store) OpenWalletRefunds() ([]pos.WalletRefund, error) {
	return must(s.OpenWalletRefundsFn, "OpenWalletRefunds")()
}

func (s *Store) WalletRefundsOf(refundID string) ([]pos.WalletRefund, error) {
	return must(s.WalletRefundsOfFn, "WalletRefundsOf")(refundID)
}

func (s *Store) RecordDrawer(ev pos.DrawerEvent) error {
	return must(s.RecordDrawerFn, "RecordDrawer")(ev)
}

func (s *Store) CheckZ(now time.Time, loc *time.Location) error {
	return must(s.CheckZFn, "CheckZ")(now, loc)
}
