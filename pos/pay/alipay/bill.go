package alipay

import (
	"context"
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

// Statement fetches the account bill (bill_type "trade") of day, a date
// in China time: alipay.data.dataservice.bill.downloadurl.query gives a
// short-lived download URL, which gives the zip of GBK CSVs that
// reconcile.Read reads. The URL's answer is not signed (Alipay's file
// server serves it as it is): the URL itself came in a verified answer.
func (c *Client) Statement(ctx context.Context, day time.Time) ([]byte, error) {
	date := day.Format(time.DateOnly)
	var out struct {
		URL string `json:"bill_download_url"`
	}
	biz := map[string]string{"bill_type": "trade", "bill_date": date}
	if _, err := c.call(ctx, "statement", date, MethodBillURL, biz, &out); err != nil {
		return nil, err
	}
	u, err := url.Parse(out.URL)
	// Alipay's bill links are on its own file server, some over plain
	// http; anything else must be https (or the simulator on loopback).
	if err != nil || !(u.Scheme == "https" || u.Scheme == "http" && (wire.Loopback(u.Hostname()) || strings.HasSuffix(u.Hostname(), ".alipay.com"))) {
		return nil, c.fail("statement", date, pay.ErrVerify, "", fmt.Sprintf("bill download URL %q is not one Till fetches", out.URL))
	}
	return download(ctx, wire.Client(StatementTimeout, c.cfg.Transport), out.URL, func(e error) error {
		f := c.fail("statement", date, pay.ErrUnreachable, "", "")
		f.Err = e
		return f
	})
}

// download GETs a statement file of at most MaxStatement bytes.
func download(ctx context.Context, hc *http.Client, u string, fail func(error) error) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fail(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fail(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fail(fmt.Errorf("bill download: HTTP %d", resp.StatusCode))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxStatement+1))
	if err != nil {
		return nil, fail(err)
	}
	if len(body) > MaxStatement {
		return nil, fail(fmt.Errorf("bill larger than %d bytes", MaxStatement))
	}
	return body, nil
}
