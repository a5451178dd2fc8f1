package reconcile

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tillpos/till/pos"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/tillpos/till/internal/errmsg"
)

// Statement formats Read understands.
const (
	FormatAlipay = "alipay" // Alipay account bill: a zip of GBK CSVs (业务明细), or one of its CSVs
	FormatWeChat = "wechat" // WeChat Pay trade bill (交易账单): CSV with backtick-prefixed fields
	FormatCSV    = "csv"    // Till's simple CSV, for any other scheme or a bank export
)

// ChinaTime is the zone of Alipay's and WeChat Pay's statements.
var ChinaTime = time.FixedZone("CST", 8*60*60)

// ErrFormat reports a statement Read cannot understand.
var ErrFormat = errors.New("unrecognised statement")

var errNoProvider = errmsg.Errorf("no provider")

// problems are a statement's bad lines, or one line's problems, in one
// error: "; " between them, each seen by errors.Is and a translator.
type problems []error

func (ps problems) Error() string {
	parts := make([]string, len(ps))
	for i, e := range ps {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}
func (ps problems) Unwrap() []error { return ps }

// Read parses a statement file in the given format ("" to detect it from
// the content). Amounts are read exactly, in minor units of a currency with
// the given exponent. Alipay's and WeChat Pay's times are China time
// (UTC+8, no daylight saving) wherever the shop is; the simple CSV's
// times without a zone are in loc. A line that cannot
// be read is named by its number and nothing of the file is returned.
func Read(data []byte, format string, exponent int, loc *time.Location) ([]Entry, string, error) {
	if loc == nil {
		loc = time.UTC
	}
	if format == "" {
		format = detect(data)
	}
	var (
		out []Entry
		err error
	)
	switch format {
	case FormatAlipay:
		out, err = readAlipay(data, exponent, ChinaTime)
	case FormatWeChat:
		out, err = readWeChat(text(data), exponent, ChinaTime)
	case FormatCSV:
		out, err = readSimple(text(data), exponent, loc)
	default:
		return nil, "", errmsg.Errorf("%w: say which it is (alipay, wechat or csv)", ErrFormat)
	}
	return out, format, err
}

func detect(data []byte) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return FormatAlipay
	}
	t := text(data)
	switch {
	case strings.Contains(t, "支付宝交易号"):
		return FormatAlipay
	case strings.Contains(t, "微信订单号") && strings.Contains(t, "`"):
		return FormatWeChat
	case strings.HasPrefix(strings.TrimSpace(t), "provider,"):
		return FormatCSV
	}
	return ""
}

// text returns data as UTF-8: a UTF-8 BOM is dropped, and bytes that are
// not UTF-8 are read as GB18030 (which covers GBK), as Chinese statements
// are written.
func text(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return string(data)
	}
	return string(out)
}

func parseAmount(s string, exponent int) (pos.Money, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	m, err := pos.ParseMoney(s, exponent)
	if neg {
		m = -m
	}
	return m, err
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.DateTime, "2006/01/02 15:04:05", "2006-01-02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errmsg.Errorf("time %q: want 2006-01-02 15:04:05 or RFC 3339", s)
}

// records reads CSV text leniently (ragged rows, stray quotes), keeping the
// line number of each record.
func records(t string) ([][]string, []int, error) {
	r := csv.NewReader(strings.NewReader(t))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, lines, nil
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
}

// columns maps the wanted header names to their index in the header row.
func columns(header []string, want ...string) (map[string]int, error) {
	at := map[string]int{}
	for i, h := range header {
		at[clean(h)] = i
	}
	out := map[string]int{}
	var missing []string
	for _, w := range want {
		i, ok := at[w]
		if !ok {
			missing = append(missing, w)
			continue
		}
		out[w] = i
	}
	if len(missing) > 0 {
		return nil, errmsg.Errorf("%w: no column %s", ErrFormat, strings.Join(missing, ", "))
	}
	return out, nil
}

