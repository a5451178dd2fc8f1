package boltstore_test

import (
	"testing"

	"github.com/tillpos/till/sync/hq/storage/storagetest"
)

func TestConformance(t *testing.T) { storagetest.Run(t, storagetest.Bolt(false)) }
