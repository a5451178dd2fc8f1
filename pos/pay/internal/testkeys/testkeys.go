// Package testkeys hands tests 2048-bit RSA keys generated once per test
// binary, so that tests stay fast and no key is ever stored in the repo.
package testkeys

import (
	"crypto/rsa"
	"sync"

	"github.com/tillpos/till/pos/pay/internal/rsakey"
)

var (
	mu   sync.Mutex
	keys = map[string]*rsa.PrivateKey{}
)

// Key returns the key called name, generating it on first use.
func Key(name string) *rsa.PrivateKey {
	mu.Lock()
	defer mu.Unlock()
	if k, ok := keys[name]; ok {
		return k
	}
	k, err := rsakey.Generate()
	if err != nil {
		panic(err)
	}
	keys[name] = k
	return k
}
