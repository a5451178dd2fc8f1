package bolt_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
)

func TestParkedCartsSurviveRestart(t *testing.T) {
	s := openNew(t)
	r, clk := newRegister(t, s)
	var parked []pos.Parked
	for i, c := range []pos.Cart{cart(t, "TEA", 2, "RICE", 1), cart(t, "APPLE", 3), cart(t, "STAMP", 9)} {
		clk.Add(time.Minute)
		id, err := r.NewID()
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			c.Discount = pos.Discount{Kind: pos.PercentDiscount, Percent: 1000}
		}
		p := pos.Parked{ID: id, At: clk.Now(), Note: []string{"wallet in car", "", "长者"}[i], Cart: c}
		if err := s.Park(p); err != nil {
			t.Fatal(err)
		}
		parked = append(parked, p)
	}

	s = reopen(t, s)
	got, err := s.ParkedCarts()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, parked) {
		t.Fatalf("after restart parked carts are\n%+v\nwant\n%+v", got, parked)
	}

	back, err := s.Unpark(parked[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, parked[1]) {
		t.Errorf("unparked %+v, want %+v", back, parked[1])
	}
	if _, err := s.Unpark(parked[1].ID); !errors.Is(err, pos.ErrNotFound) {
		t.Errorf("unparking twice: %v, want ErrNotFound", err)
	}

	s = reopen(t, s)
	got, err = s.ParkedCarts()
	if err != nil {
		t.Fatal(err)
	}
	if want := []pos.Parked{parked[0], parked[2]}; !reflect.DeepEqual(got, want) {
		t.Errorf("after unpark and restart: %+v, want %+v", got, want)
	}
}
