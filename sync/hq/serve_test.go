package hq_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mrand "math/rand/v2"

	"github.com/tillpos/till/sync/client"
	"github.com/tillpos/till/sync/hq"
	"github.com/tillpos/till/sync/hq/storage/storagetest"
	"github.com/tillpos/till/sync/internal/synctest"
)

// serve runs hq.Serve until the test ends and returns its address, or the
// error it refused with.
func serve(t *testing.T, cfg hq.Config) (string, error) {
	t.Helper()
	c, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	cfg.Listening = func(a net.Addr) { addr <- a.String() }
	done := make(chan error, 1)
	go func() { done <- hq.Serve(c, cfg) }()
	select {
	case a := <-addr:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
		return a, nil
	case err := <-done:
		cancel()
		return "", err
	}
}

func TestServeRefusesPlainHTTPBeyondLoopback(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0"} {
		_, err := serve(t, hq.Config{Addr: addr, Storage: b})
		if err == nil || !strings.Contains(err.Error(), "refusing plain HTTP") {
			t.Errorf("plain HTTP on %s: %v", addr, err)
		}
	}
	if _, err := serve(t, hq.Config{Addr: "127.0.0.1:0", Storage: b, CertFile: "cert.pem"}); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("certificate without key: %v", err)
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		if _, err := serve(t, hq.Config{Addr: addr, Storage: b}); err != nil {
			t.Errorf("loopback %s: %v", addr, err)
		}
	}
	if _, err := serve(t, hq.Config{Addr: ":0", Storage: b, AllowInsecure: true}); err != nil {
		t.Errorf("explicitly allowed: %v", err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "till hq test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestServeTLS: head office over TLS with its own certificate; a terminal
// that trusts it syncs, one that does not is told so at once.
func TestServeTLS(t *testing.T) {
	b := storagetest.Bolt(true).New(t)
	cert, key := selfSigned(t)
	addr, err := serve(t, hq.Config{Addr: "127.0.0.1:0", CertFile: cert, KeyFile: key, Storage: b})
	if err != nil {
		t.Fatal(err)
	}
	term := synctest.NewTerminal(t, "T1", "S1")
	tok := synctest.Enrol(t, b, "S1", "T1")
	term.MustSell(t, mrand.New(mrand.NewPCG(1, 1)), 10)

	untrusting := client.Config{URL: "https://" + addr, Token: tok, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}
	start := time.Now()
	if _, err := client.Sync(ctx, term.Store, untrusting); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Fatalf("sync without trusting the certificate: %v", err)
	} else if errors.Is(err, client.ErrUnauthorized) || time.Since(start) > 5*time.Second {
		t.Fatalf("untrusted certificate: %v after %v", err, time.Since(start))
	}
	trusting := untrusting
	trusting.CAFile = cert
	res, err := client.Sync(ctx, term.Store, trusting)
	if err != nil || res.Pushed != 10 {
		t.Fatalf("sync over TLS: %+v %v", res, err)
	}
	synctest.CheckExactlyOnce(t, b, term.Store)
}
