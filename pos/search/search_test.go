package search

import (
	"os"
	"slices"
	"testing"
	"unicode"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
)

func demoGoods() []pos.Product {
	return []pos.Product{
		{SKU: "SKU1003", Barcodes: []string{"6900012345745"}, Name: "Cola 330ml can", AltName: "可口可乐 330ml"},
		{SKU: "SKU1002", Barcodes: []string{"6900012345370"}, Name: "Green tea 500ml", AltName: "康师傅绿茶 500ml"},
		{SKU: "SKU1021", Name: "Beer 500ml", AltName: "青岛啤酒 500ml", Mnemonic: "QDPJ"},
		{SKU: "SKU1027", Name: "Apple per kg", AltName: "苹果 (每公斤)", Unit: pos.Kilogram},
		{SKU: "SKU1040", Name: "Café crème", AltName: "拿铁"},
		{SKU: "SKU1041", Name: "重庆火锅底料"},                              // a Chinese main name; 重 is zhong or chong
		{SKU: "SKU1042", Name: "Bank card reader", AltName: "银行卡读卡器"}, // 行 is xing or hang
		{SKU: "SKU1043", Name: "Music box", AltName: "音乐盒"},           // 乐 as yue
		{SKU: "SKU1044", Name: "Cookies", AltName: "曲奇", Mnemonic: "KL"},
		{SKU: "SKU1045", Name: "Green bean", AltName: "绿豆"}, // 绿 as lv and lu
	}
}

func names(ix *Index, ids []int) []string {
	var out []string
	for _, i := range ids {
		out = append(out, ix.Product(i).SKU)
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := New(demoGoods())
	for _, c := range []struct {
		q    string
		want []string
	}{
		// Pinyin initials, full pinyin, a mix, and a partial last syllable.
		{"kkkl", []string{"SKU1003"}},
		{"KKKL", []string{"SKU1003"}},
		{"kekou", []string{"SKU1003"}},
		{"kekoukele", []string{"SKU1003"}},
		{"kekkl", []string{"SKU1003"}},
		{"kekl", nil},
		{"kek", []string{"SKU1003"}},
		{"kl", []string{"SKU1044", "SKU1003"}}, // mnemonic KL exactly comes first
		{"ksflc", []string{"SKU1002"}},
		{"lvcha", []string{"SKU1002"}},
		{"lucha", []string{"SKU1002"}},
		{"lvd", []string{"SKU1045"}},
		// Every reading of a polyphonic character.
		{"cqhg", []string{"SKU1041"}},
		{"zqhg", []string{"SKU1041"}},
		{"chongqing", []string{"SKU1041"}},
		{"zhongqing", []string{"SKU1041"}},
		{"zhqhg", []string{"SKU1041"}},
		{"yhk", []string{"SKU1042"}},
		{"yinhang", []string{"SKU1042"}},
		{"yinxing", []string{"SKU1042"}},
		{"yyh", []string{"SKU1043"}},
		{"yinyue", []string{"SKU1043"}},
		{"yinle", []string{"SKU1043"}},
		// A run further in a name ranks after one starting it.
		{"kl", []string{"SKU1044", "SKU1003"}},
		{"dkq", []string{"SKU1042"}},
		// Runs do not cross non-Chinese text.
		{"kl330", nil},
		{"pgmgj", nil},
		{"pgm", nil},
		{"mgj", []string{"SKU1027"}},
		// Text search as before: case, accents, several words, SKU, mnemonic.
		{"cafe", []string{"SKU1040"}},
		{"CRÈME", []string{"SKU1040"}},
		{"green 500", []string{"SKU1002"}},
		{"sku1027", []string{"SKU1027"}},
		{"qdpj", []string{"SKU1021"}},
		{"可乐", []string{"SKU1003"}},
		{"啤酒 500", []string{"SKU1021"}},
		// Pinyin and text words together.
		{"kkkl 330", []string{"SKU1003"}},
		{"green lvd", []string{"SKU1045"}},
		{"zzzz", nil},
		{"", nil},
	} {
		if got := names(ix, ix.Search(c.q, 10)); !slices.Equal(got, c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.q, got, c.want)
		}
	}
}

func TestSearchRanksAndLimits(t *testing.T) {
	goods := []pos.Product{
		{SKU: "A", Name: "Ice cream", AltName: "冰淇淋"},
		{SKU: "B", Name: "Cream cheese", AltName: "奶油奶酪"},
		{SKU: "C", Name: "Sour cream"},
		{SKU: "D", Name: "Icecreamery"},
	}
	ix := New(goods)
	if got := names(ix, ix.Search("cream", 10)); !slices.Equal(got, []string{"B", "A", "C", "D"}) {
		t.Errorf("ranks: %v", got)
	}
	if got := names(ix, ix.Search("cream", 2)); !slices.Equal(got, []string{"B", "A"}) {
		t.Errorf("limit: %v", got)
	}
	if got := ix.Search("cream", 0); got != nil {
		t.Errorf("limit 0: %v", got)
	}
	// Pinyin starting the Chinese name ranks with word starts.
	if got := names(ix, ix.Search("nyn", 10)); !slices.Equal(got, []string{"B"}) {
		t.Errorf("nyn: %v", got)
	}
	if got := names(ix, ix.Search("ql", 10)); !slices.Equal(got, []string{"A"}) {
		t.Errorf("ql: %v", got)
	}
}

