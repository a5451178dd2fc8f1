package pos

import (
	"testing"
	"time"
)

func walletSale(t *testing.T, qty int64, tenders []Tender) Sale {
	t.Helper()
	c := Cart{Lines: []Line{{SKU: "A", Name: "Tea", Qty: qty, UnitPrice: 333, TaxRate: 1300}}}
	s, err := NewSale("01JSALE-T1", "T1", "ann", Currency{Code: "CNY", Exponent: 2, CashStep: 10}, time.Time{}, time.Time{}, c, true, tenders)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Refunding a sale a unit at a time gives each tender back exactly what
// it paid, never more, and the cash part is rounded to the cash step.
func TestToWalletsSplitsByTender(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s := walletSale(t, 3, []Tender{
		{Kind: QR, Amount: 700, Provider: "alipay", PaymentID: "PA"},
		{Kind: QR, Amount: 200, Provider: "emvqr", PaymentID: "PE"}, // offline: back in cash
		{Kind: Cash, Given: 100},
	})
	if s.Total != 999 {
		t.Fatalf("total %d", s.Total)
	}
	already := map[int]int64{}
	var wallet, cash, rounding Money
	for i := 0; i < 3; i++ {
		r, err := NewRefund("01JREF"+string(rune('A'+i))+"-T1", "ann", KindRefund, at, s, already, map[int]int64{0: 1}, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		parts := r.ToWallets(s, already, 10, at)
		if len(parts) != 1 || parts[0].PaymentID != "PA" || parts[0].State != WalletPending || parts[0].Total != 700 {
			t.Fatalf("refund %d parts %+v", i, parts)
		}
		if parts[0].RequestNo != RefundRequestNo(r.ID, 1) || len(parts[0].RequestNo) > 32 {
			t.Fatalf("request no %q", parts[0].RequestNo)
		}
		var sum Money
		for _, td := range r.Tenders {
			sum += td.Amount
			if td.Kind == Cash {
				cash += td.Amount
				if td.Amount%10 != 0 {
					t.Fatalf("cash %d not rounded", td.Amount)
				}
			} else {
				wallet += td.Amount
				if td.Reference != parts[0].RequestNo || td.RefundedTo() != "Alipay wallet, refund "+parts[0].RequestNo {
					t.Fatalf("tender %+v says %q", td, td.RefundedTo())
				}
			}
		}
		if sum != r.Total+r.Rounding {
			t.Fatalf("refund %d: tenders %d, total %d rounding %d", i, sum, r.Total, r.Rounding)
		}
		rounding += r.Rounding
		already[0]++
	}
	if wallet != 700 {
		t.Fatalf("the wallet got back %d, paid 700", wallet)
	}
	if cash-rounding != 299 {
		t.Fatalf("cash back %d (rounding %d), want 299 before rounding", cash, rounding)
	}
}

func TestToWalletsAllWallet(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s := walletSale(t, 3, []Tender{{Kind: QR, Amount: 500, Provider: "wechat", PaymentID: "PW"}, {Kind: QR, Amount: 499, Provider: "alipay", PaymentID: "PA"}})
	r, err := NewRefund("01JREF-T1", "ann", KindRefund, at, s, nil, map[int]int64{0: 3}, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	parts := r.ToWallets(s, nil, 10, at)
	if len(parts) != 2 || parts[0].Amount != 500 || parts[1].Amount != 499 || r.Rounding != 0 || len(r.Tenders) != 2 {
		t.Fatalf("parts %+v tenders %+v", parts, r.Tenders)
	}
	cashOnly := walletSale(t, 1, []Tender{{Kind: Cash, Given: 400}})
	r, _ = NewRefund("01JREF2-T1", "ann", KindRefund, at, cashOnly, nil, map[int]int64{0: 1}, 10, "")
	if parts := r.ToWallets(cashOnly, nil, 10, at); parts != nil || r.Tenders[0].Kind != Cash {
		t.Fatalf("cash sale: %+v %+v", parts, r.Tenders)
	}
}