// clean trims the padding statements put around values: spaces, tabs, and
// WeChat's leading backtick (which keeps spreadsheets from reading order
// numbers as numbers).
func clean(s string) string {
	return strings.TrimPrefix(strings.TrimSpace(s), "`")
}

func field(rec []string, i int) string {
	if i < len(rec) {
		return clean(rec[i])
	}
	return ""
}

// readWeChat reads a WeChat Pay trade bill (bill_type ALL, SUCCESS or
// REFUND). A paid order is one line with 交易状态 SUCCESS; a refund is a
// line with 交易状态 REFUND whose 退款金额 is the money given back. The
// summary after the orders (总交易单数...) is not an order.
func readWeChat(t string, exponent int, loc *time.Location) ([]Entry, error) {
	rows, lines, err := records(t)
	if err != nil {
		return nil, errmsg.Errorf("wechat bill: %w", err)
	}
	hi := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && clean(r[0]) == "交易时间" })
	if hi < 0 {
		return nil, errmsg.Errorf("%w: a WeChat trade bill starts with a 交易时间 header", ErrFormat)
	}
	col, err := columns(rows[hi], "交易时间", "微信订单号", "商户订单号", "交易状态", "应结订单金额", "商户退款单号", "退款金额")
	if err != nil {
		return nil, errmsg.Errorf("wechat bill: %w", err)
	}
	var out []Entry
	for k := hi + 1; k < len(rows); k++ {
		rec, line := rows[k], lines[k]
		if len(rec) == 0 || clean(rec[0]) == "" {
			continue
		}
		if strings.HasPrefix(clean(rec[0]), "总") {
			break // the summary header and its line
		}
		at, err := parseTime(field(rec, col["交易时间"]), loc)
		if err != nil {
			return nil, errmsg.Errorf("wechat bill line %d: %w", line, err)
		}
		e := Entry{Provider: "wechat", Reference: field(rec, col["微信订单号"]), At: at, Line: line}
		switch state := field(rec, col["交易状态"]); state {
		case "SUCCESS":
			e.OrderNo = field(rec, col["商户订单号"])
			e.Amount, err = parseAmount(field(rec, col["应结订单金额"]), exponent)
		case "REFUND":
			e.OrderNo = field(rec, col["商户退款单号"])
			e.Amount, err = parseAmount(field(rec, col["退款金额"]), exponent)
			e.Amount = -abs(e.Amount)
		default:
			continue // REVOKED, CLOSED...: no money moved
		}
		if err != nil {
			return nil, errmsg.Errorf("wechat bill line %d: %w", line, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func abs(m pos.Money) pos.Money {
	if m < 0 {
		return -m
	}
	return m
}

// readAlipay reads Alipay's account bill: the zip the bill download URL
// gives, whose 业务明细 CSV (GBK) lists each trade (业务类型 交易) and refund
// (退款), or that CSV on its own. Comment lines start with #.
func readAlipay(data []byte, exponent int, loc *time.Location) ([]Entry, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, errmsg.Errorf("alipay bill: %w", err)
		}
		for _, f := range z.File {
			name := text([]byte(f.Name))
			if !strings.Contains(name, "业务明细") || strings.Contains(name, "汇总") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, errmsg.Errorf("alipay bill %s: %w", name, err)
			}
			body, err := io.ReadAll(io.LimitReader(rc, 256<<20))
			rc.Close()
			if err != nil {
				return nil, errmsg.Errorf("alipay bill %s: %w", name, err)
			}
			return readAlipayCSV(text(body), exponent, loc)
		}
		return nil, errmsg.Errorf("%w: the zip holds no 业务明细 (business details) CSV", ErrFormat)
	}
	return readAlipayCSV(text(data), exponent, loc)
}

