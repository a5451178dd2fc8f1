package alipay

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/wire"
)

// SigningString is the text an OpenAPI request signature covers: every
// parameter except sign, empty values left out, sorted by name, joined as
// k=v with &, values raw (not URL-encoded). sign_type is included.
func SigningString(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "sign" && params.Get(k) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params.Get(k))
	}
	return b.String()
}

// ResponseKey is the name of a method's response object:
// alipay.trade.query -> alipay_trade_query_response.
func ResponseKey(method string) string {
	return strings.ReplaceAll(method, ".", "_") + "_response"
}

// Envelope is a gateway response split into its parts. Content is the
// exact bytes of the response object as they appear in the body: the
// signature covers those bytes, so they are never re-marshalled.
type Envelope struct {
	Key     string // "alipay_trade_query_response", or "error_response"
	Content json.RawMessage
	Sign    string
}

// SplitResponse finds method's response object (or error_response) and
// the signature in a gateway response body.
func SplitResponse(body []byte, method string) (Envelope, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return Envelope{}, fmt.Errorf("response is not a JSON object: %w", err)
	}
	env := Envelope{Key: ResponseKey(method)}
	env.Content = top[env.Key]
	if env.Content == nil {
		env.Key = "error_response"
		env.Content = top[env.Key]
	}
	if env.Content == nil || env.Content[0] != '{' {
		return Envelope{}, fmt.Errorf("response has no %s object", ResponseKey(method))
	}
	if s, ok := top["sign"]; ok {
		if err := json.Unmarshal(s, &env.Sign); err != nil {
			return Envelope{}, errors.New("response sign is not a string")
		}
	}
	return env, nil
}

// MinAmount and MaxAmount bound total_amount: [0.01, 100000000] yuan.
const (
	MinAmount pos.Money = 1
	MaxAmount pos.Money = 100_000_000_00
)

// FormatAmount renders fen as the yuan decimal Alipay wants, with two
// places: 1250 -> "12.50". No floating point is involved.
func FormatAmount(fen pos.Money) (string, error) {
	if fen < MinAmount || fen > MaxAmount {
		return "", fmt.Errorf("amount %s yuan out of Alipay's range 0.01 to 100000000", fen.Format(2))
	}
	return fen.Format(2), nil
}

// ParseAmount reads a yuan decimal such as "12.50" or "12.5" into fen.
func ParseAmount(s string) (pos.Money, error) {
	return pos.ParseMoney(s, 2)
}

// TimeLayout is the layout of timestamp and time_expire.
const TimeLayout = "2006-01-02 15:04:05"

// FormatTime renders t in China time, to the second.
func FormatTime(t time.Time) string { return t.In(wire.CST).Format(TimeLayout) }

// ParseTime reads a China-time timestamp.
func ParseTime(s string) (time.Time, error) { return time.ParseInLocation(TimeLayout, s, wire.CST) }

// VerifyContent checks Alipay's signature over a response object. The
// gateway may sign the text with JSON's "\/" escapes undone, as the
// official Java SDK knows, so a failing check is tried once more on that
// text.
func VerifyContent(pub *rsa.PublicKey, content []byte, sig string) bool {
	if rsakey.Verify(pub, content, sig) == nil {
		return true
	}
	if !bytes.Contains(content, []byte(`\/`)) {
		return false
	}
	return rsakey.Verify(pub, bytes.ReplaceAll(content, []byte(`\/`), []byte(`/`)), sig) == nil
}
