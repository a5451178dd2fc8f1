package hq_test

import "os"

var lstat = os.Lstat
