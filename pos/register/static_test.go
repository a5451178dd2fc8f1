package register

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/emvqr"
)

const (
	alipayCode = "https://qr.alipay.com/fkx19476kpxmkyxwnfb3c3e"
	wechatCode = "wxp://f2f0Lnx3yFsyhT6zUaBv3hVF9oTnkD2xWE6d"
	// A Vietnamese shop's VietQR (NAPAS) sticker: static, no amount.
	vietQRSticker = "00020101021138480010A00000072701300006970403011621129950446040255204581253037045802VN5910PHUONG CAC6005HANOI62110307NPS686963045802"
)

// A wallet's collection code is shown exactly as it is, with the amount
// the customer must type; the cashier confirms it, and the sale records a
// static, cashier-confirmed tender with the code's label.
func TestStaticURLPaymentConfirmedByCashier(t *testing.T) {
	c := &clock{time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR = &QR{Expiry: 5 * time.Minute, Statics: []StaticCode{{Label: "Alipay", Code: alipayCode}, {Label: "WeChat Pay", Code: wechatCode}}}
	ctx := context.Background()

	// Without a merchant account, the offline path uses the first code.
	p, err := r.StartQR(ctx, teaCart(2), c.t, 2500, true)
	if err != nil {
		t.Fatal(err)
	}
	if p.Provider != pos.ProviderStatic || p.Label != "Alipay" || p.Payload != alipayCode || p.Amount != 2500 || p.Online() {
		t.Fatalf("payment: %+v", p)
	}
	if !p.ExpiresAt.Equal(c.t.Add(5 * time.Minute)) {
		t.Fatalf("expiry %v: a static code keeps the offline expiry", p.ExpiresAt)
	}
	p, err = r.StartStatic(ctx, teaCart(2), c.t, 2500, "WeChat Pay")
	if err != nil {
		t.Fatal(err)
	}
	if p.Provider != pos.ProviderStatic || p.Label != "WeChat Pay" || p.Payload != wechatCode {
		t.Fatalf("payment: %+v", p)
	}
	if _, err := r.StartStatic(ctx, teaCart(2), c.t, 2500, "UnionPay"); !errors.Is(err, ErrNoStatic) {
		t.Fatalf("unknown label: %v", err)
	}
	// Polling a static payment asks no one and changes nothing.
	if q, err := r.PollQR(ctx, p.ID); err != nil || q.State != pos.PaymentCreated {
		t.Fatalf("poll: %+v %v", q, err)
	}
	if _, err := r.MoveQR(p.ID, pos.PaymentShown, ""); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(40 * time.Second)
	paid, err := r.MoveQR(p.ID, pos.PaymentPaid, "")
	if err != nil {
		t.Fatal(err)
	}
	if paid.ConfirmedBy != pos.ByCashier {
		t.Fatalf("confirmed by %q", paid.ConfirmedBy)
	}
	sale, err := r.CompleteQR(paid, 0)
	if err != nil {
		t.Fatal(err)
	}
	tn := sale.Tenders[0]
	if len(sale.Tenders) != 1 || tn.Kind != pos.QR || tn.Provider != pos.ProviderStatic || tn.Label != "WeChat Pay" ||
		tn.ConfirmedBy != pos.ByCashier || !tn.ConfirmedAt.Equal(c.t) || tn.Amount != 2500 {
		t.Fatalf("tender: %+v", tn)
	}
	// A static payment is not one Till can refund to the wallet.
	if pos.WalletTender(tn) {
		t.Fatal("a static tender must not be refundable to the wallet")
	}
}

// An EMV sticker is made dynamic for the sale: the amount, the sale's bill
// number and the terminal's label, every other field kept, the result a
// valid code of its scheme.
func TestStaticEMVStickerMadeDynamic(t *testing.T) {
	c := &clock{time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.Currency = pos.Currency{Code: "VND", Numeric: "704", Exponent: 0}
	r.QR = &QR{Expiry: 5 * time.Minute, Statics: []StaticCode{{Label: "VietQR", Code: vietQRSticker, EMV: true}}}
	p, err := r.StartQR(context.Background(), teaCart(2), c.t, 2500, false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Provider != pos.ProviderEMV || p.Label != "VietQR" || p.Payload == vietQRSticker {
		t.Fatalf("payment: %+v", p)
	}
	d, err := emvqr.Parse(p.Payload)
	if err != nil {
		t.Fatal(err)
	}
	v, err := d.Check()
	if err != nil {
		t.Fatalf("dynamic payload %q: %v", p.Payload, err)
	}
	if v.Scheme == nil || v.Scheme.Name != "VietQR" {
		t.Fatalf("scheme: %v", v)
	}
	if d.PointOfInitiation != "12" || d.Amount != "2500" || d.Currency != "704" || d.MerchantName != "PHUONG CAC" {
		t.Fatalf("fields: %+v", d)
	}
	if a := d.AdditionalData; a == nil || a.BillNumber != p.SaleID[1:26] || a.TerminalLabel != "T1" || a.StoreLabel != "NPS6869" {
		t.Fatalf("62: %+v", d.AdditionalData)
	}
	st, _ := emvqr.Parse(vietQRSticker)
	if st.MerchantAccounts[0].Value != d.MerchantAccounts[0].Value {
		t.Fatalf("account changed: %q -> %q", st.MerchantAccounts[0].Value, d.MerchantAccounts[0].Value)
	}
	paid, err := r.MoveQR(p.ID, pos.PaymentPaid, "")
	if err != nil || paid.ConfirmedBy != pos.ByCashier {
		t.Fatalf("paid: %+v %v", paid, err)
	}
}

// A UnionPay merchant with a primitive account (15) takes offline codes.
func TestUnionPayPrimitiveAccount(t *testing.T) {
	c := &clock{time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	r := qrRegister(t, filepath.Join(t.TempDir(), "t.db"), c)
	r.QR.Merchant = emvqr.Merchant{AccountID: "15", AccountValue: "3123456789012345", Name: "Till Demo Shop", City: "Shanghai",
		Country: "CN", MCC: "5411", Currency: "156", Language: "ZH", NameLocal: "演示商店", CityLocal: "上海"}
	p, err := r.StartQR(context.Background(), teaCart(1), c.t, 1250, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := emvqr.Decode(p.Payload)
	if err != nil {
		t.Fatalf("%q: %v", p.Payload, err)
	}
	if a, ok := d.Account("15"); !ok || a.Value != "3123456789012345" || d.Language == nil || d.Language.Name != "演示商店" {
		t.Fatalf("payload: %+v", d)
	}
}
