package receipt

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
)

// A Chinese receipt speaks Chinese, dates in 2026年12月1日 style and names
// the goods in Chinese; a bilingual one gives each line's English name
// under it; an English one is as it was. Every line is the receipt's
// width or less, measured in cells.
func TestReceiptLanguages(t *testing.T) {
	s := discountedSale(t, true)
	alt := map[string]string{"B": "鸡蛋 10 个装", "C": "大米 5kg"}
	base := Shop{Name: "Till Demo Shop", Currency: cny, Loc: at.Location(), Alt: func(sku string) string { return alt[sku] }}

	en := Sale(s, base)
	zhShop := base
	zhShop.P = i18n.New(i18n.Chinese)
	zh := Sale(s, zhShop)
	both := zhShop
	both.Second = i18n.English
	bi := Sale(s, both)

	for _, want := range []string{"小票 000007", at.Format("2006") + "年", "收银员 ann", "大米 5kg", "鸡蛋 10 个装", "小计", "合计", "找零", "税 13% 已含"} {
		if !strings.Contains(zh, want) {
			t.Errorf("Chinese receipt lacks %q:\n%s", want, zh)
		}
	}
	if strings.Contains(zh, "Rice 5kg") || strings.Contains(zh, "Subtotal") {
		t.Errorf("Chinese receipt has English:\n%s", zh)
	}
	// Bilingual: the Chinese name, then the English one under it.
	if !strings.Contains(bi, "大米 5kg\n  Rice 5kg\n") || !strings.Contains(bi, "鸡蛋 10 个装\n  Eggs 10 pack\n") {
		t.Errorf("bilingual receipt:\n%s", bi)
	}
	// A name already in Chinese has no second name to give.
	if !strings.Contains(bi, "Jasmine tea 茉莉花茶\n  2 x") {
		t.Errorf("bilingual receipt repeats a name:\n%s", bi)
	}
	if !strings.Contains(en, "Receipt 000007") || !strings.Contains(en, "Rice 5kg") || strings.Contains(en, "大米") {
		t.Errorf("English receipt changed:\n%s", en)
	}
	for name, text := range map[string]string{"zh": zh, "zh+en": bi} {
		for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			if ansi.StringWidth(l) > Width {
				t.Errorf("%s: %q is %d cells", name, l, ansi.StringWidth(l))
			}
			if strings.Contains(l, "…") {
				t.Errorf("%s: %q cuts with …, two cells on a Chinese printer", name, l)
			}
		}
	}
}

// A Chinese X report and refund slip are in Chinese too.
func TestReportAndRefundInChinese(t *testing.T) {
	p := i18n.New(i18n.Chinese)
	shop := Shop{Name: "店", Currency: cny, Loc: at.Location(), P: p}
	r := pos.Report{Kind: pos.ZReport, Number: 3, Terminal: "T1", TakenAt: at, Sales: 2, Net: 1000,
		Tenders: []pos.TenderTotal{{Kind: pos.Cash, Amount: 1000}}}
	text := Report(r, shop)
	for _, want := range []string{"Z 报表 3（已日结）", "终端 T1", "销售笔数", "净额", "收款 现金", "未开班", "钱箱应有"} {
		if !strings.Contains(text, want) {
			t.Errorf("Z report lacks %q:\n%s", want, text)
		}
	}
	s := discountedSale(t, true)
	rf, err := pos.NewRefund("R1", "T1", pos.KindRefund, at, s, nil, map[int]int64{2: 1}, 0, "坏了")
	if err != nil {
		t.Fatal(err)
	}
	rf.Receipt = 8
	slip := Refund(rf, shop)
	for _, want := range []string{"退款", "小票 000008", "原销售 " + s.ID, "原因：坏了", "以现金退还"} {
		if !strings.Contains(slip, want) {
			t.Errorf("refund slip lacks %q:\n%s", want, slip)
		}
	}
}
