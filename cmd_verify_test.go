package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// TestVerifyCommand: verify passes on an untouched file and names the
// sale whose total was changed in the bbolt file directly.
func TestVerifyCommand(t *testing.T) {
	db := newDB(t)
	var ids []string
	for range 3 {
		out := mustOK(t, till(t, db, "sell", "--item", "SKU1002", "--cash", "100"))
		m := regexp.MustCompile(`Sale (\S+-T1)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no sale ID:\n%s", out)
		}
		ids = append(ids, m[1])
	}
	mustOK(t, till(t, db, "report", "z"))
	out := mustOK(t, till(t, db, "verify"))
	if !strings.Contains(out, "journal intact") || !strings.Contains(out, "1 Z reports signed") {
		t.Fatalf("verify:\n%s", out)
	}
	key := mustOK(t, till(t, db, "verify", "--public-key"))
	if !regexp.MustCompile(`^ed25519:[A-Za-z0-9+/=]{44}\n$`).MatchString(key) {
		t.Fatalf("public key %q", key)
	}
	// Change the second sale's total in the file.
	bdb, err := bbolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("sales"))
		var v map[string]any
		stored := b.Get([]byte(ids[1]))
		if len(stored) > 5 && stored[0] == 0 {
			stored = stored[5:] // the record's checksum: written back as plain JSON, verify still names it
		}
		if err := json.Unmarshal(stored, &v); err != nil {
			return err
		}
		v["due"] = 1
		data, _ := json.Marshal(v)
		return b.Put([]byte(ids[1]), data)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := till(t, db, "verify")
	if r.code != 1 || !strings.Contains(r.err, ids[1]) || !strings.Contains(r.err, "the record was edited") {
		t.Fatalf("verify after an edit: exit %d\n%s", r.code, r.err)
	}
}
