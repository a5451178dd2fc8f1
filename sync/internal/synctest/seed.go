package synctest

import (
	"os"
	"strconv"
)

func envSeed() uint64 {
	s, _ := strconv.ParseUint(os.Getenv("TILL_TEST_SEED"), 10, 64)
	return s
}
