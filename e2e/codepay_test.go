package e2e

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// paysimCode runs `till paysim code provider behaviour` against the
// simulator startPaySim started (its config is beside the till's) and
// returns the payment code the customer's wallet shows.
func paysimCode(t *testing.T, tillCfg, provider, behaviour string) (code, base string) {
	t.Helper()
	simCfg := filepath.Join(filepath.Dir(tillCfg), "paysim.toml")
	out, err := exec.Command(tillBin, "paysim", "--config", simCfg, "code", provider, behaviour).CombinedOutput()
	if err != nil {
		t.Fatalf("till paysim code: %v\n%s", err, out)
	}
	text, _ := os.ReadFile(simCfg)
	addr := regexp.MustCompile(`addr = "([^"]+)"`).FindSubmatch(text)
	if addr == nil {
		t.Fatalf("no addr in %s", text)
	}
	return strings.TrimSpace(string(out)), "http://" + string(addr[1])
}

// TestPaymentCodeSales scans the customer's payment code (付款码) on
// checkout, typed as a scanner types it: WeChat pays at once; Alipay
// asks the customer's password, entered on the wallet page; a declined
// code leaves the cart for cash.
func TestPaymentCodeSales(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: tmux and paysim")
	}
	for _, tc := range []struct{ provider, behaviour, word string }{
		{"wechat", "pay", "WeChat Pay "},
		{"alipay", "password", "Alipay "},
		{"alipay", "decline", ""},
	} {
		t.Run(tc.provider+"-"+tc.behaviour, func(t *testing.T) {
			need(t, "tmux")
			cfg := startPaySim(t, tc.provider)
			db := filepath.Join(t.TempDir(), "till.db")
			c := startCounter(t, db, "--config", cfg)
			c.waitFor("Scan or type a name")
			c.typeText("6900012345004") // water, 2.00
			c.keys("Enter")
			c.waitFor("Mineral water")
			c.keys("F12")
			c.waitFor("scan the customer's payment code")
			code, base := paysimCode(t, cfg, tc.provider, tc.behaviour)
			c.typeText(code)
			c.keys("Enter")
			switch tc.behaviour {
			case "password":
				s := c.waitFor("CUSTOMER ENTERS PASSWORD")
				if strings.Contains(s, code) || !strings.Contains(s, "·"+code[len(code)-4:]) {
					t.Fatalf("the code on screen:\n%s", s)
				}
				resp, err := http.PostForm(base+"/wallet/"+tc.provider, url.Values{"action": {"password"}, "code": {code}})
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("password: %v %v", resp, err)
				}
				resp.Body.Close()
			case "decline":
				c.waitFor("declined")
				c.keys("F10")
			}
			s := c.waitFor("Receipt 000001")
			if tc.word != "" && !strings.Contains(s, tc.word) {
				t.Fatalf("receipt:\n%s", s)
			}
			c.quit()
			if out := till(t, db, "sales"); !strings.Contains(out, "1 sale(s)") {
				t.Fatalf("database:\n%s", out)
			}
		})
	}
}
