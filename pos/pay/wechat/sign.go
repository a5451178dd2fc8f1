package wechat

import (
	"errors"
	"fmt"
	"strings"
)

// Schema is the Authorization scheme of APIv3 requests.
const Schema = "WECHATPAY2-SHA256-RSA2048"

// RequestMessage is the text a request signature covers: method, the
// URL's path and query as sent, timestamp, nonce and body, each ending in
// a newline (an empty body still leaves its newline).
func RequestMessage(method, canonicalURL, timestamp, nonce, body string) string {
	return method + "\n" + canonicalURL + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n"
}

// ResponseMessage is the text a response signature covers: the
// Wechatpay-Timestamp and Wechatpay-Nonce headers and the raw body, each
// ending in a newline (a 204's empty body leaves just the newline).
func ResponseMessage(timestamp, nonce string, body []byte) string {
	return timestamp + "\n" + nonce + "\n" + string(body) + "\n"
}

// Authorization is the request header value.
func Authorization(mchid, nonce, timestamp, serial, signature string) string {
	return fmt.Sprintf(`%s mchid="%s",nonce_str="%s",timestamp="%s",serial_no="%s",signature="%s"`,
		Schema, mchid, nonce, timestamp, serial, signature)
}

// ParseAuthorization splits an Authorization header into its fields
// (mchid, nonce_str, timestamp, serial_no, signature).
func ParseAuthorization(h string) (map[string]string, error) {
	rest, ok := strings.CutPrefix(h, Schema+" ")
	if !ok {
		return nil, errors.New("authorization scheme is not " + Schema)
	}
	f := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, fmt.Errorf("authorization field %q is not k=\"v\"", k)
		}
		if _, dup := f[k]; dup {
			return nil, fmt.Errorf("authorization field %q repeated", k)
		}
		f[k] = v[1 : len(v)-1]
	}
	for _, k := range []string{"mchid", "nonce_str", "timestamp", "serial_no", "signature"} {
		if f[k] == "" {
			return nil, fmt.Errorf("authorization has no %s", k)
		}
	}
	return f, nil
}
