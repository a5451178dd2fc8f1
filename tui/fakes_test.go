package tui

import (
	"context"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/staff"
)

// Function-field fakes of the counter's ports: a test sets the functions
// it cares about; the rest answer with nothing (and Lookup with
// pos.ErrNotFound).

type fakeStore struct {
	products     func() ([]pos.Product, error)
	lookup       func(code string) (pos.Product, error)
	outboxCounts func() (int, int, error)
	syncStatus   func() (pos.SyncStatus, error)
	salesBetween func(from, to time.Time) ([]pos.Sale, error)
	sale         func(id string) (pos.Sale, error)
	refunded     func(saleID string) (map[int]int64, error)
	xReport      func(now time.Time, loc *time.Location) (pos.Report, error)
	parkedCarts  func() ([]pos.Parked, error)
	byReceipt    func(n uint64) (pos.Receipted, error)
	refundByID   func(id string) (pos.Refund, error)
	refundsOf    func(saleIDs []string) (map[string][]pos.Refund, error)
	openPayments func() ([]pos.Payment, error)
}

func (f *fakeStore) Products() ([]pos.Product, error) {
	if f.products == nil {
		return nil, nil
	}
	return f.products()
}

func (f *fakeStore) Lookup(code string) (pos.Product, error) {
	if f.lookup == nil {
		return pos.Product{}, pos.ErrNotFound
	}
	return f.lookup(code)
}

func (f *fakeStore) OutboxCounts() (int, int, error) {
	if f.outboxCounts == nil {
		return 0, 0, nil
	}
	return f.outboxCounts()
}

func (f *fakeStore) SyncStatus() (pos.SyncStatus, error) {
	if f.syncStatus == nil {
		return pos.SyncStatus{}, nil
	}
	return f.syncStatus()
}

func (f *fakeStore) SalesBetween(from, to time.Time) ([]pos.Sale, error) {
	if f.salesBetween == nil {
		return nil, nil
	}
	return f.salesBetween(from, to)
}

func (f *fakeStore) Sale(id string) (pos.Sale, error) {
	if f.sale == nil {
		return pos.Sale{}, pos.ErrNotFound
	}
	return f.sale(id)
}

func (f *fakeStore) Refunded(saleID string) (map[int]int64, error) {
	if f.refunded == nil {
		return nil, nil
	}
	return f.refunded(saleID)
}

func (f *fakeStore) XReport(now time.Time, loc *time.Location) (pos.Report, error) {
	if f.xReport == nil {
		return pos.Report{Kind: pos.XReport, TakenAt: now}, nil
	}
	return f.xReport(now, loc)
}

func (f *fakeStore) ByReceipt(n uint64) (pos.Receipted, error) {
	if f.byReceipt == nil {
		return pos.Receipted{}, pos.ErrNotFound
	}
	return f.byReceipt(n)
}

func (f *fakeStore) RefundByID(id string) (pos.Refund, error) {
	if f.refundByID == nil {
		return pos.Refund{}, pos.ErrNotFound
	}
	return f.refundByID(id)
}

func (f *fakeStore) RefundsOfSales(saleIDs []string) (map[string][]pos.Refund, error) {
	if f.refundsOf == nil {
		return map[string][]pos.Refund{}, nil
	}
	return f.refundsOf(saleIDs)
}

func (f *fakeStore) ParkedCarts() ([]pos.Parked, error) {
	if f.parkedCarts == nil {
		return nil, nil
	}
	return f.parkedCarts()
}

func (f *fakeStore) OpenPayments() ([]pos.Payment, error) {
	if f.openPayments == nil {
		return nil, nil
	}
	return f.openPayments()
}

type fakeSeller struct {
	complete func(c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error)
	refund   func(saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, error)
	park     func(c pos.Cart, note string) (pos.Parked, error)
	toWallet func(ctx context.Context, saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, []pos.WalletRefund, error)
	pending  func() ([]pos.WalletRefund, error)
	send     func(ctx context.Context, requestNo string) (pos.WalletRefund, error)
	drawer   func(kind pos.DrawerKind, amount pos.Money, reason string) (pos.DrawerEvent, error)
	checkZ   func(loc *time.Location) error
	unpark   func(id string) (pos.Parked, error)
	takeZ    func(loc *time.Location, counted *pos.Money) (pos.Report, error)
}

var errFake = errorString("fake: not set up")

type errorString string

func (e errorString) Error() string { return string(e) }

func (f *fakeSeller) Complete(c pos.Cart, started time.Time, tenders []pos.Tender) (pos.Sale, error) {
	if f.complete == nil {
		return pos.Sale{}, errFake
	}
	return f.complete(c, started, tenders)
}

