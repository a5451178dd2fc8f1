// Package goodsgen makes catalogs for tests and benchmarks: the same
// goods for the counter's and the search index's figures, so they compare.
package goodsgen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/tillpos/till/pos"
)

// Words and Han are what names are made of (queries too).
var (
	Words = strings.Fields(`apple banana cherry milk bread butter cheese yogurt water juice cola tea coffee
		green black white red sweet salty spicy crispy fresh frozen organic instant noodle rice flour sugar salt
		pepper sauce soy vinegar oil olive peanut almond cashew walnut chocolate vanilla strawberry mango lemon
		orange grape melon peach pear plum kiwi coconut ginger garlic onion potato tomato carrot cabbage lettuce
		spinach broccoli corn bean tofu egg chicken beef pork lamb fish shrimp crab squid seaweed sesame honey jam
		biscuit cracker cake cookie candy gum mint soap shampoo tissue towel battery bulb pen paper notebook tape
		glue brush sponge detergent bleach café crème jalapeño piña`)
	Han = []rune("农夫山泉康师傅绿茶可口乐维他奶豆浆牛肉面米饭鸡蛋酱油醋盐糖茶叶咖啡饼干蛋糕巧克力苹果香蕉橙子葡萄西瓜桃梨")
)

// Goods makes n distinct goods with English and Chinese names and valid
// EAN-13 barcodes, deterministically.
func Goods(n int) []pos.Product {
	rng := rand.New(rand.NewPCG(7, 9))
	out := make([]pos.Product, n)
	for i := range out {
		words := make([]string, 2+rng.IntN(3))
		for j := range words {
			words[j] = Words[rng.IntN(len(Words))]
		}
		words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
		alt := make([]rune, 2+rng.IntN(5))
		for j := range alt {
			alt[j] = Han[rng.IntN(len(Han))]
		}
		body := fmt.Sprintf("69%010d", i)
		out[i] = pos.Product{
			SKU:        fmt.Sprintf("G%06d", i),
			Barcodes:   []string{body + string(pos.GTINCheckDigit(body))},
			Name:       fmt.Sprintf("%s %dg", strings.Join(words, " "), 50*(1+rng.IntN(20))),
			AltName:    string(alt),
			Price:      pos.Money(100 + rng.IntN(10000)),
			TaxRate:    1300,
			TrackStock: true,
			Stock:      int64(rng.IntN(100)),
		}
	}
	return out
}
