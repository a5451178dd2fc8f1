//go:build unix

package tui

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system, on
// every core: on a machine shared with other work it says what the load
// costs when the wall time mostly says how busy the machine was.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
