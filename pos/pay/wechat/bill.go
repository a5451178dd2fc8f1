package wechat

import (
	"context"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/internal/wire"
)

// MaxStatement is the largest statement a client downloads.
const MaxStatement = 64 << 20

// StatementTimeout bounds a statement's download.
const StatementTimeout = time.Minute

// BillAnswer is GET /v3/bill/tradebill's answer: where the bill is and
// its hash.
type BillAnswer struct {
	HashType    string `json:"hash_type"` // "SHA1"
	HashValue   string `json:"hash_value"`
	DownloadURL string `json:"download_url"`
}

// Statement fetches the trade bill (bill_type ALL) of day, a date in
// China time: GET /v3/bill/tradebill gives the download URL and the
// file's SHA1, then a signed GET of that URL gives the bill, which is
// refused unless its hash is the one announced (the download itself is
// not signed).
func (c *Client) Statement(ctx context.Context, day time.Time) ([]byte, error) {
	date := day.Format(time.DateOnly)
	resp, err := c.do(ctx, "statement", date, http.MethodGet, "/v3/bill/tradebill", url.Values{"bill_date": {date}, "bill_type": {"ALL"}}, nil)
	if err != nil {
		return nil, err
	}
	var a BillAnswer
	if err := json.Unmarshal(resp.Body, &a); err != nil {
		return nil, c.fail("statement", date, pay.ErrVerify, "", "answer: "+err.Error())
	}
	if !strings.EqualFold(a.HashType, "SHA1") || len(a.HashValue) != 40 {
		return nil, c.fail("statement", date, pay.ErrVerify, "", fmt.Sprintf("bill hash %s %q: want a SHA1", a.HashType, a.HashValue))
	}
	u, err := url.Parse(a.DownloadURL)
	// The bill comes from WeChat Pay's API host: the request carries the
	// merchant's signature, so it goes nowhere else.
	if err != nil || u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return nil, c.fail("statement", date, pay.ErrVerify, "", fmt.Sprintf("download URL %q is not on %s", a.DownloadURL, c.base.Host))
	}
	unreachable := func(e error) error {
		f := c.fail("statement", date, pay.ErrUnreachable, "", "")
		f.Err = e
		return f
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, unreachable(err)
	}
	auth, err := c.sign(http.MethodGet, u.RequestURI(), "")
	if err != nil {
		return nil, fmt.Errorf("wechat statement %s: %w", date, err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("User-Agent", "till")
	r, err := wire.Client(StatementTimeout, c.cfg.Transport).Do(req)
	if err != nil {
		return nil, unreachable(err)
	}
	defer r.Body.Close()
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxStatement+1))
	switch {
	case err != nil:
		return nil, unreachable(err)
	case len(body) > MaxStatement:
		return nil, unreachable(fmt.Errorf("bill larger than %d bytes", MaxStatement))
	case r.StatusCode != http.StatusOK:
		return nil, unreachable(fmt.Errorf("bill download: HTTP %d: %s", r.StatusCode, wire.Snippet(body)))
	}
	sum := sha1.Sum(body)
	want, _ := hex.DecodeString(a.HashValue)
	if subtle.ConstantTimeCompare(sum[:], want) != 1 {
		return nil, c.fail("statement", date, pay.ErrVerify, "", fmt.Sprintf("the bill's SHA1 is %x, WeChat Pay announced %s", sum, strings.ToLower(a.HashValue)))
	}
	return body, nil
}
