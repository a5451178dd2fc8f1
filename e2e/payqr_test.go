package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tillpos/till/pos/emvqr"
)

// TestOfflineQRPayment shows the dynamic EMV QR at 80x24, reads it off
// the screen with zbarimg, and has the cashier confirm the payment.
func TestOfflineQRPayment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	c := startCounter(t, db)
	c.waitFor("Scan or type a name")
	c.typeText("6900012346858") // rice, 69.90
	c.keys("Enter")
	c.waitFor("Rice 5kg")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F2")
	screen := c.waitFor("WAITING FOR PAYMENT")
	payload := screenQR(t, screen)
	p, err := emvqr.Decode(payload)
	if err != nil {
		t.Fatalf("payload %q: %v", payload, err)
	}
	if p.Amount != "69.90" || p.Currency != "156" || p.PointOfInitiation != "12" || p.AdditionalData.TerminalLabel != "T1" {
		t.Fatalf("decoded %+v", p)
	}
	c.keys("p")
	c.waitFor("PAID to")
	c.keys("y")
	s := c.waitFor("Receipt 000001")
	if !strings.Contains(s, "confirmed by the cashier") {
		t.Fatalf("receipt:\n%s", s)
	}
	c.quit()
	if sales := till(t, db, "sales"); !strings.Contains(sales, "69.90") || !strings.Contains(sales, "1 sale(s)") {
		t.Fatalf("database:\n%s", sales)
	}
}

// TestQRPaymentSurvivesAKilledTill kills the till while the customer is
// paying; started again, it shows the waiting payment and completes it.
func TestQRPaymentSurvivesAKilledTill(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	c := startCounter(t, db)
	c.waitFor("Scan or type a name")
	c.typeText("6900012345004")
	c.keys("Enter")
	c.waitFor("Mineral water")
	c.keys("F12")
	c.waitFor("Cash given")
	c.keys("F2")
	first := screenQR(t, c.waitFor("WAITING FOR PAYMENT"))
	c.kill()

	c = startCounter(t, db)
	s := c.waitFor("Resumed the sale")
	if again := screenQR(t, s); again != first {
		t.Fatalf("after the restart the code changed:\n%s\n%s", first, again)
	}
	c.keys("p")
	c.waitFor("PAID to")
	c.keys("y")
	c.waitFor("Receipt 000001")
	c.quit()
}
