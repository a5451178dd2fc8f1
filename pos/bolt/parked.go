package bolt

import (
	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// Park stores a cart under a time-ordered ID.
func (s *Store) Park(p pos.Parked) error {
	return s.update(func(tx *bbolt.Tx) error { return putJSON(tx.Bucket(bParked), []byte(p.ID), p) })
}

// ParkedCarts lists parked carts, oldest first.
func (s *Store) ParkedCarts() ([]pos.Parked, error) {
	var out []pos.Parked
	err := s.read(func(tx *bbolt.Tx) error {
		return tx.Bucket(bParked).ForEach(func(k, v []byte) error {
			var p pos.Parked
			if err := decode(k, v, &p); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// Unpark removes a parked cart and returns it.
func (s *Store) Unpark(id string) (pos.Parked, error) {
	var p pos.Parked
	err := s.update(func(tx *bbolt.Tx) error {
		if err := getJSON(tx.Bucket(bParked), []byte(id), &p); err != nil {
			return err
		}
		return tx.Bucket(bParked).Delete([]byte(id))
	})
	return p, err
}
