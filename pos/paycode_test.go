package pos

import "testing"

func TestClassifyPayCode(t *testing.T) {
	cases := []struct {
		in   string
		want CodeKind
	}{
		{"134567890123456789", CodeWeChat},       // 18, 13
		{"104567890123456789", CodeWeChat},       // 18, 10
		{"154567890123456789", CodeWeChat},       // 18, 15
		{"164567890123456789", CodeNone},         // 18, 16
		{"13456789012345678", CodeNone},          // 17, 13
		{"]C0134567890123456789", CodeWeChat},    // AIM prefix stripped
		{"2812345678901234", CodeAlipay},         // 16
		{"281234567890123456", CodeAlipay},       // 18
		{"281234567890123456789012", CodeAlipay}, // 24
		{"2812345678901234567890123", CodeNone},  // 25
		{"251234567890123456", CodeAlipay},
		{"301234567890123456", CodeAlipay},
		{"311234567890123456", CodeNone},
		{"241234567890123456", CodeNone},
		{"6212345678901234567", CodeUnionPay}, // 19, 62
		{"621234567890123456", CodeNone},      // 18, 62
		{"28123456789012345a", CodeNone},
		{"6901234567892", CodeNone}, // EAN-13 goods
		{"", CodeNone},
	}
	for _, c := range cases {
		if _, got := ClassifyPayCode(c.in); got != c.want {
			t.Errorf("ClassifyPayCode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if code, _ := ClassifyPayCode(" ]C0134567890123456789\n"); code != "134567890123456789" {
		t.Errorf("code = %q", code)
	}
	if CodeTail("134567890123456789") != "6789" {
		t.Error("tail")
	}
}
