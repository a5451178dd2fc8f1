package hq

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/reconcile"
	"github.com/tillpos/till/sync/hq/storage"
)

// Reconcile compares the QR payments head office holds for one day (of
// one store, or of every store when store is "") with a provider's
// statement. day's location is the chain's time zone.
func Reconcile(ctx context.Context, b storage.Backend, day time.Time, store string, statement []reconcile.Entry, window time.Duration) (reconcile.Result, error) {
	if window <= 0 {
		window = 10 * time.Minute
	}
	loc := day.Location()
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 1)
	var sales []pos.Sale
	var refunds []pos.Refund
	// Records are kept by the time they were made; a payment confirmed
	// after midnight may belong to a sale begun before it.
	err := b.Records(ctx, from.Add(-window), to.Add(window), func(r storage.Record) error {
		if store != "" && r.Store != store {
			return nil
		}
		switch r.Kind {
		case pos.RecordSale:
			var s pos.Sale
			if err := json.Unmarshal(r.Body, &s); err != nil {
				return fmt.Errorf("sale %s: %w", r.ID, err)
			}
			sales = append(sales, s)
		case pos.RecordRefund:
			var f pos.Refund
			if err := json.Unmarshal(r.Body, &f); err != nil {
				return fmt.Errorf("refund %s: %w", r.ID, err)
			}
			refunds = append(refunds, f)
		}
		return nil
	})
	if err != nil {
		return reconcile.Result{}, fmt.Errorf("reconcile %s: %w", from.Format(time.DateOnly), err)
	}
	inDay := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	var till, stmt []reconcile.Entry
	for _, e := range reconcile.FromTill(sales, refunds, nil) {
		if inDay(e.At) {
			till = append(till, e)
		}
	}
	for _, e := range statement {
		if inDay(e.At) {
			stmt = append(stmt, e)
		}
	}
	return reconcile.Match(till, stmt, reconcile.Options{Window: window, Loc: loc}), nil
}
