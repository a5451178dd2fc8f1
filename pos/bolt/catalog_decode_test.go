package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/tillpos/till/pos/bolt"
)

// A damaged product far into a big catalog (decoded by another goroutine
// than the first goods) is refused by name too.
func TestChecksumNamesTheProductInABigCatalog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openAt(t, path)
	if _, err := s.PutProducts(manyGoods("P", 20_000)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	flipDigit(t, path, "products", []byte("P017000"), "price")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, err := s.Products()
	wantNamed(t, "Products", err, "P017000")
	if ps != nil && err == nil {
		t.Errorf("%d goods with the damaged one", len(ps))
	}
}