func TestCodeUpdateAlt(t *testing.T) {
	ix := New(demoGoods())
	if i, ok := ix.Code("6900012345745"); !ok || ix.Product(i).SKU != "SKU1003" {
		t.Errorf("barcode: %d %v", i, ok)
	}
	if p, ok := ix.Lookup("SKU1021"); !ok || p.Name != "Beer 500ml" {
		t.Errorf("sku: %+v %v", p, ok)
	}
	if _, ok := ix.Code("QDPJ"); ok {
		t.Error("a mnemonic is a search word, not a code")
	}
	p, _ := ix.Lookup("SKU1003")
	p.Stock = 7
	ix.Update(p)
	if q, _ := ix.Lookup("6900012345745"); q.Stock != 7 {
		t.Errorf("update: %+v", q)
	}
	if ix.Alt("SKU1003") != "可口可乐 330ml" || ix.Alt("NOPE") != "" || ix.Len() != 10 {
		t.Error("alt/len")
	}
	var nilIx *Index
	if _, ok := nilIx.Code("x"); ok || nilIx.Search("x", 5) != nil || nilIx.Len() != 0 || nilIx.Alt("x") != "" {
		t.Error("nil index")
	}
	nilIx.Update(p)
	empty := New(nil)
	if empty.Search("kkkl", 5) != nil && len(empty.Search("kkkl", 5)) != 0 {
		t.Error("empty index")
	}
}

// A query that could be cut many ways against a long name of one
// character is answered quickly (failures are remembered), and a name
// over the indexed length does not break the index.
func TestPathologicalQueries(t *testing.T) {
	long := ""
	for range 300 {
		long += "啊"
	}
	ix := New([]pos.Product{{SKU: "A", Name: long}, {SKU: "B", Name: "可口可乐"}})
	if got := ix.Search("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 5); len(got) != 0 {
		t.Errorf("%v", got)
	}
	if got := names(ix, ix.Search("aaaa", 5)); !slices.Equal(got, []string{"A"}) {
		t.Errorf("%v", got)
	}
}

func TestPLU(t *testing.T) {
	ix := New([]pos.Product{{SKU: "A", Name: "Apple", PLU: "1027"}, {SKU: "Z", Name: "Zero", PLU: "000"}, {SKU: "B", Name: "Bread"}})
	for plu, want := range map[string]string{"01027": "A", "1027": "A", "00000": "Z", "0": "Z"} {
		if p, ok := ix.PLU(plu); !ok || p.SKU != want {
			t.Errorf("PLU(%q) = %+v %v", plu, p, ok)
		}
	}
	if _, ok := ix.PLU("2"); ok {
		t.Error("unknown PLU found")
	}
	if _, ok := ix.PLU(""); ok {
		t.Error("empty PLU found")
	}
}

// The issue's own example on the demo shop: 可口可乐 by kl and by kkkl.
func TestDemoShopPinyin(t *testing.T) {
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
	ix := New(ps)
	for q, want := range map[string][]string{
		"kl":     {"SKU1003", "SKU1011"}, // 可口可乐, 德芙巧克力
		"kkkl":   {"SKU1003"},
		"kekou":  {"SKU1003"},
		"pg":     {"SKU1027", "SKU1030"}, // 苹果 first; 啡罐 read pei guan, further in
		"qdpj":   {"SKU1021"},            // 青岛啤酒
		"nfsq":   {"SKU1001"},            // 农夫山泉
		"xiangj": {"SKU1028"},            // 香蕉
	} {
		if got := names(ix, ix.Search(q, 10)); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
	}
}

// Fold lower-cases text of ASCII and the range 0x3000-0x9FFF (CJK) by
// its ASCII letters alone: nothing else there has a case.
func TestFoldCJKHasNoCase(t *testing.T) {
	for r := rune(0x3000); r <= 0x9FFF; r++ {
		if unicode.ToLower(r) != r {
			t.Errorf("%U has a lower case %U", r, unicode.ToLower(r))
		}
	}
	if got := Fold("Coca-Cola 可口可乐 ZERO"); got != "coca-cola 可口可乐 zero" {
		t.Errorf("Fold: %q", got)
	}
	if got := Fold("可口可乐"); got != "可口可乐" {
		t.Errorf("Fold: %q", got)
	}
}
