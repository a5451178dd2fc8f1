package goodscsv

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tillpos/till/pos"
)

func TestDemoCatalogParses(t *testing.T) {
	f, err := os.Open("../../demo/catalog.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Parse(f, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 30 || len(res.Ignored) != 0 {
		t.Fatalf("%d rows, ignored %v", len(res.Rows), res.Ignored)
	}
	water := res.Rows[0].Product
	if water.SKU != "SKU1001" || water.Price != 200 || water.TaxRate != 1300 || !water.TrackStock || water.Stock != 200 ||
		water.AltName != "农夫山泉 550ml" || water.Barcodes[0] != "6900012345004" || res.Rows[0].Line != 2 {
		t.Fatalf("first row: %+v", res.Rows[0])
	}
	untracked := 0
	for _, r := range res.Rows {
		if !r.Product.TrackStock {
			untracked++
		}
	}
	if untracked == 0 {
		t.Fatal("the demo has goods sold by weight with no stock count")
	}
}

func TestEveryBadLineIsNamedAndNothingReturned(t *testing.T) {
	in := "sku,barcode,name,price,tax_rate,stock\n" +
		"A,,Apple,1.00,13%,5\n" + // line 2 fine
		"B,,Bread,1.005,13%,\n" + // 3: too many decimals
		"C,,,1.00,13%,\n" + // 4: missing name
		"A,,Again,1.00,13%,\n" + // 5: duplicate sku
		"D,12345678,Dates,1.00,13%,\n" + // 6: bad check digit
		"E,,Eggs,1.00,abc,\n" + // 7: bad rate
		"F,,Figs,1.00,13%,-2\n" + // 8: negative stock
		"G,,Grapes,1.00,13%,lots\n" // 9: stock not a number
	res, err := Parse(strings.NewReader(in), 2)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err %v", err)
	}
	if len(res.Rows) != 0 {
		t.Fatal("rows returned from a bad file")
	}
	lines := map[int]string{}
	for _, e := range es {
		lines[e.Line] = e.Err.Error()
	}
	want := map[int]string{3: "more than 2 decimal places", 4: "missing name", 5: "already on line 2",
		6: "bad check digit", 7: "tax_rate", 8: "stock -2", 9: "whole number"}
	for ln, w := range want {
		if !strings.Contains(lines[ln], w) {
			t.Errorf("line %d: %q, want %q", ln, lines[ln], w)
		}
	}
	if len(es) != len(want) {
		t.Errorf("%d errors, want %d: %v", len(es), len(want), err)
	}
}

func TestHeaderProblems(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "empty file",
		"sku,name,price\n":              "missing column(s) tax_rate",
		"sku,name,price,tax_rate,sku\n": "twice",
	} {
		if _, err := Parse(strings.NewReader(in), 2); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func TestWriteThenParseIsIdentity(t *testing.T) {
	ps := []pos.Product{
		{SKU: "A", Barcodes: []string{"6900012345004", "IN-STORE-7"}, Name: "Water, still", AltName: "水", Category: "drinks", Price: 250, TaxRate: 950, TrackStock: true, Stock: 3},
		{SKU: "B", Name: "Apples \"loose\"", Price: 1299, TaxRate: 0},
	}
	var buf bytes.Buffer
	if err := Write(&buf, ps, 2); err != nil {
		t.Fatal(err)
	}
	res, err := Parse(&buf, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res.Rows {
		got, want := r.Product, ps[i]
		if got.SKU != want.SKU || got.Name != want.Name || got.AltName != want.AltName || got.Price != want.Price ||
			got.TaxRate != want.TaxRate || got.TrackStock != want.TrackStock || got.Stock != want.Stock ||
			strings.Join(got.Barcodes, "|") != strings.Join(want.Barcodes, "|") {
			t.Errorf("row %d: %+v, want %+v", i, got, want)
		}
	}
}

// The demo shop's goods sold per kg are weighed goods: 1.25 typed for
// apples is 1.250 kg at 12.00/kg, 15.00.
func TestDemoWeighedGoodsSellByWeight(t *testing.T) {
	f, err := os.Open("../../demo/catalog.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Parse(f, 2)
	if err != nil {
		t.Fatal(err)
	}
	bySKU := map[string]pos.Product{}
	for _, r := range res.Rows {
		bySKU[r.Product.SKU] = r.Product
	}
	apple, banana := bySKU["SKU1027"], bySKU["SKU1028"]
	if apple.Unit != pos.Kilogram || banana.Unit != pos.Kilogram || bySKU["SKU1001"].Unit != pos.Each {
		t.Fatalf("units: apple %q banana %q water %q", apple.Unit, banana.Unit, bySKU["SKU1001"].Unit)
	}
	var c pos.Cart
	for _, it := range []struct {
		p   pos.Product
		qty string
	}{{apple, "1.25"}, {banana, "0.875"}, {bySKU["SKU1001"], "2"}} {
		q, err := pos.ParseQty(it.qty, it.p.Unit)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Add(it.p, q); err != nil {
			t.Fatal(err)
		}
	}
	tot, err := pos.Price(c, true)
	if err != nil {
		t.Fatal(err)
	}
	// 0.875 kg x 6.98 = 6.1075 -> 6.11.
	if tot.Lines[0].Gross != 1500 || tot.Lines[1].Gross != 611 || tot.Total != 1500+611+400 {
		t.Errorf("lines %d %d total %d", tot.Lines[0].Gross, tot.Lines[1].Gross, tot.Total)
	}
	if _, err := pos.ParseQty("1.25", bySKU["SKU1001"].Unit); err == nil {
		t.Error("1.25 bottles of water accepted")
	}
}
