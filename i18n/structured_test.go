package i18n

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tillpos/till/internal/errmsg"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
)

// A message that keeps its parts is said from them, its error arguments
// translated too, wherever it sits in the chain; English is the message's
// own text, byte for byte.
func TestErrorTextSaysMessages(t *testing.T) {
	err := fmt.Errorf("import x.csv: %w", errmsg.Errorf("barcode %s: %w (want %c)", "4006381333932", pos.ErrCheckDigit, '1'))
	if got, want := New(English).ErrorText(err, DomainErrors), err.Error(); got != want {
		t.Errorf("English %q, want %q", got, want)
	}
	if got, want := New(Chinese).ErrorText(err, DomainErrors), "import x.csv: 条码 4006381333932：校验位错误（应为 1）"; got != want {
		t.Errorf("Chinese %q, want %q", got, want)
	}
}

// A rejected goods file reads in Chinese line by line, in the English
// report's layout; in English it is the report itself.
func TestErrorTextGoodsFile(t *testing.T) {
	csv := "sku,name,price,tax_rate\nA1,,1.00,13%\nA1,Tea,x,13%\n"
	_, err := goodscsv.Parse(strings.NewReader(csv), 2)
	var fe *goodscsv.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("%v: not a FileError", err)
	}
	if got := New(English).ErrorText(err, DomainErrors); got != err.Error() {
		t.Errorf("English %q, want %q", got, err.Error())
	}
	got := New(Chinese).ErrorText(err, DomainErrors)
	want := "2 行有误，未导入任何商品：\n第 2 行：缺少名称\n第 3 行：price（价格）：金额 \"x\" 无效：金额里不能有字母；SKU A1 已在第 2 行出现"
	if got != want {
		t.Errorf("Chinese\n%s\nwant\n%s", got, want)
	}
}

// An error type that offers its words as a message (pos.AmountError's
// Message) is said from them; English is its Error, byte for byte.
func TestErrorTextSaysAMessageMethod(t *testing.T) {
	_, err := pos.ParseMoney("5.123", 2)
	err = fmt.Errorf("--cash: %w", err)
	if got := New(English).ErrorText(err, DomainErrors); got != err.Error() {
		t.Errorf("English %q, want %q", got, err.Error())
	}
	if got, want := New(Chinese).ErrorText(err, DomainErrors), "--cash: 金额 \"5.123\" 无效：小数超过 2 位"; got != want {
		t.Errorf("Chinese %q, want %q", got, want)
	}
}
