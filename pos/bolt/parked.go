package bolt

import (
	"time"

	"github.com/tillpos/till/pos"
	bbolt "go.etcd.io/bbolt"
)

// Parked is a cart put aside, say for a customer who forgot their wallet.
// It survives a restart.
type Parked struct {
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
	Cart pos.Cart  `json:"cart"`
}

// Park stores a cart under a time-ordered ID.
func (s *Store) Park(p Parked) error {
	return s.update(func(tx *bbolt.Tx) error { return putJSON(tx.Bucket(bParked), []byte(p.ID), p) })
}

// ParkedCarts lists parked carts, oldest first.
func (s *Store) ParkedCarts() ([]Parked, error) {
	var out []Parked
	err := s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bParked).ForEach(func(k, v []byte) error {
			var p Parked
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
func (s *Store) Unpark(id string) (Parked, error) {
	var p Parked
	err := s.update(func(tx *bbolt.Tx) error {
		if err := getJSON(tx.Bucket(bParked), []byte(id), &p); err != nil {
			return err
		}
		return tx.Bucket(bParked).Delete([]byte(id))
	})
	return p, err
}
