package bolt

import (
	"errors"
	"fmt"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// bSaleKeys maps a caller-chosen key (till sell --id) to the sale it made
// and the request that made it. The bucket is made by the first keyed
// sale, so files without one need no migration.
var bSaleKeys = []byte("sale_keys")

// ErrKeyUsed is a sale key already recorded: nothing was stored.
var ErrKeyUsed = errors.New("sale key already used")

// SaleKey is what a key recorded: the sale and the caller's description
// of the request, compared on a retry.
type SaleKey struct {
	Key     string `json:"key"`
	SaleID  string `json:"sale"`
	Request string `json:"request"`
}

// SaleByKey returns what key recorded, ErrNotFound if nothing.
func (s *Store) SaleByKey(key string) (SaleKey, error) {
	var k SaleKey
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSaleKeys)
		if b == nil {
			return ErrNotFound
		}
		return getJSON(b, []byte(key), &k)
	})
	if err != nil {
		return k, fmt.Errorf("sale key %q: %w", key, err)
	}
	return k, nil
}

// CompleteSaleKeyed is CompleteSale that also records key, with request,
// in the same transaction: the sale and its key commit together or not
// at all. A key already recorded stores nothing and wraps ErrKeyUsed.
func (s *Store) CompleteSaleKeyed(sale *pos.Sale, key, request string) error {
	if key == "" {
		return errors.New("empty sale key")
	}
	if sale.Terminal != s.id.Terminal {
		return fmt.Errorf("sale %s is for terminal %s, this is %s", sale.ID, sale.Terminal, s.id.Terminal)
	}
	err := s.update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bSaleKeys)
		if err != nil {
			return err
		}
		if b.Get([]byte(key)) != nil {
			return fmt.Errorf("sale key %q: %w", key, ErrKeyUsed)
		}
		if err := completeSale(tx, sale); err != nil {
			return err
		}
		return putJSON(b, []byte(key), SaleKey{Key: key, SaleID: sale.ID, Request: request})
	})
	if err != nil {
		sale.Receipt = 0 // rolled back with the transaction
	}
	return err
}
