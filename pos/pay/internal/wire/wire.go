// Package wire holds the HTTP and encoding plumbing the provider clients
// (and the simulator that plays their counterparts) share.
package wire

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxBody bounds how much of a response is read.
const MaxBody = 1 << 20

// CST is China Standard Time, the zone of both providers' timestamps.
// China has no daylight saving, so a fixed zone needs no tz database.
var CST = time.FixedZone("CST", 8*60*60)

// BaseURL parses s and checks that it is an absolute https URL, or an
// http one on loopback (the simulator): a payment request or answer
// must never cross a network in clear.
func BaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an https URL", s)
	}
	if u.Scheme == "http" && !Loopback(u.Hostname()) {
		return nil, fmt.Errorf("%q must be https (plain http is only for a simulator on this machine)", s)
	}
	return u, nil
}

// Loopback reports whether host names this machine: localhost, or a
// loopback IP address.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Client returns an HTTP client whose every request ends within timeout.
func Client(timeout time.Duration, rt http.RoundTripper) *http.Client {
	return &http.Client{Timeout: timeout, Transport: rt,
		// A payment API never redirects; following one could leak a signed request.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Response is a response read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req and reads the response. Any error it returns means the
// provider could not be heard: no connection, a timeout, or a body cut short.
func Do(c *http.Client, req *http.Request) (*Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if len(body) > MaxBody {
		return nil, fmt.Errorf("response larger than %d bytes", MaxBody)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// JSON encodes v as the providers sign it: no HTML escaping (a subject
// "a&b <c>" stays as written) and no trailing newline.
func JSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Nonce returns 32 random upper-case hex characters.
func Nonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// Snippet shortens a response body for an error message.
func Snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// Text makes s fit a provider's free-text field (a subject or
// description): control characters and those in drop become spaces, the
// ends are trimmed, an empty result becomes "Till", and it is cut to
// limit characters.
func Text(s, drop string, limit int) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(drop, r) {
			return ' '
		}
		return r
	}, s))
	if s == "" {
		s = "Till"
	}
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit])
	}
	return s
}
