// Package rsakey loads, writes and uses the RSA keys both payment
// providers sign with: SHA256withRSA (PKCS #1 v1.5), base64 encoded.
//
// Errors name the file, never its contents: a key must not reach a log.
package rsakey

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// MinBits is the smallest key Till accepts; both providers use 2048.
const MinBits = 2048

// LoadPrivate reads an RSA private key from a PEM file (PKCS #1 "RSA
// PRIVATE KEY" or PKCS #8 "PRIVATE KEY"), or from a file holding only the
// base64 body, as Alipay's key tool writes it.
func LoadPrivate(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	k, err := ParsePrivate(b)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", path, err)
	}
	return k, nil
}

// LoadPublic reads an RSA public key from a PEM file: PKIX "PUBLIC KEY",
// PKCS #1 "RSA PUBLIC KEY", an X.509 "CERTIFICATE" (a WeChat Pay platform
// certificate), or a bare base64 PKIX body as Alipay publishes it.
func LoadPublic(path string) (*rsa.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	k, err := ParsePublic(b)
	if err != nil {
		return nil, fmt.Errorf("public key %s: %w", path, err)
	}
	return k, nil
}

// LoadPair loads a client's own private key and its provider's public key.
func LoadPair(privatePath, publicPath string) (*rsa.PrivateKey, *rsa.PublicKey, error) {
	key, err := LoadPrivate(privatePath)
	if err != nil {
		return nil, nil, err
	}
	pub, err := LoadPublic(publicPath)
	if err != nil {
		return nil, nil, err
	}
	return key, pub, nil
}

var errNotRSA = errors.New("not an RSA key")

// der returns the DER bytes and PEM type of b, accepting a bare base64 body.
func der(b []byte) ([]byte, string, error) {
	if blk, _ := pem.Decode(b); blk != nil {
		if len(blk.Headers) > 0 {
			return nil, "", errors.New("encrypted PEM keys are not supported")
		}
		return blk.Bytes, blk.Type, nil
	}
	s := strings.Join(strings.Fields(string(b)), "")
	d, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(d) == 0 {
		return nil, "", errors.New("neither PEM nor base64")
	}
	return d, "", nil
}

// ParsePrivate parses what LoadPrivate reads.
func ParsePrivate(b []byte) (*rsa.PrivateKey, error) {
	d, typ, err := der(b)
	if err != nil {
		return nil, err
	}
	// Either format's parse error says less than the message below.
	var key *rsa.PrivateKey
	if typ != "PRIVATE KEY" {
		key, _ = x509.ParsePKCS1PrivateKey(d)
	}
	if key == nil && typ != "RSA PRIVATE KEY" {
		var k any
		if k, err = x509.ParsePKCS8PrivateKey(d); err == nil {
			var ok bool
			if key, ok = k.(*rsa.PrivateKey); !ok {
				return nil, errNotRSA
			}
		}
	}
	if key == nil {
		return nil, errors.New("not a PKCS #1 or PKCS #8 RSA private key")
	}
	if key.N.BitLen() < MinBits {
		return nil, fmt.Errorf("RSA key of %d bits, want at least %d", key.N.BitLen(), MinBits)
	}
	return key, nil
}

// ParsePublic parses what LoadPublic reads.
func ParsePublic(b []byte) (*rsa.PublicKey, error) {
	d, typ, err := der(b)
	if err != nil {
		return nil, err
	}
	var k any
	switch typ {
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, err
		}
		k = c.PublicKey
	case "RSA PUBLIC KEY":
		if k, err = x509.ParsePKCS1PublicKey(d); err != nil {
			return nil, err
		}
	default:
		if k, err = x509.ParsePKIXPublicKey(d); err != nil {
			if k, err = x509.ParsePKCS1PublicKey(d); err != nil {
				return nil, errors.New("not a PKIX or PKCS #1 RSA public key")
			}
		}
	}
	pub, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, errNotRSA
	}
	return pub, nil
}

// Sign returns base64(SHA256withRSA(msg)) with PKCS #1 v1.5 padding,
// the signature both Alipay (RSA2) and WeChat Pay (APIv3) use.
func Sign(key *rsa.PrivateKey, msg []byte) (string, error) {
	h := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// ErrBadSignature reports a signature that does not verify.
var ErrBadSignature = errors.New("signature does not verify")

// Verify checks a base64 SHA256withRSA signature of msg.
func Verify(pub *rsa.PublicKey, msg []byte, sig string) error {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(raw) == 0 {
		return ErrBadSignature
	}
	h := sha256.Sum256(msg)
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], raw) != nil {
		return ErrBadSignature
	}
	return nil
}

// Generate makes a new 2048-bit key.
func Generate() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, MinBits)
}

// WritePrivate writes key as a PKCS #8 PEM file readable by its owner only.
func WritePrivate(path string, key *rsa.PrivateKey) error {
	d, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	return writePEM(path, "PRIVATE KEY", d, 0o600)
}

// WritePublic writes pub as a PKIX PEM file.
func WritePublic(path string, pub *rsa.PublicKey) error {
	d, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	return writePEM(path, "PUBLIC KEY", d, 0o644)
}

func writePEM(path, typ string, d []byte, mode os.FileMode) error {
	b := pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: d})
	tmp := path + ".tmp"
	// Start from no file: WriteFile keeps a leftover tmp's (maybe looser)
	// mode while it writes, and a failed write leaves no copy of a key.
	_ = os.Remove(tmp)
	err := os.WriteFile(tmp, b, mode)
	if err == nil {
		err = os.Chmod(tmp, mode) // the umask may have narrowed a public key's mode
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write key %s: %w", path, err)
	}
	return nil
}

// Serial is a stable, certificate-serial-like name for a public key: the
// first 20 bytes of the SHA-256 of its PKIX encoding, in upper-case hex.
func Serial(pub *rsa.PublicKey) string {
	d, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return ""
	}
	h := sha256.Sum256(d)
	return strings.ToUpper(hex.EncodeToString(h[:20]))
}
