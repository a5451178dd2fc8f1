package pos

import "strings"

// CodeKind is the wallet a customer's payment code (付款码) belongs to.
type CodeKind string

const (
	CodeNone     CodeKind = ""
	CodeWeChat   CodeKind = "wechat"   // 18 digits starting 10-15
	CodeAlipay   CodeKind = "alipay"   // 16-24 digits starting 25-30
	CodeUnionPay CodeKind = "unionpay" // 19 digits starting 62 (云闪付)
)

// ClassifyPayCode tells which wallet a scanned payment code is from, by
// its prefix and length, after stripping an AIM symbology identifier
// (]C0, ]E0, ]Q1...) a scanner may send first. It returns the digits the
// provider wants and CodeNone for anything else. It does not know the
// catalog: on the sell screen a code that is also a goods barcode (an
// 18-digit scale label starting 26) is goods; on checkout it is a
// payment code.
func ClassifyPayCode(scan string) (string, CodeKind) {
	s := strings.TrimSpace(scan)
	if len(s) >= 3 && s[0] == ']' {
		s = s[3:]
	}
	if len(s) < 16 || len(s) > 24 {
		return "", CodeNone
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", CodeNone
		}
	}
	p := int(s[0]-'0')*10 + int(s[1]-'0')
	switch {
	case len(s) == 18 && p >= 10 && p <= 15:
		return s, CodeWeChat
	case len(s) == 19 && p == 62:
		return s, CodeUnionPay
	case p >= 25 && p <= 30:
		return s, CodeAlipay
	}
	return "", CodeNone
}

// CodeTail is what of a payment code may be kept: its last four digits.
func CodeTail(code string) string {
	if len(code) <= 4 {
		return code
	}
	return code[len(code)-4:]
}
