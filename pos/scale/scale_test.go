package scale

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
	"github.com/tillpos/till/pos/search"
)

var goods = map[string]pos.Product{
	"1027": {SKU: "SKU1027", Name: "Apple per kg", Price: 1280, TaxRate: 900, Unit: pos.Kilogram},
	"1028": {SKU: "PORK", Name: "Pork belly", Price: 1800, TaxRate: 900, Unit: pos.Jin},
	"1029": {SKU: "CAKE", Name: "Cake slice", Price: 300, TaxRate: 1300},
	"1030": {SKU: "CLOTH", Name: "Cotton cloth", Price: 2500, TaxRate: 1300, Unit: pos.Metre},
}

func lookup(plu string) (pos.Product, bool) {
	p, ok := goods[NormalPLU(plu)]
	return p, ok
}

func intp(n int) *int { return &n }

// The layouts of /work/shared/reference/capabilities.md §c, with label
// codes built to them (check digits computed by the GS1 rule):
//   - GS1 20-29, 13 digits: 21PPPPPWWWWWC (weight in g), 20PPPPP$$$$$C;
//   - d17-scale "F1F2 CCCCC XXXXX C": 21 = weighed, 5-digit PLU, 5-digit
//     amount to 999.99;
//   - yajin-scale "7+5+1": a 7-digit item code with the prefix, a weight
//     of 2 + 3 decimals, in 斤 or kg as configured;
//   - enjoyit 18 digits "26 XXXXX MMMMM WWWWW C": PLU, amount, weight;
//   - td365: its default flag 22 while the scale prints 24;
//   - zuosheng "13,21,5,5,2": 13 digits, prefix 21, 5 of item, 5 of
//     amount with 2 decimals;
//   - a GS1 price verifier digit (V) before a 4-digit price.
func TestLabels(t *testing.T) {
	s, err := New([]Format{
		{Format: "21PPPPPWWWWWC"},
		{Format: "20PPPPP$$$$$C"},
		{Format: "27PPPPPWWWWWC", Unit: "斤"},
		{Format: "26PPPPP$$$$$WWWWWC"},
		{Format: "23PPPPP$$$$$C", PriceDecimals: intp(2)},
		{Format: "28PPPPPV$$$$C", PriceCheck: "gs1"},
		{Format: "29PPPPP$$$$$C", Check: "none"},
	}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		code     string
		sku      string
		qty      int64
		amount   pos.Money
		flagged  bool
		grams    int64
		expected pos.Money
	}{
		// 1.255 kg of apples; the line is priced by weight.
		{"2101027012552", "SKU1027", 1255, 0, false, 1255, 0},
		{"]E02101027012552", "SKU1027", 1255, 0, false, 1255, 0}, // AIM identifier dropped
		// A cake slice by the piece at the label's 2.50.
		{"2001029002509", "CAKE", 1, 250, false, 0, 0},
		// 1.500 斤 of pork: 1500 steps of 斤 (750 g).
		{"2701028015004", "PORK", 1500, 0, false, 750, 0},
		// 1.500 斤 of apples sold by the kg: 0.750 kg.
		{"2701027015005", "SKU1027", 750, 0, false, 750, 0},
		// 18 digits: amount 16.10 and 1.255 kg, where 1.255 x 12.80 is
		// 16.06: sold at the label, flagged.
		{"260102701610012555", "SKU1027", 1255, 1610, true, 1255, 1606},
		// Within one fen: not flagged.
		{"260102701607012551", "SKU1027", 1255, 1607, false, 1255, 1606},
		{"260102701606012552", "SKU1027", 1255, 1606, false, 1255, 1606},
		// Amount only: the weight for stock is worked out, 16.06 / 12.80.
		{"2301027016066", "SKU1027", 1255, 1606, false, 0, 0},
		// GS1 verifier: 28.75 carries verifier 9.
		{"2801029928751", "CAKE", 1, 2875, false, 0, 0},
		// check = "none": a wrong last digit is accepted.
		{"2901029002500", "CAKE", 1, 250, false, 0, 0},
	} {
		lb, err := s.Parse(c.code, lookup)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if lb.Product.SKU != c.sku || lb.Qty != c.qty || lb.Amount != c.amount || lb.Flagged != c.flagged || lb.Grams != c.grams || lb.Expected != c.expected {
			t.Errorf("%s: %+v", c.code, lb)
		}
		if (lb.Warning(2) != "") != c.flagged {
			t.Errorf("%s: warning %q", c.code, lb.Warning(2))
		}
	}
}

func TestRefusedLabels(t *testing.T) {
	s, err := New([]Format{
		{Format: "22PPPPPWWWWWC"},
		{Format: "26PPPPP$$$$$WWWWWC"},
		{Format: "28PPPPPV$$$$C", PriceCheck: "gs1"},
		{Format: "21PPPPPWWWWWC"},
	}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		code string
		is   error
		msg  string
	}{
		// td365's FAQ: the till expects 22, the scale prints 24.
		{"2401027012558", ErrNotLabel, "configured formats: 22PPPPPWWWWWC"},
		{"22010270125", ErrNotLabel, "not a scale label"},   // too short
		{"6900012345004", ErrNotLabel, "not a scale label"}, // a plain EAN-13
		{"2201027012553", ErrCheckDigit, "want 9"},
		{"260102701610012556", ErrCheckDigit, "want 5"},
		{"2801029828754", ErrCheckDigit, "verifier (want 9)"},
		{"2209999012553", ErrUnknownPLU, "PLU 09999"},
		// An 18-digit code shaped like a 26... label naming no goods may
		// be a wallet's payment code: ErrUnknownPLU, not goods.
		{"260000001000012558", ErrUnknownPLU, "PLU 00000"},
		{"2201027000006", nil, "weight is zero"},
		{"2201030012553", nil, "sold by the m and cannot be weighed"},
		{"2101029012550", nil, "sold by the piece, and the label has no amount"},
	} {
		_, err := s.Parse(c.code, lookup)
		if err == nil || !strings.Contains(err.Error(), c.msg) || c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: %v, want %v %q", c.code, err, c.is, c.msg)
		}
	}
	none, _ := New(nil, 2)
	if _, err := none.Parse("2101027012552", lookup); !errors.Is(err, ErrNotLabel) || !strings.Contains(err.Error(), "no scale label formats") {
		t.Errorf("no formats: %v", err)
	}
}