func readAlipayCSV(t string, exponent int, loc *time.Location) ([]Entry, error) {
	rows, lines, err := records(t)
	if err != nil {
		return nil, errmsg.Errorf("alipay bill: %w", err)
	}
	hi := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && clean(r[0]) == "支付宝交易号" })
	if hi < 0 {
		return nil, errmsg.Errorf("%w: an Alipay bill has a 支付宝交易号 header", ErrFormat)
	}
	col, err := columns(rows[hi], "支付宝交易号", "商户订单号", "业务类型", "完成时间", "订单金额（元）")
	if err != nil {
		return nil, errmsg.Errorf("alipay bill: %w", err)
	}
	refundNo := -1
	for i, h := range rows[hi] {
		if strings.HasPrefix(clean(h), "退款批次号") {
			refundNo = i
		}
	}
	var out []Entry
	for k := hi + 1; k < len(rows); k++ {
		rec, line := rows[k], lines[k]
		if len(rec) == 0 || strings.HasPrefix(clean(rec[0]), "#") || clean(rec[0]) == "" {
			continue
		}
		at, err := parseTime(field(rec, col["完成时间"]), loc)
		if err != nil {
			return nil, errmsg.Errorf("alipay bill line %d: %w", line, err)
		}
		amount, err := parseAmount(field(rec, col["订单金额（元）"]), exponent)
		if err != nil {
			return nil, errmsg.Errorf("alipay bill line %d: %w", line, err)
		}
		e := Entry{Provider: "alipay", Reference: field(rec, col["支付宝交易号"]), OrderNo: field(rec, col["商户订单号"]), At: at, Line: line}
		switch field(rec, col["业务类型"]) {
		case "交易":
			e.Amount = abs(amount)
		case "退款":
			e.Amount = -abs(amount)
			if refundNo >= 0 && field(rec, refundNo) != "" {
				e.OrderNo = field(rec, refundNo)
			}
		default:
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// readSimple reads Till's simple statement CSV, documented in the README:
// a header naming the columns provider, order_no, reference, amount and
// time (any order, order_no and reference may be empty); amounts in major
// units, negative for a refund ("-6.50"); time as 2006-01-02 15:04:05 in the
// shop's zone or RFC 3339.
func readSimple(t string, exponent int, loc *time.Location) ([]Entry, error) {
	rows, lines, err := records(t)
	if err != nil {
		return nil, errmsg.Errorf("statement: %w", err)
	}
	if len(rows) == 0 {
		return nil, errmsg.Errorf("%w: empty file", ErrFormat)
	}
	col, err := columns(rows[0], "provider", "amount", "time")
	if err != nil {
		return nil, errmsg.Errorf("statement: %w", err)
	}
	opt := map[string]int{"order_no": -1, "reference": -1}
	for i, h := range rows[0] {
		if _, ok := opt[clean(h)]; ok {
			opt[clean(h)] = i
		}
	}
	var out []Entry
	var bad problems
	for k := 1; k < len(rows); k++ {
		rec, line := rows[k], lines[k]
		if len(rec) == 1 && clean(rec[0]) == "" {
			continue
		}
		e := Entry{Provider: field(rec, col["provider"]), Line: line}
		if opt["order_no"] >= 0 {
			e.OrderNo = field(rec, opt["order_no"])
		}
		if opt["reference"] >= 0 {
			e.Reference = field(rec, opt["reference"])
		}
		var errs problems
		if e.Provider == "" {
			errs = append(errs, errNoProvider)
		}
		if e.Amount, err = parseAmount(field(rec, col["amount"]), exponent); err != nil {
			errs = append(errs, err)
		}
		if e.At, err = parseTime(field(rec, col["time"]), loc); err != nil {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			bad = append(bad, errmsg.Errorf("line %d: %w", line, errs))
			continue
		}
		out = append(out, e)
	}
	if len(bad) > 0 {
		return nil, errmsg.Errorf("statement: %w", bad)
	}
	return out, nil
}
