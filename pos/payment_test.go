package pos

import (
	"testing"
	"time"
)

func TestPaymentStateMachine(t *testing.T) {
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		path []PaymentState
		ok   bool
	}{
		{[]PaymentState{PaymentShown, PaymentPaid}, true},
		{[]PaymentState{PaymentShown, PaymentExpired}, true},
		{[]PaymentState{PaymentShown, PaymentCancelled}, true},
		{[]PaymentState{PaymentShown, PaymentFailed}, true},
		{[]PaymentState{PaymentPaid}, true}, // a provider may answer before the QR is drawn
		{[]PaymentState{PaymentShown, PaymentShown}, false},
		{[]PaymentState{PaymentShown, PaymentPaid, PaymentExpired}, false},
		{[]PaymentState{PaymentCancelled, PaymentPaid}, false},
		{[]PaymentState{PaymentExpired, PaymentShown}, false},
		{[]PaymentState{PaymentCreated}, false},
		{[]PaymentState{PaymentShown, PaymentClosing, PaymentExpired}, true},
		{[]PaymentState{PaymentShown, PaymentClosing, PaymentCancelled}, true},
		{[]PaymentState{PaymentShown, PaymentClosing, PaymentPaid}, true},
		{[]PaymentState{PaymentShown, PaymentClosing, PaymentShown}, false},
		{[]PaymentState{PaymentSubmitted, PaymentPaid}, true},
		{[]PaymentState{PaymentSubmitted, PaymentPaying, PaymentPaid}, true},
		{[]PaymentState{PaymentSubmitted, PaymentPaying, PaymentFailed}, true},
		{[]PaymentState{PaymentSubmitted, PaymentPaying, PaymentReversing, PaymentReversed}, true},
		{[]PaymentState{PaymentSubmitted, PaymentReversing, PaymentPaid}, true},
		{[]PaymentState{PaymentSubmitted, PaymentReversing, PaymentFailed}, false},
		{[]PaymentState{PaymentSubmitted, PaymentReversed}, false}, // only through reversing
		{[]PaymentState{PaymentSubmitted, PaymentExpired}, false},
		{[]PaymentState{PaymentShown, PaymentReversing}, false},
	}
	for _, c := range cases {
		p := Payment{ID: "P", State: PaymentCreated}
		var err error
		for i, s := range c.path {
			if err = p.To(s, at.Add(time.Duration(i)*time.Second)); err != nil {
				break
			}
		}
		if (err == nil) != c.ok {
			t.Errorf("%v: err %v, want ok=%v", c.path, err, c.ok)
		}
		if c.ok && p.State != c.path[len(c.path)-1] {
			t.Errorf("%v: state %s", c.path, p.State)
		}
	}
	p := Payment{ID: "P", State: PaymentCreated}
	_ = p.To(PaymentShown, at)
	_ = p.To(PaymentPaid, at.Add(time.Minute))
	if !p.Shown.Equal(at) || !p.Ended.Equal(at.Add(time.Minute)) {
		t.Fatalf("times not recorded: shown %v ended %v", p.Shown, p.Ended)
	}
}

func TestPaymentExpiry(t *testing.T) {
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	p := Payment{State: PaymentShown, ExpiresAt: at.Add(5 * time.Minute)}
	if p.Expired(at.Add(4 * time.Minute)) {
		t.Fatal("expired early")
	}
	if !p.Expired(at.Add(5 * time.Minute)) {
		t.Fatal("not expired on time")
	}
	p.State = PaymentPaid
	if p.Expired(at.Add(time.Hour)) {
		t.Fatal("a paid payment cannot expire")
	}
}

func TestOrderNoIsStableAndShort(t *testing.T) {
	id := "01M8KGC6P28CDNK8957KW2V5CM-TERMINAL42"
	a, b := OrderNo(id), OrderNo(id)
	if a != b || len(a) > 32 || a != "01M8KGC6P28CDNK8957KW2V5CMTERMIN" {
		t.Fatalf("OrderNo(%q) = %q, %q", id, a, b)
	}
	if OrderNo("01M8KGC6P28CDNK8957KW2V5CM-T1") == OrderNo("01M8KGC6P28CDNK8957KW2V5CN-T1") {
		t.Fatal("different sales share an order number")
	}
}