func TestEachLabelIsItsOwnLine(t *testing.T) {
	s, _ := New([]Format{{Format: "26PPPPP$$$$$WWWWWC"}}, 2)
	var c pos.Cart
	for range 2 {
		lb, err := s.Parse("260102701610012555", lookup)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lb.AddTo(&c); err != nil {
			t.Fatal(err)
		}
	}
	tot, err := pos.Price(c, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(tot.Lines) != 2 || tot.Lines[0].Gross != 1610 || tot.Total != 3220 || tot.Lines[1].Label != "260102701610012555" {
		t.Fatalf("%+v", tot)
	}
}

func TestBadFormats(t *testing.T) {
	for _, c := range []struct {
		f   Format
		msg string
	}{
		{Format{Format: "PPPPPWWWWWWC"}, "fixed prefix"},
		{Format{Format: "21PPPPPWWWWW"}, "needs a C digit"},
		{Format{Format: "2100000WWWWWC"}, "no P"},
		{Format{Format: "21PPPPPXXXXXC"}, "no W or $"},
		{Format{Format: "21PPPPPWWWWWCC"}, "C is the last digit"},
		{Format{Format: "21PPPWWWWWPPC"}, "two places"},
		{Format{Format: "21PPPPPNNNNNC"}, "use P (PLU)"},
		{Format{Format: "21PPPP1WWWWWC"}, "fixed digits go first"},
		{Format{Format: "21PPPPPV$$$$$$C"}, ""},
		{Format{Format: "21PPPPPV$$$$$$C", PriceCheck: "gs1"}, "4 or 5 digit"},
		{Format{Format: "21PPPPPWWWWWC", PriceCheck: "gs1"}, "needs a V digit"},
		{Format{Format: "21PPPPPVPWWWWC"}, "V is one digit right before"},
		{Format{Format: "21PPPPPWWWWWC", Unit: "m"}, "want kg, 斤 or g"},
		{Format{Format: "21PPPPPWWWWWC", Unit: "lb"}, "want kg, 斤 or g"},
		{Format{Format: "21PPPPPWWWWWC", Check: "luhn"}, "want ean13 or none"},
		{Format{Format: "21PPPPP$$$$$C", PriceDecimals: intp(3)}, "price_decimals 3"},
		{Format{Format: "21PPPPPWWWWWC", Unit: "g", WeightDecimals: intp(4)}, "weight_decimals 4"},
		{Format{Format: "21PPP"}, "8 to 20"},
	} {
		_, err := New([]Format{c.f}, 2)
		if c.msg == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.f, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: %v, want %q", c.f, err, c.msg)
		}
	}
}

func TestWeightUnitsAndDecimals(t *testing.T) {
	s, err := New([]Format{
		{Format: "21PPPPPWWWWWC", Unit: "g"},                           // grams, no decimals
		{Format: "22PPPPPWWWWWC", Unit: "kg", WeightDecimals: intp(2)}, // 10 g steps
		{Format: "23PPPPP$$$$$C", PriceDecimals: intp(1)},              // jiao
	}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]int64{"2101027012552": 1255, "2201027012559": 12550} {
		if lb, err := s.Parse(code, lookup); err != nil || lb.Qty != want {
			t.Errorf("%s: %+v %v", code, lb, err)
		}
	}
	if lb, err := s.Parse("2301029000254", lookup); err != nil || lb.Amount != 250 {
		t.Errorf("jiao: %+v %v", lb, err)
	}
}

func TestPriceCheckDigit(t *testing.T) {
	for in, want := range map[string]byte{"2875": '9', "14685": '6', "0000": '0', "00000": '0'} {
		if got := PriceCheckDigit(in); got != want {
			t.Errorf("PriceCheckDigit(%s) = %c, want %c", in, got, want)
		}
	}
	for in, want := range map[string]string{"00123": "123", "123": "123", "00000": "0", "": ""} {
		if got := NormalPLU(in); got != want {
			t.Errorf("NormalPLU(%q) = %q", in, got)
		}
	}
}

// The demo shop's apples carry PLU 1027: an 18-digit label of 1.255 kg
// for 15.06 (12.00/kg) sells through the catalog index's PLU lookup.
func TestDemoApplesFromALabel(t *testing.T) {
	f, err := os.Open("../../demo/catalog.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := goodscsv.Parse(f, 2)
	if err != nil {
		t.Fatal(err)
	}
	var ps []pos.Product
	for _, r := range res.Rows {
		ps = append(ps, r.Product)
	}
	ix := search.New(ps)
	s, err := New([]Format{{Format: "26PPPPP$$$$$WWWWWC"}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := s.Parse("260102701506012553", ix.PLU)
	if err != nil {
		t.Fatal(err)
	}
	if lb.Product.SKU != "SKU1027" || lb.Qty != 1255 || lb.Amount != 1506 || lb.Flagged {
		t.Fatalf("%+v", lb)
	}
}
