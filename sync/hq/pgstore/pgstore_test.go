package pgstore_test

import (
	"testing"

	"github.com/tillpos/till/sync/hq/storage/storagetest"
)

// TestConformance runs against the server named by $TILL_TEST_PG; it
// skips without one, except under CI=true, where it fails.
func TestConformance(t *testing.T) { storagetest.Run(t, storagetest.Postgres()) }
