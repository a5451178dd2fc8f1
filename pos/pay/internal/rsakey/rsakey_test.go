package rsakey_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tillpos/till/pos/pay/internal/rsakey"
	"github.com/tillpos/till/pos/pay/internal/testkeys"
)

func TestKeyFormats(t *testing.T) {
	k := testkeys.Key("k")
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(k)
	pkixDER, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkixName(),
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	privs := map[string][]byte{
		"pkcs1.pem": pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}),
		"pkcs8.pem": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
		"bare8.txt": []byte(base64.StdEncoding.EncodeToString(pkcs8) + "\n"),
		"bare1.txt": []byte(base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(k))),
		"crlf.pem":  []byte(strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})), "\n", "\r\n")),
	}
	for name, b := range privs {
		got, err := rsakey.LoadPrivate(write(name, b))
		if err != nil || !got.Equal(k) {
			t.Errorf("%s: %v", name, err)
		}
	}
	pubs := map[string][]byte{
		"pkix.pem":  pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkixDER}),
		"pkcs1.pub": pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.PublicKey)}),
		"bare.pub":  []byte(base64.StdEncoding.EncodeToString(pkixDER)),
		"cert.pem":  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}),
	}
	for name, b := range pubs {
		got, err := rsakey.LoadPublic(write(name, b))
		if err != nil || !got.Equal(&k.PublicKey) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A public key is not a private key, and garbage is neither.
	if _, err := rsakey.LoadPrivate(write("pub-as-priv", pubs["pkix.pem"])); err == nil {
		t.Error("public key loaded as private")
	}
	if _, err := rsakey.LoadPublic(write("junk", []byte("not a key at all!"))); err == nil {
		t.Error("junk loaded")
	}
	if _, err := rsakey.LoadPrivate(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file loaded")
	}
}

func pkixName() pkix.Name { return pkix.Name{CommonName: "test"} }

func TestSmallKeyRefused(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)})
	if _, err := rsakey.ParsePrivate(b); err == nil {
		t.Fatal("1024-bit key accepted")
	}
}

// Errors name the file, never what is in it.
func TestErrorsHideKeyMaterial(t *testing.T) {
	k := testkeys.Key("k")
	b := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	// Damage the key body: a parse error must not quote it.
	broken := strings.Replace(string(b), "MII", "MIX", 1)
	p := filepath.Join(t.TempDir(), "broken.pem")
	if err := os.WriteFile(p, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := rsakey.LoadPrivate(p)
	if err == nil {
		t.Fatal("broken key loaded")
	}
	body := strings.Split(broken, "\n")[2]
	if strings.Contains(err.Error(), body[:16]) {
		t.Fatalf("error quotes the key: %v", err)
	}
}

func TestSignVerifyAndWrite(t *testing.T) {
	k := testkeys.Key("k")
	sig, err := rsakey.Sign(k, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if err := rsakey.Verify(&k.PublicKey, []byte("hello"), sig); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "!!", base64.StdEncoding.EncodeToString([]byte("short"))} {
		if rsakey.Verify(&k.PublicKey, []byte("hello"), bad) == nil {
			t.Errorf("signature %q verifies", bad)
		}
	}
	if rsakey.Verify(&k.PublicKey, []byte("hellO"), sig) == nil {
		t.Error("other message verifies")
	}
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "k.pem"), filepath.Join(dir, "k.pub")
	if err := rsakey.WritePrivate(priv, k); err != nil {
		t.Fatal(err)
	}
	if err := rsakey.WritePublic(pub, &k.PublicKey); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(priv); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key file mode %v, %v", fi.Mode(), err)
	}
	if got, err := rsakey.LoadPrivate(priv); err != nil || !got.Equal(k) {
		t.Fatal("written private key does not load back")
	}
	if got, err := rsakey.LoadPublic(pub); err != nil || !got.Equal(&k.PublicKey) {
		t.Fatal("written public key does not load back")
	}
	if s := rsakey.Serial(&k.PublicKey); len(s) != 40 || s != strings.ToUpper(s) {
		t.Fatalf("serial %q", s)
	}
}