func (f *fakeSeller) Refund(saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, error) {
	if f.refund == nil {
		return pos.Refund{}, errFake
	}
	return f.refund(saleID, want, kind, reason)
}

func (f *fakeSeller) RefundToWallet(ctx context.Context, saleID string, want map[int]int64, kind pos.RefundKind, reason string) (pos.Refund, []pos.WalletRefund, error) {
	if f.toWallet == nil {
		return pos.Refund{}, nil, errFake
	}
	return f.toWallet(ctx, saleID, want, kind, reason)
}

func (f *fakeSeller) PendingWalletRefunds() ([]pos.WalletRefund, error) {
	if f.pending == nil {
		return nil, nil
	}
	return f.pending()
}

func (f *fakeSeller) SendWalletRefund(ctx context.Context, requestNo string) (pos.WalletRefund, error) {
	if f.send == nil {
		return pos.WalletRefund{}, errFake
	}
	return f.send(ctx, requestNo)
}

func (f *fakeSeller) drawerEvent(kind pos.DrawerKind, amount pos.Money, reason string) (pos.DrawerEvent, error) {
	if f.drawer == nil {
		return pos.DrawerEvent{}, errFake
	}
	return f.drawer(kind, amount, reason)
}

func (f *fakeSeller) OpenShift(float pos.Money) (pos.DrawerEvent, error) {
	return f.drawerEvent(pos.DrawerFloat, float, "")
}
func (f *fakeSeller) PayIn(amount pos.Money, reason string) (pos.DrawerEvent, error) {
	return f.drawerEvent(pos.DrawerPayIn, amount, reason)
}
func (f *fakeSeller) PayOut(amount pos.Money, reason string, _ ...staff.Approval) (pos.DrawerEvent, error) {
	return f.drawerEvent(pos.DrawerPayOut, amount, reason)
}
func (f *fakeSeller) NoSale(reason string, _ ...staff.Approval) (pos.DrawerEvent, error) {
	return f.drawerEvent(pos.DrawerNoSale, 0, reason)
}

func (f *fakeSeller) CheckZ(loc *time.Location) error {
	if f.checkZ == nil {
		return nil
	}
	return f.checkZ(loc)
}

func (f *fakeSeller) Park(c pos.Cart, note string) (pos.Parked, error) {
	if f.park == nil {
		return pos.Parked{}, errFake
	}
	return f.park(c, note)
}

func (f *fakeSeller) Unpark(id string) (pos.Parked, error) {
	if f.unpark == nil {
		return pos.Parked{}, errFake
	}
	return f.unpark(id)
}

func (f *fakeSeller) TakeZ(loc *time.Location, counted *pos.Money) (pos.Report, error) {
	if f.takeZ == nil {
		return pos.Report{}, errFake
	}
	return f.takeZ(loc, counted)
}

type fakeQR struct {
	start    func(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money, offline bool) (pos.Payment, error)
	move     func(id string, to pos.PaymentState, reason string) (pos.Payment, error)
	poll     func(ctx context.Context, id string) (pos.Payment, error)
	end      func(ctx context.Context, id string, to pos.PaymentState, reason string) (pos.Payment, error)
	complete func(p pos.Payment, cashGiven pos.Money) (pos.Sale, error)
}

func (f *fakeQR) StartQR(ctx context.Context, c pos.Cart, started time.Time, amount pos.Money, offline bool) (pos.Payment, error) {
	if f.start == nil {
		return pos.Payment{}, errFake
	}
	return f.start(ctx, c, started, amount, offline)
}

func (f *fakeQR) MoveQR(id string, to pos.PaymentState, reason string) (pos.Payment, error) {
	if f.move == nil {
		return pos.Payment{}, errFake
	}
	return f.move(id, to, reason)
}

func (f *fakeQR) PollQR(ctx context.Context, id string) (pos.Payment, error) {
	if f.poll == nil {
		return pos.Payment{}, errFake
	}
	return f.poll(ctx, id)
}

func (f *fakeQR) EndQR(ctx context.Context, id string, to pos.PaymentState, reason string) (pos.Payment, error) {
	if f.end == nil {
		return pos.Payment{}, errFake
	}
	return f.end(ctx, id, to, reason)
}

func (f *fakeQR) CompleteQR(p pos.Payment, cashGiven pos.Money) (pos.Sale, error) {
	if f.complete == nil {
		return pos.Sale{}, errFake
	}
	return f.complete(p, cashGiven)
}
