package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"testing"
	"time"
)

// phone is headless Chromium driven through ChromeDriver's WebDriver
// API: the customer's phone opening the link in the QR code.
type phone struct {
	t       *testing.T
	base    string
	session string
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func startPhone(t *testing.T) *phone {
	t.Helper()
	need(t, "chromium", "chromedriver")
	port := freePort(t)
	cmd := exec.Command("chromedriver", fmt.Sprintf("--port=%d", port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	p := &phone{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if resp, err := http.Get(p.base + "/status"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("chromedriver did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var created struct {
		Value struct {
			SessionID string `json:"sessionId"`
		} `json:"value"`
	}
	p.call("POST", "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{"binary": "/usr/bin/chromium", "args": []string{
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
			"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir(), "--window-size=400,800"}},
	}}}, &created)
	p.session = created.Value.SessionID
	t.Cleanup(func() { p.call("DELETE", "/session/"+p.session, nil, nil) })
	return p
}

func (p *phone) call(method, path string, body, out any) {
	p.t.Helper()
	if err := p.try(method, path, body, out); err != nil {
		p.t.Fatal(err)
	}
}

// try is one WebDriver request; its error says what went wrong.
func (p *phone) try(method, path string, body, out any) error {
	var buf bytes.Buffer
	if body != nil {
		json.NewEncoder(&buf).Encode(body)
	}
	req, _ := http.NewRequest(method, p.base+path, &buf)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("webdriver %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e bytes.Buffer
		e.ReadFrom(resp.Body)
		return fmt.Errorf("webdriver %s %s: %s %.300s", method, path, resp.Status, e.String())
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

// open loads a URL as the phone's browser does after a scan.
func (p *phone) open(url string) {
	p.call("POST", "/session/"+p.session+"/url", map[string]string{"url": url}, nil)
}

func (p *phone) element(css string) string {
	var found struct {
		Value map[string]string `json:"value"`
	}
	p.call("POST", "/session/"+p.session+"/element", map[string]string{"using": "css selector", "value": css}, &found)
	for _, id := range found.Value {
		return id
	}
	p.t.Fatalf("no element %s", css)
	return ""
}

// press clicks the button with the id and returns the page's state.
func (p *phone) press(id string) string {
	p.call("POST", "/session/"+p.session+"/element/"+p.element("#"+id)+"/click", map[string]any{}, nil)
	return p.state()
}

// state reads the order's state off the page once it is no longer
// waiting. Right after a click the browser may still be loading the
// answer page, so elements of the old page can go stale: ask again.
func (p *phone) state() string {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := ""
	for {
		var found struct {
			Value map[string]string `json:"value"`
		}
		var attr struct {
			Value string `json:"value"`
		}
		err := p.try("POST", "/session/"+p.session+"/element", map[string]string{"using": "css selector", "value": "#status"}, &found)
		for _, el := range found.Value {
			if err == nil {
				err = p.try("GET", "/session/"+p.session+"/element/"+el+"/attribute/data-state", nil, &attr)
			}
		}
		if err == nil {
			last = attr.Value
			if last != "shown" && last != "" {
				return last
			}
		}
		if time.Now().After(deadline) {
			if err != nil {
				p.t.Fatal(err)
			}
			return last
		}
		time.Sleep(100 * time.Millisecond)
	}
}
