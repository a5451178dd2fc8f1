package paysim_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/pay"
	"github.com/tillpos/till/pos/pay/alipay"
	"github.com/tillpos/till/pos/pay/internal/wire"
	"github.com/tillpos/till/pos/pay/wechat"
	"github.com/tillpos/till/pos/reconcile"
)

// statementFetcher is what both clients offer.
type statementFetcher interface {
	Statement(ctx context.Context, day time.Time) ([]byte, error)
}

// A day at both providers, fetched by the real clients as statements and
// reconciled against what Till recorded: one payment matched, one whose
// amount differs, one paid after the till gave up (statement only, a
// refund is owed), a refund matched, and a cashier-confirmed static
// payment that never arrived (Till only).
func TestStatementsReconciled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	day := e.clk.Now().In(wire.CST)
	for _, name := range providers {
		p := e.client(name, nil)
		good, odd, late := e.order("01JGOOD-"+name), e.order("01JODD-"+name), e.order("01JLATE-"+name)
		for _, o := range []pay.Order{good, odd, late} {
			qr, err := p.Create(ctx, o)
			if err != nil {
				t.Fatalf("%s create: %v", name, err)
			}
			if o.OrderNo != late.OrderNo {
				if code, state := e.press(qr, "pay"); code != http.StatusOK || state != "paid" {
					t.Fatalf("%s pay: %d %s", name, code, state)
				}
			}
		}
		// The till gives up on the third, and closes it; then the money
		// lands anyway.
		if st, err := p.Close(ctx, late); err != nil || st.State == pos.PaymentPaid {
			t.Fatalf("%s close: %+v %v", name, st, err)
		}
		if err := e.sim.PayLate(name, late.OrderNo); err != nil {
			t.Fatal(err)
		}
		// Half of the good one goes back to the wallet.
		rf := pay.RefundOrder{OrderNo: good.OrderNo, RequestNo: "R" + good.OrderNo, Amount: 500, Total: good.Amount, Reason: "returned"}
		if _, err := p.(pay.Refunder).Refund(ctx, rf); err != nil {
			t.Fatalf("%s refund: %v", name, err)
		}

		data, err := p.(statementFetcher).Statement(ctx, day)
		if err != nil {
			t.Fatalf("%s statement: %v", name, err)
		}
		lines, format, err := reconcile.Read(data, "", 2, wire.CST)
		if err != nil {
			t.Fatalf("%s statement: %v\n%s", name, err, data)
		}
		if format != name {
			t.Errorf("%s statement recognised as %q", name, format)
		}
		if len(lines) != 4 {
			t.Fatalf("%s statement has %d lines, want 3 payments and a refund: %+v", name, len(lines), lines)
		}
		now := e.clk.Now()
		till := []reconcile.Entry{
			{Provider: name, OrderNo: good.OrderNo, Amount: good.Amount, At: now, SaleID: "S1", Receipt: 1},
			{Provider: name, OrderNo: odd.OrderNo, Amount: odd.Amount - 100, At: now, SaleID: "S2", Receipt: 2},
			{Provider: name, OrderNo: rf.RequestNo, Amount: -rf.Amount, At: now, SaleID: "F1"},
			{Provider: pos.ProviderStatic, Amount: 777, At: now, SaleID: "S3", Receipt: 3},
		}
		r := reconcile.Match(till, lines, reconcile.Options{Loc: wire.CST})
		if len(r.Matched) != 2 || r.Matched[0].Till.SaleID != "S1" || r.Matched[1].Till.SaleID != "F1" || !r.Matched[0].ByOrder {
			t.Errorf("%s matched: %+v", name, r.Matched)
		}
		if len(r.Mismatched) != 1 || r.Mismatched[0].Till.SaleID != "S2" || r.Mismatched[0].Statement.Amount != odd.Amount {
			t.Errorf("%s mismatched: %+v", name, r.Mismatched)
		}
		if len(r.StatementOnly) != 1 || r.StatementOnly[0].OrderNo != late.OrderNo || r.StatementOnly[0].Amount != late.Amount {
			t.Errorf("%s statement only: %+v", name, r.StatementOnly)
		}
		if len(r.TillOnly) != 1 || r.TillOnly[0].SaleID != "S3" {
			t.Errorf("%s till only: %+v", name, r.TillOnly)
		}
		var text bytes.Buffer
		if err := reconcile.WriteText(&text, r, 2, wire.CST, nil); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s:\n%s", name, text.String())

		// Another day has nothing in it.
		other, err := p.(statementFetcher).Statement(ctx, day.AddDate(0, 0, -1))
		if err != nil {
			t.Fatal(err)
		}
		if lines, _, err := reconcile.Read(other, name, 2, wire.CST); err != nil || len(lines) != 0 {
			t.Fatalf("%s yesterday: %+v %v", name, lines, err)
		}
		// Tomorrow's bill does not exist yet: the provider says so.
		if _, err := p.(statementFetcher).Statement(ctx, day.AddDate(0, 0, 2)); !errors.Is(err, pay.ErrRefused) {
			t.Fatalf("%s bill of a day to come: %v", name, err)
		}
	}
}

// A WeChat bill whose bytes are not those the hash announced is refused.
func TestWeChatStatementHashChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	inner := e.sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/billdownload/file" {
			inner.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		body, _ := io.ReadAll(rec.Result().Body)
		w.WriteHeader(rec.Code)
		w.Write(bytes.Replace(body, []byte("总交易单数"), []byte("总交易单数 "), 1))
	}))
	t.Cleanup(srv.Close)
	p := e.client(wechat.Name, func(_ *alipay.Config, w *wechat.Config) { w.BaseURL = srv.URL })
	_, err := p.(statementFetcher).Statement(context.Background(), e.clk.Now().In(wire.CST))
	if !errors.Is(err, pay.ErrVerify) || !strings.Contains(err.Error(), "SHA1") {
		t.Fatalf("tampered bill: %v", err)
	}
}
