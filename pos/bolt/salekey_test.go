package bolt_test

import (
	"errors"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/bolt"
)

func TestSaleKey(t *testing.T) {
	s := openNew(t)
	seed(t, s)
	r, _ := newRegister(t, s)
	if _, err := s.SaleByKey("k1"); !errors.Is(err, bolt.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	cash := []pos.Tender{{Kind: pos.Cash, Given: 10000}}
	sale, err := r.CompleteKeyed("k1", "TEA:2", cart(t, "TEA", 2), r.Now(), cash)
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.SaleByKey("k1")
	if err != nil || k.SaleID != sale.ID || k.Request != "TEA:2" {
		t.Fatalf("key recorded %+v, %v", k, err)
	}
	before := snapshot(t, s)
	again, err := r.CompleteKeyed("k1", "TEA:2", cart(t, "TEA", 2), r.Now(), cash)
	if !errors.Is(err, bolt.ErrKeyUsed) || again.Receipt != 0 {
		t.Fatalf("second sale with the key: %+v, %v", again, err)
	}
	if after := snapshot(t, s); !sameJSON(t, before, after) {
		t.Fatalf("a used key changed the store:\n%+v\n%+v", before, after)
	}
	// The key survives a reopen, and another key sells normally.
	s = reopen(t, s)
	if k, err := s.SaleByKey("k1"); err != nil || k.SaleID != sale.ID {
		t.Fatalf("after reopen: %+v, %v", k, err)
	}
	r, _ = newRegister(t, s)
	if next, err := r.CompleteKeyed("k2", "TEA:1", cart(t, "TEA", 1), r.Now(), cash); err != nil || next.Receipt != 2 {
		t.Fatalf("second key: %+v, %v", next, err)
	}
	// A sale that fails stores neither the sale nor its key.
	if _, err := r.CompleteKeyed("k3", "TEA:1", cart(t, "TEA", 1), r.Now(), []pos.Tender{{Kind: pos.Cash, Given: 1}}); err == nil {
		t.Fatal("underpaid sale stored")
	}
	if _, err := s.SaleByKey("k3"); !errors.Is(err, bolt.ErrNotFound) {
		t.Fatalf("failed sale left its key: %v", err)
	}
	// A sale refused inside the transaction (its ID is taken) rolls its key back.
	dup := sale
	if err := s.CompleteSaleKeyed(&dup, "k4", "TEA:2"); !errors.Is(err, bolt.ErrExists) {
		t.Fatalf("duplicate sale ID: %v", err)
	}
	if _, err := s.SaleByKey("k4"); !errors.Is(err, bolt.ErrNotFound) {
		t.Fatalf("refused sale left its key: %v", err)
	}
}
